package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/heraldcms/herald/internal/content"
)

// Delta sync's reads (internal/delta, api/sync.go): visible articles by id and in id order,
// tags in id order, and the bookkeeping of the change log's retention.

// SyncArticlesByID implements content.SyncStore in one query: the visible ones of ids,
// with bodies and galleries (the detail endpoint's shape), in id order.
func (s *Content) SyncArticlesByID(ctx context.Context, ids []uuid.UUID, now time.Time) ([]content.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	db := visible(s.db.conn(ctx).Table("articles AS a"), now).Select(articleCols(s.db.dialect, true)).Where("a.id IN ?", ids).Order("a.id")
	return s.readPublic(ctx, db, "p.id", readShape{body: true, detail: true})
}

// VisibleArticlesAfter implements content.SyncStore in one query: up to limit visible
// articles with an id above after and a translation in one of locales, in id order, with
// bodies and galleries.
func (s *Content) VisibleArticlesAfter(ctx context.Context, after uuid.UUID, locales []string, limit int, now time.Time) ([]content.Article, error) {
	db := visible(s.db.conn(ctx).Table("articles AS a"), now).Select(articleCols(s.db.dialect, true)).
		Where("a.id > ?", after).
		Where("EXISTS (SELECT 1 FROM article_translations sl WHERE sl.article_id = a.id AND sl.locale IN ?)", locales).
		Order("a.id").Limit(limit)
	return s.readPublic(ctx, db, "p.id", readShape{body: true, detail: true})
}

// TagsAfter implements content.SyncStore in one query: up to limit tags with an id above
// after, in id order, with their translations.
func (s *Content) TagsAfter(ctx context.Context, after uuid.UUID, limit int) ([]content.Tag, error) {
	page := s.db.conn(ctx).Table("tags AS g").Select("g.id, g.created_at, g.updated_at").
		Where("g.id > ?", after).Order("g.id").Limit(limit)
	return s.readTags(ctx, page, "p.id")
}

// MediaShown implements content.SyncStore in one query.
func (s *Content) MediaShown(ctx context.Context, ids []uuid.UUID, now time.Time) ([]uuid.UUID, error) {
	var out []uuid.UUID
	shown := visible(s.db.conn(ctx).Table("articles AS a"), now).Select("a.cover_media_id AS id").Where("a.cover_media_id IN ?", ids)
	inGallery := visible(s.db.conn(ctx).Table("articles AS a"), now).Select("am.media_id AS id").
		Joins("JOIN article_media am ON am.article_id = a.id").Where("am.media_id IN ?", ids)
	err := s.db.conn(ctx).Raw("SELECT DISTINCT id FROM (? UNION ? ) m", shown, inGallery).Scan(&out).Error
	return out, err
}

// SyncLog is delta sync's bookkeeping of the change log (table sync_install, migration
// 00120): this database's install id and how far the retention job has pruned.
type SyncLog struct{ db *DB }

// NewSyncLog returns the sync bookkeeping over db.
func NewSyncLog(db *DB) *SyncLog { return &SyncLog{db: db} }

type syncInstallRow struct {
	ID            int `gorm:"primaryKey"`
	InstallID     string
	PrunedThrough int64
}

func (syncInstallRow) TableName() string { return "sync_install" }

// InstallID is the random id migration 00120 gave this database.
func (s *SyncLog) InstallID(ctx context.Context) (string, error) {
	var r syncInstallRow
	err := s.db.conn(ctx).Where("id = 1").Take(&r).Error
	return r.InstallID, mapErr(err)
}

// PrunedThrough is the highest position the retention job deleted (0 when none).
func (s *SyncLog) PrunedThrough(ctx context.Context) (int64, error) {
	var r syncInstallRow
	err := s.db.conn(ctx).Where("id = 1").Take(&r).Error
	return r.PrunedThrough, mapErr(err)
}

// PruneChanges deletes up to batch change rows written before before, oldest first, and
// raises pruned_through to the last of them, in one transaction (so a reader that finds rows
// missing also finds pruned_through raised); it returns how many it deleted.
func (s *SyncLog) PruneChanges(ctx context.Context, before time.Time, batch int) (int64, error) {
	var n int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.conn(ctx)
		var through *int64
		// The oldest rows by position, among those old enough: positions follow time
		// closely, and a row a little out of time order simply waits for the next run.
		sub := conn.Table("changes").Select("position").Where("created_at < ?", before.UTC()).Order("position").Limit(batch)
		if err := conn.Raw("SELECT MAX(position) FROM (?) old", sub).Scan(&through).Error; err != nil {
			return err
		}
		if through == nil {
			return nil
		}
		res := conn.Exec("DELETE FROM changes WHERE position <= ? AND created_at < ?", *through, before.UTC())
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		return conn.Model(&syncInstallRow{}).Where("id = 1 AND pruned_through < ?", *through).
			Update("pruned_through", gorm.Expr("?", *through)).Error
	})
	return n, err
}
