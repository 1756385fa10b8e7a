package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/search"
)

// Search (internal/search) on both databases: the index holds terms analysed in Go, so a
// query's match is the same set of translations on both (FTS5 MATCH on SQLite, a tsquery
// over a GIN-indexed tsvector on PostgreSQL, both built from analysed terms only), and
// the rank is one SQL expression over stored terms both evaluate alike: per query term, 4
// if the title has it, 2 if the summary has it; ties go to the newer article.

// searchDocRow is a translation's index document (the tsvector, PostgreSQL only, and the
// FTS5 row, SQLite only, are written beside it by raw SQL).
type searchDocRow struct {
	DocID        int64 `gorm:"primaryKey"`
	ArticleID    uuid.UUID
	Locale       string
	TitleTerms   string
	SummaryTerms string
	TitleWords   string
	// Pub is the article's published_at while it is live, NULL otherwise; CategoryID is its
	// category (migration 00260): the ranked query reads no article.
	Pub        *time.Time
	CategoryID *uuid.UUID
}

func (searchDocRow) TableName() string { return "search_docs" }

// docArticle is what a document copies from its article.
type docArticle struct {
	pub        *time.Time
	categoryID *uuid.UUID
}

// IndexArticles implements search.Store.
func (s *Content) IndexArticles(ctx context.Context, ids []uuid.UUID) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.conn(ctx)
		if s.db.dialect == "postgres" {
			// Two writes that index one article at once (an editor's publish and the scheduler's,
			// on two instances) each deleted its documents before the other's were committed,
			// then both inserted them: the second failed on the unique keys and its write
			// answered 500. Its row lock makes the second wait, then read and replace what the
			// first committed. In id order, so two writes lock their articles alike; NO KEY so
			// other tables' foreign keys to these rows are not held up. (SQLite has one writer.)
			if err := conn.Exec("SELECT id FROM articles WHERE id IN ? ORDER BY id FOR NO KEY UPDATE", ids).Error; err != nil {
				return err
			}
		}
		var trs []translationRow
		if err := conn.Table("article_translations").Select("article_id, locale, title, summary, body").
			Where("article_id IN ?", ids).Order("article_id, locale").Find(&trs).Error; err != nil {
			return err
		}
		var arts []articleRow
		if err := conn.Table("articles").Select("id, status, published_at, deleted_at, category_id").
			Where("id IN ?", ids).Find(&arts).Error; err != nil {
			return err
		}
		byID := make(map[uuid.UUID]docArticle, len(arts))
		for _, a := range arts {
			da := docArticle{categoryID: a.CategoryID}
			if a.DeletedAt == nil && (a.Status == string(content.Published) || a.Status == string(content.Scheduled)) {
				da.pub = utcPtr(a.PublishedAt)
			}
			byID[a.ID] = da
		}
		if err := s.deleteSearchDocs(conn, ids); err != nil {
			return err
		}
		return s.insertSearchDocs(conn, trs, byID)
	})
}

func (s *Content) deleteSearchDocs(conn *gorm.DB, ids []uuid.UUID) error {
	if err := conn.Exec("DELETE FROM search_prefixes WHERE article_id IN ?", ids).Error; err != nil {
		return err
	}
	// On SQLite a trigger takes the FTS5 rows with them.
	return conn.Where("article_id IN ?", ids).Delete(&searchDocRow{}).Error
}

