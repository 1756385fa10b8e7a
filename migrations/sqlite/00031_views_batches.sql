-- Read-count batches already added: a batch the counter spooled to disk while the database
-- was away is replayed after a crash or an outage, and its id makes the replay idempotent
-- (a batch whose commit reached the database before the connection broke is not added twice).

-- +goose Up
CREATE TABLE views_batches (
    id         TEXT PRIMARY KEY,
    applied_at DATETIME NOT NULL
);
CREATE INDEX views_batches_applied ON views_batches (applied_at);

-- +goose Down
DROP TABLE views_batches;
