package store

import (
	"context"
	"time"
)

// NextPublishAt returns the earliest publication time after now of a live article (a
// scheduled one, or a published one dated in the future), so that cached public responses
// can expire the moment it becomes visible. has is false when none is due.
func (s *Content) NextPublishAt(ctx context.Context, now time.Time) (at time.Time, has bool, err error) {
	var rows []struct{ PublishedAt *time.Time }
	err = s.db.conn(ctx).Table("articles AS a").Select("a.published_at").
		Where("a.deleted_at IS NULL AND a.status IN ? AND a.published_at > ?", liveStatuses, now.UTC()).
		Order("a.published_at").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 || rows[0].PublishedAt == nil {
		return time.Time{}, false, err
	}
	return rows[0].PublishedAt.UTC(), true, nil
}