// insertSearchDocs analyses and stores the documents of trs, with what each copies from its
// article (arts), and the typeahead's prefix keys of the live ones.
func (s *Content) insertSearchDocs(conn *gorm.DB, trs []translationRow, arts map[uuid.UUID]docArticle) error {
	const batch = 100
	for start := 0; start < len(trs); start += batch {
		part := trs[start:min(start+batch, len(trs))]
		var vals []string
		var args []any
		var ftsArgs [][]any
		var prefixArgs []any
		for _, t := range part {
			d := search.Analyze(t.Locale, t.Title, t.Summary, t.Body)
			art := arts[t.ArticleID]
			row := []any{t.ArticleID, t.Locale, search.Joined(d.Title), search.Joined(d.Summary), search.Joined(d.TitleWords), art.pub, art.categoryID}
			if art.pub != nil {
				for _, p := range d.TitlePrefixes() {
					prefixArgs = append(prefixArgs, t.Locale, p, *art.pub, t.ArticleID)
				}
			}
			if s.db.dialect == "postgres" {
				vals = append(vals, "(?, ?, ?, ?, ?, ?, ?, ?::tsvector)")
				args = append(args, append(row, d.TSVector())...)
			} else {
				args = append(args, row...)
				ftsArgs = append(ftsArgs, []any{strings.Join(d.Title, " "), strings.Join(d.Summary, " "),
					strings.Join(d.Body, " "), strings.Join(d.TitleWords, " ")})
			}
		}
		if s.db.dialect == "postgres" {
			if err := conn.Exec("INSERT INTO search_docs (article_id, locale, title_terms, summary_terms, title_words, pub, category_id, tsv) VALUES "+
				strings.Join(vals, ", "), args...).Error; err != nil {
				return err
			}
		} else if err := insertFTS(conn, part, args, ftsArgs); err != nil {
			return err
		}
		if err := insertPrefixes(conn, prefixArgs); err != nil {
			return err
		}
	}
	return nil
}

// insertPrefixes stores typeahead's prefix keys, four arguments each (migration 00260), in
// statements of at most 2,000 rows (bound parameters are limited on both databases).
func insertPrefixes(conn *gorm.DB, args []any) error {
	const rows = 2000
	for start := 0; start < len(args); start += 4 * rows {
		part := args[start:min(start+4*rows, len(args))]
		if err := conn.Exec("INSERT INTO search_prefixes (locale, prefix, pub, article_id) VALUES "+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(part)/4), ", "), part...).Error; err != nil {
			return err
		}
	}
	return nil
}

// insertFTS stores SQLite's documents of trs (docArgs: seven per document) and their FTS5
// rows in three statements (search_fts and the titles-only search_titles): the FTS5 rowid is the document's doc_id, which RETURNING gives
// with its (article, locale), in whatever order.
func insertFTS(conn *gorm.DB, trs []translationRow, docArgs []any, ftsArgs [][]any) error {
	type key struct {
		id     uuid.UUID
		locale string
	}
	var returned []struct {
		DocID     int64
		ArticleID uuid.UUID
		Locale    string
	}
	if err := conn.Raw("INSERT INTO search_docs (article_id, locale, title_terms, summary_terms, title_words, pub, category_id) VALUES "+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(trs)), ", ")+" RETURNING doc_id, article_id, locale",
		docArgs...).Scan(&returned).Error; err != nil {
		return err
	}
	ids := make(map[key]int64, len(returned))
	for _, r := range returned {
		ids[key{r.ArticleID, r.Locale}] = r.DocID
	}
	args := make([]any, 0, 5*len(trs))
	titleArgs := make([]any, 0, 3*len(trs))
	for i, t := range trs {
		id, ok := ids[key{t.ArticleID, t.Locale}]
		if !ok {
			return fmt.Errorf("search index: no document returned for %s/%s", t.ArticleID, t.Locale)
		}
		a := ftsArgs[i]
		args = append(args, id, a[0], a[1], a[2], a[3])
		titleArgs = append(titleArgs, id, a[0], a[3])
	}
	if err := conn.Exec("INSERT INTO search_fts (rowid, title_terms, summary_terms, body_terms, title_words) VALUES "+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", len(trs)), ", "), args...).Error; err != nil {
		return err
	}
	// The typeahead's titles-only index (migration 00220).
	return conn.Exec("INSERT INTO search_titles (rowid, title_terms, title_words) VALUES "+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(trs)), ", "), titleArgs...).Error
}

