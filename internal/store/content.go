package store

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/locale"
)

// Content implements content.Store.
type Content struct {
	db      *DB
	locales *locale.Set // the chains title keys follow
	// fewTags is how many live articles the tags of a tag filter may have together for a
	// list to read them from the tags rather than walk its sort's index (ListVisibleArticles).
	fewTags int
}

// NewContent returns the content repository over db.
func NewContent(db *DB, opts ...ContentOption) *Content {
	s := &Content{db: db, fewTags: fewTagsArticles}
	for _, o := range opts {
		o(s)
	}
	if s.locales == nil {
		s.locales = defaultLocales()
	}
	return s
}

var _ content.Store = (*Content)(nil)

// InTx implements content.Store.
func (s *Content) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.InTx(ctx, fn)
}

var liveStatuses = []string{string(content.Published), string(content.Scheduled)}

// liveStatusIn is liveStatuses as SQL literals. Inlined rather than bound so both planners
// can prove the partial indexes' predicate (a bound IN list hides it, and a list of 20 then
// scans and sorts the whole table).
const liveStatusIn = "('published', 'scheduled')"

// visible is the public visibility rule of content.Article.Visible in SQL.
func visible(q *gorm.DB, now time.Time) *gorm.DB {
	return q.Where("a.deleted_at IS NULL AND a.status IN "+liveStatusIn+" AND "+publishedBy(q.Dialector.Name(), "a.published_at"), now.UTC())
}

// publishedBy is the condition that col is at or before a read's visibility time (its one
// placeholder). On SQLite it carries the hint that nearly every live article passes it:
// without value samples (sqliteStats) the planner took a bound upper bound for a selective
// range and sorted by title through the publication index, every live article in a
// temporary B-tree, instead of walking the title keys in order.
func publishedBy(dialect, col string) string {
	if dialect == "postgres" {
		return col + " <= " + nowParam(dialect)
	}
	return "likelihood(" + col + " <= ?, 0.99)"
}

// nowParam is the placeholder of a read's visibility time. On PostgreSQL it is an InitPlan,
// whose value neither a custom nor a generic plan can see: a custom plan that saw the time
// (later than every row) costed the page walk three times cheaper than the generic plan,
// which assumes a third of the rows, so the plan cache never chose the generic plan and
// planned the statement again on every call. Hidden from both, the costs agree and the
// generic plan is reused (pgbench, latest-20 list at 100,000 articles: 2,670 -> 3,750
// statements/s; the page still walks the live index from the time).
func nowParam(dialect string) string { return hiddenParam(dialect, "timestamptz") }

// hiddenParam is a placeholder of sqlType whose value PostgreSQL's planner cannot see (an
// InitPlan, as nowParam's); elsewhere a plain placeholder.
func hiddenParam(dialect, sqlType string) string {
	if dialect == "postgres" {
		return "(SELECT CAST(? AS " + sqlType + "))"
	}
	return "?"
}

// translationCols leaves out the body unless asked: list pages stay small.
func translationCols(withBody bool) string {
	cols := "article_id, locale, title, slug, summary, meta_title, meta_description, reading_minutes, created_at, updated_at"
	if withBody {
		cols += ", body"
	}
	return cols
}

