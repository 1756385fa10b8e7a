-- API tokens: personal tokens acting as their creator and admins' service tokens. Only the
-- SHA-256 of a secret is stored; last_used_* are written in batches, not per request.
-- Audit entries of writes made with a token name it.

-- +goose Up
CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('personal', 'service')),
    name         text NOT NULL,
    scope        text NOT NULL CHECK (scope IN ('read', 'content', 'full')),
    token_hash   text NOT NULL,
    -- the secret's last four characters, so people can tell their tokens apart
    hint         text NOT NULL DEFAULT '',
    -- the creator: whom a personal token acts as, or the admin who made a service token
    user_id      uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    last_used_ip text NOT NULL DEFAULT '',
    revoked_at   timestamptz,
    revoked_by   uuid REFERENCES users (id),
    CONSTRAINT api_tokens_token_hash UNIQUE (token_hash)
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at DESC);
CREATE INDEX api_tokens_created ON api_tokens (created_at DESC, id DESC);

ALTER TABLE audit_log ADD COLUMN token_id uuid;
CREATE INDEX audit_log_token ON audit_log (token_id, created_at DESC);

-- +goose Down
DROP INDEX audit_log_token;
ALTER TABLE audit_log DROP COLUMN token_id;
DROP TABLE api_tokens;
