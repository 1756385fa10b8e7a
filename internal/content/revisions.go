package content

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Revision is an article as it was saved at one version, with all its translations.
type Revision struct {
	ArticleID uuid.UUID
	Version   int
	// Article is the snapshot; Category and Tags are not filled.
	Article Article
	// ActorID is who saved this version, when known.
	ActorID   *uuid.UUID
	CreatedAt time.Time
}

// Revisions lists an article's saved versions, newest first, if viewer may read it.
func (s *Service) Revisions(ctx context.Context, viewer Actor, id uuid.UUID, limit, offset int) ([]Revision, int64, error) {
	if _, err := s.AdminArticle(ctx, viewer, id); err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > MaxPerPage {
		limit = DefaultPerPage
	}
	return s.store.Revisions(ctx, id, limit, max(offset, 0))
}

// Revision returns one saved version of an article, if viewer may read it.
func (s *Service) Revision(ctx context.Context, viewer Actor, id uuid.UUID, version int) (Revision, error) {
	if _, err := s.AdminArticle(ctx, viewer, id); err != nil {
		return Revision{}, err
	}
	return s.store.Revision(ctx, id, version)
}

// dropMissingMedia removes from a the cover and gallery items that no longer exist.
func (s *Service) dropMissingMedia(ctx context.Context, a *Article) error {
	ids := append([]uuid.UUID{}, a.GalleryMediaIDs...)
	if a.CoverMediaID != nil {
		ids = append(ids, *a.CoverMediaID)
	}
	missing, err := s.store.MissingMedia(ctx, ids)
	if err != nil || len(missing) == 0 {
		return err
	}
	gone := map[uuid.UUID]bool{}
	for _, id := range missing {
		gone[id] = true
	}
	if a.CoverMediaID != nil && gone[*a.CoverMediaID] {
		a.CoverMediaID = nil
	}
	kept := a.GalleryMediaIDs[:0]
	for _, id := range a.GalleryMediaIDs {
		if !gone[id] {
			kept = append(kept, id)
		}
	}
	a.GalleryMediaIDs = kept
	return nil
}

// RestoreRevision saves the content of revision n (translations, category, cover, featured,
// tags) as a new version of the article; history is never rewritten. The workflow status
// and publication date stay as they are now: restoring text does not publish or unpublish.
func (s *Service) RestoreRevision(ctx context.Context, actor Actor, id uuid.UUID, version, n int) (Article, error) {
	return s.write(ctx, "article.restore", actor, id, version, canEdit, func(a *Article) error {
		r, err := s.store.Revision(ctx, id, n)
		if err != nil {
			return err
		}
		old := r.Article
		a.CategoryID, a.CoverMediaID, a.Featured = old.CategoryID, old.CoverMediaID, old.Featured
		a.TagIDs = append([]uuid.UUID{}, old.TagIDs...)
		// Media deleted since that version are left out rather than blocking the restore.
		a.GalleryMediaIDs = append([]uuid.UUID{}, old.GalleryMediaIDs...)
		if err := s.dropMissingMedia(ctx, a); err != nil {
			return err
		}
		now := s.Now()
		a.Translations = make([]Translation, len(old.Translations))
		for i, t := range old.Translations {
			t.UpdatedAt = now
			a.Translations[i] = t
		}
		return nil
	})
}
