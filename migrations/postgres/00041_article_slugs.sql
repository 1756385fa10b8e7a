-- Former slugs: every slug an article's translation had before it changed (or before the
-- translation was deleted), so old links answer 301 to the current URL. A slug taken again
-- by a current translation wins over its history.

-- +goose Up
CREATE TABLE article_slugs (
    locale     text NOT NULL,
    slug       text NOT NULL,
    article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (locale, slug)
);
CREATE INDEX article_slugs_slug ON article_slugs (slug);
CREATE INDEX article_slugs_article ON article_slugs (article_id);

-- +goose Down
DROP TABLE article_slugs;
