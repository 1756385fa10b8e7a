-- Imports (issue 20): which article each external id of an archive became, so importing the
-- same file again updates instead of duplicating, with the source's byline (plain TEXT until
-- articles have author profiles); and the jobs of HTTP imports, in a table so any instance
-- can answer a poll and a job whose process died is seen as such.

-- +goose Up
CREATE TABLE article_imports (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL UNIQUE,
    byline      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE import_jobs (
    id           TEXT PRIMARY KEY,
    status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
    dry_run      BOOLEAN NOT NULL DEFAULT false,
    total        INTEGER NOT NULL DEFAULT 0,
    processed    INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    unchanged    INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    -- the failed and warned lines, as JSON: [{"line": 3, "external_id": "...", "errors": [...]}]
    report       TEXT NOT NULL DEFAULT '[]',
    error        TEXT NOT NULL DEFAULT '',
    created_by   TEXT,
    started_at   DATETIME NOT NULL,
    heartbeat_at DATETIME NOT NULL,
    finished_at  DATETIME
);

-- +goose Down
DROP TABLE import_jobs;
DROP TABLE article_imports;
