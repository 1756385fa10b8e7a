-- Language-aware title order served by an index. title_key is the Unicode CLDR collation
-- key (golang.org/x/text/collate) of the title an article is served with in locale: its own
-- translation, else the first of the locale's fallback chain that exists. Keys compare
-- bytewise, so both dialects order them alike. The server writes them with every
-- translation write and fills them at start when missing or made for another configuration
-- (title_key_state holds what they were made for).

-- +goose Up
CREATE TABLE article_title_keys (
    article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    locale     text NOT NULL,
    title_key  bytea NOT NULL,
    PRIMARY KEY (article_id, locale)
);
CREATE INDEX article_title_keys_order ON article_title_keys (locale, title_key, article_id);

CREATE TABLE title_key_state (
    id          integer PRIMARY KEY CHECK (id = 1),
    fingerprint text NOT NULL
);

-- +goose Down
DROP TABLE title_key_state;
DROP TABLE article_title_keys;
