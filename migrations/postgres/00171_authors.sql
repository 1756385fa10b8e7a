-- Public author profiles and bylines (issue 17). An author is who a reader sees under a
-- headline (a name, a slug, a photo, a bio per locale), not an editor's account: nothing
-- links the two, so no email or role can leak through a byline. An article's byline lists
-- authors in order.

-- +goose Up
CREATE TABLE authors (
    id             uuid PRIMARY KEY,
    slug           text NOT NULL,
    name           text NOT NULL,
    photo_media_id uuid REFERENCES media (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT authors_slug UNIQUE (slug)
);
CREATE INDEX authors_name ON authors (name, id);

CREATE TABLE author_translations (
    author_id uuid NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    locale    text NOT NULL,
    bio       text NOT NULL DEFAULT '',
    PRIMARY KEY (author_id, locale)
);

CREATE TABLE article_authors (
    article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id  uuid NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    position   integer NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author ON article_authors (author_id, article_id);

-- +goose Down
DROP TABLE article_authors;
DROP TABLE author_translations;
DROP TABLE authors;