// ListVisibleArticles implements content.Store in a fixed number of queries whatever the
// page size: the count (page mode only) and the page with its relations (see readPublic).
func (s *Content) ListVisibleArticles(ctx context.Context, q content.ListQuery) ([]content.Article, int64, error) {
	filter := func() *gorm.DB { return s.visibleMatching(ctx, q) }

	var total int64
	if q.CountTotal {
		if err := filter().Count(&total).Error; err != nil {
			return nil, 0, err
		}
	}

	// A category named by slug: each category with that slug walks its own live index
	// (articles_live_category) to the page, and the walks are merged (bySlug). With the
	// slug's ids behind an IN, both databases walked the whole archive's publication order
	// and filtered it: 146 rows for a page of 21 with 8 categories, and a category with 1 %
	// of the articles read 2,100 (SQLite, 20,000 articles, 8 categories: 343 -> 156 µs).
	bySlug := q.Category != "" && !isUUID(q.Category)
	orderKey, idCol, order := "a.published_at", "a.id", "a.published_at DESC, a.id DESC"
	switch q.Sort {
	case content.SortOldest:
		order = "a.published_at ASC, a.id ASC"
	case content.SortMostRead:
		orderKey, order = "a.read_count", "a.read_count DESC, a.id DESC"
	case content.SortTitle:
		orderKey, idCol, order = "k.title_key", "k.article_id", "k.title_key ASC, k.article_id ASC"
	}
	var after any
	if c := q.After; c != nil {
		after = c.Key
		switch q.Sort {
		case content.SortNewest, content.SortOldest:
			t, err := time.Parse(time.RFC3339Nano, c.Key)
			if err != nil {
				return nil, 0, badCursor()
			}
			after = t.UTC()
		case content.SortMostRead:
			n, err := strconv.ParseInt(c.Key, 10, 64)
			if err != nil {
				return nil, 0, badCursor()
			}
			after = n
		case content.SortTitle:
			k, ok := titleCursorKey(c.Key)
			if !ok {
				return nil, 0, badCursor()
			}
			after = k
		}
	}
	dir := "DESC"
	if q.Sort == content.SortOldest || q.Sort == content.SortTitle {
		dir = "ASC"
	}
	sh := readShape{body: q.WithBody, titleKey: q.Sort == content.SortTitle, sorted: true}
	pageOrder := "p.sort_key " + dir + ", p.sort_id " + dir
	key, memo := s.listKey(q)
	if memo {
		if text, ok := s.listText(key); ok {
			arts, err := s.readPublicSQL(ctx, text, &key, s.listArgs(q, after), q.Limit+1, pageOrder, sh)
			return arts, total, err
		}
	}
	inner := q // the filters but the category's slug
	inner.Category = ""
	var db *gorm.DB
	if bySlug {
		db = s.visibleMatching(ctx, inner)
		if s.db.dialect == "postgres" {
			db = db.Where("a.category_id = cs.category_id")
		}
	} else {
		db = filter()
	}
	// shape adds the sort's join, its order when ordered, and the cursor's condition.
	shape := func(db *gorm.DB, ordered bool) *gorm.DB {
		if q.Sort == content.SortTitle {
			// One walk of article_title_keys_order (see titlekeys.go), fallbacks included.
			loc := s.locales.Default()
			if len(q.Chain) > 0 {
				loc = q.Chain[0]
			}
			db = db.Joins("JOIN article_title_keys k ON k.article_id = a.id").Where("k.locale = ?", loc)
		}
		if ordered {
			db = db.Order(order)
		}
		if c := q.After; c != nil {
			op := "<"
			if q.Sort == content.SortOldest || q.Sort == content.SortTitle {
				op = ">"
			}
			// The leading bound is implied by the rest but lets both planners start the index
			// walk at the cursor: without it PostgreSQL walked from the newest row and filtered
			// every row before the cursor (4,000 at page 200, 57 ms at 15,000).
			key, id := "?", "?"
			if orderKey == "a.published_at" {
				// Hidden from the planner, as nowParam hides the time: a custom plan that saw
				// the cursor's time was costed below the generic one, and every page past the
				// first was planned again (0.38 ms of bind against 0.13 of execution).
				key, id = hiddenParam(s.db.dialect, "timestamptz"), hiddenParam(s.db.dialect, "uuid")
			}
			db = db.Where(orderKey+" "+op+"= "+key+" AND ("+orderKey+" "+op+" "+key+" OR ("+orderKey+" = "+key+" AND "+idCol+" "+op+" "+id+"))", after, after, after, c.ID)
		}
		return db
	}
	db = shape(db, true)
	cols := articleCols(s.db.dialect, false) + ", " + orderKey + " AS sort_key, " + idCol + " AS sort_id"
	var page *gorm.DB
	switch {
	case !bySlug:
		page = db.Select(cols).Limit(q.Limit + 1).Offset(q.Offset)
	case s.db.dialect == "postgres":
		page = table(s.db.conn(ctx), "(SELECT c.id AS category_id FROM categories c WHERE EXISTS (SELECT 1 FROM category_translations ct WHERE ct.category_id = c.id AND ct.slug = ? AND ct.locale IN ?)) cs", q.Category, s.locales.Codes()).
			Joins("CROSS JOIN LATERAL (?) a", db.Select(cols).Limit(q.Offset+q.Limit+1)).Select("a.*").
			Order("a.sort_key " + dir + ", a.sort_id " + dir).Limit(q.Limit + 1).Offset(q.Offset)
	default:
		// SQLite has no LATERAL: one walk for each category the slug can name (slugCategoryAt),
		// merged by a compound ORDER BY, whose arms SQLite runs as coroutines and reads only as
		// far as the page. A walk of a publication order is the category index's own order,
		// so its arm is a bare SELECT that SQLite walks without sorting; any other order is
		// sorted and limited in its arm. The arms select only the keys and the page's rows
		// are read once merged: sorting whole rows (cards and all) for the merge was a third
		// of the statement (100,000 articles: 0.58 ms, then 0.42 with a sort of keys only,
		// 0.40 without sorts).
		keys := orderKey + " AS sort_key, " + idCol + " AS sort_id"
		arm, walk := "SELECT * FROM (?)", db.Select(keys).Limit(q.Offset+q.Limit+1)
		if orderKey == "a.published_at" {
			arm, walk = "?", shape(s.visibleMatching(ctx, inner), false).Select(keys)
		}
		walk = walk.Session(&gorm.Session{})
		codes := s.locales.Codes()
		arms := make([]string, len(codes))
		vars := make([]any, len(arms), len(arms)+2)
		for k := range arms {
			cat, args := slugCategoryAt(q.Category, codes, k)
			arms[k], vars[k] = arm, walk.Where("a.category_id = "+cat, args...)
		}
		merged := "(" + strings.Join(arms, " UNION ALL ") + " ORDER BY sort_key " + dir + ", sort_id " + dir + " LIMIT ? OFFSET ?) n CROSS JOIN articles a"
		page = table(s.db.conn(ctx), merged, append(vars, q.Limit+1, q.Offset)...).Where("a.id = n.sort_id").
			Select(articleCols(s.db.dialect, false) + ", n.sort_key, n.sort_id").Order("n.sort_key " + dir + ", n.sort_id " + dir).Limit(q.Limit + 1)
	}
	if len(q.Tags) > 0 {
		// A tag filter walks the sort's index and tests each article for the tags: a tag on
		// few articles walked the whole archive (0.8 s a page at 100,000 on PostgreSQL). So a
		// second arm reads the tags' articles from article_tags_tag and sorts them; the tags'
		// live counts (tag_counts) choose one arm, the other reads nothing (LIMIT 0).
		inner := q
		inner.Tags = nil
		in, inArgs := tagAlts("at.tag_id", q.Tags)
		few := shape(s.visibleMatching(ctx, inner).Where("a.id IN (SELECT at.article_id FROM article_tags at WHERE "+in+")", inArgs...), false).Select(cols)
		live, liveArgs := tagAlts("tc.tag_id", q.Tags)
		gate := "(SELECT COALESCE(SUM(tc.live), 0) FROM tag_counts tc WHERE " + live + ")"
		n := q.Limit + 1
		// The tags' articles are materialized unordered first: ordered and limited, the
		// planners would walk the sort's index again.
		var args []any
		args = append(append(append(args, page), liveArgs...), s.fewTags, n, few, n, q.Offset)
		args = append(append(args, liveArgs...), s.fewTags, n)
		page = table(s.db.conn(ctx), "(SELECT * FROM (SELECT * FROM (?) w LIMIT (CASE WHEN "+gate+" > ? THEN ? ELSE 0 END)) wl UNION ALL "+
			"SELECT * FROM (SELECT * FROM (WITH f AS MATERIALIZED (?) SELECT * FROM f ORDER BY f.sort_key "+dir+", f.sort_id "+dir+" LIMIT ? OFFSET ?) r "+
			"LIMIT (CASE WHEN "+gate+" > ? THEN 0 ELSE ? END)) rl) a", args...).Select("a.*")
	}
	if memo {
		if text, args, ok := s.keepListText(ctx, key, page, q, after); ok {
			arts, err := s.readPublicSQL(ctx, text, &key, args, q.Limit+1, pageOrder, sh)
			return arts, total, err
		}
	}
	arts, err := s.readPublic(ctx, page, pageOrder, sh)
	return arts, total, err
}

