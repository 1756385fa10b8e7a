package content

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// SitemapBatch is how many articles WalkSitemap reads per statement.
const SitemapBatch = 5000

// SitemapEntry is what a sitemap says of a visible article: each translation's place, the
// last modification, the cover. Sitemaps read these rather than articles: a whole archive
// goes through them, and cards (summaries, tags, categories) would be decoded for nothing.
type SitemapEntry struct {
	ID           uuid.UUID
	PublishedAt  time.Time
	UpdatedAt    time.Time
	CoverMediaID *uuid.UUID
	// Translations are every translation, by locale; Title only when asked (news).
	Translations []SitemapTranslation
}

// SitemapTranslation is one translation's locale and slug (and title for news sitemaps).
type SitemapTranslation struct {
	Locale, Slug, Title string
}

// Translation returns the entry's translation into locale.
func (e SitemapEntry) Translation(locale string) (SitemapTranslation, bool) {
	for _, t := range e.Translations {
		if t.Locale == locale {
			return t, true
		}
	}
	return SitemapTranslation{}, false
}

// SitemapQuery selects visible articles for SitemapEntries, in (published_at, id) order.
type SitemapQuery struct {
	Now time.Time
	// OnlyLocale keeps only articles translated into it.
	OnlyLocale string
	// PublishedAfter keeps articles published at or after it.
	PublishedAfter *time.Time
	// Newest orders newest first (else oldest first).
	Newest bool
	// After continues from a row's (published_at, id), in the query's order.
	After *SitemapEntry
	// Skip rows, then return at most Limit.
	Skip, Limit int
	// Titles loads the translations' titles.
	Titles bool
}

// SitemapStore is what sitemaps need from persistence.
type SitemapStore interface {
	// SitemapEntries returns the visible articles q selects, in q's order, without cards:
	// one statement over the live index (published_at, id) and the translations' keys.
	SitemapEntries(ctx context.Context, q SitemapQuery) ([]SitemapEntry, error)
	// SitemapSkip returns the keys (ID, PublishedAt) of the q.Skip-th article q selects,
	// counting from 1, from the indexes alone; nil when there are fewer (or q.Skip is 0).
	SitemapSkip(ctx context.Context, q SitemapQuery) (*SitemapEntry, error)
	// CountVisibleByLocale counts the visible articles translated into each locale.
	CountVisibleByLocale(ctx context.Context, now time.Time) (map[string]int64, error)
}

// WalkSitemap calls fn with the visible articles translated into locale, oldest first
// (published_at, id), skipping the first skip and stopping after limit, a batch of
// SitemapBatch at a time, each statement continuing from the last row of the one before
// (the skipped rows are passed over first by SitemapSkip, on the indexes alone).
func (s *Service) WalkSitemap(ctx context.Context, locale string, skip, limit int, fn func([]SitemapEntry) error) error {
	q := SitemapQuery{Now: s.Now(), OnlyLocale: locale, Skip: max(skip, 0)}
	if q.Skip > 0 {
		last, err := s.store.SitemapSkip(ctx, q)
		if err != nil || last == nil {
			return err
		}
		q.Skip, q.After = 0, last
	}
	for limit > 0 {
		q.Limit = min(limit, SitemapBatch)
		es, err := s.store.SitemapEntries(ctx, q)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			return nil
		}
		if err := fn(es); err != nil {
			return err
		}
		if len(es) < q.Limit {
			return nil
		}
		limit -= len(es)
		last := es[len(es)-1]
		q.Skip, q.After = 0, &SitemapEntry{ID: last.ID, PublishedAt: last.PublishedAt}
	}
	return nil
}

// RecentSitemap returns the visible articles published at or after since, newest first,
// at most limit, with their titles (Google News sitemaps).
func (s *Service) RecentSitemap(ctx context.Context, since time.Time, limit int) ([]SitemapEntry, error) {
	return s.store.SitemapEntries(ctx, SitemapQuery{Now: s.Now(), PublishedAfter: &since, Newest: true, Limit: limit, Titles: true})
}

// SitemapCounts returns the number of visible articles translated into each locale, in
// one statement, remembered like list totals (per locale, under CountVisible's keys).
func (s *Service) SitemapCounts(ctx context.Context, locales []string) (map[string]int64, error) {
	now := s.Now()
	out := make(map[string]int64, len(locales))
	missing, gen := false, uint64(0)
	for _, loc := range locales {
		n, ok, g := s.cachedTotal(ListQuery{OnlyLocale: loc, Now: now})
		gen = g
		if !ok {
			missing = true
			break
		}
		out[loc] = n
	}
	if !missing {
		return out, nil
	}
	counts, err := s.store.CountVisibleByLocale(ctx, now)
	if err != nil {
		return nil, err
	}
	expires, ok := s.totalExpiry(ctx, now)
	for _, loc := range locales {
		out[loc] = counts[loc]
		if ok {
			s.storeTotal(ListQuery{OnlyLocale: loc, Now: now}, counts[loc], gen, expires)
		}
	}
	return out, nil
}
