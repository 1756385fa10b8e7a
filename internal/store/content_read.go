package store

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	json "github.com/goccy/go-json"
	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/media"
)

// Public reads answer in one round trip. What a list shows of an article besides its own
// columns and category — translations without bodies, tags, cover — is its card, one JSON
// value stored on the row and kept current by the database (migration 00051: the view
// article_cards and triggers on every table it reads), so a list page reads 20 rows and
// joins each to its category's card, stored on the category the same way (00330: a
// category is shared by too many articles to copy into theirs). A single article adds its
// detail, stored the same way (00340: tag times, gallery, media, byline), and its bodies
// and related articles, aggregated beside the row. The SQL of every public read is built
// here.

// jsonSQL spells the JSON functions of a dialect.
type jsonSQL struct {
	agg, obj string
	// nest wraps a subquery's JSON so an enclosing object embeds it rather than quoting it
	// (SQLite loses the JSON subtype across a subquery; PostgreSQL keeps the type).
	nest func(string) string
}

func (s *Content) json() jsonSQL {
	if s.db.dialect == "postgres" {
		return jsonSQL{agg: "json_agg", obj: "json_build_object", nest: func(x string) string { return x }}
	}
	return jsonSQL{agg: "json_group_array", obj: "json_object", nest: func(x string) string { return "json(" + x + ")" }}
}

// array is a correlated subquery aggregating obj over from, ordered; NULL or [] when empty.
func (j jsonSQL) array(obj, from, order string) string {
	return "(SELECT " + j.agg + "(" + obj + " ORDER BY " + order + ") FROM " + from + ")"
}

// arrayOf is array over a column that holds JSON text the database wrote itself (a stored
// card). SQLite joins the texts: its json() around each, which nest is, parsed and
// re-rendered every card, 5 % of an uncached SQLite detail's CPU (pprof, 100,000 articles).
func (j jsonSQL) arrayOf(col, from, order string) string {
	if j.agg == "json_agg" {
		return j.array(col, from, order)
	}
	return "(SELECT '[' || group_concat(" + col + ", ',' ORDER BY " + order + ") || ']' FROM " + from + ")"
}

func (j jsonSQL) object(pairs ...string) string {
	var b strings.Builder
	b.WriteString(j.obj)
	b.WriteByte('(')
	for i := 0; i < len(pairs); i += 2 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'" + pairs[i] + "', " + pairs[i+1])
	}
	b.WriteByte(')')
	return b.String()
}

// publicArticleCols are the article columns public reads select (the inner query's list);
// a single article's (readShape.detail) select publicDetailCols. Use them through
// articleCols, which adapts them to the dialect.
const (
	publicArticleCols = "a.id, a.status, a.published_at, a.first_published_at, a.author_id, a.category_id, a.cover_media_id, a.featured, a.read_count, a.version, a.created_at, a.updated_at, a.deleted_at, a.card"
	publicDetailCols  = publicArticleCols + ", a.detail"
)

// SQLite's are selected with their timestamps as bare text: unary + keeps the value and
// drops the declared type, so modernc.org/sqlite does not parse them, which it does by
// trying time.Time.String's layout first and failing, then its own (5.7 % of an uncached
// category page's CPU, perf at 100,000 articles); sqliteTime parses the layout Herald
// writes first. (A list's sort_key keeps its type: SQLite reads the order of its subquery
// from it.)
var (
	sqliteTimes = strings.NewReplacer("a.published_at,", "+a.published_at AS published_at,",
		"a.first_published_at,", "+a.first_published_at AS first_published_at,", "a.created_at,", "+a.created_at AS created_at,",
		"a.updated_at,", "+a.updated_at AS updated_at,", "a.deleted_at,", "+a.deleted_at AS deleted_at,")
	sqliteArticleCols = sqliteTimes.Replace(publicArticleCols)
	sqliteDetailCols  = sqliteTimes.Replace(publicDetailCols)
)

