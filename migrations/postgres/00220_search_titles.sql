-- Typeahead (#14) matches titles only. Asking the whole-document GIN index for title
-- weights (tsv @@ 'x':*AD) makes PostgreSQL recheck every candidate by reading its whole
-- tsvector (body included, out of line), so the planner preferred walking articles by
-- publication date and testing each: 0.8 s for a 3-letter prefix at 10,000 articles. This
-- index holds only the title's positions (weights A and D), so the same question needs no
-- recheck: the query is ts_filter(tsv, '{a,d}') @@ 'x':* (see store.matchCond).

-- +goose Up
CREATE INDEX IF NOT EXISTS search_docs_title_tsv ON search_docs USING gin (ts_filter(tsv, '{a,d}'));

-- +goose Down
DROP INDEX IF EXISTS search_docs_title_tsv;
