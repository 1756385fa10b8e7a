package content

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// SyncStore is what delta sync reads from persistence (part of Store).
type SyncStore interface {
	// SyncArticlesByID returns the visible ones of ids, with bodies and galleries, in id
	// order.
	SyncArticlesByID(ctx context.Context, ids []uuid.UUID, now time.Time) ([]Article, error)
	// VisibleArticlesAfter returns up to limit visible articles with an id above after and
	// a translation in one of locales, with bodies and galleries, in id order.
	VisibleArticlesAfter(ctx context.Context, after uuid.UUID, locales []string, limit int, now time.Time) ([]Article, error)
	// TagsAfter returns up to limit tags with an id above after, in id order.
	TagsAfter(ctx context.Context, after uuid.UUID, limit int) ([]Tag, error)
	// MediaShown returns those of ids that a visible article shows (cover or gallery).
	MediaShown(ctx context.Context, ids []uuid.UUID, now time.Time) ([]uuid.UUID, error)
}

// MaxSyncPage bounds one page of a sync.
const MaxSyncPage = 200

// SyncArticlesByID returns the articles of ids the public can see now, as the detail
// endpoint shows them; the others (drafts, deleted, scheduled for later) are left out.
func (s *Service) SyncArticlesByID(ctx context.Context, ids []uuid.UUID) ([]Article, error) {
	if len(ids) > MaxSyncPage {
		ids = ids[:MaxSyncPage]
	}
	return s.store.SyncArticlesByID(ctx, ids, s.Now())
}

// VisibleArticlesAfter returns the next limit visible articles after the id after that
// have a translation in one of locales: the pages of an initial sync.
func (s *Service) VisibleArticlesAfter(ctx context.Context, after uuid.UUID, locales []string, limit int) ([]Article, error) {
	return s.store.VisibleArticlesAfter(ctx, after, locales, min(max(limit, 1), MaxSyncPage), s.Now())
}

// TagsAfter returns the next limit tags after the id after.
func (s *Service) TagsAfter(ctx context.Context, after uuid.UUID, limit int) ([]Tag, error) {
	return s.store.TagsAfter(ctx, after, min(max(limit, 1), MaxSyncPage))
}

// RecordDue records every scheduled publication due by now (see PublishDue), batch after
// batch, so that a sync answering next finds each in the change log whether or not the
// background loop has run yet.
func (s *Service) RecordDue(ctx context.Context) error {
	start := s.Now()
	for range 50 {
		if _, err := s.PublishDue(ctx); err != nil {
			return err
		}
		s.dueMu.Lock()
		done := !s.dueChecked.Before(start)
		s.dueMu.Unlock()
		if done {
			return nil
		}
	}
	return nil
}

// MediaShown returns those of ids (at most MaxSyncPage) that a visible article shows as its
// cover or in its gallery: the media a sync may tell about.
func (s *Service) MediaShown(ctx context.Context, ids []uuid.UUID) ([]uuid.UUID, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if len(ids) > MaxSyncPage {
		ids = ids[:MaxSyncPage]
	}
	return s.store.MediaShown(ctx, ids, s.Now())
}
