package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// Preview links (issue 17, migration 00170).

type previewRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	ArticleID uuid.UUID
	TokenHash string
	CreatedBy *uuid.UUID
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
	RevokedBy *uuid.UUID
}

func (previewRow) TableName() string { return "article_previews" }

func (r previewRow) domain() content.Preview {
	return content.Preview{ID: r.ID, ArticleID: r.ArticleID, Hash: r.TokenHash, CreatedBy: r.CreatedBy,
		CreatedAt: utc(r.CreatedAt), ExpiresAt: utc(r.ExpiresAt), RevokedAt: utcPtr(r.RevokedAt), RevokedBy: r.RevokedBy}
}

// CreatePreview implements content.PreviewStore.
func (s *Content) CreatePreview(ctx context.Context, p content.Preview) error {
	r := previewRow{ID: p.ID, ArticleID: p.ArticleID, TokenHash: p.Hash, CreatedBy: p.CreatedBy,
		CreatedAt: utc(p.CreatedAt), ExpiresAt: utc(p.ExpiresAt), RevokedAt: utcPtr(p.RevokedAt), RevokedBy: p.RevokedBy}
	return mapErr(s.db.conn(ctx).Create(&r).Error)
}

// PreviewByID implements content.PreviewStore: one primary-key probe.
func (s *Content) PreviewByID(ctx context.Context, id uuid.UUID) (content.Preview, error) {
	var r previewRow
	if err := s.db.conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return content.Preview{}, mapErr(err)
	}
	return r.domain(), nil
}

// Previews implements content.PreviewStore.
func (s *Content) Previews(ctx context.Context, articleID uuid.UUID, limit int) ([]content.Preview, error) {
	var rows []previewRow
	if err := s.db.conn(ctx).Where("article_id = ?", articleID).Order("created_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]content.Preview, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// CountLivePreviews implements content.PreviewStore.
func (s *Content) CountLivePreviews(ctx context.Context, articleID uuid.UUID, now time.Time) (int64, error) {
	var n int64
	err := s.db.conn(ctx).Model(&previewRow{}).Where("article_id = ? AND revoked_at IS NULL AND expires_at > ?", articleID, utc(now)).Count(&n).Error
	return n, err
}

// RevokePreview implements content.PreviewStore.
func (s *Content) RevokePreview(ctx context.Context, id uuid.UUID, by *uuid.UUID, at time.Time) error {
	return s.db.conn(ctx).Model(&previewRow{}).Where("id = ? AND revoked_at IS NULL", id).
		Updates(map[string]any{"revoked_at": utc(at), "revoked_by": by}).Error
}
