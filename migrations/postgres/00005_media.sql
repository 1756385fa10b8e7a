-- Media: uploaded images and documents, their per-locale texts, and article galleries.
-- Files live in a Blobs store under content-derived keys; rows hold the keys.

-- +goose Up
CREATE TABLE media (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('image', 'document')),
    mime        text NOT NULL,
    size        bigint NOT NULL CHECK (size >= 0),
    width       integer NOT NULL DEFAULT 0,
    height      integer NOT NULL DEFAULT 0,
    sha256      text NOT NULL UNIQUE,
    storage_key text NOT NULL,
    filename    text NOT NULL DEFAULT '',
    variants    text NOT NULL DEFAULT '[]',
    uploaded_by uuid,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX media_created ON media (created_at DESC, id DESC);
CREATE INDEX media_uploaded_by ON media (uploaded_by, created_at DESC);

CREATE TABLE media_translations (
    media_id uuid NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    locale   text NOT NULL,
    alt      text NOT NULL DEFAULT '',
    caption  text NOT NULL DEFAULT '',
    credit   text NOT NULL DEFAULT '',
    PRIMARY KEY (media_id, locale)
);

-- An article's gallery, in order.
CREATE TABLE article_media (
    article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    media_id   uuid NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    position   integer NOT NULL,
    PRIMARY KEY (article_id, media_id)
);
CREATE INDEX article_media_media ON article_media (media_id);
CREATE INDEX articles_cover_media ON articles (cover_media_id) WHERE cover_media_id IS NOT NULL;

-- +goose Down
DROP INDEX articles_cover_media;
DROP TABLE article_media;
DROP TABLE media_translations;
DROP TABLE media;
