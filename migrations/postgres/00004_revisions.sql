-- Revisions: every saved version of an article, with all its translations, as a JSON snapshot.

-- +goose Up
CREATE TABLE article_revisions (
    article_id uuid NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    integer NOT NULL CHECK (version > 0),
    snapshot   text NOT NULL,
    actor_id   uuid,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- The admin list filters by status and author and orders by last change.
CREATE INDEX articles_admin_updated ON articles (updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX articles_author ON articles (author_id, updated_at DESC);

-- +goose Down
DROP INDEX articles_author;
DROP INDEX articles_admin_updated;
DROP TABLE article_revisions;
