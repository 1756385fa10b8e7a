-- Preview links (issue 17): an editor lets the public frontend fetch one unpublished article
-- through GET /api/v1/preview/{token}. The token is signed and carries its id and expiry;
-- only its SHA-256 is stored, so a database dump reveals no usable link. Revoking sets
-- revoked_at; rows are kept for the audit trail.

-- +goose Up
CREATE TABLE article_previews (
    id         TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id),
    token_hash TEXT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    revoked_at DATETIME,
    revoked_by TEXT REFERENCES users (id),
    CONSTRAINT article_previews_token_hash UNIQUE (token_hash)
);
CREATE INDEX article_previews_article ON article_previews (article_id, created_at DESC, id DESC);

-- +goose Down
DROP TABLE article_previews;
