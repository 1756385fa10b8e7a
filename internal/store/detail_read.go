package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// A single article's read selects its stored detail (migration 00340: tag times, gallery,
// media, byline) with the page and adds its related articles (issue 17) as one more JSON
// column over the row p: no round trip is added. The page also selects the locale the
// detail is served in (servedLocaleSQL), which the body and the related articles read.

// detailCols is the related articles column of a detail served as o says, with the
// arguments its placeholders take; "" when o asks for none.
func (s *Content) detailCols(o *content.DetailOptions) (string, []any) {
	if o == nil || o.Related <= 0 {
		return "", nil
	}
	key := sqlKey{what: "related", dialect: s.db.dialect, related: o.Related}
	cols := sqlTexts.get(key, func() string { return s.relatedColSQL(key) })
	return cols, []any{o.Now.UTC()} // the visibility time
}

// relatedColSQL is the text of detailCols for key (key.related articles).
func (s *Content) relatedColSQL(key sqlKey) string {
	j := s.json()
	// Newest visible first: the served locale's related cards (migration 00355) are walked
	// in publication order (article_related_cards_walk, migration 00360) until enough share
	// p's category or a tag. Each card carries what the test reads, so the walk joins
	// nothing: walking the articles and probing each match's card was a fifth of the
	// detail statement (pgbench, 100,000 articles). PostgreSQL tests the shared tag on the
	// walked card's stored tag_ids, overlapping p's own stored tag_ids (migration 00340,
	// which the page selects: pgTagIDs); reading them from article_tags as an InitPlan was
	// 3 % of the detail statement (pgbench). SQLite probes article_tags per walked card with
	// a scalar subquery, not EXISTS: PostgreSQL turned the EXISTS into a hashed subplan of
	// every article sharing a tag with p (24 ms of a 33 ms detail at 27,000 articles),
	// built before a walk that stops after a handful of rows.
	shared := "(SELECT 1 FROM article_tags ry WHERE ry.article_id = rc.article_id AND ry.tag_id IN (SELECT rx.tag_id FROM article_tags rx WHERE rx.article_id = p.id) LIMIT 1) IS NOT NULL"
	if s.db.dialect == "postgres" {
		shared = "rc.tag_ids && p.tag_ids"
	}
	// The served locale is the one the detail is served in; the API shows related articles
	// in it. The time is hidden from the planner (nowParam): a custom plan that saw it
	// costed the walk below the generic plan, and PostgreSQL planned the statement again on
	// every call (1 ms each) after an ANALYZE moved the estimates.
	inner := "SELECT rc.article_id AS id, rc.published_at, rc.card FROM article_related_cards rc" +
		" WHERE rc.live AND rc.locale = p.served_locale AND rc.published_at <= " + nowParam(s.db.dialect) + " AND rc.article_id <> p.id" +
		" AND (rc.category_id = p.category_id OR " + shared + ")" +
		" ORDER BY rc.published_at DESC, rc.article_id DESC LIMIT " + strconv.Itoa(key.related)
	return j.arrayOf("rl.card", "("+inner+") rl", "rl.published_at DESC, rl.id DESC") + " AS related_json"
}

// pgTagIDs is the column a detail's page adds on PostgreSQL for its related walk: the
// article's stored tag ids (the scan skips it).
func pgTagIDs(dialect string) string {
	if dialect == "postgres" {
		return ", a.tag_ids"
	}
	return ""
}

// sqlKey names the text of a public read's columns: built once per shape, as building it
// per request (string concatenation in relationCols, detailCols and servedSQL) was 4 % of
// an uncached detail's CPU. The arguments are computed per request.
type sqlKey struct {
	what, dialect string
	// served: a detail's shape (readShape.served); slug: its served locale follows a slug
	body, served, slug bool
	// n: locales of a chain or preference; chain: of a detail's chain (key.served)
	n, chain, related int
	list              listKey // a list page's shape (listtext.go)
}