// articleCols are publicArticleCols, or publicDetailCols with detail, for dialect.
func articleCols(dialect string, detail bool) string {
	switch {
	case dialect != "sqlite" && detail:
		return publicDetailCols
	case dialect != "sqlite":
		return publicArticleCols
	case detail:
		return sqliteDetailCols
	}
	return sqliteArticleCols
}

// readShape says what a public read loads besides the article rows.
type readShape struct {
	body bool // translation bodies
	// detail: a single article's read, whose page selects publicDetailCols: its stored
	// detail (tag times, gallery, media, byline) and its related articles
	detail bool
	// titleKey: the page's sort_key is a title key (sort=title), which cursors carry
	titleKey bool
	// sorted: the page is a list's, whose columns are publicArticleCols' and its order's
	// sort_key and sort_id
	sorted bool
	// served, with body and detail, is a detail served as it says: the page also selects
	// its served_locale (servedLocaleSQL), and the read loads that translation's body and
	// the related articles it asks for. The other translations come from the card, which
	// has all but their bodies; they are loaded only when the served body is empty (the API
	// then falls back along its chain). Aggregating every translation again, bodies and all,
	// was a third of a detail's JSON to build and decode.
	served *content.DetailOptions
}

// sqliteListCols are a SQLite list page's columns as its statement selects them: the
// article's, not its sort_key and sort_id, which order the page but are not read unless
// the sort is by title. A publication order's sort_key keeps its declared type (see
// sqliteTimes), so modernc.org/sqlite parsed it as a time on every row only for the scan
// to drop it: 3.5 % of an uncached category page's CPU (pprof, 100,000 articles).
var sqliteListCols = strings.ReplaceAll(publicArticleCols, "a.", "p.")

// pageCols are the columns of the page p that a public read of shape sh selects.
func (s *Content) pageCols(sh readShape) string {
	if sh.sorted && !sh.titleKey && s.db.dialect == "sqlite" {
		return sqliteListCols
	}
	return "p.*"
}

// relationCols are the columns a public read over the articles aliased p (joined to their
// categories, pcat) selects besides the page's own: the category's card, and the bodies for
// the shapes that show them.
func (s *Content) relationCols(sh readShape) string {
	key := relationsKey(s.db.dialect, sh)
	return sqlTexts.get(key, func() string { return s.json().relationColsSQL(key) })
}

// relationsKey names relationCols' text for sh.
func relationsKey(dialect string, sh readShape) sqlKey {
	return sqlKey{what: "relations", dialect: dialect, body: sh.body, served: sh.body && sh.served != nil}
}

// servedJoin joins a detail's served translation (readShape.served), whose body the
// relation columns show.
const servedJoin = " LEFT JOIN article_translations sb ON sb.article_id = p.id AND sb.locale = p.served_locale"

// relationColsSQL is relationCols' text for key.
func (j jsonSQL) relationColsSQL(key sqlKey) string {
	cols := []string{"pcat.card AS category_json"}
	switch {
	case key.served:
		// sb is servedJoin's: the served body, read once for both columns (a second probe
		// for whether it is empty was a subplan of its own).
		cols = append(cols, "sb.body AS served_body",
			"CASE WHEN sb.body <> '' THEN NULL ELSE "+
				j.array(j.object("locale", "t.locale", "body", "t.body"), "article_translations t WHERE t.article_id = p.id", "t.locale")+" END AS bodies_json")
	case key.body:
		tr := []string{"locale", "t.locale", "title", "t.title", "slug", "t.slug", "summary", "t.summary",
			"meta_title", "t.meta_title", "meta_description", "t.meta_description", "reading_minutes", "t.reading_minutes", "body", "t.body"}
		cols = append(cols, j.array(j.object(tr...), "article_translations t WHERE t.article_id = p.id", "t.locale")+" AS translations_json")
	}
	return strings.Join(cols, ", ")
}

