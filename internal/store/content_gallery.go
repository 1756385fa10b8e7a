package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// An article's gallery is the ordered list of media ids in article_media. The content
// domain knows them only as ids; api composes the media items.

// MissingMedia implements content.Store: the ids among ids with no media row.
func (s *Content) MissingMedia(ctx context.Context, ids []uuid.UUID) ([]uuid.UUID, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var found []uuid.UUID
	if err := s.db.conn(ctx).Table("media").Where("id IN ?", ids).Pluck("id", &found).Error; err != nil {
		return nil, err
	}
	have := make(map[uuid.UUID]bool, len(found))
	for _, id := range found {
		have[id] = true
	}
	var missing []uuid.UUID
	for _, id := range ids {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// saveGallery replaces the article's gallery rows with a.GalleryMediaIDs, in order.
func (s *Content) saveGallery(ctx context.Context, a content.Article) error {
	conn := s.db.conn(ctx)
	if err := conn.Where("article_id = ?", a.ID).Delete(&articleMediaRow{}).Error; err != nil {
		return err
	}
	for i, id := range a.GalleryMediaIDs {
		if err := conn.Create(&articleMediaRow{ArticleID: a.ID, MediaID: id, Position: i}).Error; err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// loadGallery fills a.GalleryMediaIDs (single-article reads; lists carry covers only).
func (s *Content) loadGallery(ctx context.Context, a *content.Article) error {
	ids := []uuid.UUID{}
	if err := s.db.conn(ctx).Model(&articleMediaRow{}).Where("article_id = ?", a.ID).
		Order("position, media_id").Limit(content.MaxGallery).Pluck("media_id", &ids).Error; err != nil {
		return err
	}
	a.GalleryMediaIDs = ids
	return nil
}