// sqlTextMemo keeps the texts its keys name; their number is bounded by the shapes (a
// chain is at most as long as the configured locales).
type sqlTextMemo[K comparable] struct{ m sync.Map }

var (
	sqlTexts sqlTextMemo[sqlKey]
	// stmtTexts are whole statements of public reads whose page is itself a memoized text
	// (a detail's): concatenated per request, a detail's 4 KB statement was allocated twice.
	stmtTexts sqlTextMemo[stmtKey]
)

// stmtKey names a public read's statement: its page's text and the shape around it.
type stmtKey struct {
	page      sqlKey
	relations sqlKey
	related   int
	order     string
}

func (t *sqlTextMemo[K]) get(k K, build func() string) string {
	if v, ok := t.m.Load(k); ok {
		return v.(string)
	}
	v := build()
	t.m.Store(k, v)
	return v
}

// servedLocaleSQL is the locale a detail serves of the article a, for a chain of key.n
// locales: with key.slug (the request named no locale), the translation whose slug it is
// when the chain has it; else the first of the chain the article has; else its first by
// code (as api's pickTranslation after slugChain does). Each locale of the chain is one
// probe of article_translations' primary key, the first to find a row ending the
// COALESCE: ordering the article's translations by a CASE of the chain, as this did before,
// was a sort per request, and the body and the related articles each ran it (together a
// tenth of the detail statement, pgbench). servedLocaleArgs fills it.
func servedLocaleSQL(key sqlKey) string {
	var b strings.Builder
	b.WriteString("COALESCE(")
	if key.slug {
		in := strings.TrimSuffix(strings.Repeat("?, ", key.n), ", ")
		if in == "" {
			in = "NULL"
		}
		b.WriteString("(SELECT sv.locale FROM article_translations sv WHERE sv.article_id = a.id AND sv.slug = ? AND sv.locale IN (" + in + ") ORDER BY CASE sv.locale")
		for i := range key.n {
			b.WriteString(" WHEN ? THEN " + strconv.Itoa(i))
		}
		b.WriteString(" ELSE " + strconv.Itoa(key.n) + " END LIMIT 1), ")
	}
	for range key.n {
		b.WriteString("(SELECT sv.locale FROM article_translations sv WHERE sv.article_id = a.id AND sv.locale = ?), ")
	}
	// '' for an article without translations: the scan takes no NULL.
	b.WriteString("(SELECT MIN(sv.locale) FROM article_translations sv WHERE sv.article_id = a.id), '') AS served_locale")
	return b.String()
}

// servedLocaleArgs are servedLocaleSQL's arguments for o: with a slug, the slug, the chain
// and the chain again (the rank); then the chain.
func servedLocaleArgs(o *content.DetailOptions) []any {
	args := make([]any, 0, 1+3*len(o.Chain))
	if o.Slug != "" {
		args = append(args, o.Slug)
		for range 2 {
			for _, l := range o.Chain {
				args = append(args, l)
			}
		}
	}
	for _, l := range o.Chain {
		args = append(args, l)
	}
	return args
}

// relatedJSON is one related article as the related column carries it.
type relatedJSON struct {
	ID             uuid.UUID  `json:"id"`
	PublishedAt    jsonTime   `json:"published_at"`
	CoverMediaID   *uuid.UUID `json:"cover_media_id"`
	Locale         string     `json:"locale"`
	Title          string     `json:"title"`
	Slug           string     `json:"slug"`
	Summary        string     `json:"summary"`
	ReadingMinutes int        `json:"reading_minutes"`
	Cover          *mediaJSON `json:"cover"`
}