// cardJSON is the card column (see the view article_cards), decoded in one pass. Public
// reads decode with goccy/go-json: on a latest-20 page encoding/json took 0.72 ms of the
// handler's 1.43 ms of CPU, go-json 0.13 ms of 0.70 (BenchmarkPublicReads, -cpuprofile).
type cardJSON struct {
	Translations []translationJSON `json:"translations"`
	Tags         []termJSON        `json:"tags"`
	Media        []mediaJSON       `json:"media"`
}

// publicRow is an article row with its relations as JSON.
type publicRow struct {
	Article articleRow `gorm:"embedded"`
	// FormerSlugLocale is set by slug lookups that matched a former slug.
	FormerSlugLocale string
	TranslationsJSON []byte
	CategoryJSON     []byte
	// DetailJSON and RelatedJSON: a single article's stored detail and its related
	// articles (detail_read.go); ServedBody and BodiesJSON its bodies (readShape.served).
	DetailJSON  []byte
	RelatedJSON []byte
	ServedBody  []byte
	BodiesJSON  []byte
	// ServedLocale is the locale a detail is served in (readShape.served).
	ServedLocale string

	media   []mediaJSON   // set by article: the card's cover, or the detail's media
	detail  *publicDetail // set by article for single-article reads; shared: read only
	SortKey []byte        // a list's ordering key; kept for the cursor of sort=title
}

// readPublic runs page — a query over "articles AS a" selecting publicArticleCols (or
// publicDetailCols), ordered and limited — and loads the relations of its rows in the same
// statement. order is the page's ORDER BY over the alias p; the page is a derived table,
// whose LIMIT keeps the per-row subqueries to its rows.
func (s *Content) readPublic(ctx context.Context, page *gorm.DB, order string, sh readShape) ([]content.Article, error) {
	limit := 0
	if l, ok := page.Statement.Clauses["LIMIT"].Expression.(clause.Limit); ok && l.Limit != nil {
		limit = *l.Limit
	}
	return s.readPublicSQL(ctx, "?", nil, []any{page}, limit, order, sh)
}

// readPublicSQL is readPublic over a page given as SQL text and its arguments, of at most
// limit rows (0: unknown). A page memoized as sqlTexts' pageKey has its whole statement
// memoized too.
func (s *Content) readPublicSQL(ctx context.Context, page string, pageKey *sqlKey, pageArgs []any, limit int, order string, sh readShape) ([]content.Article, error) {
	pre := media.PreloadFrom(ctx)
	var dc string
	var args []any
	if sh.detail && sh.served != nil {
		dc, args = s.detailCols(sh.served) // related articles (detail_read.go)
	}
	build := func() string {
		cols := s.relationCols(sh)
		if dc != "" {
			cols += ", " + dc
		}
		q := "SELECT " + s.pageCols(sh) + ", " + cols + " FROM (" + page + ") p LEFT JOIN categories pcat ON pcat.id = p.category_id"
		if relationsKey(s.db.dialect, sh).served {
			q += servedJoin
		}
		if order != "" {
			q += " ORDER BY " + order
		}
		return q
	}
	var q string
	if pageKey != nil {
		k := stmtKey{page: *pageKey, relations: relationsKey(s.db.dialect, sh), order: order}
		if sh.detail && sh.served != nil {
			k.related = sh.served.Related
		}
		q = stmtTexts.get(k, build)
	} else {
		q = build()
	}
	// The columns' placeholders come first.
	args = append(args, pageArgs...)
	var arts []content.Article
	if limit > 0 && limit <= 1000 {
		arts = make([]content.Article, 0, limit) // an Article is large: growing the slice copied each several times
	}
	var mediaIDs []uuid.UUID
	var found []media.Media
	err := s.db.queryRows(ctx, q, args, func(rows rowSource) error {
		return scanPublic(rows, sh.titleKey, func(r *publicRow) error {
			a, err := r.article(sh)
			if err != nil {
				return err
			}
			var related []mediaJSON
			if sh.detail {
				if related, err = decodeDetail(r, &a); err != nil {
					return err
				}
			}
			arts = append(arts, a)
			if pre != nil {
				if a.CoverMediaID != nil {
					mediaIDs = append(mediaIDs, *a.CoverMediaID)
				}
				mediaIDs = append(mediaIDs, a.GalleryMediaIDs...)
				for _, x := range a.Related {
					if x.CoverMediaID != nil {
						mediaIDs = append(mediaIDs, *x.CoverMediaID)
					}
				}
				ms, err := decodeMedia(append(r.media, related...))
				if err != nil {
					return fmt.Errorf("article %s: media: %w", a.ID, err)
				}
				found = append(found, ms...)
			}
			return nil
		})
	})
	if err != nil {
		return nil, markUnavailable(err)
	}
	if arts == nil {
		arts = []content.Article{}
	}
	if pre != nil {
		pre.Add(mediaIDs, found)
	}
	return arts, nil
}

