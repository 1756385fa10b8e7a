-- Imports (issue 20): which article each external id of an archive became, so importing the
-- same file again updates instead of duplicating, with the source's byline (plain text until
-- articles have author profiles); and the jobs of HTTP imports, in a table so any instance
-- can answer a poll and a job whose process died is seen as such.

-- +goose Up
CREATE TABLE article_imports (
    article_id  uuid PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    external_id text NOT NULL UNIQUE,
    byline      text NOT NULL DEFAULT ''
);

CREATE TABLE import_jobs (
    id           uuid PRIMARY KEY,
    status       text NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
    dry_run      boolean NOT NULL DEFAULT false,
    total        integer NOT NULL DEFAULT 0,
    processed    integer NOT NULL DEFAULT 0,
    created      integer NOT NULL DEFAULT 0,
    updated      integer NOT NULL DEFAULT 0,
    unchanged    integer NOT NULL DEFAULT 0,
    failed       integer NOT NULL DEFAULT 0,
    -- the failed and warned lines, as JSON: [{"line": 3, "external_id": "...", "errors": [...]}]
    report       text NOT NULL DEFAULT '[]',
    error        text NOT NULL DEFAULT '',
    created_by   uuid,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL,
    finished_at  timestamptz
);

-- +goose Down
DROP TABLE import_jobs;
DROP TABLE article_imports;
