-- Webhooks: endpoints admins register, the outbox of deliveries (one row per event and
-- endpoint, inserted in the write's own transaction) and the log of every attempt. The
-- delivery id is the Standard Webhooks webhook-id, stable across retries and redeliveries.
-- River's own tables (the job queue that drives deliveries) come from rivermigrate.

-- +goose Up
CREATE TABLE webhook_endpoints (
    id              TEXT PRIMARY KEY,
    url             text NOT NULL,
    description     text NOT NULL DEFAULT '',
    -- JSON arrays: the events subscribed to, and the locales filter (empty: every locale)
    events          text NOT NULL,
    locales         text NOT NULL DEFAULT '[]',
    secret          text NOT NULL,
    enabled         BOOLEAN NOT NULL DEFAULT true,
    disabled_reason text NOT NULL DEFAULT '',
    disabled_at     DATETIME,
    -- the first failure since the last success; a day of failures disables the endpoint
    failing_since   DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);

CREATE TABLE webhook_deliveries (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               text NOT NULL,
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event            text NOT NULL,
    -- deliveries of one endpoint with one key go out in seq order (the events of one article)
    order_key        text NOT NULL,
    payload          text NOT NULL,
    state            text NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    last_status      integer NOT NULL DEFAULT 0,
    last_error       text NOT NULL DEFAULT '',
    next_attempt_at  DATETIME,
    first_attempt_at DATETIME,
    completed_at     DATETIME,
    created_at       DATETIME NOT NULL,
    CONSTRAINT webhook_deliveries_id UNIQUE (id)
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq DESC);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (endpoint_id, order_key, seq) WHERE state = 'pending';

CREATE TABLE webhook_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_seq INTEGER NOT NULL REFERENCES webhook_deliveries (seq) ON DELETE CASCADE,
    attempt      integer NOT NULL,
    at           DATETIME NOT NULL,
    -- 0 when no response came (network error, timeout, refused address)
    status       integer NOT NULL DEFAULT 0,
    error        text NOT NULL DEFAULT '',
    latency_ms   integer NOT NULL DEFAULT 0,
    response     text NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_seq, id);

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
