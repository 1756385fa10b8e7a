-- Webhooks: endpoints admins register, the outbox of deliveries (one row per event and
-- endpoint, inserted in the write's own transaction) and the log of every attempt. The
-- delivery id is the Standard Webhooks webhook-id, stable across retries and redeliveries.
-- River's own tables (the job queue that drives deliveries) come from rivermigrate.

-- +goose Up
CREATE TABLE webhook_endpoints (
    id              uuid PRIMARY KEY,
    url             text NOT NULL,
    description     text NOT NULL DEFAULT '',
    -- JSON arrays: the events subscribed to, and the locales filter (empty: every locale)
    events          text NOT NULL,
    locales         text NOT NULL DEFAULT '[]',
    secret          text NOT NULL,
    enabled         boolean NOT NULL DEFAULT true,
    disabled_reason text NOT NULL DEFAULT '',
    disabled_at     timestamptz,
    -- the first failure since the last success; a day of failures disables the endpoint
    failing_since   timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    seq              bigserial PRIMARY KEY,
    id               text NOT NULL,
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event            text NOT NULL,
    -- deliveries of one endpoint with one key go out in seq order (the events of one article)
    order_key        text NOT NULL,
    payload          text NOT NULL,
    state            text NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    last_status      integer NOT NULL DEFAULT 0,
    last_error       text NOT NULL DEFAULT '',
    next_attempt_at  timestamptz,
    first_attempt_at timestamptz,
    completed_at     timestamptz,
    created_at       timestamptz NOT NULL,
    CONSTRAINT webhook_deliveries_id UNIQUE (id)
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq DESC);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (endpoint_id, order_key, seq) WHERE state = 'pending';

CREATE TABLE webhook_attempts (
    id           bigserial PRIMARY KEY,
    delivery_seq bigint NOT NULL REFERENCES webhook_deliveries (seq) ON DELETE CASCADE,
    attempt      integer NOT NULL,
    at           timestamptz NOT NULL,
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
