-- Deduplicate storage, not metadata: every upload is its own media item (its uploader, file
-- name and texts), and items of the same bytes share the stored files, which live under
-- content-derived keys. So sha256 is no longer unique; it stays indexed, to find the files
-- an upload can reuse and to keep them while an item still references them.
--
-- SQLite cannot drop a column's UNIQUE, so media is rebuilt, and with it the two tables that
-- reference it (dropping media would otherwise cascade into them): new tables reference the
-- new media, the old ones go children first, and renaming the new media to media rewrites
-- their references.

-- +goose Up
CREATE TABLE media_new (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('image', 'document')),
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    width       INTEGER NOT NULL DEFAULT 0,
    height      INTEGER NOT NULL DEFAULT 0,
    sha256      TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    filename    TEXT NOT NULL DEFAULT '',
    variants    TEXT NOT NULL DEFAULT '[]',
    uploaded_by TEXT,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
INSERT INTO media_new (id, kind, mime, size, width, height, sha256, storage_key, filename, variants, uploaded_by, created_at, updated_at)
    SELECT id, kind, mime, size, width, height, sha256, storage_key, filename, variants, uploaded_by, created_at, updated_at FROM media;

CREATE TABLE media_translations_new (
    media_id TEXT NOT NULL REFERENCES media_new (id) ON DELETE CASCADE,
    locale   TEXT NOT NULL,
    alt      TEXT NOT NULL DEFAULT '',
    caption  TEXT NOT NULL DEFAULT '',
    credit   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (media_id, locale)
);
INSERT INTO media_translations_new (media_id, locale, alt, caption, credit)
    SELECT media_id, locale, alt, caption, credit FROM media_translations;

CREATE TABLE article_media_new (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    media_id   TEXT NOT NULL REFERENCES media_new (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, media_id)
);
INSERT INTO article_media_new (article_id, media_id, position) SELECT article_id, media_id, position FROM article_media;

DROP TABLE article_media;
DROP TABLE media_translations;
DROP TABLE media;
ALTER TABLE media_new RENAME TO media;
ALTER TABLE media_translations_new RENAME TO media_translations;
ALTER TABLE article_media_new RENAME TO article_media;
CREATE INDEX media_created ON media (created_at DESC, id DESC);
CREATE INDEX media_uploaded_by ON media (uploaded_by, created_at DESC);
CREATE INDEX media_sha256 ON media (sha256);
CREATE INDEX article_media_media ON article_media (media_id);

-- +goose Down
CREATE UNIQUE INDEX media_sha256_unique ON media (sha256);
DROP INDEX media_sha256;
