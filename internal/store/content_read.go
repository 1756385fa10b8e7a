package store

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
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
// aggregates only the category's names (cheap, and a category is shared by too many
// articles to copy into cards). A single article adds its bodies and gallery as JSON
// columns aggregated beside the row. The SQL of every public read is built here.

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

// publicArticleCols are the article columns public reads select (the inner query's list).
const publicArticleCols = "a.id, a.status, a.published_at, a.first_published_at, a.author_id, a.category_id, a.cover_media_id, a.featured, a.read_count, a.version, a.created_at, a.updated_at, a.deleted_at, a.card"

// readShape says what a public read loads besides the article rows.
type readShape struct {
	body    bool // translation bodies
	gallery bool // the ordered gallery ids (single-article reads)
	media   bool // cover (and gallery) media items, for media.Preloaded
	// titleKey: the page's sort_key is a title key (sort=title), which cursors carry
	titleKey bool
	// served, when set with body, loads only the body the detail it asks for shows: the
	// served translation's, or every one when that is empty (the API then falls back along
	// its chain). The others were a third of a detail's JSON to build and decode.
	served *content.DetailOptions
}

// pageCategories aggregates the translations of the categories of the page p once per
// category, as pc(category_id, category_json): a page of 20 shares a few categories, and a
// subquery per row aggregated the same category again for each of its articles (pgbench,
// latest-20 list at 100,000 articles: 3,900 -> 5,400 statements/s). The category's
// updated_at (and, on the detail, the tags') make the article's Last-Modified: renaming one
// changes the response.
func (j jsonSQL) pageCategories() string {
	return "SELECT ct.category_id, " + j.categoryAgg() + " AS category_json" + categoryFrom +
		" WHERE ct.category_id IN (SELECT p.category_id FROM p) GROUP BY ct.category_id"
}

// rowCategory is pageCategories as a subquery per row of p (SQLite).
func (j jsonSQL) rowCategory() string {
	return "(SELECT " + j.categoryAgg() + categoryFrom + " WHERE ct.category_id = p.category_id) AS category_json"
}

// categoryAgg aggregates a category's translations (ct, with its category c: categoryFrom)
// as decodeTerms reads them.
func (j jsonSQL) categoryAgg() string {
	return j.agg + "(" + j.object("id", "c.id", "locale", "ct.locale", "name", "ct.name", "slug", "ct.slug",
		"description", "ct.description", "updated_at", "c.updated_at") + " ORDER BY ct.locale)"
}

const categoryFrom = " FROM category_translations ct JOIN categories c ON c.id = ct.category_id"

// relationCols are the JSON columns a public read over the articles aliased p aggregates
// besides the card and the category: bodies, the gallery and the gallery's media for the
// shapes that show them.
func (s *Content) relationCols(sh readShape) (string, []any) {
	key := sqlKey{what: "relations", dialect: s.db.dialect, body: sh.body, gallery: sh.gallery, media: sh.media && sh.gallery}
	served := sh.body && sh.served != nil
	if served {
		key.served, key.n = true, len(sh.served.Chain)
	}
	cols := sqlTexts.get(key, func() string { return s.json().relationColsSQL(key) })
	if !served {
		return cols, nil
	}
	return cols, servedArgs(sh.served)
}