// scanPublic reads the rows of a public read one at a time into a publicRow and calls each
// with it, scanning straight into the row's fields, where GORM's reflective scan cost a list
// page about a third of its CPU. The JSON columns reference the driver's buffer (rowSource's
// bytes), reused from row to row, so they are valid only during each.
func scanPublic(rows rowSource, sortKey bool, each func(*publicRow) error) error {
	cols := rows.columns()
	var r publicRow
	var card, trs, cat, detail, related, body, bodies []byte
	var key any
	dest := make([]any, len(cols))
	for i, c := range cols {
		switch c {
		case "id":
			dest[i] = rows.uuid(&r.Article.ID)
		case "status":
			dest[i] = &r.Article.Status
		case "published_at":
			dest[i] = rows.nullTime(&r.Article.PublishedAt)
		case "first_published_at":
			dest[i] = rows.nullTime(&r.Article.FirstPublishedAt)
		case "author_id":
			dest[i] = rows.nullUUID(&r.Article.AuthorID)
		case "category_id":
			dest[i] = rows.nullUUID(&r.Article.CategoryID)
		case "cover_media_id":
			dest[i] = rows.nullUUID(&r.Article.CoverMediaID)
		case "featured":
			dest[i] = &r.Article.Featured
		case "read_count":
			dest[i] = &r.Article.ReadCount
		case "version":
			dest[i] = &r.Article.Version
		case "created_at":
			dest[i] = rows.time(&r.Article.CreatedAt)
		case "updated_at":
			dest[i] = rows.time(&r.Article.UpdatedAt)
		case "deleted_at":
			dest[i] = rows.nullTime(&r.Article.DeletedAt)
		case "card":
			dest[i] = rows.bytes(&card)
		case "former_slug_locale":
			dest[i] = &r.FormerSlugLocale
		case "sort_key":
			dest[i] = rows.skip()
			if sortKey { // the cursor of sort=title carries it
				dest[i] = &key
			}
		case "translations_json":
			dest[i] = rows.bytes(&trs)
		case "category_json":
			dest[i] = rows.bytes(&cat)
		case "detail":
			dest[i] = rows.bytes(&detail)
		case "related_json":
			dest[i] = rows.bytes(&related)
		case "served_body":
			dest[i] = rows.bytes(&body)
		case "bodies_json":
			dest[i] = rows.bytes(&bodies)
		case "served_locale":
			dest[i] = &r.ServedLocale
		default:
			dest[i] = rows.skip() // sort_id and the like: ordering only
		}
	}
	for rows.next() {
		r = publicRow{}
		if err := rows.scan(dest...); err != nil {
			return err
		}
		r.Article.Card, r.TranslationsJSON, r.CategoryJSON = card, trs, cat
		r.DetailJSON, r.RelatedJSON, r.ServedBody, r.BodiesJSON = detail, related, body, bodies
		switch k := key.(type) {
		case []byte:
			r.SortKey = k
		case string:
			r.SortKey = []byte(k)
		}
		if err := each(&r); err != nil {
			return err
		}
	}
	return rows.err()
}

