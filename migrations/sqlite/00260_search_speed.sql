-- Search speed (#14). The ranked query joined every match with its article to learn whether
-- it is visible, its publication time and its category; a document now carries them: pub is
-- the article's published_at while the article is live (published or scheduled, not
-- deleted) and NULL otherwise, so "visible now" is pub <= now, and category_id is the
-- article's. store.IndexArticles writes them with the terms in every article write's
-- transaction (every change of status, time or category is such a write).
--
-- Typeahead (search/suggest) wants the newest few titles having a word that starts with
-- what was typed. Both full-text indexes answer "which titles match" (thousands for 2 or 3
-- letters) and every match had to be read and sorted by date; search_prefixes holds, per
-- live document, each distinct 2- and 3-letter start of its title's terms and words, so
-- the newest matches of a short prefix are the first entries of one B-tree range, read
-- newest first and stopped at the limit, on both databases.

-- +goose Up
ALTER TABLE search_docs ADD COLUMN pub DATETIME;
ALTER TABLE search_docs ADD COLUMN category_id TEXT;
UPDATE search_docs SET category_id = a.category_id,
    pub = CASE WHEN a.deleted_at IS NULL AND a.status IN ('published', 'scheduled') THEN a.published_at END
    FROM articles a WHERE a.id = search_docs.article_id;

CREATE TABLE search_prefixes (
    locale     TEXT NOT NULL,
    prefix     TEXT NOT NULL,
    pub        DATETIME NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (locale, prefix, pub, article_id)
) WITHOUT ROWID;
-- The words of each live title (its terms and its unstemmed words), split at spaces by a
-- recursive walk (a space is appended, so every word has one after it); substr and length
-- count characters, as PostgreSQL's left and char_length do.
INSERT OR IGNORE INTO search_prefixes (locale, prefix, pub, article_id)
    WITH RECURSIVE w (article_id, locale, pub, word, rest) AS (
        SELECT article_id, locale, pub, '', ltrim(title_terms || ' ' || title_words || ' ') FROM search_docs WHERE pub IS NOT NULL
        UNION ALL
        SELECT article_id, locale, pub, substr(rest, 1, instr(rest, ' ') - 1), ltrim(substr(rest, instr(rest, ' ')))
        FROM w WHERE rest <> ''
    )
    SELECT w.locale, substr(w.word, 1, n.n), w.pub, w.article_id
    FROM w CROSS JOIN (SELECT 2 AS n UNION ALL SELECT 3) AS n
    WHERE length(w.word) >= n.n;

-- IndexArticles replaces an article's keys by its id.
CREATE INDEX search_prefixes_article ON search_prefixes (article_id);

-- +goose Down
DROP TABLE search_prefixes;
ALTER TABLE search_docs DROP COLUMN category_id;
ALTER TABLE search_docs DROP COLUMN pub;
