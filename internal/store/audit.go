package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/heraldcms/herald/internal/audit"
)

// Audit implements audit.Store.
type Audit struct{ db *DB }

// NewAudit returns the audit-log repository over db.
func NewAudit(db *DB) *Audit { return &Audit{db: db} }

var (
	_ audit.Store      = (*Audit)(nil)
	_ audit.BatchStore = (*Audit)(nil)
)

type auditRow struct {
	ID         uuid.UUID `gorm:"primaryKey"`
	CreatedAt  time.Time
	ActorID    *uuid.UUID
	ActorEmail string
	TokenID    *uuid.UUID
	Action     string
	EntityType string
	EntityID   string
	Summary    string
	RequestID  string
}

func (auditRow) TableName() string { return "audit_log" }

// AppendAudit implements audit.Store. Inside a transaction carried by ctx the entry commits
// or rolls back with the write it describes.
func (s *Audit) AppendAudit(ctx context.Context, e audit.Entry) error {
	r := auditRow{ID: e.ID, CreatedAt: utc(e.CreatedAt), ActorID: e.ActorID, ActorEmail: e.ActorEmail, TokenID: e.TokenID, Action: e.Action,
		EntityType: e.EntityType, EntityID: e.EntityID, Summary: e.Summary, RequestID: e.RequestID}
	return s.db.conn(ctx).Create(&r).Error
}

// AppendAudits implements audit.BatchStore: multi-row inserts of up to 100 entries (the
// SQLite driver's binding cost grows with the square of a statement's parameters).
func (s *Audit) AppendAudits(ctx context.Context, es []audit.Entry) error {
	rows := make([]auditRow, len(es))
	for i, e := range es {
		rows[i] = auditRow{ID: e.ID, CreatedAt: utc(e.CreatedAt), ActorID: e.ActorID, ActorEmail: e.ActorEmail, TokenID: e.TokenID, Action: e.Action,
			EntityType: e.EntityType, EntityID: e.EntityID, Summary: e.Summary, RequestID: e.RequestID}
	}
	return s.db.conn(ctx).CreateInBatches(rows, 100).Error
}

// ListAudit implements audit.Store in two queries: count and page.
func (s *Audit) ListAudit(ctx context.Context, q audit.Query) ([]audit.Entry, int64, error) {
	filter := func() *gorm.DB {
		db := s.db.conn(ctx).Model(&auditRow{})
		if q.ActorID != nil {
			db = db.Where("actor_id = ?", *q.ActorID)
		}
		if q.TokenID != nil {
			db = db.Where("token_id = ?", *q.TokenID)
		}
		if q.Action != "" {
			db = db.Where("action = ?", q.Action)
		}
		if q.EntityType != "" {
			db = db.Where("entity_type = ?", q.EntityType)
		}
		if q.EntityID != "" {
			db = db.Where("entity_id = ?", q.EntityID)
		}
		if q.Since != nil {
			db = db.Where("created_at >= ?", q.Since.UTC())
		}
		if q.Until != nil {
			db = db.Where("created_at < ?", q.Until.UTC())
		}
		return db
	}
	var total int64
	if err := filter().Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []auditRow
	if err := filter().Order("created_at DESC, id DESC").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]audit.Entry, len(rows))
	for i, r := range rows {
		out[i] = audit.Entry{ID: r.ID, CreatedAt: utc(r.CreatedAt), ActorID: r.ActorID, ActorEmail: r.ActorEmail,
			TokenID: r.TokenID, Action: r.Action, EntityType: r.EntityType, EntityID: r.EntityID, Summary: r.Summary, RequestID: r.RequestID}
	}
	return out, total, nil
}