// EnsureSearchIndex implements search.Store, in the manner of EnsureTitleKeys: a version
// mismatch (or rebuild) empties the index and records the version first, so an interrupted
// fill resumes; then every article with a translation lacking its document is indexed.
func (s *Content) EnsureSearchIndex(ctx context.Context, rebuild bool, progress func(done int)) (int, error) {
	conn := s.db.conn(ctx)
	var stored []string
	if err := conn.Table("search_state").Where("id = 1").Pluck("version", &stored).Error; err != nil {
		return 0, err
	}
	if rebuild || len(stored) == 0 || stored[0] != search.Version {
		err := s.InTx(ctx, func(ctx context.Context) error {
			c := s.db.conn(ctx)
			if s.db.dialect == "postgres" {
				if err := c.Exec("TRUNCATE search_docs, search_prefixes").Error; err != nil {
					return err
				}
			} else {
				if err := c.Exec("DELETE FROM search_prefixes").Error; err != nil {
					return err
				}
				if err := c.Exec("DELETE FROM search_docs").Error; err != nil {
					return err
				}
				if err := c.Exec("DELETE FROM search_fts").Error; err != nil {
					return err
				}
				if err := c.Exec("DELETE FROM search_titles").Error; err != nil {
					return err
				}
			}
			return c.Table("search_state").Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}},
				DoUpdates: clause.AssignmentColumns([]string{"version"})}).
				Create(map[string]any{"id": 1, "version": search.Version}).Error
		})
		if err != nil {
			return 0, err
		}
	}
	var trCount, docCount int64
	if err := conn.Table("article_translations").Count(&trCount).Error; err != nil {
		return 0, err
	}
	if err := conn.Table("search_docs").Count(&docCount).Error; err != nil {
		return 0, err
	}
	// A large fill on PostgreSQL inserts without the GIN index and builds it once after:
	// maintaining it row by row made a 300,000-translation fill several times slower. The
	// index is made again (IF NOT EXISTS) at the end of every run, so an interrupted fill
	// leaves it missing only until the next start.
	if s.db.dialect == "postgres" && trCount-docCount > 20_000 {
		for _, ix := range []string{"search_docs_tsv", "search_docs_title_tsv", "search_docs_lead_tsv"} {
			if err := conn.Exec("DROP INDEX IF EXISTS " + ix).Error; err != nil {
				return 0, err
			}
		}
	}
	done := 0
	var after uuid.UUID
	for trCount != docCount {
		var page []uuid.UUID
		if err := conn.Table("articles").Where("id > ?", after).Order("id").Limit(500).Pluck("id", &page).Error; err != nil {
			return done, err
		}
		if len(page) == 0 {
			break
		}
		after = page[len(page)-1]
		type pair struct {
			ArticleID uuid.UUID
			N         int64
		}
		var trs, docs []pair
		if err := conn.Table("article_translations").Select("article_id, COUNT(*) AS n").Where("article_id IN ?", page).
			Group("article_id").Find(&trs).Error; err != nil {
			return done, err
		}
		if err := conn.Table("search_docs").Select("article_id, COUNT(*) AS n").Where("article_id IN ?", page).
			Group("article_id").Find(&docs).Error; err != nil {
			return done, err
		}
		have := map[uuid.UUID]int64{}
		for _, d := range docs {
			have[d.ArticleID] = d.N
		}
		var ids []uuid.UUID
		for _, t := range trs {
			if have[t.ArticleID] != t.N {
				ids = append(ids, t.ArticleID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		if err := s.IndexArticles(ctx, ids); err != nil {
			return done, err
		}
		done += len(ids)
		if progress != nil {
			progress(done)
		}
	}
	if s.db.dialect == "postgres" {
		if err := conn.Exec("CREATE INDEX IF NOT EXISTS search_docs_tsv ON search_docs USING gin (tsv)").Error; err != nil {
			return done, err
		}
		// The titles' index of typeahead (migration 00220).
		if err := conn.Exec("CREATE INDEX IF NOT EXISTS search_docs_title_tsv ON search_docs USING gin (" + titleTSV("") + ")").Error; err != nil {
			return done, err
		}
		// The titles' and summaries' index of ranking (migration 00300).
		if err := conn.Exec("CREATE INDEX IF NOT EXISTS search_docs_lead_tsv ON search_docs USING gin (ts_filter(tsv, '{a,b,d}'))").Error; err != nil {
			return done, err
		}
		if done > 0 { // fresh rows need statistics before the first search
			if err := s.vacuumSearchDocs(ctx, true); err != nil {
				return done, err
			}
		}
	}
	return done, nil
}

// TidySearchIndex implements search.Store: on PostgreSQL, vacuums search_docs when dead row
// versions or an unmarked visibility map slow its probes. The server runs it in the
// background once serving: run before ready, instances rolling out together queued on it.
func (s *Content) TidySearchIndex(ctx context.Context) error {
	if s.db.dialect != "postgres" {
		return nil
	}
	return s.vacuumSearchDocs(ctx, false)
}

// vacuumSearchDocs runs VACUUM (ANALYZE) on search_docs (PostgreSQL) after a fill, or when
// a tenth of its rows are dead versions or under nine tenths of its pages are marked
// all-visible: a migration that rewrote its rows (as 00260 did) leaves dead versions that
// every index probe visits, and planner statistics that predate the change, until
// autovacuum comes round.
func (s *Content) vacuumSearchDocs(ctx context.Context, filled bool) error {
	if !filled {
		var st struct{ Pages, Visible, Live, Dead int64 }
		if err := s.db.conn(ctx).Raw("SELECT c.relpages AS pages, c.relallvisible AS visible, " +
			"COALESCE(t.n_live_tup, 0) AS live, COALESCE(t.n_dead_tup, 0) AS dead FROM pg_class c " +
			"LEFT JOIN pg_stat_user_tables t ON t.relid = c.oid WHERE c.oid = 'search_docs'::regclass").
			Scan(&st).Error; err != nil {
			return err
		}
		if st.Dead*10 <= st.Live && st.Visible*10 >= st.Pages*9 {
			return nil
		}
	}
	return s.db.gorm.WithContext(ctx).Exec("VACUUM (ANALYZE) search_docs").Error
}

// whereText keeps the articles (alias a) a translation of which matches the full-text
// query q, analysed for each configured locale. q was checked by the caller; one that
// does not parse, or holds only stop words, matches nothing.
func (s *Content) whereText(db *gorm.DB, q string) *gorm.DB {
	parsed, err := search.Parse(q, false)
	var ms []search.Match
	if err == nil {
		for _, l := range s.locales.Codes() {
			if m := parsed.For(l); !m.Empty() {
				ms = append(ms, m)
			}
		}
	}
	if len(ms) == 0 {
		return db.Where("1 = 0")
	}
	// One SELECT per locale group (matchCond): a latest-20 list with a two-word q at 100,000
	// articles took 115 ms with the groups OR'ed, 67 ms so.
	var parts []string
	var args []any
	for _, g := range groupMatches(ms) {
		cond, cargs := s.matchCond("sd", g, false)
		parts = append(parts, "SELECT sd.article_id FROM search_docs sd WHERE "+cond)
		args = append(args, cargs...)
	}
	return db.Where("a.id IN ("+strings.Join(parts, " UNION ALL ")+")", args...)
}

// searchBase selects the documents matching g (one locale group) visible now under r's
// filters (alias d): a document carries its article's visibility, time and category
// (migration 00260), so no article is read per match.
func (s *Content) searchBase(ctx context.Context, g []search.Match, r search.Request) *gorm.DB {
	db := s.db.conn(ctx).Table("search_docs AS d").Where("d.pub <= ?", r.Now.UTC())
	if r.Category != "" {
		if id, err := uuid.Parse(r.Category); err == nil {
			db = db.Where("d.category_id = ?", id)
		} else {
			db = db.Where("d.category_id IN (SELECT category_id FROM category_translations WHERE slug = ?)", r.Category)
		}
	}
	if len(r.Tags) > 0 {
		db = db.Where(tagsCond("d.article_id", r.Tags))
	}
	if r.From != nil {
		db = db.Where("d.pub >= ?", r.From.UTC())
	}
	if r.To != nil {
		db = db.Where("d.pub < ?", r.To.UTC())
	}
	cond, args := s.matchCond("d", g, r.TitleOnly)
	return db.Where(cond, args...)
}

// groupMatches groups ms by Key, in first-seen order: locales whose analysed query is the
// same share one index probe.
func groupMatches(ms []search.Match) [][]search.Match {
	var keys []string
	byKey := map[string][]search.Match{}
	for _, m := range ms {
		k := m.Key()
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], m)
	}
	out := make([][]search.Match, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out
}

// matchCond is the SQL condition that a document (alias d) matches g, a group of locales
// searched alike (groupMatches), in one index probe. It takes one group only: the groups'
// conditions OR'ed made PostgreSQL test every candidate against all of them again,
// decompressing its tsvector, so callers join one SELECT per group with UNION ALL.
func (s *Content) matchCond(d string, g []search.Match, titleOnly bool) (string, []any) {
	locs := make([]string, len(g))
	for i, m := range g {
		locs[i] = m.Locale
	}
	switch {
	case s.db.dialect == "postgres" && titleOnly:
		// The titles' own index: the same match as tsv @@ TSQuery(true), without reading
		// each candidate's whole tsvector to check weights.
		return "(" + d + ".locale IN ? AND " + titleTSV(d+".") + " @@ CAST(? AS tsquery))", []any{locs, g[0].TSQuery(false)}
	case s.db.dialect == "postgres":
		return "(" + d + ".locale IN ? AND " + d + ".tsv @@ CAST(? AS tsquery))", []any{locs, g[0].TSQuery(false)}
	case titleOnly:
		// search_titles holds the title columns alone: FTS5(true) without the filter.
		return "(" + d + ".locale IN ? AND " + d + ".doc_id IN (SELECT rowid FROM search_titles WHERE search_titles MATCH ?))", []any{locs, g[0].FTS5(false)}
	default:
		return "(" + d + ".locale IN ? AND " + d + ".doc_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?))", []any{locs, g[0].FTS5(false)}
	}
}

// titleTSV is the indexed expression (migration 00220) of the title's positions of the
// tsvector of a document (prefix: its alias and a dot): title terms A, title words D.
func titleTSV(prefix string) string { return "ts_filter(" + prefix + "tsv, '{a,d}')" }

// scoreExpr is the rank of a document (alias d) for ms: per term, 4 when its title has it
// (for a prefix, also among the unstemmed title words), 2 when its summary has it.
func (s *Content) scoreExpr(ms []search.Match) (string, []any) {
	instr := "instr"
	if s.db.dialect == "postgres" {
		instr = "strpos"
	}
	var b strings.Builder
	var args []any
	b.WriteString("(CASE")
	for _, m := range ms {
		b.WriteString(" WHEN d.locale = ? THEN 0")
		args = append(args, m.Locale)
		for i, n := range m.Needles() {
			b.WriteString(" + CASE WHEN " + instr + "(d.title_terms, ?) > 0")
			args = append(args, n)
			if m.Terms[i].Prefix && len(m.Terms[i].Terms) == 1 {
				b.WriteString(" OR " + instr + "(d.title_words, ?) > 0")
				args = append(args, n)
			}
			b.WriteString(" THEN 4 ELSE 0 END + CASE WHEN " + instr + "(d.summary_terms, ?) > 0 THEN 2 ELSE 0 END")
			args = append(args, n)
		}
	}
	b.WriteString(" ELSE 0 END)")
	return b.String(), args
}

// indexedPrefixes returns the prefix of each of ms when r is typeahead for a short prefix
// in every locale searched, without filters, cursor or facets: what prefixHits answers.
func indexedPrefixes(ms []search.Match, r search.Request) ([]string, bool) {
	if !r.TitleOnly || r.Facets || r.After != nil || r.Category != "" || len(r.Tags) > 0 || r.From != nil || r.To != nil {
		return nil, false
	}
	ps := make([]string, len(ms))
	for i, m := range ms {
		p, ok := m.IndexedPrefix()
		if !ok {
			return nil, false
		}
		ps[i] = p
	}
	return ps, true
}

// SearchHits implements search.Store. Its main statement (rankedHits) ranks the matches
// once (a materialized CTE) and gives the page of documents with their translations and,
// on a first page, the facet counts. On PostgreSQL a first page reads at most
// search.FacetExactHits+1 matches per index probe: with no more, that one statement is the
// whole answer, exact; with more, its facets are an estimate from those samples (see
// scanHits) and the page comes from leadHits when it holds only hits ranked above 0, else
// from all the matches. Later pages on PostgreSQL try leadHits first.
func (s *Content) SearchHits(ctx context.Context, ms []search.Match, r search.Request) ([]search.StoredHit, *search.Facets, error) {
	if ps, ok := indexedPrefixes(ms, r); ok {
		hits, err := s.prefixHits(ctx, ms, ps, r)
		return hits, nil, err
	}
	if s.db.dialect != "postgres" || r.TitleOnly {
		return s.rankedHits(ctx, ms, r, 0)
	}
	var f *search.Facets
	if r.Facets {
		hits, facets, err := s.rankedHits(ctx, ms, r, search.FacetExactHits+1)
		if err != nil || !facets.Estimated {
			return hits, facets, err
		}
		f, r.Facets = facets, false
	}
	hits, ok, err := s.leadHits(ctx, ms, r)
	if err != nil || ok {
		return hits, f, err
	}
	hits, _, err = s.rankedHits(ctx, ms, r, 0)
	return hits, f, err
}

// rankedHits is the page of r from its matches ranked once and, when r.Facets, their
// counts (rows of kind 1). sample > 0 (PostgreSQL) reads at most sample matches per index
// probe, in the table's order, with the block each was found in: when a probe finds
// sample, the page is left out (a sample's page is not the page) and scanHits estimates
// the facets from the samples (rows of kinds 2 and 3).
func (s *Content) rankedHits(ctx context.Context, ms []search.Match, r search.Request, sample int) ([]search.StoredHit, *search.Facets, error) {
	score, scoreArgs := s.scoreExpr(ms)
	if r.TitleOnly {
		// Typeahead matches titles only, so every hit scores alike: the newest come first, and
		// a constant lets the planner walk the publication order instead of ranking every match.
		score, scoreArgs = "0", nil
	}
	blk := "0"
	if sample > 0 {
		blk = "(d.ctid::text::point)[0]"
	}
	var parts []string
	var args []any
	for i, g := range groupMatches(ms) {
		q := s.searchBase(ctx, g, r).Select("d.article_id, d.locale, d.pub AS published_at, d.category_id, "+score+" AS score, "+blk+" AS blk", scoreArgs...)
		if sample > 0 {
			q = q.Limit(sample)
		}
		parts = append(parts, "SELECT "+strconv.Itoa(i)+" AS g, b.* FROM (?) b")
		args = append(args, q)
	}
	full := "WITH m AS MATERIALIZED (" + strings.Join(parts, " UNION ALL ") + ")"
	where := ""
	if sample > 0 {
		full += ", past AS (SELECT 1 FROM m GROUP BY m.g HAVING COUNT(*) >= " + strconv.Itoa(sample) + ")"
		where = "NOT EXISTS (SELECT 1 FROM past)"
	}
	page, pageArgs := pageOf(r, "m x", where)
	full += " " + hitsOf(r, page)
	args = append(args, pageArgs...)
	if r.Facets {
		full += " UNION ALL SELECT 1, NULL, f.locale, NULL, f.category_id, f.g, NULL, NULL, NULL, NULL, COUNT(*) FROM m f GROUP BY f.g, f.category_id, f.locale"
		if sample > 0 {
			full += " UNION ALL SELECT 2, NULL, '', NULL, NULL, f.g, NULL, NULL, NULL, NULL, CAST(MAX(f.blk) AS bigint) FROM m f GROUP BY f.g" +
				" UNION ALL SELECT 3, NULL, '', NULL, NULL, 0, NULL, NULL, NULL, NULL, pg_relation_size('search_docs') / current_setting('block_size')::int"
		}
	}
	full += " ORDER BY 1, 6 DESC, 4 DESC, 2 DESC, 3 ASC"
	return s.scanHits(ctx, r, full, args)
}

// pageOf selects from ranked matches (from: a relation and its alias x) the r.Limit+1 after
// r.After in rank order; where is a further condition on x ("" for none).
func pageOf(r search.Request, from, where string) (string, []any) {
	page := "SELECT x.article_id, x.locale, x.published_at, x.category_id, x.score FROM " + from
	var conds []string
	var args []any
	if where != "" {
		conds = append(conds, where)
	}
	if c := r.After; c != nil {
		conds = append(conds, "(x.score < ? OR (x.score = ? AND (x.published_at < ? OR (x.published_at = ? AND "+
			"(x.article_id < ? OR (x.article_id = ? AND x.locale > ?))))))")
		at := c.PublishedAt.UTC()
		args = append(args, c.Score, c.Score, at, at, c.ArticleID, c.ArticleID, c.Locale)
	}
	if len(conds) > 0 {
		page += " WHERE " + strings.Join(conds, " AND ")
	}
	page += " ORDER BY x.score DESC, x.published_at DESC, x.article_id DESC, x.locale ASC LIMIT ?"
	return page, append(args, r.Limit+1)
}

// hitsOf joins a page of ranked matches with their translations (rows of kind 0).
func hitsOf(r search.Request, page string) string {
	return "SELECT 0 AS kind, p.article_id, p.locale, p.published_at, p.category_id, p.score, t.slug, t.title, " + textCols(r) + ", 0 AS n FROM (" +
		page + ") p JOIN article_translations t ON t.article_id = p.article_id AND t.locale = p.locale"
}

// leadTSV is the indexed expression (migration 00300) of the title's and summary's
// positions of a document's tsvector (alias d).
const leadTSV = "ts_filter(d.tsv, '{a,b,d}')"

// leadHits is r's page on PostgreSQL when it holds only hits ranked above 0 (ok false
// otherwise). Such a hit has a query word in its title or summary, so it is among the
// matches of the title and summary index (migration 00300): the two index probes are
// intersected and only those rows are read and ranked, not every match's. Every hit
// ranked above 0 ranks before every other, so a full page of them is the exact page.
func (s *Content) leadHits(ctx context.Context, ms []search.Match, r search.Request) ([]search.StoredHit, bool, error) {
	if r.After != nil && r.After.Score <= 0 {
		return nil, false, nil
	}
	score, scoreArgs := s.scoreExpr(ms)
	var parts []string
	var args []any
	for _, g := range groupMatches(ms) {
		parts = append(parts, "?")
		args = append(args, s.searchBase(ctx, g, r).Where(leadTSV+" @@ CAST(? AS tsquery)", g[0].LeadTSQuery()).
			Select("d.article_id, d.locale, d.pub AS published_at, d.category_id, "+score+" AS score", scoreArgs...))
	}
	page, pageArgs := pageOf(r, "("+strings.Join(parts, " UNION ALL ")+") x", "x.score > 0")
	full := hitsOf(r, page) + " ORDER BY 6 DESC, 4 DESC, 2 DESC, 3 ASC"
	hits, _, err := s.scanHits(ctx, search.Request{Limit: r.Limit}, full, append(args, pageArgs...))
	if err != nil || len(hits) <= r.Limit {
		return nil, false, err
	}
	return hits, true, nil
}

// textCols are the translation's summary and body of a hit (t), which snippets are made
// from; typeahead shows titles only and reads neither.
func textCols(r search.Request) string {
	if r.TitleOnly {
		return "'' AS summary, '' AS body"
	}
	return "t.summary, t.body"
}

// prefixHits is typeahead for a short prefix (search.Match.IndexedPrefix; ps[i] is ms[i]'s):
// per locale the newest live titles with a word that starts with it, read newest first
// from search_prefixes' primary key and stopped at the limit, then merged in rank order
// (all score 0: newest, then article id descending, then locale). The hits carry no
// category: typeahead shows none, and reading each hit's article for it was a fifth of
// the statement (pgbench, 100,000 articles).
func (s *Content) prefixHits(ctx context.Context, ms []search.Match, ps []string, r search.Request) ([]search.StoredHit, error) {
	var branches []string
	var args []any
	now := r.Now.UTC()
	for i, m := range ms {
		branches = append(branches, "SELECT * FROM (SELECT sp.article_id, sp.locale, sp.pub FROM search_prefixes sp "+
			"WHERE sp.locale = ? AND sp.prefix = ? AND sp.pub <= ? ORDER BY sp.pub DESC, sp.article_id DESC LIMIT ?) b")
		args = append(args, m.Locale, ps[i], now, r.Limit+1)
	}
	full := "SELECT 0 AS kind, p.article_id, p.locale, p.pub, NULL AS category_id, 0 AS score, t.slug, t.title, '' AS summary, '' AS body, 0 AS n FROM (" +
		strings.Join(branches, " UNION ALL ") + ") p JOIN article_translations t ON t.article_id = p.article_id AND t.locale = p.locale " +
		"ORDER BY p.pub DESC, p.article_id DESC, p.locale ASC LIMIT ?"
	args = append(args, r.Limit+1)
	hits, _, err := s.scanHits(ctx, r, full, args)
	return hits, err
}

// scanHits runs a search statement whose rows are hits (kind 0) and, when r.Facets, facet
// counts per index probe, category and locale (kind 1: the probe in the score column). A
// sampling statement (rankedHits) adds each probe's last block read (kind 2) and the
// table's size in blocks (kind 3): a probe that read more than search.FacetExactHits
// matches stopped early, and as a bitmap scan reads blocks in order, its counts are scaled
// by the share of the table it read, and the facets marked Estimated.
func (s *Content) scanHits(ctx context.Context, r search.Request, full string, args []any) ([]search.StoredHit, *search.Facets, error) {
	// Scanned by hand: GORM's reflective Scan was a fifth of a search's CPU in Herald.
	rows, err := s.db.conn(ctx).Raw(full, args...).Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := make([]search.StoredHit, 0, r.Limit+1)
	type count struct {
		probe      int
		categoryID uuid.UUID
		locale     string
		n          int64
	}
	var counts []count
	perProbe, lastBlock := map[int]int64{}, map[int]int64{}
	var blocks int64
	for rows.Next() {
		var (
			kind                       int
			articleID, categoryID      uuid.NullUUID
			locale                     string
			publishedAt                *time.Time
			score                      int
			slug, title, summary, body sql.NullString
			n                          int64
		)
		if err := rows.Scan(&kind, &articleID, &locale, &publishedAt, &categoryID, &score, &slug, &title, &summary, &body, &n); err != nil {
			return nil, nil, err
		}
		switch kind {
		case 1:
			counts = append(counts, count{probe: score, categoryID: categoryID.UUID, locale: locale, n: n}) // uuid.Nil: none
			perProbe[score] += n
			continue
		case 2:
			lastBlock[score] = n
			continue
		case 3:
			blocks = n
			continue
		}
		h := search.StoredHit{ArticleID: articleID.UUID, Locale: locale, Score: score, Slug: slug.String, Title: title.String,
			Summary: summary.String, Body: body.String}
		if publishedAt != nil {
			h.PublishedAt = publishedAt.UTC()
		}
		if categoryID.Valid {
			id := categoryID.UUID
			h.CategoryID = &id
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if !r.Facets {
		return out, nil, nil
	}
	f := &search.Facets{Categories: map[uuid.UUID]int64{}, Locales: map[string]int64{}}
	for _, c := range counts {
		n := c.n
		if blocks > 0 && perProbe[c.probe] > search.FacetExactHits {
			f.Estimated = true
			n = int64(float64(n)*max(1, float64(blocks)/float64(lastBlock[c.probe]+1)) + 0.5)
		}
		f.Categories[c.categoryID] += n
		f.Locales[c.locale] += n
		f.Total += n
	}
	return out, f, nil
}
