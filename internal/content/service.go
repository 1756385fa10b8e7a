package content

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// Store is what the content domain needs from persistence; internal/store implements it.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error

	// ListVisibleArticles returns up to q.Limit+1 visible articles (the extra one tells the
	// caller a next page exists) and, if q.CountTotal, the number of matches.
	ListVisibleArticles(ctx context.Context, q ListQuery) ([]Article, int64, error)
	// CountVisibleArticles counts the visible articles matching q's filters.
	CountVisibleArticles(ctx context.Context, q ListQuery) (int64, error)
	// NextPublishAt is the earliest publication time after now of a live article.
	NextPublishAt(ctx context.Context, now time.Time) (at time.Time, has bool, err error)
	// VisibleArticle finds a visible article by id, or by slug in any locale; when several
	// share the slug, the one whose slug's locale comes first in prefer wins.
	VisibleArticle(ctx context.Context, id *uuid.UUID, slug string, prefer []string, now time.Time) (Article, error)
	// Redirects returns a page of the former slugs of visible articles that redirect (the
	// article has a translation in the slug's locale, and no current translation holds the
	// slug), by locale and slug, and their number.
	Redirects(ctx context.Context, now time.Time, limit, offset int) ([]Redirect, int64, error)
	// VisibleArticlesByID returns the visible articles among ids, in the order of ids.
	VisibleArticlesByID(ctx context.Context, ids []uuid.UUID, now time.Time) ([]Article, error)
	CountArticles(ctx context.Context) (int64, error)
	CreateArticle(ctx context.Context, a Article) error

	Categories(ctx context.Context, now time.Time) ([]Category, error)
	// Category finds a category by id or by slug, preferring as VisibleArticle does.
	Category(ctx context.Context, id *uuid.UUID, slug string, prefer []string) (Category, error)
	CreateCategory(ctx context.Context, c Category) error

	// Tags returns a page of tags in q's order, each with its count of visible articles,
	// and the number of tags.
	Tags(ctx context.Context, q TagQuery) ([]Tag, int64, error)
	// Tag finds a tag by id or by slug, preferring as VisibleArticle does.
	Tag(ctx context.Context, id *uuid.UUID, slug string, prefer []string) (Tag, error)
	CreateTag(ctx context.Context, t Tag) error

	Settings(ctx context.Context) ([]Setting, error)
	PutSetting(ctx context.Context, s Setting) error

	AdminStore
	ScheduleStore
	SyncStore
	SitemapStore
	// Issue 17: preview links and author profiles.
	PreviewStore
	AuthorStore
	ImportStore
}

// AdminStore is what the admin write rules need from persistence (see admin.go).
type AdminStore interface {
	// ArticleByID returns an article in any status, deleted ones included, with its
	// translations (bodies too), tags and category.
	ArticleByID(ctx context.Context, id uuid.UUID) (Article, error)
	// ListArticles returns a page of articles in any status (not deleted), most recently
	// updated first, without bodies, and the number of matches.
	ListArticles(ctx context.Context, q AdminQuery) ([]Article, int64, error)
	// SaveArticle writes a (fields, translations, tag links) if its stored version is still
	// expectVersion, and sets it to a.Version; the compare-and-set is one SQL statement.
	// It returns ErrNotFound or a *VersionConflictError carrying the current version.
	SaveArticle(ctx context.Context, a Article, expectVersion int) error
	// UnknownFilterRefs returns which of a list filter's category (when not "") and tags,
	// ids or slugs in any locale, name nothing.
	UnknownFilterRefs(ctx context.Context, category string, tags []string) (categoryUnknown bool, unknownTags []string, err error)
	// MissingRefs reports whether the category (when not nil) and the tags exist.
	MissingRefs(ctx context.Context, categoryID *uuid.UUID, tagIDs []uuid.UUID) (categoryMissing bool, missingTags []uuid.UUID, err error)
	// TakenSlugs returns the slugs of kind in locale, held by records other than except,
	// that equal base or, unless exact, look like base-N.
	TakenSlugs(ctx context.Context, kind SlugKind, locale, base string, except uuid.UUID, exact bool) ([]string, error)
	// TakenExactSlugs returns those of slugs (locale and slug) that articles other than
	// except hold.
	TakenExactSlugs(ctx context.Context, except uuid.UUID, slugs []FormerSlug) ([]FormerSlug, error)

	// ArticlesWithTag returns the (not deleted) articles that carry the tag.
	ArticlesWithTag(ctx context.Context, tagID uuid.UUID) ([]uuid.UUID, error)
	// AddFormerSlugs records slugs the article's translations no longer have.
	AddFormerSlugs(ctx context.Context, articleID uuid.UUID, slugs []FormerSlug, at time.Time) error
	// AddRevision stores r unless the article already has a revision with that version.
	AddRevision(ctx context.Context, r Revision) error
	Revisions(ctx context.Context, articleID uuid.UUID, limit, offset int) ([]Revision, int64, error)
	Revision(ctx context.Context, articleID uuid.UUID, version int) (Revision, error)

	UpdateCategory(ctx context.Context, c Category) error
	DeleteCategory(ctx context.Context, id uuid.UUID) error
	// CountCategoryArticles counts the live (not deleted) articles in a category.
	CountCategoryArticles(ctx context.Context, id uuid.UUID) (int64, error)
	UpdateTag(ctx context.Context, t Tag) error
	DeleteTag(ctx context.Context, id uuid.UUID) error
	DeleteSetting(ctx context.Context, key, locale string) error
	// MissingMedia returns the ids among ids that name no media item (covers, galleries).
	MissingMedia(ctx context.Context, ids []uuid.UUID) ([]uuid.UUID, error)
}

