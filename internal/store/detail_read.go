package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	json "github.com/goccy/go-json"
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
	// The shared-tag test is a scalar subquery per walked row (two primary-key probes of
	// article_tags), not EXISTS: PostgreSQL turned the EXISTS into a hashed subplan of every
	// article sharing a tag with p (2,500 rows per tag at 27,000 articles; 24 ms of the
	// detail's 33 ms), built before the walk that stops after a handful of rows (0.8 ms).
	// p's tags: PostgreSQL reads them once for the walk as an array (an InitPlan), where IN
	// probed them again for every walked row (173 -> 131 buffers a detail).
	pTags := "IN (SELECT rx.tag_id FROM article_tags rx WHERE rx.article_id = p.id)"
	if s.db.dialect == "postgres" {
		pTags = "= ANY (ARRAY(SELECT rx.tag_id FROM article_tags rx WHERE rx.article_id = p.id))"
	}
	inner := "SELECT r.id, r.published_at, r.first_published_at, r.updated_at, r.featured, r.read_count, r.category_id, r.cover_media_id, r.card" +
		" FROM articles r WHERE r.deleted_at IS NULL AND r.status IN " + liveStatusIn + " AND r.published_at <= ? AND r.id <> p.id" +
		" AND (r.category_id = p.category_id OR (SELECT 1 FROM article_tags ry WHERE ry.article_id = r.id" +
		" AND ry.tag_id " + pTags + " LIMIT 1) IS NOT NULL)" +
		" AND EXISTS (SELECT 1 FROM article_translations rt WHERE rt.article_id = r.id AND rt.locale = " + served + ")" +
		" ORDER BY r.published_at DESC, r.id DESC LIMIT " + strconv.Itoa(key.related)
	obj := j.object("id", "rl.id", "published_at", "rl.published_at", "first_published_at", "rl.first_published_at", "updated_at", "rl.updated_at",
		"featured", "rl.featured", "read_count", "rl.read_count", "category_id", "rl.category_id", "cover_media_id", "rl.cover_media_id", "card", j.nest("rl.card"))
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
	ID               uuid.UUID  `json:"id"`
	PublishedAt      jsonTime   `json:"published_at"`
	FirstPublishedAt *jsonTime  `json:"first_published_at"`
	UpdatedAt        jsonTime   `json:"updated_at"`
	Featured         jsonBool   `json:"featured"`
	ReadCount        int64      `json:"read_count"`
	CategoryID       *uuid.UUID `json:"category_id"`
	CoverMediaID     *uuid.UUID `json:"cover_media_id"`
	// Card is decoded through cardMemo: PostgreSQL embeds the stored card's bytes as they are.
	Card json.RawMessage `json:"card"`
}

// jsonBool reads a boolean as PostgreSQL (true) or SQLite (1) writes it.
type jsonBool bool

func (b *jsonBool) UnmarshalJSON(v []byte) error {
	*b = jsonBool(string(v) == "true" || string(v) == "1")
	return nil
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

// relatedMemo remembers decoded related columns, as cardMemo does cards: decoding one (five
// articles, each with its card copied out of the column by the decoder) was 10 % of an
// uncached detail's CPU. A column is about 10 KB: 256 of them bound the memo near 5 MB.
var relatedMemo = newDecodeMemo[publicRelated](256)

func decodeRelated(b []byte, v *publicRelated) error {
	var rel []relatedJSON
	if err := decodeJSON(b, &rel); err != nil {
		return err
	}
	for _, x := range rel {
		pub := time.Time(x.PublishedAt)
		ra := content.Article{ID: x.ID, Status: content.Published, PublishedAt: &pub, UpdatedAt: time.Time(x.UpdatedAt),
			Featured: bool(x.Featured), ReadCount: x.ReadCount, CategoryID: x.CategoryID, CoverMediaID: x.CoverMediaID}
		if x.FirstPublishedAt != nil {
			f := time.Time(*x.FirstPublishedAt)
			ra.FirstPublishedAt = &f
		}
		card, err := cardMemo.get(x.Card, decodeCard) // shared: read only
		if err != nil {
			return fmt.Errorf("related %s: card: %w", x.ID, err)
		}
		ra.Translations, ra.Tags, ra.TagIDs = capped(card.translations), capped(card.tags), capped(card.tagIDs)
		v.covers = append(v.covers, card.Media...)
		v.articles = append(v.articles, ra)
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