// decodeDetail fills a's byline and related articles from the row's detail (decoded by
// article) and related columns and returns the media the related cards show (their covers).
func decodeDetail(r *publicRow, a *content.Article) ([]mediaJSON, error) {
	if r.detail != nil {
		a.BylineIDs, a.Bylines = capped(r.detail.bylineIDs), capped(r.detail.bylines)
	}
	rel, err := relatedMemo.get(r.RelatedJSON, decodeRelated) // shared: read only
	if err != nil {
		return nil, fmt.Errorf("article %s: related: %w", a.ID, err)
	}
	a.Related = capped(rel.articles) // shared, as the memo's: copying them was 7 % of a detail's allocation
	return capped(rel.covers), nil
}

// publicDetail is a stored detail (the view article_details) decoded and mapped once.
type publicDetail struct {
	TagTimes []termJSON   `json:"tag_times"`
	Gallery  []uuid.UUID  `json:"gallery"`
	Media    []mediaJSON  `json:"media"`
	Bylines  []authorJSON `json:"bylines"`

	gallery   []uuid.UUID // never nil
	bylineIDs []uuid.UUID
	bylines   []content.Author
}

// detailMemo remembers decoded details, as cardMemo does cards: a detail read the same
// article's detail again until it changes. 1,024 details of a few KB each (larger ones are
// not kept: maxMemoBytes) bound it near 4 MB.
var detailMemo = newDecodeMemo[publicDetail](1024)

func decodeDetailDoc(b []byte, v *publicDetail) error {
	if err := decodeJSON(b, v); err != nil {
		return err
	}
	v.gallery = v.Gallery
	if v.gallery == nil {
		v.gallery = []uuid.UUID{}
	}
	v.bylineIDs, v.bylines = make([]uuid.UUID, len(v.Bylines)), make([]content.Author, len(v.Bylines))
	for i, x := range v.Bylines {
		v.bylineIDs[i], v.bylines[i] = x.ID, x.domain()
	}
	return nil
}

// publicRelated is a related column decoded: the articles and their covers.
type publicRelated struct {
	articles []content.Article
	covers   []mediaJSON
}

// relatedMemo remembers decoded related columns, as cardMemo does cards. A column is a few
// KB: 256 of them bound the memo near 1 MB.
var relatedMemo = newDecodeMemo[publicRelated](256)

func decodeRelated(b []byte, v *publicRelated) error {
	var rel []relatedJSON
	if err := decodeJSON(b, &rel); err != nil {
		return err
	}
	for _, x := range rel {
		pub := time.Time(x.PublishedAt)
		v.articles = append(v.articles, content.Article{ID: x.ID, Status: content.Published, PublishedAt: &pub, CoverMediaID: x.CoverMediaID,
			Translations: []content.Translation{{Locale: x.Locale, Title: x.Title, Slug: x.Slug, Summary: x.Summary, ReadingMinutes: x.ReadingMinutes}}})
		if x.Cover != nil {
			v.covers = append(v.covers, *x.Cover)
		}
	}
	return nil
}

// ArticleExtras implements content.PreviewStore: the byline and related articles of an
// article in any status (previews), in one query.
func (s *Content) ArticleExtras(ctx context.Context, a *content.Article, o content.DetailOptions) error {
	cols, args := s.detailCols(&o)
	if cols != "" {
		cols = ", " + cols
	}
	key := sqlKey{what: "article extras", dialect: s.db.dialect, n: len(o.Chain), slug: o.Slug != ""}
	page := sqlTexts.get(key, func() string {
		return "SELECT a.id, a.category_id, a.detail" + pgTagIDs(s.db.dialect) + ", " + servedLocaleSQL(key) + " FROM articles a WHERE a.id = ?"
	})
	args = append(append(args, servedLocaleArgs(&o)...), a.ID)
	var r publicRow
	if err := s.db.conn(ctx).Raw("SELECT p.detail"+cols+" FROM ("+page+") p", args...).Scan(&r).Error; err != nil {
		return err
	}
	var err error
	if r.detail, err = detailMemo.get(r.DetailJSON, decodeDetailDoc); err != nil {
		return fmt.Errorf("article %s: detail: %w", a.ID, err)
	}
	a.Related = nil
	_, err = decodeDetail(&r, a)
	return err
}
