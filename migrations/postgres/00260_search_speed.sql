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
ALTER TABLE search_docs ADD COLUMN pub timestamptz;
ALTER TABLE search_docs ADD COLUMN category_id uuid;
UPDATE search_docs d SET category_id = a.category_id,
    pub = CASE WHEN a.deleted_at IS NULL AND a.status IN ('published', 'scheduled') THEN a.published_at END
    FROM articles a WHERE a.id = d.article_id;

CREATE TABLE search_prefixes (
    locale     text NOT NULL,
    prefix     text NOT NULL,
    pub        timestamptz NOT NULL,
    article_id uuid NOT NULL,
    PRIMARY KEY (locale, prefix, pub, article_id)
);
INSERT INTO search_prefixes (locale, prefix, pub, article_id)
    SELECT DISTINCT d.locale, left(w.word, n.n), d.pub, d.article_id
    FROM search_docs d
    CROSS JOIN LATERAL regexp_split_to_table(trim(d.title_terms || d.title_words), ' +') AS w(word)
    CROSS JOIN (VALUES (2), (3)) AS n(n)
    WHERE d.pub IS NOT NULL AND char_length(w.word) >= n.n;
-- IndexArticles replaces an article's keys by its id.
CREATE INDEX search_prefixes_article ON search_prefixes (article_id);
ANALYZE search_prefixes;

-- +goose Down
DROP TABLE search_prefixes;
ALTER TABLE search_docs DROP COLUMN category_id;
ALTER TABLE search_docs DROP COLUMN pub;
