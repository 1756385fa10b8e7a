// Package content is Herald's editorial domain: articles with per-locale translations,
// categories, tags and site settings, the rules for what the public may see, and the Store
// interface the domain needs from persistence. It knows nothing of HTTP or SQL.
package content

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// Status is an article's place in the editorial workflow.
type Status string

const (
	Draft     Status = "draft"
	Scheduled Status = "scheduled"
	Published Status = "published"
	Archived  Status = "archived"
)

// Article is a news item with its translations. Category and Tags are filled by reads.
type Article struct {
	ID          uuid.UUID
	Status      Status
	PublishedAt *time.Time
	// FirstPublishedAt is when the article first became public (or was first scheduled
	// to); unpublishing keeps it.
	FirstPublishedAt *time.Time
	AuthorID         *uuid.UUID
	CategoryID       *uuid.UUID
	CoverMediaID     *uuid.UUID
	Featured         bool
	ReadCount        int64
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
	DeletedAt        *time.Time

	// FormerSlugLocale is set when a slug lookup found the article by a slug its
	// translation in that locale had before: the caller redirects to the current one.
	FormerSlugLocale string

	Translations []Translation
	TagIDs       []uuid.UUID
	// GalleryMediaIDs is the ordered gallery, filled by single-article reads (lists leave
	// it nil); api turns the ids into media items.
	GalleryMediaIDs []uuid.UUID

	Category *Category
	Tags     []Tag

	// Issue 17. BylineIDs are the byline's authors in order (filled by single-article
	// reads; nil leaves the stored byline alone on save), Bylines their profiles.
	BylineIDs []uuid.UUID
	Bylines   []Author
	// Related are the detail's related articles (cards: no bodies), newest first.
	Related []Article

	// SortKey is a list ordering's key when no field holds it (sort=title: the hex title
	// collation key the store orders by); list reads fill it, cursors carry it.
	SortKey string
}