type translationJSON struct {
	Locale          string `json:"locale"`
	Title           string `json:"title"`
	Slug            string `json:"slug"`
	Summary         string `json:"summary"`
	Body            string `json:"body"`
	MetaTitle       string `json:"meta_title"`
	MetaDescription string `json:"meta_description"`
	ReadingMinutes  int    `json:"reading_minutes"`
}

// translationsOf maps translations as public reads aggregate them to the domain.
func translationsOf(trs []translationJSON) []content.Translation {
	out := make([]content.Translation, len(trs))
	for i, t := range trs {
		out[i] = content.Translation{Locale: t.Locale, Title: t.Title, Slug: t.Slug, Summary: t.Summary, Body: t.Body,
			MetaTitle: t.MetaTitle, MetaDescription: t.MetaDescription, ReadingMinutes: t.ReadingMinutes}
	}
	return out
}

type termJSON struct {
	ID          uuid.UUID `json:"id"`
	Locale      string    `json:"locale"`
	Name        string    `json:"name"`
	Slug        string    `json:"slug"`
	Description string    `json:"description"`
	UpdatedAt   jsonTime  `json:"updated_at"`
}

// jsonTime is a timestamp as a dialect's JSON functions write it: RFC 3339 (PostgreSQL) or
// the text SQLite stores; absent or unparsable is the zero time (a validator that falls
// back to the article's own time).
type jsonTime time.Time

func (t *jsonTime) UnmarshalJSON(b []byte) error {
	var s string
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		s = string(b[1 : n-1]) // a timestamp has no escapes: skip the decoder
	} else if json.Unmarshal(b, &s) != nil {
		return nil
	}
	if s == "" {
		return nil
	}
	// The layouts of the text's separator first: a failed time.Parse allocates its error,
	// and cards carry a time per tag and media item.
	layouts := timeLayoutsT
	if len(s) > 10 && s[10] == ' ' {
		layouts = timeLayoutsSpace
	}
	for _, layout := range layouts {
		if v, err := time.Parse(layout, s); err == nil {
			*t = jsonTime(v.UTC())
			return nil
		}
	}
	return nil
}

var (
	timeLayoutsT     = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"}
	timeLayoutsSpace = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"}
)

type mediaJSON struct {
	ID         uuid.UUID  `json:"id"`
	Kind       string     `json:"kind"`
	MIME       string     `json:"mime"`
	Size       int64      `json:"size"`
	Width      int        `json:"width"`
	Height     int        `json:"height"`
	SHA256     string     `json:"sha256"`
	Key        string     `json:"key"`
	Filename   string     `json:"filename"`
	Variants   string     `json:"variants"`
	UploadedBy *uuid.UUID `json:"uploaded_by"`
	UpdatedAt  jsonTime   `json:"updated_at"`
	// FocalX and FocalY come with a single article's media, not with cards (lists).
	FocalX       *float64 `json:"focal_x"`
	FocalY       *float64 `json:"focal_y"`
	Translations []struct {
		Locale  string `json:"locale"`
		Alt     string `json:"alt"`
		Caption string `json:"caption"`
		Credit  string `json:"credit"`
	} `json:"translations"`
}

// decodeJSON reads a JSON array column; NULL (PostgreSQL's empty aggregate) leaves v alone.
func decodeJSON(b []byte, v any) error {
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, v)
}

