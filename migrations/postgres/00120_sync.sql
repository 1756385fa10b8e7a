-- Delta sync (internal/sync). A change row says whether its entity was visible to the public
-- just before the write, so a sync sends a tombstone only for what a client may have been
-- shown (a deleted draft leaks nothing). sync_install holds this database's random id, which
-- sync tokens carry: a token minted against another database is refused, not misread.
-- pruned_through is the highest position the retention job deleted; a token behind it is
-- too old to continue (410).

-- +goose Up
ALTER TABLE changes ADD COLUMN prev_visible boolean NOT NULL DEFAULT false;
UPDATE changes SET prev_visible = true WHERE prev_status IN ('published', 'scheduled');
CREATE INDEX changes_created ON changes (created_at);

CREATE TABLE sync_install (
    id             integer PRIMARY KEY CHECK (id = 1),
    install_id     text NOT NULL,
    pruned_through bigint NOT NULL DEFAULT 0
);
INSERT INTO sync_install (id, install_id) VALUES (1, replace(gen_random_uuid()::text, '-', ''));

-- +goose Down
DROP TABLE sync_install;
DROP INDEX changes_created;
ALTER TABLE changes DROP COLUMN prev_visible;
