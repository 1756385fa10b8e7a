package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heraldcms/herald/internal/content"
)

// articleSlugRow is a former slug of an article's translation (migration 00041).
type articleSlugRow struct {
	Locale    string `gorm:"primaryKey"`
	Slug      string `gorm:"primaryKey"`
	ArticleID uuid.UUID
	CreatedAt time.Time
}

func (articleSlugRow) TableName() string { return "article_slugs" }

// AddFormerSlugs implements content.Store: a slug another article had before passes to
// this one (its latest holder).
func (s *Content) AddFormerSlugs(ctx context.Context, articleID uuid.UUID, slugs []content.FormerSlug, at time.Time) error {
	if len(slugs) == 0 {
		return nil
	}
	rows := make([]articleSlugRow, len(slugs))
	for i, f := range slugs {
		rows[i] = articleSlugRow{Locale: f.Locale, Slug: f.Slug, ArticleID: articleID, CreatedAt: utc(at)}
	}
	return mapErr(s.db.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "locale"}, {Name: "slug"}},
		DoUpdates: clause.AssignmentColumns([]string{"article_id", "created_at"}),
	}).Create(&rows).Error)
}

// redirectsFrom selects the former slugs of visible articles that now answer 301: the
// article still has a translation in that locale (the target) and no current translation
// holds the slug.
func (s *Content) redirectsFrom(ctx context.Context, now time.Time) *gorm.DB {
	return visible(s.db.conn(ctx).Table("article_slugs AS s").
		Joins("JOIN articles a ON a.id = s.article_id").
		Joins("JOIN article_translations t ON t.article_id = s.article_id AND t.locale = s.locale"), now).
		Where("NOT EXISTS (SELECT 1 FROM article_translations c WHERE c.locale = s.locale AND c.slug = s.slug)")
}

// Redirects implements content.Store.
func (s *Content) Redirects(ctx context.Context, now time.Time, limit, offset int) ([]content.Redirect, int64, error) {
	var total int64
	if err := s.redirectsFrom(ctx, now).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []struct {
		Locale    string
		Slug      string
		ArticleID uuid.UUID
		ToSlug    string
		CreatedAt time.Time
	}
	err := s.redirectsFrom(ctx, now).Select("s.locale, s.slug, s.article_id, t.slug AS to_slug, s.created_at").
		Order("s.locale, s.slug").Limit(limit).Offset(offset).Find(&rows).Error
	if err != nil {
		return nil, 0, err
	}
	out := make([]content.Redirect, len(rows))
	for i, r := range rows {
		out[i] = content.Redirect{Locale: r.Locale, From: r.Slug, To: r.ToSlug, ArticleID: r.ArticleID, Since: utc(r.CreatedAt)}
	}
	return out, total, nil
}