// article maps the row to the domain. Translation timestamps are not loaded: no public
// response shows them.
func (r *publicRow) article(sh readShape) (content.Article, error) {
	a := articleFromRow(r.Article)
	a.FormerSlugLocale = r.FormerSlugLocale
	if sh.titleKey {
		a.SortKey = hex.EncodeToString(r.SortKey)
	}
	card, err := cardMemo.get(r.Article.Card, decodeCard) // shared: read only
	if err != nil {
		return a, fmt.Errorf("article %s: card: %w", r.Article.ID, err)
	}
	r.media = capped(card.Media) // an append copies
	var times []termJSON
	if sh.detail {
		if r.detail, err = detailMemo.get(r.DetailJSON, decodeDetailDoc); err != nil { // shared: read only
			return a, fmt.Errorf("article %s: detail: %w", r.Article.ID, err)
		}
		r.media, times = capped(r.detail.Media), r.detail.TagTimes
		a.GalleryMediaIDs = capped(r.detail.gallery)
	}
	a.Translations = capped(card.translations)
	switch {
	case sh.body && sh.served != nil:
		if a.Translations, err = r.servedTranslations(card.translations); err != nil {
			return a, fmt.Errorf("article %s: bodies: %w", r.Article.ID, err)
		}
	case sh.body:
		trs, err := translationsMemo.get(r.TranslationsJSON, decodeTranslations) // shared: read only
		if err != nil {
			return a, fmt.Errorf("article %s: translations: %w", r.Article.ID, err)
		}
		a.Translations = capped(*trs)
	}
	a.Tags, a.TagIDs = capped(card.tags), capped(card.tagIDs)
	if len(times) > 0 && card.tags != nil {
		a.Tags = append([]content.Tag(nil), card.tags...) // their times are set below
	}
	for _, tt := range times {
		for i := range a.Tags {
			if a.Tags[i].ID == tt.ID {
				a.Tags[i].UpdatedAt = time.Time(tt.UpdatedAt)
			}
		}
	}
	if a.CategoryID != nil {
		pc, err := termsMemo.get(r.CategoryJSON, decodeTerms) // shared: read only
		if err != nil {
			return a, fmt.Errorf("article %s: category: %w", r.Article.ID, err)
		}
		if c := pc.category; c != nil && c.ID == *a.CategoryID {
			a.Category = c
		}
	}
	return a, nil
}

// servedTranslations are a detail's translations: the card's, with the served one's body,
// or every body when that one is empty.
func (r *publicRow) servedTranslations(card []content.Translation) ([]content.Translation, error) {
	trs := append([]content.Translation(nil), card...) // the card's are shared
	if r.BodiesJSON != nil {
		var bodies []struct{ Locale, Body string }
		if err := decodeJSON(r.BodiesJSON, &bodies); err != nil {
			return nil, err
		}
		for _, b := range bodies {
			for i := range trs {
				if trs[i].Locale == b.Locale {
					trs[i].Body = b.Body
				}
			}
		}
		return trs, nil
	}
	for i := range trs {
		if trs[i].Locale == r.ServedLocale {
			body, err := bodyMemo.get(r.ServedBody, func(b []byte, v *string) error { *v = string(b); return nil })
			if err != nil {
				return nil, err
			}
			trs[i].Body = *body
		}
	}
	return trs, nil
}

// decodeMedia maps media JSON to media items (with updated_at when the JSON carries it,
// for validators, but not created_at, which no public response shows).
func decodeMedia(ms []mediaJSON) ([]media.Media, error) {
	out := make([]media.Media, len(ms))
	for i, m := range ms {
		out[i] = media.Media{ID: m.ID, Kind: media.Kind(m.Kind), MIME: m.MIME, Size: m.Size, Width: m.Width, Height: m.Height,
			SHA256: m.SHA256, Key: m.Key, Filename: m.Filename, UploadedBy: m.UploadedBy, UpdatedAt: time.Time(m.UpdatedAt), Variants: []media.Variant{},
			Focal: focalPoint(m.FocalX, m.FocalY)}
		if err := json.Unmarshal([]byte(m.Variants), &out[i].Variants); err != nil {
			return nil, fmt.Errorf("media %s: variants: %w", m.ID, err)
		}
		for _, t := range m.Translations {
			out[i].Translations = append(out[i].Translations, media.Translation{Locale: t.Locale, Alt: t.Alt, Caption: t.Caption, Credit: t.Credit})
		}
	}
	return out, nil
}