// fewTagsArticles is Content.fewTags: the walk reads about page × live / tagged rows, the
// sort reads the tagged ones, and at 100,000 live articles and a page of 21 the two meet
// near 1,500.
const fewTagsArticles = 2000

// slugCategoryAt is the category, if any, whose translation in the k-th served locale
// (codes[k]) has a slug, unless one in an earlier served locale has the same slug (then
// the earlier arm names it), with its arguments. (locale, slug) is unique, so a slug names
// at most one category per locale: one arm per locale covers them all, once each. Each is
// a probe of an index; the k-th of a DISTINCT, ORDER BY and OFFSET, as this was before,
// built three temporary b-trees per arm, and a category list spent half its SQLite CPU
// opening and closing them (perf, 100,000 articles).
func slugCategoryAt(slug string, codes []string, k int) (string, []any) {
	var b strings.Builder
	b.WriteString("(SELECT ct.category_id FROM category_translations ct WHERE ct.locale = ? AND ct.slug = ?")
	args := []any{codes[k], slug}
	for _, l := range codes[:k] {
		b.WriteString(" AND NOT EXISTS (SELECT 1 FROM category_translations cx WHERE cx.category_id = ct.category_id AND cx.locale = ? AND cx.slug = ct.slug)")
		args = append(args, l)
	}
	b.WriteString(")")
	return b.String(), args
}

func isUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil
}

// table is g.Table(expr, args...) without the regular expression GORM runs over expr for
// the name it records (1.2 % of an uncached SQLite category page's CPU, pprof): it records
// what that expression gives the public reads' tables, the alias of "name AS alias" and
// none for a derived table, which their statements never use.
func table(g *gorm.DB, expr string, args ...any) *gorm.DB {
	tx := g.Table("") // a new statement, as Table's
	tx.Statement.TableExpr = &clause.Expr{SQL: expr, Vars: args}
	tx.Statement.Table = ""
	if name, alias, ok := strings.Cut(expr, " AS "); ok && isWord(name) && isWord(alias) {
		tx.Statement.Table = alias
	}
	return tx
}

