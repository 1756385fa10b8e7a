-- Typeahead (#14) matches titles only. Asking search_fts with a column filter still reads
-- every document's occurrences of the prefix's words, bodies included; this FTS5 table holds
-- only the title columns (the same terms, rowid = search_docs.doc_id) with prefix indexes
-- for the 2- and 3-letter prefixes typeahead starts with. It is filled from the stored
-- terms, so no text is analysed again.

-- +goose Up
CREATE VIRTUAL TABLE search_titles USING fts5(title_terms, title_words,
    content='', contentless_delete=1, tokenize='ascii', prefix='2 3');
INSERT INTO search_titles (rowid, title_terms, title_words)
    SELECT doc_id, trim(title_terms), trim(title_words) FROM search_docs;
-- +goose StatementBegin
CREATE TRIGGER search_docs_delete_titles AFTER DELETE ON search_docs BEGIN
    DELETE FROM search_titles WHERE rowid = old.doc_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER search_docs_delete_titles;
DROP TABLE search_titles;