// readCategories runs page — a query over "categories AS c" selecting id, position,
// created_at, updated_at and article_count — with each category's translations in the same
// statement.
func (s *Content) readCategories(ctx context.Context, page *gorm.DB, order string) ([]content.Category, error) {
	j := s.json()
	q := "SELECT p.*, " + j.array(j.object("locale", "ct.locale", "name", "ct.name", "slug", "ct.slug", "description", "ct.description"),
		"category_translations ct WHERE ct.category_id = p.id", "ct.locale") + " AS translations_json FROM (?) p"
	if order != "" {
		q += " ORDER BY " + order
	}
	var rows []struct {
		Row              categoryRow `gorm:"embedded"`
		ArticleCount     int64
		TranslationsJSON []byte
	}
	if err := s.db.conn(ctx).Raw(q, page).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]content.Category, len(rows))
	for i, r := range rows {
		var trs []termJSON
		if err := decodeJSON(r.TranslationsJSON, &trs); err != nil {
			return nil, fmt.Errorf("category %s: translations: %w", r.Row.ID, err)
		}
		c := content.Category{ID: r.Row.ID, Position: r.Row.Position, CreatedAt: utc(r.Row.CreatedAt), UpdatedAt: utc(r.Row.UpdatedAt),
			ArticleCount: r.ArticleCount, Translations: make([]content.CategoryTranslation, len(trs))}
		for k, t := range trs {
			c.Translations[k] = content.CategoryTranslation{Locale: t.Locale, Name: t.Name, Slug: t.Slug, Description: t.Description}
		}
		out[i] = c
	}
	return out, nil
}

// readTags runs page — a query over "tags AS g" selecting id, created_at, updated_at and,
// for lists, article_count and sort_name — with each tag's translations in the same
// statement.
func (s *Content) readTags(ctx context.Context, page *gorm.DB, order string) ([]content.Tag, error) {
	j := s.json()
	q := "SELECT p.*, " + j.array(j.object("locale", "tt.locale", "name", "tt.name", "slug", "tt.slug"),
		"tag_translations tt WHERE tt.tag_id = p.id", "tt.locale") + " AS translations_json FROM (?) p"
	if order != "" {
		q += " ORDER BY " + order
	}
	var rows []struct {
		Row              tagRow `gorm:"embedded"`
		ArticleCount     int64
		TranslationsJSON []byte
	}
	if err := s.db.conn(ctx).Raw(q, page).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]content.Tag, len(rows))
	for i, r := range rows {
		var trs []termJSON
		if err := decodeJSON(r.TranslationsJSON, &trs); err != nil {
			return nil, fmt.Errorf("tag %s: translations: %w", r.Row.ID, err)
		}
		t := content.Tag{ID: r.Row.ID, CreatedAt: utc(r.Row.CreatedAt), UpdatedAt: utc(r.Row.UpdatedAt), ArticleCount: r.ArticleCount,
			Translations: make([]content.TagTranslation, len(trs))}
		for k, tr := range trs {
			t.Translations[k] = content.TagTranslation{Locale: tr.Locale, Name: tr.Name, Slug: tr.Slug}
		}
		out[i] = t
	}
	return out, nil
}

// StaleCards lists the articles (at most 10) whose stored card differs from the view
// article_cards that defines it; there are none unless something bypassed the triggers.
func (db *DB) StaleCards(ctx context.Context) ([]string, error) {
	return db.staleStored(ctx, "articles", "article_cards", "card")
}

// StaleDetails is StaleCards for the articles' details and tag ids (the view
// article_details).
func (db *DB) StaleDetails(ctx context.Context) ([]string, error) {
	return db.staleStored(ctx, "articles", "article_details", "detail", "tag_ids")
}