func isWord(s string) bool {
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// visibleMatching selects the visible articles that match q's filters.
func (s *Content) visibleMatching(ctx context.Context, q content.ListQuery) *gorm.DB {
	db := visible(table(s.db.conn(ctx), "articles AS a"), q.Now)
	if q.Category != "" {
		if id, err := uuid.Parse(q.Category); err == nil {
			db = db.Where("a.category_id = ?", id)
		} else if s.db.dialect == "postgres" {
			db = db.Where("a.category_id IN (SELECT category_id FROM category_translations WHERE slug = ? AND locale IN ?)", q.Category, s.locales.Codes())
		} else {
			// Behind IN (SELECT …) SQLite scanned every article to count a category's (66 ms at
			// 20,000); a list of the candidates probes articles_live_category with each.
			codes := s.locales.Codes()
			ks := make([]string, len(codes))
			var vars []any
			for k := range ks {
				cat, args := slugCategoryAt(q.Category, codes, k)
				ks[k] = cat
				vars = append(vars, args...)
			}
			db = db.Where("a.category_id IN ("+strings.Join(ks, ", ")+")", vars...)
		}
	}
	if len(q.Tags) > 0 {
		db = db.Where(tagsCond("a.id", q.Tags))
	}
	if q.Featured != nil {
		db = db.Where("a.featured = ?", *q.Featured)
	}
	if q.PublishedAfter != nil {
		db = db.Where("a.published_at >= ?", q.PublishedAfter.UTC())
	}
	if q.PublishedBefore != nil {
		db = db.Where("a.published_at < ?", q.PublishedBefore.UTC())
	}
	if q.UpdatedSince != nil {
		// Edited, or made visible by the clock (a scheduled article's last edit is older).
		db = db.Where("(a.updated_at >= ? OR a.published_at >= ?)", q.UpdatedSince.UTC(), q.UpdatedSince.UTC())
	}
	if q.OnlyLocale != "" {
		// A probe of the translations' primary key (article_id, locale) per candidate.
		db = db.Where("EXISTS (SELECT 1 FROM article_translations ol WHERE ol.article_id = a.id AND ol.locale = ?)", q.OnlyLocale)
	}
	if q.Q != "" {
		db = s.whereText(db, q.Q) // #14
	}
	return db
}

// tagsCond is the condition that the article whose id is the column idCol has any of tags
// (ids or slugs), as a clause GORM's Where takes.
func tagsCond(idCol string, tags []string) clause.Expr {
	alts, args := tagAlts("at.tag_id", tags)
	return clause.Expr{SQL: "EXISTS (SELECT 1 FROM article_tags at WHERE at.article_id = " + idCol + " AND " + alts + ")", Vars: args}
}

// tagAlts is the condition that the tag id column col is one of tags (ids or slugs).
func tagAlts(col string, tags []string) (string, []any) {
	ids, slugs := splitRefs(tags)
	var alts []string
	var args []any
	if len(ids) > 0 {
		alts = append(alts, col+" IN ?")
		args = append(args, ids)
	}
	if len(slugs) > 0 {
		alts = append(alts, col+" IN (SELECT tt.tag_id FROM tag_translations tt WHERE tt.slug IN ?)")
		args = append(args, slugs)
	}
	return "(" + strings.Join(alts, " OR ") + ")", args
}

// splitRefs separates ids from slugs.
func splitRefs(refs []string) (ids []uuid.UUID, slugs []string) {
	for _, r := range refs {
		if id, err := uuid.Parse(r); err == nil {
			ids = append(ids, id)
		} else {
			slugs = append(slugs, r)
		}
	}
	return ids, slugs
}

// UnknownFilterRefs implements content.Store.
func (s *Content) UnknownFilterRefs(ctx context.Context, category string, tags []string) (bool, []string, error) {
	conn := s.db.conn(ctx)
	catUnknown := false
	if category != "" {
		var n int64
		q := conn.Table("category_translations").Where("slug = ?", category)
		if id, err := uuid.Parse(category); err == nil {
			q = conn.Table("categories").Where("id = ?", id)
		}
		if err := q.Limit(1).Count(&n).Error; err != nil {
			return false, nil, err
		}
		catUnknown = n == 0
	}
	if len(tags) == 0 {
		return catUnknown, nil, nil
	}
	ids, slugs := splitRefs(tags)
	have := map[string]bool{}
	if len(ids) > 0 {
		var found []uuid.UUID
		if err := conn.Table("tags").Where("id IN ?", ids).Pluck("id", &found).Error; err != nil {
			return false, nil, err
		}
		for _, id := range found {
			have[id.String()] = true
		}
	}
	if len(slugs) > 0 {
		var found []string
		if err := conn.Table("tag_translations").Where("slug IN ?", slugs).Distinct().Pluck("slug", &found).Error; err != nil {
			return false, nil, err
		}
		for _, sl := range found {
			have[sl] = true
		}
	}
	var unknown []string
	for _, t := range tags {
		key := t
		if id, err := uuid.Parse(t); err == nil {
			key = id.String()
		}
		if !have[key] {
			unknown = append(unknown, t)
		}
	}
	return catUnknown, unknown, nil
}

// CountVisibleArticles implements content.Store.
func (s *Content) CountVisibleArticles(ctx context.Context, q content.ListQuery) (int64, error) {
	var n int64
	err := s.visibleMatching(ctx, q).Count(&n).Error
	return n, err
}

func badCursor() error {
	return errs.Invalidf("cursor", "is not a cursor this list issued")
}

// assemble loads translations, tags and categories for rows in three queries.
func (s *Content) assemble(ctx context.Context, rows []articleRow, withBody bool) ([]content.Article, error) {
	if len(rows) == 0 {
		return []content.Article{}, nil
	}
	ids := make([]uuid.UUID, len(rows))
	idx := make(map[uuid.UUID]int, len(rows))
	arts := make([]content.Article, len(rows))
	var catIDs []uuid.UUID
	seenCat := map[uuid.UUID]bool{}
	for i, r := range rows {
		ids[i] = r.ID
		idx[r.ID] = i
		arts[i] = articleFromRow(r)
		if r.CategoryID != nil && !seenCat[*r.CategoryID] {
			seenCat[*r.CategoryID] = true
			catIDs = append(catIDs, *r.CategoryID)
		}
	}
	conn := s.db.conn(ctx)

	var trs []translationRow
	if err := conn.Table("article_translations").Select(translationCols(withBody)).
		Where("article_id IN ?", ids).Order("article_id, locale").Find(&trs).Error; err != nil {
		return nil, err
	}
	for _, t := range trs {
		a := &arts[idx[t.ArticleID]]
		a.Translations = append(a.Translations, translationFromRow(t))
	}

	type tagJoin struct {
		ArticleID uuid.UUID
		TagID     uuid.UUID
		Locale    string
		Name      string
		Slug      string
	}
	var tj []tagJoin
	if err := conn.Table("article_tags AS at").
		Select("at.article_id, at.tag_id, tt.locale, tt.name, tt.slug").
		Joins("JOIN tag_translations tt ON tt.tag_id = at.tag_id").
		Where("at.article_id IN ?", ids).
		Order("at.article_id, at.position, at.tag_id, tt.locale").Find(&tj).Error; err != nil {
		return nil, err
	}
	for _, r := range tj {
		a := &arts[idx[r.ArticleID]]
		n := len(a.Tags)
		if n == 0 || a.Tags[n-1].ID != r.TagID {
			a.Tags = append(a.Tags, content.Tag{ID: r.TagID})
			a.TagIDs = append(a.TagIDs, r.TagID)
			n++
		}
		a.Tags[n-1].Translations = append(a.Tags[n-1].Translations, content.TagTranslation{Locale: r.Locale, Name: r.Name, Slug: r.Slug})
	}

	if len(catIDs) > 0 {
		var cts []categoryTranslationRow
		if err := conn.Where("category_id IN ?", catIDs).Order("category_id, locale").Find(&cts).Error; err != nil {
			return nil, err
		}
		cats := map[uuid.UUID]*content.Category{}
		for _, ct := range cts {
			c := cats[ct.CategoryID]
			if c == nil {
				c = &content.Category{ID: ct.CategoryID}
				cats[ct.CategoryID] = c
			}
			c.Translations = append(c.Translations, categoryTranslationFromRow(ct))
		}
		for i := range arts {
			if arts[i].CategoryID != nil {
				if c := cats[*arts[i].CategoryID]; c != nil {
					cc := *c
					arts[i].Category = &cc
				}
			}
		}
	}
	return arts, nil
}

// VisibleArticle implements content.Store in one query. With detail options in ctx
// (content.WithDetail) it is a detail's read (readShape.served).
func (s *Content) VisibleArticle(ctx context.Context, id *uuid.UUID, slug string, prefer []string, now time.Time) (content.Article, error) {
	sh := readShape{body: true, detail: true, served: content.DetailFrom(ctx)}
	key := sqlKey{what: "article by slug", dialect: s.db.dialect, n: len(prefer)}
	if id != nil {
		key.what = "article by id"
	}
	var served []any
	if o := sh.served; o != nil {
		key.served, key.slug, key.chain = true, o.Slug != "", len(o.Chain)
		served = servedLocaleArgs(o)
	}
	page := sqlTexts.get(key, func() string { return visibleArticleSQL(key) })
	args := make([]any, 0, len(served)+4+len(prefer))
	args = append(args, served...) // the served locale's placeholders come first
	if id != nil {
		args = append(args, now.UTC(), *id)
	} else {
		args = append(args, slug, now.UTC())
		for _, l := range prefer {
			args = append(args, l)
		}
	}
	arts, err := s.readPublicSQL(ctx, page, &key, args, 1, "", sh)
	if err == nil && len(arts) == 0 && id == nil {
		// Not a current slug: a former one is answered with a redirect (a second statement
		// for misses only; as an arm of the first, it cost every read 7 %, pgbench).
		key.what = "article by former slug"
		page = sqlTexts.get(key, func() string { return visibleArticleSQL(key) })
		arts, err = s.readPublicSQL(ctx, page, &key, args, 1, "", sh)
	}
	if err != nil {
		return content.Article{}, err
	}
	if len(arts) == 0 {
		return content.Article{}, content.ErrNotFound
	}
	return arts[0], nil
}

// visibleArticleSQL is VisibleArticle's page for key: by id, by a current slug, or by a
// former one (which the caller answers with a redirect), preferring key.n locales; with
// key.served, with the served locale of a chain of key.chain locales (servedLocaleSQL).
// Written out rather than built with GORM: rendering the builder was 8 % of an uncached
// detail's CPU, and the text depends only on the shape.
func visibleArticleSQL(key sqlKey) string {
	cols := articleCols(key.dialect, true)
	if key.served {
		cols += pgTagIDs(key.dialect) + ", " + servedLocaleSQL(sqlKey{n: key.chain, slug: key.slug})
	}
	live := "a.deleted_at IS NULL AND a.status IN " + liveStatusIn + " AND " + publishedBy(key.dialect, "a.published_at")
	if key.what == "article by id" {
		return "SELECT " + cols + " FROM articles AS a WHERE " + live + " AND a.id = ? LIMIT 1"
	}
	var rank strings.Builder
	rank.WriteString("CASE m.locale")
	for i := range key.n {
		rank.WriteString(" WHEN ? THEN " + strconv.Itoa(i))
	}
	rank.WriteString(" ELSE " + strconv.Itoa(key.n) + " END")
	former, slugs := "''", "article_translations"
	if key.what == "article by former slug" {
		former, slugs = "m.locale", "article_slugs"
	}
	return "SELECT " + cols + ", " + former + " AS former_slug_locale FROM articles AS a" +
		" JOIN (SELECT article_id, locale FROM " + slugs + " WHERE slug = ?) m ON m.article_id = a.id" +
		" WHERE " + live + " ORDER BY " + rank.String() + ", a.id LIMIT 1"
}

// preferLocales orders rows by the rank of their locale column col in prefer (unlisted
// locales last), then by tie. GORM's Order drops a gorm.Expr without a word, so the CASE
// goes in as a clause.OrderBy expression.
func preferLocales(col, tie string, prefer []string) clause.OrderBy {
	var b strings.Builder
	vars := make([]any, 0, len(prefer))
	b.WriteString("CASE " + col)
	for i, l := range prefer {
		b.WriteString(" WHEN ? THEN " + strconv.Itoa(i))
		vars = append(vars, l)
	}
	b.WriteString(" ELSE " + strconv.Itoa(len(prefer)) + " END, " + tie)
	return clause.OrderBy{Expression: clause.Expr{SQL: b.String(), Vars: vars}}
}

// CountArticles implements content.Store; tombstones count too.
func (s *Content) CountArticles(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.conn(ctx).Model(&articleRow{}).Count(&n).Error
	return n, err
}

// CreateArticle implements content.Store: the article, its translations and tag links in
// one transaction.
func (s *Content) CreateArticle(ctx context.Context, a content.Article) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		// A new article has no rows yet: one multi-row insert per table, no deletes first
		// (an import of 100,000 articles makes this its most frequent write).
		conn := s.db.conn(ctx)
		row := articleRowFrom(a)
		if err := conn.Create(&row).Error; err != nil {
			return mapErr(err)
		}
		if len(a.Translations) > 0 {
			trs := make([]translationRow, len(a.Translations))
			for i, t := range a.Translations {
				trs[i] = translationRowFrom(a.ID, t)
			}
			if err := conn.Create(&trs).Error; err != nil {
				return mapErr(err)
			}
		}
		if keys := s.titleKeys(a.ID, a.Translations); len(keys) > 0 {
			if err := conn.Create(&keys).Error; err != nil {
				return mapErr(err)
			}
		}
		if len(a.TagIDs) > 0 {
			tags := make([]articleTagRow, 0, len(a.TagIDs))
			for _, i := range inTagOrder(a.TagIDs) {
				tags = append(tags, articleTagRow{ArticleID: a.ID, TagID: a.TagIDs[i], Position: i})
			}
			if err := conn.Create(&tags).Error; err != nil {
				return mapErr(err)
			}
		}
		if len(a.GalleryMediaIDs) > 0 {
			gallery := make([]articleMediaRow, len(a.GalleryMediaIDs))
			for i, id := range a.GalleryMediaIDs {
				gallery[i] = articleMediaRow{ArticleID: a.ID, MediaID: id, Position: i}
			}
			if err := conn.Create(&gallery).Error; err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// liveCount is a category's count of visible articles at a bound time: the live articles
// the triggers of migration 00250 keep counted, less those whose publication is still ahead
// (a range of the live index as long as the schedule, not the archive). The time is hidden
// from PostgreSQL's planner (nowParam): a custom plan that saw it was cheaper than the
// generic one, so every call was planned again, 0.4-0.6 ms of a categories read's
// 0.6-0.9 ms in the database (log_min_duration_statement, 100,000 articles).
func liveCount(dialect string) string {
	return "(COALESCE((SELECT n.live FROM category_counts n WHERE n.category_id = c.id), 0)" +
		" - (SELECT COUNT(*) FROM articles a WHERE a.category_id = c.id AND a.deleted_at IS NULL AND a.status IN " + liveStatusIn + " AND a.published_at > " + nowParam(dialect) + "))"
}

// Categories implements content.Store, with each category's count of visible articles, in
// one query.
func (s *Content) Categories(ctx context.Context, now time.Time) ([]content.Category, error) {
	count := liveCount(s.db.dialect)
	return s.readCategories(ctx, s.db.conn(ctx).Table("categories AS c").
		Select("c.id, c.position, c.created_at, c.updated_at, "+count+" AS article_count", now.UTC()).
		Order("c.position, c.id").Limit(1000), "p.position, p.id")
}

// Category implements content.Store in one query.
func (s *Content) Category(ctx context.Context, id *uuid.UUID, slug string, prefer []string) (content.Category, error) {
	db := s.db.conn(ctx).Table("categories AS c").Select("c.id, c.position, c.created_at, c.updated_at, 0 AS article_count")
	if id != nil {
		db = db.Where("c.id = ?", *id)
	} else {
		db = db.Joins("JOIN category_translations ct ON ct.category_id = c.id").
			Where("ct.slug = ?", slug).Order(preferLocales("ct.locale", "c.id", prefer))
	}
	cats, err := s.readCategories(ctx, db.Limit(1), "")
	if err != nil {
		return content.Category{}, err
	}
	if len(cats) == 0 {
		return content.Category{}, content.ErrNotFound
	}
	return cats[0], nil
}

// CreateCategory implements content.Store.
func (s *Content) CreateCategory(ctx context.Context, c content.Category) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.conn(ctx)
		if err := conn.Create(&categoryRow{ID: c.ID, Position: c.Position, CreatedAt: utc(c.CreatedAt), UpdatedAt: utc(c.UpdatedAt)}).Error; err != nil {
			return mapErr(err)
		}
		for _, t := range c.Translations {
			if err := conn.Create(&categoryTranslationRow{CategoryID: c.ID, Locale: t.Locale, Name: t.Name, Slug: t.Slug, Description: t.Description}).Error; err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// aheadByTag counts, per tag, the live articles whose publication is still ahead of a
// bound time: one walk of the live index from now on (the schedule, not the archive),
// joined to the articles' tags. Unlike liveCount's, its time stays visible to the
// planner: a generic plan, costed for a third of the archive ahead, joined every tagged
// article before grouping (20-50 ms a page at 100,000 articles, against 1 ms of planning).
const aheadByTag = "(SELECT at.tag_id, COUNT(*) AS ahead FROM articles a JOIN article_tags at ON at.article_id = a.id" +
	" WHERE a.deleted_at IS NULL AND a.status IN " + liveStatusIn + " AND a.published_at > ? GROUP BY at.tag_id)"

// Tags implements content.Store: the count and the page with its translations and counts
// of visible articles, each the live articles the triggers of migration 00310 keep counted
// less those not yet due.
func (s *Content) Tags(ctx context.Context, q content.TagQuery) ([]content.Tag, int64, error) {
	var total int64
	if err := s.db.conn(ctx).Model(&tagRow{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var args []any
	names := make([]string, 0, len(q.Chain)+1)
	for _, l := range q.Chain {
		names = append(names, "(SELECT tt.name FROM tag_translations tt WHERE tt.tag_id = g.id AND tt.locale = ?)")
		args = append(args, l)
	}
	name := "COALESCE(" + strings.Join(append(names, "(SELECT MIN(tt.name) FROM tag_translations tt WHERE tt.tag_id = g.id)", "''"), ", ") + ")"
	order := "p.sort_name, p.id"
	if q.Sort != content.TagsByName {
		order = "p.article_count DESC, " + order
	}
	page := s.db.conn(ctx).Table("tags AS g").
		Select("g.id, g.created_at, g.updated_at, COALESCE(n.live, 0) - COALESCE(f.ahead, 0) AS article_count, "+name+" AS sort_name", args...).
		Joins("LEFT JOIN tag_counts n ON n.tag_id = g.id").
		Joins("LEFT JOIN "+aheadByTag+" f ON f.tag_id = g.id", q.Now.UTC()).
		Order(clause.OrderBy{Expression: clause.Expr{SQL: strings.ReplaceAll(order, "p.", "")}}).Limit(q.Limit).Offset(q.Offset)
	tags, err := s.readTags(ctx, page, order)
	return tags, total, err
}

// Tag implements content.Store in one query.
func (s *Content) Tag(ctx context.Context, id *uuid.UUID, slug string, prefer []string) (content.Tag, error) {
	db := s.db.conn(ctx).Table("tags AS g").Select("g.id, g.created_at, g.updated_at")
	if id != nil {
		db = db.Where("g.id = ?", *id)
	} else {
		db = db.Joins("JOIN tag_translations tt ON tt.tag_id = g.id").
			Where("tt.slug = ?", slug).Order(preferLocales("tt.locale", "g.id", prefer))
	}
	tags, err := s.readTags(ctx, db.Limit(1), "")
	if err != nil {
		return content.Tag{}, err
	}
	if len(tags) == 0 {
		return content.Tag{}, content.ErrNotFound
	}
	return tags[0], nil
}

// CreateTag implements content.Store.
func (s *Content) CreateTag(ctx context.Context, t content.Tag) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.conn(ctx)
		if err := conn.Create(&tagRow{ID: t.ID, CreatedAt: utc(t.CreatedAt), UpdatedAt: utc(t.UpdatedAt)}).Error; err != nil {
			return mapErr(err)
		}
		for _, tr := range t.Translations {
			if err := conn.Create(&tagTranslationRow{TagID: t.ID, Locale: tr.Locale, Name: tr.Name, Slug: tr.Slug}).Error; err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// Settings implements content.Store.
func (s *Content) Settings(ctx context.Context) ([]content.Setting, error) {
	var rows []settingRow
	if err := s.db.conn(ctx).Order("key, locale").Limit(10000).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]content.Setting, len(rows))
	for i, r := range rows {
		out[i] = content.Setting{Key: r.Key, Locale: r.Locale, Value: r.Value, UpdatedAt: utc(r.UpdatedAt)}
	}
	return out, nil
}

// PutSetting implements content.Store as an upsert.
func (s *Content) PutSetting(ctx context.Context, st content.Setting) error {
	row := settingRow{Key: st.Key, Locale: st.Locale, Value: st.Value, UpdatedAt: time.Now().UTC()}
	return mapErr(s.db.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}, {Name: "locale"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at"}),
	}).Create(&row).Error)
}

func articleFromRow(r articleRow) content.Article {
	return content.Article{
		ID: r.ID, Status: content.Status(r.Status), PublishedAt: utcPtr(r.PublishedAt), FirstPublishedAt: utcPtr(r.FirstPublishedAt),
		AuthorID: r.AuthorID, CategoryID: r.CategoryID, CoverMediaID: r.CoverMediaID,
		Featured: r.Featured, ReadCount: r.ReadCount, Version: r.Version,
		CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt), DeletedAt: utcPtr(r.DeletedAt),
	}
}

func articleRowFrom(a content.Article) articleRow {
	v := a.Version
	if v == 0 {
		v = 1
	}
	first := a.FirstPublishedAt
	if first == nil && a.Status != content.Draft {
		first = a.PublishedAt // imports and the demo arrive published: that is their first date
	}
	return articleRow{
		ID: a.ID, Status: string(a.Status), PublishedAt: utcPtr(a.PublishedAt), FirstPublishedAt: utcPtr(first),
		AuthorID: a.AuthorID, CategoryID: a.CategoryID, CoverMediaID: a.CoverMediaID,
		Featured: a.Featured, ReadCount: a.ReadCount, Version: v,
		CreatedAt: utc(a.CreatedAt), UpdatedAt: utc(a.UpdatedAt), DeletedAt: utcPtr(a.DeletedAt),
	}
}

func translationFromRow(t translationRow) content.Translation {
	return content.Translation{
		Locale: t.Locale, Title: t.Title, Slug: t.Slug, Summary: t.Summary, Body: t.Body,
		MetaTitle: t.MetaTitle, MetaDescription: t.MetaDescription, ReadingMinutes: t.ReadingMinutes,
		CreatedAt: utc(t.CreatedAt), UpdatedAt: utc(t.UpdatedAt),
	}
}

func translationRowFrom(id uuid.UUID, t content.Translation) translationRow {
	return translationRow{
		ArticleID: id, Locale: t.Locale, Title: t.Title, Slug: t.Slug, Summary: t.Summary, Body: t.Body,
		MetaTitle: t.MetaTitle, MetaDescription: t.MetaDescription, ReadingMinutes: t.ReadingMinutes,
		CreatedAt: utc(t.CreatedAt), UpdatedAt: utc(t.UpdatedAt),
	}
}

func categoryTranslationFromRow(t categoryTranslationRow) content.CategoryTranslation {
	return content.CategoryTranslation{Locale: t.Locale, Name: t.Name, Slug: t.Slug, Description: t.Description}
}

// inTagOrder returns the indexes of ids in the order of the ids: links are written in tag
// order, so writers sharing tags lock their tag_counts rows (migration 00310) in one order
// and cannot deadlock on them. Positions keep the editor's order.
func inTagOrder(ids []uuid.UUID) []int {
	idx := make([]int, len(ids))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int { return bytes.Compare(ids[x][:], ids[y][:]) })
	return idx
}
