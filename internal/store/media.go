package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heraldcms/herald/internal/media"
)

type mediaRow struct {
	ID         uuid.UUID `gorm:"primaryKey"`
	Kind       string
	Mime       string
	Size       int64
	Width      int
	Height     int
	SHA256     string `gorm:"column:sha256"`
	StorageKey string
	Filename   string
	// Variants is the JSON list of media.Variant: read and written with the row, never
	// queried by its parts.
	Variants   string
	UploadedBy *uuid.UUID
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// FocalX and FocalY are both set or both NULL (the centre).
	FocalX *float64
	FocalY *float64
}

func (mediaRow) TableName() string { return "media" }

type mediaTranslationRow struct {
	MediaID uuid.UUID `gorm:"primaryKey"`
	Locale  string    `gorm:"primaryKey"`
	Alt     string
	Caption string
	Credit  string
}

func (mediaTranslationRow) TableName() string { return "media_translations" }

type articleMediaRow struct {
	ArticleID uuid.UUID `gorm:"primaryKey"`
	MediaID   uuid.UUID `gorm:"primaryKey"`
	Position  int
}

func (articleMediaRow) TableName() string { return "article_media" }

// Media implements media.Store.
type Media struct{ db *DB }

// NewMedia returns the media repository over db.
func NewMedia(db *DB) *Media { return &Media{db: db} }

var _ media.Store = (*Media)(nil)

// InTx implements media.Store.
func (s *Media) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.InTx(ctx, fn)
}

// CreateMedia implements media.Store.
func (s *Media) CreateMedia(ctx context.Context, m media.Media) error {
	vs, err := json.Marshal(m.Variants)
	if err != nil {
		return err
	}
	row := mediaRow{ID: m.ID, Kind: string(m.Kind), Mime: m.MIME, Size: m.Size, Width: m.Width, Height: m.Height,
		SHA256: m.SHA256, StorageKey: m.Key, Filename: m.Filename, Variants: string(vs), UploadedBy: m.UploadedBy,
		CreatedAt: utc(m.CreatedAt), UpdatedAt: utc(m.UpdatedAt)}
	if m.Focal != nil {
		row.FocalX, row.FocalY = &m.Focal.X, &m.Focal.Y
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.conn(ctx)
		if err := conn.Create(&row).Error; err != nil {
			return mapErr(err)
		}
		return s.putTranslations(ctx, m.ID, m.Translations)
	})
}

func (s *Media) putTranslations(ctx context.Context, id uuid.UUID, ts []media.Translation) error {
	if len(ts) == 0 {
		return nil
	}
	rows := make([]mediaTranslationRow, len(ts))
	for i, t := range ts {
		rows[i] = mediaTranslationRow{MediaID: id, Locale: t.Locale, Alt: t.Alt, Caption: t.Caption, Credit: t.Credit}
	}
	return mapErr(s.db.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "media_id"}, {Name: "locale"}},
		DoUpdates: clause.AssignmentColumns([]string{"alt", "caption", "credit"}),
	}).Create(&rows).Error)
}

// MediaByID implements media.Store.
func (s *Media) MediaByID(ctx context.Context, id uuid.UUID) (media.Media, error) {
	ms, err := s.load(ctx, s.db.conn(ctx).Where("id = ?", id).Limit(1))
	if err != nil {
		return media.Media{}, err
	}
	if len(ms) == 0 {
		return media.Media{}, media.ErrNotFound
	}
	return ms[0], nil
}

// MediaBySHA256 implements media.Store.
func (s *Media) MediaBySHA256(ctx context.Context, sum string) (media.Media, error) {
	ms, err := s.load(ctx, s.db.conn(ctx).Where("sha256 = ?", sum).Limit(1))
	if err != nil {
		return media.Media{}, err
	}
	if len(ms) == 0 {
		return media.Media{}, media.ErrNotFound
	}
	return ms[0], nil
}

// MediaByIDs implements media.Store in two queries.
func (s *Media) MediaByIDs(ctx context.Context, ids []uuid.UUID) ([]media.Media, error) {
	if len(ids) == 0 {
		return []media.Media{}, nil
	}
	return s.load(ctx, s.db.conn(ctx).Where("id IN ?", ids).Order("id"))
}

// ListMedia implements media.Store: a count, the page and the page's translations.
func (s *Media) ListMedia(ctx context.Context, q media.Query) ([]media.Media, int64, error) {
	filter := func() *gorm.DB {
		db := s.db.conn(ctx).Table("media AS m")
		if q.Kind != "" {
			db = db.Where("m.kind = ?", string(q.Kind))
		}
		if q.UploadedBy != nil {
			db = db.Where("m.uploaded_by = ?", *q.UploadedBy)
		}
		if q.Unused {
			db = db.Where("NOT EXISTS (SELECT 1 FROM articles a WHERE a.cover_media_id = m.id AND a.deleted_at IS NULL)").
				Where("NOT EXISTS (SELECT 1 FROM article_media am JOIN articles a ON a.id = am.article_id WHERE am.media_id = m.id AND a.deleted_at IS NULL)")
		}
		return db
	}
	var total int64
	if err := filter().Count(&total).Error; err != nil {
		return nil, 0, err
	}
	ms, err := s.load(ctx, filter().Select("m.*").Order("m.created_at DESC, m.id DESC").Limit(q.Limit).Offset(q.Offset))
	return ms, total, err
}

