-- Media: uploaded images and documents, their per-locale texts, and article galleries.
-- Files live in a Blobs store under content-derived keys; rows hold the keys.

-- +goose Up
CREATE TABLE media (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('image', 'document')),
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    width       INTEGER NOT NULL DEFAULT 0,
    height      INTEGER NOT NULL DEFAULT 0,
    sha256      TEXT NOT NULL UNIQUE,
    storage_key TEXT NOT NULL,
    filename    TEXT NOT NULL DEFAULT '',
    variants    TEXT NOT NULL DEFAULT '[]',
    uploaded_by TEXT,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX media_created ON media (created_at DESC, id DESC);
CREATE INDEX media_uploaded_by ON media (uploaded_by, created_at DESC);

CREATE TABLE media_translations (
    media_id TEXT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    locale   TEXT NOT NULL,
    alt      TEXT NOT NULL DEFAULT '',
    caption  TEXT NOT NULL DEFAULT '',
    credit   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (media_id, locale)
);

-- An article's gallery, in order.
CREATE TABLE article_media (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    media_id   TEXT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, media_id)
);
CREATE INDEX article_media_media ON article_media (media_id);
CREATE INDEX articles_cover_media ON articles (cover_media_id) WHERE cover_media_id IS NOT NULL;

-- +goose Down
DROP INDEX articles_cover_media;
DROP TABLE article_media;
DROP TABLE media_translations;
DROP TABLE media;