// Service holds the content rules; handlers call one method each.
type Service struct {
	store      Store
	clock      func() time.Time
	render     *renderer
	totals     totals
	locales    map[string]bool // nil: any well-formed locale code
	localeList []string
	// authorsReadAll lets authors read others' articles in the Admin API (visibility.go).
	authorsReadAll bool
	// log is the write seam (record.go).
	log *changes.Log
	// dueChecked is when PublishDue last found everything due recorded; claimsPruned when
	// it last dropped claims too old to be consulted.
	dueMu        sync.Mutex
	dueChecked   time.Time
	claimsPruned time.Time
	// previews signs and bounds preview links (preview.go).
	previews    PreviewPolicy
	previewOnce sync.Once
}

// Option configures a Service.
type Option func(*Service)

// WithLocales limits translations to the site's locales.
func WithLocales(codes []string) Option {
	return func(s *Service) {
		s.locales = map[string]bool{}
		s.localeList = append([]string(nil), codes...)
		for _, c := range codes {
			s.locales[c] = true
		}
	}
}

// NewService returns a Service over store; clock is injected so visibility is testable.
func NewService(store Store, clock func() time.Time, opts ...Option) *Service {
	if clock == nil {
		clock = time.Now
	}
	s := &Service{store: store, clock: clock, render: newRenderer()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// NextPublishAt is the earliest publication time after now of a live article, so caches
// can expire the moment it becomes visible; has is false when none is due.
func (s *Service) NextPublishAt(ctx context.Context, now time.Time) (at time.Time, has bool, err error) {
	return s.store.NextPublishAt(ctx, now)
}

// Now is the service's clock, in UTC.
func (s *Service) Now() time.Time { return s.clock().UTC() }

// ListArticles returns one page of visible articles.
func (s *Service) ListArticles(ctx context.Context, q ListQuery) (Page, error) {
	if q.Sort == "" {
		q.Sort = DefaultSort
	}
	if q.Limit <= 0 {
		q.Limit = DefaultPerPage
	}
	if q.Limit > MaxPerPage {
		q.Limit = MaxPerPage
	}
	if q.After != nil {
		if q.After.Sort != q.Sort {
			return Page{}, errs.InvalidFields(errs.Field("cursor", "was made for sort "+string(q.After.Sort)+", not "+string(q.Sort)))
		}
		q.Offset = 0
		q.CountTotal = false
	}
	if err := checkFilterSyntax(q); err != nil {
		return Page{}, err
	}
	q.Now = s.Now()
	wantTotal := q.CountTotal
	var total int64
	if wantTotal && s.totals.ttl > 0 {
		n, err := s.total(ctx, q)
		if err != nil {
			return Page{}, err
		}
		total, q.CountTotal = n, false
	}
	arts, counted, err := s.store.ListVisibleArticles(ctx, q)
	if err != nil {
		return Page{}, err
	}
	if err := s.checkFilterRefs(ctx, q, arts); err != nil {
		return Page{}, err
	}
	if q.CountTotal {
		total = counted
	}
	p := Page{Total: -1}
	if wantTotal {
		p.Total = total
	}
	if len(arts) > q.Limit {
		arts = arts[:q.Limit]
		p.Next = CursorAfter(arts[len(arts)-1], q.Sort, q.Chain)
	}
	p.Articles = arts
	return p, nil
}

// MaxTagFilters bounds the tags one list may filter by.
const MaxTagFilters = 20

// checkFilterSyntax refuses filters no category or tag could have (no database needed).
func checkFilterSyntax(q ListQuery) error {
	var fields []errs.FieldError
	if q.Category != "" && !validRef(q.Category) {
		fields = append(fields, errs.Field("category", "no category has this id or slug"))
	}
	if len(q.Tags) > MaxTagFilters {
		return errs.Invalidf("tag", "at most %d tags", MaxTagFilters)
	}
	for _, t := range q.Tags {
		if !validRef(t) {
			fields = append(fields, errs.Field("tag", "no tag has this id or slug"))
			break
		}
	}
	if len(fields) > 0 {
		return &UnknownFilterError{Fields: fields}
	}
	return nil
}

// checkFilterRefs fails when the list's category or a tag names nothing, so a typo is not
// an empty page. What the page itself shows exists (its articles carry their category and
// every tag with every slug), so only refs the page does not show cost a query: none on
// the usual filtered page.
func (s *Service) checkFilterRefs(ctx context.Context, q ListQuery, arts []Article) error {
	category := q.Category
	if len(arts) > 0 {
		category = "" // every article matched it
	}
	var tags []string
	for _, ref := range q.Tags {
		if !anyHasTag(arts, ref) {
			tags = append(tags, ref)
		}
	}
	if category == "" && len(tags) == 0 {
		return nil
	}
	catUnknown, unknownTags, err := s.store.UnknownFilterRefs(ctx, category, tags)
	if err != nil {
		return err
	}
	var fields []errs.FieldError
	if catUnknown {
		fields = append(fields, errs.Field("category", fmt.Sprintf("no category has the id or slug %q", category)))
	}
	for _, t := range unknownTags {
		fields = append(fields, errs.Field("tag", fmt.Sprintf("no tag has the id or slug %q", t)))
	}
	if len(fields) > 0 {
		return &UnknownFilterError{Fields: fields}
	}
	return nil
}

// anyHasTag reports whether an article among arts has the tag with id or slug ref.
func anyHasTag(arts []Article, ref string) bool {
	id, idErr := uuid.Parse(ref)
	for _, a := range arts {
		for _, t := range a.Tags {
			if idErr == nil && t.ID == id {
				return true
			}
			for _, tr := range t.Translations {
				if tr.Slug == ref {
					return true
				}
			}
		}
	}
	return false
}

// CursorAfter is the cursor that continues an ordering after a.
func CursorAfter(a Article, sort Sort, chain []string) *Cursor {
	c := &Cursor{Sort: sort, ID: a.ID}
	switch sort {
	case SortNewest, SortOldest:
		if a.PublishedAt != nil {
			c.Key = a.PublishedAt.UTC().Format(time.RFC3339Nano)
		}
	case SortMostRead:
		c.Key = strconv.FormatInt(a.ReadCount, 10)
	case SortTitle:
		c.Key = a.SortKey
	}
	return c
}

// Article returns a visible article by id or by the slug of any of its translations (or a
// slug one had before: then FormerSlugLocale is set and the caller redirects); when
// records in several locales share the slug, the locale earliest in prefer wins (the same
// rule for every slug lookup).
func (s *Service) Article(ctx context.Context, ref string, prefer []string) (Article, error) {
	if !validRef(ref) {
		return Article{}, ErrNotFound
	}
	if o := DetailFrom(ctx); o != nil {
		o.Now = s.Now()
		o.Related = min(max(o.Related, 0), MaxRelated)
	}
	if id, err := uuid.Parse(ref); err == nil {
		return s.store.VisibleArticle(ctx, &id, "", prefer, s.Now())
	}
	return s.store.VisibleArticle(ctx, nil, ref, prefer, s.Now())
}

// Redirects lists a page of former slugs that redirect to a current one (see
// Store.Redirects), and their number.
func (s *Service) Redirects(ctx context.Context, limit, offset int) ([]Redirect, int64, error) {
	if limit <= 0 || limit > MaxPerPage {
		limit = DefaultPerPage
	}
	return s.store.Redirects(ctx, s.Now(), limit, max(offset, 0))
}

// Categories lists every category with its count of visible articles.
func (s *Service) Categories(ctx context.Context) ([]Category, error) {
	return s.store.Categories(ctx, s.Now())
}

// Category finds a category by id or slug in any locale, preferring as Article does.
func (s *Service) Category(ctx context.Context, ref string, prefer []string) (Category, error) {
	id, slug := splitRef(ref)
	if id == nil && slug == "" {
		return Category{}, ErrNotFound
	}
	return s.store.Category(ctx, id, slug, prefer)
}

// Tags lists tags a page at a time with their counts of visible articles, most used first
// unless q says otherwise.
func (s *Service) Tags(ctx context.Context, q TagQuery) ([]Tag, int64, error) {
	if q.Limit <= 0 || q.Limit > MaxPerPage {
		q.Limit = DefaultPerPage
	}
	if q.Sort == "" {
		q.Sort = TagsByUse
	}
	q.Now = s.Now()
	return s.store.Tags(ctx, q)
}

// Tag finds a tag by id or slug in any locale, preferring as Article does.
func (s *Service) Tag(ctx context.Context, ref string, prefer []string) (Tag, error) {
	id, slug := splitRef(ref)
	if id == nil && slug == "" {
		return Tag{}, ErrNotFound
	}
	return s.store.Tag(ctx, id, slug, prefer)
}

// Settings returns every site setting in every locale.
func (s *Service) Settings(ctx context.Context) ([]Setting, error) {
	return s.store.Settings(ctx)
}

func splitRef(ref string) (*uuid.UUID, string) {
	if !validRef(ref) {
		return nil, ""
	}
	if id, err := uuid.Parse(ref); err == nil {
		return &id, ""
	}
	return nil, ref
}

// validRef rejects ids and slugs no stored record can have (empty, oversized, not UTF-8,
// NUL), so junk never reaches the database.
func validRef(ref string) bool {
	return ref != "" && len(ref) <= 300 && utf8.ValidString(ref) && !strings.ContainsRune(ref, 0)
}
