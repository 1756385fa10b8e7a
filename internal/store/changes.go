package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heraldcms/herald/internal/changes"
)

// ChangeLog implements changes.Store.
type ChangeLog struct{ db *DB }

// NewChangeLog returns the change-log repository over db.
func NewChangeLog(db *DB) *ChangeLog { return &ChangeLog{db: db} }

var _ changes.Store = (*ChangeLog)(nil)

type changeRow struct {
	Position   int64 `gorm:"primaryKey;autoIncrement"`
	EntityType string
	EntityID   string
	Kind       string
	Locales    string
	Slugs      string
	PrevStatus string
	// PrevVisible: see changes.Change (migration 00120).
	PrevVisible bool
	CreatedAt   time.Time
}

func (changeRow) TableName() string { return "changes" }

// InTx implements changes.Store.
func (s *ChangeLog) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.InTx(ctx, fn)
}

// changeLogLock is the statement that orders positions on PostgreSQL: a transaction-scoped
// advisory lock, one per schema (schemas sharing a database do not wait for each other),
// held from just before the change rows are inserted until commit or rollback. A writer
// takes its positions only after the previous holder has committed, so positions become
// visible in order. SQLite needs none: it has one writer at a time.
const changeLogLock = "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.herald_changes'))"

// AppendChanges implements changes.Store.
func (s *ChangeLog) AppendChanges(ctx context.Context, cs []changes.Change, at time.Time) ([]int64, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); !ok {
		return nil, errors.New("store: change rows must be appended inside the write's transaction")
	}
	rows := make([]changeRow, len(cs))
	for i, c := range cs {
		locales := c.Locales
		if locales == nil {
			locales = []string{}
		}
		slugs := c.Slugs
		if slugs == nil {
			slugs = map[string]string{}
		}
		lb, err := json.Marshal(locales)
		if err != nil {
			return nil, err
		}
		sb, err := json.Marshal(slugs)
		if err != nil {
			return nil, err
		}
		rows[i] = changeRow{EntityType: c.EntityType, EntityID: c.EntityID, Kind: string(c.Kind), Locales: string(lb),
			Slugs: string(sb), PrevStatus: c.PrevStatus, PrevVisible: c.PrevVisible, CreatedAt: at.UTC()}
	}
	db := s.db.conn(ctx)
	if s.db.dialect == "postgres" {
		if err := db.Exec(changeLogLock).Error; err != nil {
			return nil, fmt.Errorf("take the change-log lock: %w", err)
		}
	}
	if err := db.Create(&rows).Error; err != nil {
		return nil, err
	}
	pos := make([]int64, len(rows))
	for i, r := range rows {
		pos[i] = r.Position
	}
	return pos, nil
}

// ChangesAfter implements changes.Store.
func (s *ChangeLog) ChangesAfter(ctx context.Context, pos int64, limit int) ([]changes.Record, error) {
	var rows []changeRow
	err := s.db.conn(ctx).Where("position > ?", pos).
		Order(clause.OrderByColumn{Column: clause.Column{Name: "position"}}).Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]changes.Record, len(rows))
	for i, r := range rows {
		out[i] = changes.Record{Position: r.Position, CreatedAt: r.CreatedAt.UTC(), Change: changes.Change{
			EntityType: r.EntityType, EntityID: r.EntityID, Kind: changes.Kind(r.Kind), PrevStatus: r.PrevStatus, PrevVisible: r.PrevVisible}}
		if err := json.Unmarshal([]byte(r.Locales), &out[i].Locales); err != nil {
			return nil, fmt.Errorf("change %d: locales: %w", r.Position, err)
		}
		if err := json.Unmarshal([]byte(r.Slugs), &out[i].Slugs); err != nil {
			return nil, fmt.Errorf("change %d: slugs: %w", r.Position, err)
		}
	}
	return out, nil
}

// LastChangePosition implements changes.Store.
func (s *ChangeLog) LastChangePosition(ctx context.Context) (int64, error) {
	var pos *int64
	if err := s.db.conn(ctx).Model(&changeRow{}).Select("MAX(position)").Scan(&pos).Error; err != nil {
		return 0, err
	}
	if pos == nil {
		return 0, nil
	}
	return *pos, nil
}