// StaleRelatedCards lists up to 10 translations, as "article id:locale", whose stored
// related card (migration 00355), or what the related walk tests of it (00360), differs
// from the view article_related_card_view, is missing, or outlived its translation.
func (db *DB) StaleRelatedCards(ctx context.Context) ([]string, error) {
	differ := "c.card IS NOT v.card OR c.published_at IS NOT v.published_at OR c.live IS NOT v.live OR c.category_id IS NOT v.category_id OR c.tag_ids IS NOT v.tag_ids"
	if db.dialect == "postgres" {
		differ = "c.card::text IS DISTINCT FROM v.card::text OR (c.published_at, c.live, c.category_id, c.tag_ids) IS DISTINCT FROM (v.published_at, v.live, v.category_id, v.tag_ids)"
	}
	var keys []string
	err := db.gorm.WithContext(ctx).Raw("SELECT CAST(COALESCE(c.article_id, v.article_id) AS TEXT) || ':' || COALESCE(c.locale, v.locale)" +
		" FROM article_related_cards c FULL JOIN article_related_card_view v ON v.article_id = c.article_id AND v.locale = c.locale" +
		" WHERE " + differ + " LIMIT 10").Scan(&keys).Error
	return keys, err
}

// StaleCategoryCards is StaleCards for the categories' cards (the view category_cards).
func (db *DB) StaleCategoryCards(ctx context.Context) ([]string, error) {
	return db.staleStored(ctx, "categories", "category_cards", "card")
}

// staleStored lists the rows of table (at most 10) whose stored cols differ from the view
// that defines them (same column names, joined on id).
func (db *DB) staleStored(ctx context.Context, table, view string, cols ...string) ([]string, error) {
	differ := make([]string, len(cols))
	for i, col := range cols {
		differ[i] = "a." + col + " IS NOT c." + col
		if db.dialect == "postgres" {
			differ[i] = "a." + col + "::text IS DISTINCT FROM c." + col + "::text"
		}
	}
	var ids []string
	err := db.gorm.WithContext(ctx).Raw("SELECT CAST(a.id AS TEXT) FROM " + table + " a JOIN " + view + " c ON c.id = a.id WHERE " +
		strings.Join(differ, " OR ") + " LIMIT 10").Scan(&ids).Error
	return ids, err
}

// StaleCategoryCounts lists the categories (at most 10) whose stored count of live articles
// (category_counts, migration 00250) differs from a recount; there are none unless
// something bypassed the triggers.
func (db *DB) StaleCategoryCounts(ctx context.Context) ([]string, error) {
	var ids []string
	err := db.gorm.WithContext(ctx).Raw("SELECT CAST(c.id AS TEXT) FROM categories c WHERE COALESCE((SELECT n.live FROM category_counts n WHERE n.category_id = c.id), 0)" +
		" <> (SELECT COUNT(*) FROM articles a WHERE a.category_id = c.id AND a.deleted_at IS NULL AND a.status IN " + liveStatusIn +
		" AND a.published_at IS NOT NULL) LIMIT 10").Scan(&ids).Error
	return ids, err
}

// StaleTagCounts lists the tags (at most 10) whose stored count of live articles
// (tag_counts, migration 00310) differs from a recount; there are none unless something
// bypassed the triggers.
func (db *DB) StaleTagCounts(ctx context.Context) ([]string, error) {
	var ids []string
	err := db.gorm.WithContext(ctx).Raw("SELECT CAST(g.id AS TEXT) FROM tags g WHERE COALESCE((SELECT n.live FROM tag_counts n WHERE n.tag_id = g.id), 0)" +
		" <> (SELECT COUNT(*) FROM article_tags at JOIN articles a ON a.id = at.article_id WHERE at.tag_id = g.id AND a.deleted_at IS NULL" +
		" AND a.status IN " + liveStatusIn + " AND a.published_at IS NOT NULL) LIMIT 10").Scan(&ids).Error
	return ids, err
}