// relationColsSQL is relationCols' text for key.
func (j jsonSQL) relationColsSQL(key sqlKey) string {
	cols := []string{"pc.category_json"}
	if key.body {
		body := "t.body"
		if key.served {
			// The served locale when its body is not empty, else '' (every body).
			sv := servedSQL("sb", "CASE WHEN sb.body = '' THEN '' ELSE sb.locale END", key.n)
			body = "CASE " + sv + " WHEN '' THEN t.body WHEN t.locale THEN t.body END"
		}
		tr := []string{"locale", "t.locale", "title", "t.title", "slug", "t.slug", "summary", "t.summary",
			"meta_title", "t.meta_title", "meta_description", "t.meta_description", "reading_minutes", "t.reading_minutes", "body", body}
		cols = append(cols, j.array(j.object(tr...), "article_translations t WHERE t.article_id = p.id", "t.locale")+" AS translations_json")
	}
	if key.gallery {
		cols = append(cols, j.array(j.object("id", "tg.id", "updated_at", "tg.updated_at"),
			"article_tags atg JOIN tags tg ON tg.id = atg.tag_id WHERE atg.article_id = p.id", "tg.id")+" AS tag_times_json")
		cols = append(cols, j.array("g.media_id",
			"(SELECT am.media_id, am.position FROM article_media am WHERE am.article_id = p.id ORDER BY am.position, am.media_id LIMIT "+strconv.Itoa(content.MaxGallery)+") g",
			"g.position, g.media_id")+" AS gallery_json")
	}
	if key.media {
		mt := j.array(j.object("locale", "mt.locale", "alt", "mt.alt", "caption", "mt.caption", "credit", "mt.credit"),
			"media_translations mt WHERE mt.media_id = m.id", "mt.locale")
		cols = append(cols, j.array(j.object("id", "m.id", "kind", "m.kind", "mime", "m.mime", "size", "m.size",
			"width", "m.width", "height", "m.height", "sha256", "m.sha256", "key", "m.storage_key", "filename", "m.filename",
			"variants", "m.variants", "uploaded_by", "m.uploaded_by", "updated_at", "m.updated_at", "focal_x", "m.focal_x", "focal_y", "m.focal_y", "translations", j.nest(mt)),
			// A UNION, not OR: with OR both planners scan the whole media table.
			"media m WHERE m.id IN (SELECT p.cover_media_id UNION SELECT am.media_id FROM article_media am WHERE am.article_id = p.id)", "m.id")+" AS media_json")
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
	// TagTimesJSON holds the tags' updated_at (single-article reads).
	TagTimesJSON     []byte
	TranslationsJSON []byte
	CategoryJSON     []byte
	GalleryJSON      []byte
	MediaJSON        []byte
	// BylinesJSON and RelatedJSON: the detail's byline and related articles (detail_read.go).
	BylinesJSON []byte
	RelatedJSON []byte

	media   []mediaJSON // set by article: the card's cover, or MediaJSON decoded
	SortKey []byte      // a list's ordering key; kept for the cursor of sort=title
}

// readPublic runs page — a query over "articles AS a" selecting publicArticleCols, ordered
// and limited — and loads the relations of its rows in the same statement. order is the
// page's ORDER BY over the alias p (the materialized page keeps the per-row subqueries to
// the page's rows: neither planner defers select-list subqueries past a sort).
func (s *Content) readPublic(ctx context.Context, page *gorm.DB, order string, sh readShape) ([]content.Article, error) {
	pre := media.PreloadFrom(ctx)
	sh.media = pre != nil
	j := s.json()
	if sh.body && sh.gallery {
		sh.served = content.DetailFrom(ctx)
	}
	cols, args := s.relationCols(sh)
	args = append([]any{page}, args...)
	if sh.gallery {
		dc, da := s.detailCols(ctx) // byline and related articles (detail_read.go)
		cols, args = cols+", "+dc, append(args, da...)
	}
	q := "WITH p AS MATERIALIZED (?), pc AS (" + j.pageCategories() + ") SELECT p.*, " + cols +
		" FROM p LEFT JOIN pc ON pc.category_id = p.category_id"
	if s.db.dialect == "sqlite" {
		// SQLite aggregates a category per row faster than it materializes and joins the
		// page (a detail: 1,040 -> 840 req/s with the CTE at 100,000 articles).
		q = "SELECT p.*, " + strings.Replace(cols, "pc.category_json", j.rowCategory(), 1) + " FROM (?) p"
		args = append(args[1:], page) // the columns' placeholders come first
	}
	if order != "" {
		q += " ORDER BY " + order
	}
	var arts []content.Article
	if l, ok := page.Statement.Clauses["LIMIT"].Expression.(clause.Limit); ok && l.Limit != nil && *l.Limit > 0 && *l.Limit <= 1000 {
		arts = make([]content.Article, 0, *l.Limit) // an Article is large: growing the slice copied each several times
	}
	var mediaIDs []uuid.UUID
	var found []media.Media
	err := s.db.queryRows(ctx, q, args, func(rows rowSource) error {
		return scanPublic(rows, func(r *publicRow) error {
			a, err := r.article(sh)
			if err != nil {
				return err
			}
			var related []mediaJSON
			if sh.gallery {
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
func scanPublic(rows rowSource, each func(*publicRow) error) error {
	cols := rows.columns()
	var r publicRow
	var card, trs, cat, tagTimes, gallery, med, bylines, related []byte
	var sortKey any
	dest := make([]any, len(cols))
	for i, c := range cols {
		switch c {
		case "id":
			dest[i] = rows.uuid(&r.Article.ID)
		case "status":
			dest[i] = &r.Article.Status
		case "published_at":
			dest[i] = &r.Article.PublishedAt
		case "first_published_at":
			dest[i] = &r.Article.FirstPublishedAt
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
			dest[i] = &r.Article.CreatedAt
		case "updated_at":
			dest[i] = &r.Article.UpdatedAt
		case "deleted_at":
			dest[i] = &r.Article.DeletedAt
		case "card":
			dest[i] = rows.bytes(&card)
		case "former_slug_locale":
			dest[i] = &r.FormerSlugLocale
		case "sort_key":
			dest[i] = &sortKey
		case "translations_json":
			dest[i] = rows.bytes(&trs)
		case "category_json":
			dest[i] = rows.bytes(&cat)
		case "tag_times_json":
			dest[i] = rows.bytes(&tagTimes)
		case "gallery_json":
			dest[i] = rows.bytes(&gallery)
		case "media_json":
			dest[i] = rows.bytes(&med)
		case "bylines_json":
			dest[i] = rows.bytes(&bylines)
		case "related_json":
			dest[i] = rows.bytes(&related)
		default:
			dest[i] = new(any) // sort_id and the like: ordering only
		}
	}
	for rows.next() {
		r = publicRow{}
		if err := rows.scan(dest...); err != nil {
			return err
		}
		r.Article.Card, r.TranslationsJSON, r.CategoryJSON, r.TagTimesJSON = card, trs, cat, tagTimes
		r.GalleryJSON, r.MediaJSON, r.BylinesJSON, r.RelatedJSON = gallery, med, bylines, related
		switch k := sortKey.(type) {
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
	trs := card.Translations
	if sh.body {
		trs = nil
		if err := decodeJSON(r.TranslationsJSON, &trs); err != nil {
			return a, fmt.Errorf("article %s: translations: %w", r.Article.ID, err)
		}
	}
	r.media = card.Media[:len(card.Media):len(card.Media)] // an append copies
	if sh.gallery {
		r.media = nil
		if err := decodeJSON(r.MediaJSON, &r.media); err != nil {
			return a, fmt.Errorf("article %s: media: %w", r.Article.ID, err)
		}
	}
	if sh.body {
		a.Translations = translationsOf(trs)
	} else {
		a.Translations = capped(card.translations)
	}
	a.Tags, a.TagIDs = capped(card.tags), capped(card.tagIDs)
	if sh.gallery && card.tags != nil {
		a.Tags = append([]content.Tag(nil), card.tags...) // their times are set below
	}
	var times []termJSON
	if err := decodeJSON(r.TagTimesJSON, &times); err != nil {
		return a, fmt.Errorf("article %s: tag times: %w", r.Article.ID, err)
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
	if sh.gallery {
		a.GalleryMediaIDs = []uuid.UUID{}
		if err := decodeJSON(r.GalleryJSON, &a.GalleryMediaIDs); err != nil {
			return a, fmt.Errorf("article %s: gallery: %w", r.Article.ID, err)
		}
	}
	return a, nil
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
	differ := "a.card IS NOT c.card"
	if db.dialect == "postgres" {
		differ = "a.card::text IS DISTINCT FROM c.card::text"
	}
	var ids []string
	err := db.gorm.WithContext(ctx).Raw("SELECT CAST(a.id AS TEXT) FROM articles a JOIN article_cards c ON c.id = a.id WHERE " + differ + " LIMIT 10").Scan(&ids).Error
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
