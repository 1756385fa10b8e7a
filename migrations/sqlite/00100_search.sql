-- Full-text search (internal/search). Text is analysed in Go (folding, stemming, stop
-- words per locale) and stored as terms, so SQLite and PostgreSQL index the same ones:
-- here a contentless FTS5 table (rowid = search_docs.doc_id) whose ascii tokenizer only
-- splits the stored terms at spaces; on PostgreSQL a tsvector. title_terms, summary_terms
-- and title_words are the same terms as text, from which both databases compute the same
-- rank. The server fills the index at start (search_state holds the analysis version it
-- was made with) and keeps it current in every write's transaction.

-- +goose Up
CREATE TABLE search_docs (
    doc_id        INTEGER PRIMARY KEY,
    article_id    TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    locale        TEXT NOT NULL,
    title_terms   TEXT NOT NULL,
    summary_terms TEXT NOT NULL,
    title_words   TEXT NOT NULL,
    UNIQUE (article_id, locale)
);
CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, summary_terms, body_terms, title_words,
    content='', contentless_delete=1, tokenize='ascii');
-- A document leaves the index with its row, also when its article is deleted.
-- +goose StatementBegin
CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN
    DELETE FROM search_fts WHERE rowid = old.doc_id;
END;
-- +goose StatementEnd

CREATE TABLE search_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL
);

-- +goose Down
DROP TABLE search_state;
DROP TRIGGER search_docs_delete;
DROP TABLE search_fts;
DROP TABLE search_docs;