// Translation is an article's text in one locale.
type Translation struct {
	Locale          string
	Title           string
	Slug            string
	Summary         string
	Body            string
	MetaTitle       string
	MetaDescription string
	ReadingMinutes  int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Translation returns the translation in locale, if the article has one.
func (a Article) Translation(locale string) (Translation, bool) {
	for _, t := range a.Translations {
		if t.Locale == locale {
			return t, true
		}
	}
	return Translation{}, false
}

// HasLocale reports whether the article is translated into locale.
func (a Article) HasLocale(locale string) bool {
	_, ok := a.Translation(locale)
	return ok
}

// Visible reports whether the public may read the article at now: published (or scheduled
// and due), not deleted.
func (a Article) Visible(now time.Time) bool {
	return a.DeletedAt == nil && (a.Status == Published || a.Status == Scheduled) &&
		a.PublishedAt != nil && !a.PublishedAt.After(now)
}

// Category groups articles; its name and slug are translated.
type Category struct {
	ID           uuid.UUID
	Position     int
	Translations []CategoryTranslation
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// ArticleCount is the number of visible articles, filled by list reads.
	ArticleCount int64
}

// CategoryTranslation is a category's name in one locale.
type CategoryTranslation struct {
	Locale      string
	Name        string
	Slug        string
	Description string
}

// Translation returns the category's translation in locale.
func (c Category) Translation(locale string) (CategoryTranslation, bool) {
	for _, t := range c.Translations {
		if t.Locale == locale {
			return t, true
		}
	}
	return CategoryTranslation{}, false
}

// Tag labels articles; its name and slug are translated.
type Tag struct {
	ID           uuid.UUID
	Translations []TagTranslation
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// ArticleCount is the number of visible articles with the tag (filled by lists).
	ArticleCount int64
}

// TagSort orders the tag list.
type TagSort string

const (
	// TagsByUse puts the tags of most visible articles first, then by name.
	TagsByUse TagSort = "-article_count"
	// TagsByName orders by the name in the served locale (then its fallbacks), in code
	// point order.
	TagsByName TagSort = "name"
)

// TagQuery selects a page of tags.
type TagQuery struct {
	// Chain is the served locale and its fallbacks: names are compared in it.
	Chain         []string
	Sort          TagSort
	Limit, Offset int
	Now           time.Time
}

// TagTranslation is a tag's name in one locale.
type TagTranslation struct {
	Locale string
	Name   string
	Slug   string
}

// Translation returns the tag's translation in locale.
func (t Tag) Translation(locale string) (TagTranslation, bool) {
	for _, tr := range t.Translations {
		if tr.Locale == locale {
			return tr, true
		}
	}
	return TagTranslation{}, false
}

// Setting is one site setting; Locale "" is shared by all locales.
type Setting struct {
	Key       string
	Locale    string
	Value     string
	UpdatedAt time.Time
}

// Sort orders article lists; only these values are accepted from clients.
type Sort string

const (
	SortNewest     Sort = "-published_at"
	SortOldest     Sort = "published_at"
	SortMostRead   Sort = "-read_count"
	SortTitle      Sort = "title"
	DefaultSort         = SortNewest
	MaxPerPage          = 100
	DefaultPerPage      = 20
)

// Sorts lists the accepted sort values.
var Sorts = []Sort{SortNewest, SortOldest, SortMostRead, SortTitle}

// ParseSort checks s against the allow-list; "" means the default.
func ParseSort(s string) (Sort, error) {
	if s == "" {
		return DefaultSort, nil
	}
	for _, v := range Sorts {
		if string(v) == s {
			return v, nil
		}
	}
	names := make([]string, len(Sorts))
	for i, v := range Sorts {
		names[i] = string(v)
	}
	return "", errs.InvalidFields(errs.Field("sort", fmt.Sprintf("must be one of %s", strings.Join(names, ", "))))
}

// Cursor is a position in a list ordering: the sort key and id of the last item seen.
type Cursor struct {
	Sort Sort
	Key  string
	ID   uuid.UUID
}

// ListQuery selects visible articles.
type ListQuery struct {
	// Chain is the served locale followed by its fallbacks; title sorting follows it.
	Chain []string
	// OnlyLocale, when set, keeps only articles translated into it (no fallbacks), in the
	// page, the total and the cursor alike.
	OnlyLocale      string
	Category        string   // id or slug in any locale
	Tags            []string // ids or slugs in any locale: an article with any of them matches
	Featured        *bool
	PublishedAfter  *time.Time
	PublishedBefore *time.Time
	// Q keeps only articles a translation of which matches this full-text query
	// (internal/search syntax, checked by the caller), each translation analysed for its
	// own locale.
	Q string
	// UpdatedSince keeps articles edited or published at or after it (updated_since).
	UpdatedSince *time.Time
	Sort         Sort
	Limit        int
	Offset       int
	After        *Cursor
	WithBody     bool
	// CountTotal asks for the total match count; cursor pages skip it.
	CountTotal bool
	Now        time.Time
}

// Page is one page of a list.
type Page struct {
	Articles []Article
	Total    int64 // -1 when not counted
	Next     *Cursor
}

// Errors of the domain; api maps them to HTTP.
var (
	ErrNotFound = errs.ErrNotFound
	ErrConflict = errs.ErrConflict
)

// UnknownFilterError says a list filter names a category or tag that does not exist
// (errs.NotFound); Fields name each filter (category, tag) with the reference.
type UnknownFilterError struct {
	Fields []errs.FieldError
}

func (e *UnknownFilterError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return strings.Join(parts, "; ")
}

// ErrorCode implements errs.Coder.
func (e *UnknownFilterError) ErrorCode() errs.Code { return errs.NotFound }

// ErrorMessage implements errs.Messager.
func (e *UnknownFilterError) ErrorMessage() string { return e.Error() }

// FormerSlug is a slug an article's translation had before.
type FormerSlug struct {
	Locale, Slug string
}

// Redirect maps a former slug to the current one of the same article and locale.
type Redirect struct {
	Locale    string
	From, To  string
	ArticleID uuid.UUID
	// Since is when the slug stopped being current.
	Since time.Time
}

// SortTranslations orders translations by the given locale order, unknown locales last.
func SortTranslations(ts []Translation, order []string) {
	rank := map[string]int{}
	for i, l := range order {
		rank[l] = i + 1
	}
	sort.SliceStable(ts, func(i, j int) bool {
		ri, rj := rank[ts[i].Locale], rank[ts[j].Locale]
		if ri == 0 {
			ri = len(order) + 1
		}
		if rj == 0 {
			rj = len(order) + 1
		}
		return ri < rj
	})
}
