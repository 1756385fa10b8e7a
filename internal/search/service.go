package search

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/changes"
)

// Request is one search.
type Request struct {
	Query Query
	// Locales are the locales searched (each translation is analysed for its own locale, so
	// is the query); empty means every configured locale.
	Locales  []string
	Category string   // id or slug
	Tags     []string // ids or slugs: a hit has any of them
	From, To *time.Time
	Limit    int
	After    *Cursor
	// TitleOnly matches titles only (typeahead): its hits are shown by title alone, and a
	// Store may leave their CategoryID unset.
	TitleOnly bool
	// Facets asks for the counts per category and per locale of all hits.
	Facets bool
	Now    time.Time
}

// Cursor is the position after the last hit of a page, in rank order: score descending,
// then newest, then article id descending, then locale.
type Cursor struct {
	Score       int
	PublishedAt time.Time
	ArticleID   uuid.UUID
	Locale      string
}

// StoredHit is a matched translation as the Store finds it.
type StoredHit struct {
	ArticleID   uuid.UUID
	Locale      string
	Score       int
	PublishedAt time.Time
	CategoryID  *uuid.UUID
	Slug        string
	Title       string
	Summary     string
	Body        string // HTML
}

// Hit is a matched translation with its highlights (HTML-escaped text, matches in <mark>).
type Hit struct {
	StoredHit
	TitleHTML   string
	SnippetHTML string
}

// Facets count all hits of a search (not only a page's) per category and per locale.
type Facets struct {
	Categories map[uuid.UUID]int64 // uuid.Nil: without a category
	Locales    map[string]int64
	Total      int64
	// Estimated is set when the counts are estimates (a store may estimate them when a
	// search has more than FacetExactHits hits) rather than exact.
	Estimated bool
}

// FacetExactHits is how many hits a store counts exactly for facets: PostgreSQL counts
// the first this many (plus one) of each probe and, when there are more, scales the
// counts by the share of the table read to find them; every match otherwise costs a row
// read whatever the page.
const FacetExactHits = 500

// Result is a page of hits.
type Result struct {
	Hits   []Hit
	Next   *Cursor
	Facets *Facets
}

// Store is what search needs from persistence; internal/store implements it. The matches
// are one per searched locale, never empty.
type Store interface {
	// SearchHits returns up to r.Limit+1 visible hits after r.After in rank order and, when
	// r.Facets, the counts of all visible hits, exact up to FacetExactHits hits and
	// possibly estimated (Facets.Estimated) above; nil facets otherwise.
	SearchHits(ctx context.Context, ms []Match, r Request) ([]StoredHit, *Facets, error)
	// IndexArticles replaces the index documents of the articles ids with their current
	// translations', in the transaction ctx carries.
	IndexArticles(ctx context.Context, ids []uuid.UUID) error
	// EnsureSearchIndex makes the index match this analysis Version and every stored
	// translation (rebuilding all of it when rebuild is true), in batches that each commit,
	// calling progress with the articles indexed so far; it returns how many it indexed.
	EnsureSearchIndex(ctx context.Context, rebuild bool, progress func(done int)) (int, error)
	// TidySearchIndex does the index's housekeeping (PostgreSQL: a VACUUM when its rows were
	// rewritten), which may take a while on a large archive; nothing when there is none to do.
	TidySearchIndex(ctx context.Context) error
}

// Service runs searches and keeps the index current.
type Service struct {
	store   Store
	locales []string
}

// NewService returns the search service over store for the configured locales.
func NewService(store Store, locales []string) *Service {
	return &Service{store: store, locales: locales}
}

// Locales are the configured locales.
func (s *Service) Locales() []string { return s.locales }

// Search runs r: hits in rank order with highlights, and, if asked, facets.
func (s *Service) Search(ctx context.Context, r Request) (Result, error) {
	ms := s.matches(r)
	if len(ms) == 0 {
		res := Result{Hits: []Hit{}}
		if r.Facets {
			res.Facets = &Facets{Categories: map[uuid.UUID]int64{}, Locales: map[string]int64{}}
		}
		return res, nil
	}
	stored, facets, err := s.store.SearchHits(ctx, ms, r)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	res := Result{Hits: make([]Hit, 0, min(len(stored), r.Limit))}
	if len(stored) > r.Limit {
		last := stored[r.Limit-1]
		res.Next = &Cursor{Score: last.Score, PublishedAt: last.PublishedAt, ArticleID: last.ArticleID, Locale: last.Locale}
		stored = stored[:r.Limit]
	}
	byLocale := map[string]*matcher{}
	for _, m := range ms {
		mt := newMatcher(m)
		byLocale[m.Locale] = &mt
	}
	for _, h := range stored {
		mt := byLocale[h.Locale]
		hit := Hit{StoredHit: h, TitleHTML: mt.highlight(h.Title)}
		if !r.TitleOnly {
			hit.SnippetHTML = mt.hitSnippet(h.Summary, h.Body)
		}
		hit.Body = ""
		res.Hits = append(res.Hits, hit)
	}
	if r.Facets {
		res.Facets = facets
		if facets == nil {
			res.Facets = &Facets{Categories: map[uuid.UUID]int64{}, Locales: map[string]int64{}}
		}
	}
	return res, nil
}

// hitSnippet is the snippet of a hit matched by mt: about 30 words around the first match
// in its summary, else in its body (HTML), else the summary's start.
func (mt *matcher) hitSnippet(summary, body string) string {
	if s := mt.snippet(summary, 30); s != "" {
		return s
	}
	if s := mt.snippet(Text(body), 30); s != "" {
		return s
	}
	return Lead(mt.locale, summary, 30)
}

// matches analyses the query for every searched locale, leaving out those where it can
// match nothing (only stop words).
func (s *Service) matches(r Request) []Match {
	locs := r.Locales
	if len(locs) == 0 {
		locs = s.locales
	}
	var ms []Match
	for _, l := range locs {
		if m := r.Query.For(l); !m.Empty() {
			ms = append(ms, m)
		}
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Locale < ms[j].Locale })
	return ms
}

// Matches analyses q for locales (all configured when empty): what a list filtered by q
// asks the store for.
func (s *Service) Matches(q Query, locales []string) []Match {
	return s.matches(Request{Query: q, Locales: locales})
}

// IndexWrites is the changes.Hook that keeps the index current: in the transaction of
// every write that changed articles, their documents are replaced (a deleted article's go
// with its rows).
func (s *Service) IndexWrites(ctx context.Context, cs []changes.Change) error {
	var ids []uuid.UUID
	seen := map[uuid.UUID]bool{}
	for _, c := range cs {
		if c.EntityType != "article" {
			continue
		}
		id, err := uuid.Parse(c.EntityID)
		if err != nil || seen[id] {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil
	}
	if err := s.store.IndexArticles(ctx, ids); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// Ensure fills the index for what is missing (or all of it, when made by another analysis
// version, or when rebuild is set); see Store.EnsureSearchIndex.
func (s *Service) Ensure(ctx context.Context, rebuild bool, progress func(done int)) (int, error) {
	return s.store.EnsureSearchIndex(ctx, rebuild, progress)
}

// Tidy does the index's housekeeping; see Store.TidySearchIndex.
func (s *Service) Tidy(ctx context.Context) error { return s.store.TidySearchIndex(ctx) }
