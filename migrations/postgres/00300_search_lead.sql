-- Search speed (#14). The ranked query read the row of every match to rank it, though only
-- a match whose title or summary has a query word ranks above 0 and every such match ranks
-- above all others. This index holds the title's and summary's positions (weights A, B and
-- the title's words D), so store.SearchHits finds those few matches by intersecting two
-- index probes and reads only their rows; it reads every match only for a page past them.

-- +goose Up
CREATE INDEX IF NOT EXISTS search_docs_lead_tsv ON search_docs USING gin (ts_filter(tsv, '{a,b,d}'));

-- +goose Down
DROP INDEX IF EXISTS search_docs_lead_tsv;
