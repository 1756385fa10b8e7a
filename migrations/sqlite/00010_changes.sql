-- The change log: one row per entity a committed write changed, in commit order. Readers
-- (delta sync, webhooks, search) page through it by position; see ARCHITECTURE.md for why a
-- position never appears behind one a reader has already seen.
-- A row carries what a tombstone needs: the slug per locale and the status before the change.

-- +goose Up
CREATE TABLE changes (
    -- AUTOINCREMENT: a position is never reused, even after the newest row is deleted
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('upsert', 'delete', 'unpublish', 'publish')),
    -- JSON array of the locales the change touched; [] for entities without locales
    locales     TEXT NOT NULL DEFAULT '[]',
    -- JSON object locale → slug, as the entity had them; a deleted one: its last slugs
    slugs       TEXT NOT NULL DEFAULT '{}',
    prev_status TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX changes_entity ON changes (entity_type, entity_id, position);

-- A scheduled publication, recorded as a publish change once it became visible: the primary
-- key lets exactly one instance claim it.
CREATE TABLE publish_claims (
    article_id   TEXT NOT NULL,
    published_at DATETIME NOT NULL,
    position     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, published_at)
);

-- +goose Down
DROP TABLE publish_claims;
DROP TABLE changes;
