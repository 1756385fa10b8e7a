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
// column over the row p: no round trip is added.

// detailCols is the related articles column when ctx asks for it (content.WithDetail), with
// the arguments its placeholders take; "" when it does not.
func (s *Content) detailCols(ctx context.Context) (string, []any) {
	o := content.DetailFrom(ctx)
	if o == nil || o.Related <= 0 {
		return "", nil
	}
	key := sqlKey{what: "related", dialect: s.db.dialect, n: len(o.Chain), related: o.Related}
	cols := sqlTexts.get(key, func() string { return s.relatedColSQL(key) })
	// In the order the placeholders appear: the visibility time, then the served locale's.
	return cols, append([]any{o.Now.UTC()}, servedArgs(o)...)
}

// relatedColSQL is the text of detailCols for key (a chain of key.n locales, key.related
// articles).
func (s *Content) relatedColSQL(key sqlKey) string {
	j := s.json()
	served := servedSQL("st", "st.locale", key.n)
	// Newest visible first; the live index on published_at is walked until enough match.
	// PostgreSQL tests the shared tag on the walked row itself: its stored tag_ids (migration
	// 00340) overlap p's, read once for the walk as an array (an InitPlan). SQLite, and
	// PostgreSQL before 00340, probed article_tags per walked row with a scalar subquery, not
	// EXISTS: PostgreSQL turned the EXISTS into a hashed subplan of every article sharing a
	// tag with p (2,500 rows per tag at 27,000 articles; 24 ms of the detail's 33 ms), built
	// before the walk that stops after a handful of rows (0.8 ms).
	shared := "(SELECT 1 FROM article_tags ry WHERE ry.article_id = r.id AND ry.tag_id IN (SELECT rx.tag_id FROM article_tags rx WHERE rx.article_id = p.id) LIMIT 1) IS NOT NULL"
	if s.db.dialect == "postgres" {
		shared = "r.tag_ids && ARRAY(SELECT rx.tag_id FROM article_tags rx WHERE rx.article_id = p.id)"
	}
	// Each shows its translation in the served locale (the one the detail is served in; the
	// API shows related articles in it), joined rather than tested with EXISTS, and its
	// cover: the whole card (every locale, tags, media) was three quarters of the
	// statement's output and a quarter of the related column's cost. CROSS JOIN keeps
	// SQLite walking the articles first.
	inner := "SELECT r.id, r.published_at, r.cover_media_id, rt.locale, rt.title, rt.slug, rt.summary, rt.reading_minutes" +
		" FROM articles r CROSS JOIN article_translations rt WHERE r.deleted_at IS NULL AND r.status IN " + liveStatusIn +
		" AND r.published_at <= ? AND r.id <> p.id AND (r.category_id = p.category_id OR " + shared + ")" +
		" AND rt.article_id = r.id AND rt.locale = " + served +
		" ORDER BY r.published_at DESC, r.id DESC LIMIT " + strconv.Itoa(key.related)
	mt := j.array(j.object("locale", "mt.locale", "alt", "mt.alt", "caption", "mt.caption", "credit", "mt.credit"),
		"media_translations mt WHERE mt.media_id = m.id", "mt.locale")
	cover := "(SELECT " + j.object("id", "m.id", "kind", "m.kind", "mime", "m.mime", "size", "m.size", "width", "m.width", "height", "m.height",
		"sha256", "m.sha256", "key", "m.storage_key", "filename", "m.filename", "variants", "m.variants", "uploaded_by", "m.uploaded_by",
		"updated_at", "m.updated_at", "focal_x", "m.focal_x", "focal_y", "m.focal_y", "translations", j.nest(mt)) + " FROM media m WHERE m.id = rl.cover_media_id)"
	obj := j.object("id", "rl.id", "published_at", "rl.published_at", "cover_media_id", "rl.cover_media_id", "locale", "rl.locale",
		"title", "rl.title", "slug", "rl.slug", "summary", "rl.summary", "reading_minutes", "rl.reading_minutes", "cover", j.nest(cover))
	return j.array(obj, "("+inner+") rl", "rl.published_at DESC, rl.id DESC") + " AS related_json"
}

// sqlKey names the text of a public read's columns: built once per shape, as building it
// per request (string concatenation in relationCols, detailCols and servedSQL) was 4 % of
// an uncached detail's CPU. The arguments are computed per request.
type sqlKey struct {
	what, dialect string
	body, served  bool
	n, related    int
}

// sqlTextMemo keeps the texts sqlKey names; their number is bounded by the shapes (a
// chain is at most as long as the configured locales).
type sqlTextMemo struct{ m sync.Map }

var sqlTexts sqlTextMemo

func (t *sqlTextMemo) get(k sqlKey, build func() string) string {
	if v, ok := t.m.Load(k); ok {
		return v.(string)
	}
	v := build()
	t.m.Store(k, v)
	return v
}

// servedSQL is the SQL of col of the translation a detail serves of the article p (its
// translations aliased alias), for a chain of n locales: the slug's own when the request
// named none and the chain has it, else the first of the chain the article has, else its
// first by code (as api's pickTranslation after slugChain does). servedArgs fills it.
func servedSQL(alias, col string, n int) string {
	in := strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
	if in == "" {
		in = "NULL"
	}
	var rank strings.Builder
	rank.WriteString("CASE " + alias + ".locale")
	for i := range n {
		rank.WriteString(" WHEN ? THEN " + strconv.Itoa(i))
	}
	rank.WriteString(" ELSE " + strconv.Itoa(n) + " END")
	return "(SELECT " + col + " FROM article_translations " + alias + " WHERE " + alias + ".article_id = p.id ORDER BY CASE WHEN " +
		alias + ".slug = ? AND " + alias + ".locale IN (" + in + ") THEN 0 ELSE 1 END, " + rank.String() + ", " + alias + ".locale LIMIT 1)"
}

// servedArgs are servedSQL's arguments: the slug, the chain, the chain again (the rank).
func servedArgs(o *content.DetailOptions) []any {
	args := make([]any, 0, 1+2*len(o.Chain))
	args = append(args, o.Slug)
	for _, l := range o.Chain {
		args = append(args, l)
	}
	return append(args, args[1:]...)
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
	a.Related = append(a.Related[:0:0], rel.articles...)
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
	cols, args := s.detailCols(content.WithDetail(ctx, o))
	if cols != "" {
		cols = ", " + cols
	}
	var r publicRow
	if err := s.db.conn(ctx).Raw("SELECT p.detail"+cols+" FROM articles p WHERE p.id = ?", append(args, a.ID)...).Scan(&r).Error; err != nil {
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
