-- API tokens: personal tokens acting as their creator and admins' service tokens. Only the
-- SHA-256 of a secret is stored; last_used_* are written in batches, not per request.
-- Audit entries of writes made with a token name it.

-- +goose Up
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('personal', 'service')),
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'content', 'full')),
    token_hash   TEXT NOT NULL,
    -- the secret's last four characters, so people can tell their tokens apart
    hint         TEXT NOT NULL DEFAULT '',
    -- the creator: whom a personal token acts as, or the admin who made a service token
    user_id      TEXT NOT NULL REFERENCES users (id),
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME,
    last_used_at DATETIME,
    last_used_ip TEXT NOT NULL DEFAULT '',
    revoked_at   DATETIME,
    revoked_by   TEXT REFERENCES users (id),
    CONSTRAINT api_tokens_token_hash UNIQUE (token_hash)
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at DESC);
CREATE INDEX api_tokens_created ON api_tokens (created_at DESC, id DESC);

ALTER TABLE audit_log ADD COLUMN token_id TEXT;
CREATE INDEX audit_log_token ON audit_log (token_id, created_at DESC);

-- +goose Down
DROP INDEX audit_log_token;
ALTER TABLE audit_log DROP COLUMN token_id;
DROP TABLE api_tokens;