// load runs q for media rows and fills their translations with one more query.
func (s *Media) load(ctx context.Context, q *gorm.DB) ([]media.Media, error) {
	var rows []mediaRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]media.Media, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, len(rows))
	idx := make(map[uuid.UUID]int, len(rows))
	for i, r := range rows {
		m := media.Media{ID: r.ID, Kind: media.Kind(r.Kind), MIME: r.Mime, Size: r.Size, Width: r.Width, Height: r.Height,
			SHA256: r.SHA256, Key: r.StorageKey, Filename: r.Filename, UploadedBy: r.UploadedBy,
			CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt), Variants: []media.Variant{}, Focal: focalPoint(r.FocalX, r.FocalY)}
		if err := json.Unmarshal([]byte(r.Variants), &m.Variants); err != nil {
			return nil, fmt.Errorf("media %s: variants: %w", r.ID, err)
		}
		out[i], ids[i], idx[r.ID] = m, r.ID, i
	}
	var trs []mediaTranslationRow
	if err := s.db.conn(ctx).Where("media_id IN ?", ids).Order("media_id, locale").Find(&trs).Error; err != nil {
		return nil, err
	}
	for _, t := range trs {
		m := &out[idx[t.MediaID]]
		m.Translations = append(m.Translations, media.Translation{Locale: t.Locale, Alt: t.Alt, Caption: t.Caption, Credit: t.Credit})
	}
	return out, nil
}

// PutMediaTranslations implements media.Store.
func (s *Media) PutMediaTranslations(ctx context.Context, id uuid.UUID, ts []media.Translation, at time.Time) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		res := s.db.conn(ctx).Model(&mediaRow{}).Where("id = ?", id).Update("updated_at", utc(at))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return media.ErrNotFound
		}
		return s.putTranslations(ctx, id, ts)
	})
}

// usingArticles selects articles whose cover or gallery holds the item.
const usingArticles = "(cover_media_id = ? OR id IN (SELECT article_id FROM article_media WHERE media_id = ?))"

// ArticlesUsing implements media.Store.
func (s *Media) ArticlesUsing(ctx context.Context, id uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.conn(ctx).Table("articles").Where("deleted_at IS NULL AND "+usingArticles, id, id).
		Order("id").Limit(1000).Pluck("id", &ids).Error
	return ids, err
}

// DeleteMedia implements media.Store.
func (s *Media) DeleteMedia(ctx context.Context, id uuid.UUID, at time.Time) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.conn(ctx)
		var affected []uuid.UUID
		if err := conn.Table("articles").Where(usingArticles, id, id).Pluck("id", &affected).Error; err != nil {
			return err
		}
		if len(affected) > 0 {
			if err := conn.Table("articles").Where("cover_media_id = ?", id).Update("cover_media_id", nil).Error; err != nil {
				return err
			}
			if err := conn.Where("media_id = ?", id).Delete(&articleMediaRow{}).Error; err != nil {
				return err
			}
			if err := conn.Table("articles").Where("id IN ?", affected).
				Updates(map[string]any{"version": gorm.Expr("version + 1"), "updated_at": utc(at)}).Error; err != nil {
				return err
			}
		}
		res := conn.Where("id = ?", id).Delete(&mediaRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return media.ErrNotFound
		}
		return nil
	})
}

func focalPoint(x, y *float64) *media.FocalPoint {
	if x == nil || y == nil {
		return nil
	}
	return &media.FocalPoint{X: *x, Y: *y}
}

// SetMediaFocalPoint implements media.Store.
func (s *Media) SetMediaFocalPoint(ctx context.Context, id uuid.UUID, fp media.FocalPoint) error {
	res := s.db.conn(ctx).Model(&mediaRow{}).Where("id = ?", id).Updates(map[string]any{"focal_x": fp.X, "focal_y": fp.Y})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return media.ErrNotFound
	}
	return nil
}

// FocalPoints implements media.Store.
func (s *Media) FocalPoints(ctx context.Context, sum string) ([]media.FocalPoint, error) {
	var rows []mediaRow
	if err := s.db.conn(ctx).Select("focal_x, focal_y").Where("sha256 = ? AND focal_x IS NOT NULL", sum).Limit(1000).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]media.FocalPoint, 0, len(rows))
	for _, r := range rows {
		if fp := focalPoint(r.FocalX, r.FocalY); fp != nil {
			out = append(out, *fp)
		}
	}
	return out, nil
}
