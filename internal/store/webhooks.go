package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/heraldcms/herald/internal/webhooks"
)

// Webhooks implements webhooks.Store.
type Webhooks struct{ db *DB }

// NewWebhooks returns the webhook repository over db.
func NewWebhooks(db *DB) *Webhooks { return &Webhooks{db: db} }

var _ webhooks.Store = (*Webhooks)(nil)

type webhookEndpointRow struct {
	ID             uuid.UUID `gorm:"primaryKey"`
	URL            string    `gorm:"column:url"`
	Description    string
	Events         string
	Locales        string
	Secret         string
	Enabled        bool
	DisabledReason string
	DisabledAt     *time.Time
	FailingSince   *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (webhookEndpointRow) TableName() string { return "webhook_endpoints" }

type webhookDeliveryRow struct {
	Seq            int64 `gorm:"primaryKey;autoIncrement"`
	ID             string
	EndpointID     uuid.UUID
	Event          string
	OrderKey       string
	Payload        string
	State          string
	Attempts       int
	LastStatus     int
	LastError      string
	NextAttemptAt  *time.Time
	FirstAttemptAt *time.Time
	CompletedAt    *time.Time
	CreatedAt      time.Time
}

func (webhookDeliveryRow) TableName() string { return "webhook_deliveries" }

type webhookAttemptRow struct {
	ID          int64 `gorm:"primaryKey;autoIncrement"`
	DeliverySeq int64
	Attempt     int
	At          time.Time
	Status      int
	Error       string
	LatencyMs   int
	Response    string
}

func (webhookAttemptRow) TableName() string { return "webhook_attempts" }

// MigrateQueue applies the job queue's migrations alone (Migrate runs them after Herald's).
func (db *DB) MigrateQueue(ctx context.Context) error {
	return webhooks.MigrateQueue(ctx, db.sql, db.dialect)
}

// SQLTx returns the database/sql transaction of the write ctx carries, for libraries that
// must join it (River's transactional enqueue).
func (db *DB) SQLTx(ctx context.Context) (*sql.Tx, bool) {
	g, ok := ctx.Value(txKey{}).(*gorm.DB)
	if !ok {
		return nil, false
	}
	switch p := g.Statement.ConnPool.(type) {
	case *sql.Tx:
		return p, true
	case *gorm.PreparedStmtTX:
		tx, ok := p.Tx.(*sql.Tx)
		return tx, ok
	}
	return nil, false
}

func endpointRow(e webhooks.Endpoint) (webhookEndpointRow, error) {
	ev, err := json.Marshal(e.Events)
	if err != nil {
		return webhookEndpointRow{}, err
	}
	locales := e.Locales
	if locales == nil {
		locales = []string{}
	}
	lo, err := json.Marshal(locales)
	if err != nil {
		return webhookEndpointRow{}, err
	}
	return webhookEndpointRow{ID: e.ID, URL: e.URL, Description: e.Description, Events: string(ev), Locales: string(lo),
		Secret: e.Secret, Enabled: e.Enabled, DisabledReason: e.DisabledReason, DisabledAt: utcPtr(e.DisabledAt),
		FailingSince: utcPtr(e.FailingSince), CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}, nil
}

func (r webhookEndpointRow) endpoint() (webhooks.Endpoint, error) {
	e := webhooks.Endpoint{ID: r.ID, URL: r.URL, Description: r.Description, Secret: r.Secret, Enabled: r.Enabled,
		DisabledReason: r.DisabledReason, DisabledAt: utcPtr(r.DisabledAt), FailingSince: utcPtr(r.FailingSince),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.Events), &e.Events); err != nil {
		return e, fmt.Errorf("webhook endpoint %s: events: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Locales), &e.Locales); err != nil {
		return e, fmt.Errorf("webhook endpoint %s: locales: %w", r.ID, err)
	}
	return e, nil
}

// InTx implements webhooks.Store.
func (s *Webhooks) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.InTx(ctx, fn)
}

// CreateEndpoint implements webhooks.Store.
func (s *Webhooks) CreateEndpoint(ctx context.Context, e webhooks.Endpoint) error {
	r, err := endpointRow(e)
	if err != nil {
		return err
	}
	return mapErr(s.db.conn(ctx).Create(&r).Error)
}

// UpdateEndpoint implements webhooks.Store.
func (s *Webhooks) UpdateEndpoint(ctx context.Context, e webhooks.Endpoint) error {
	r, err := endpointRow(e)
	if err != nil {
		return err
	}
	res := s.db.conn(ctx).Model(&webhookEndpointRow{}).Where("id = ?", e.ID).Select("*").Omit("id", "created_at").Updates(&r)
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return mapErr(gorm.ErrRecordNotFound)
	}
	return nil
}

// EndpointByID implements webhooks.Store.
func (s *Webhooks) EndpointByID(ctx context.Context, id uuid.UUID) (webhooks.Endpoint, error) {
	var r webhookEndpointRow
	if err := s.db.conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return webhooks.Endpoint{}, mapErr(err)
	}
	return r.endpoint()
}

// Endpoints implements webhooks.Store.
func (s *Webhooks) Endpoints(ctx context.Context) ([]webhooks.Endpoint, error) {
	var rows []webhookEndpointRow
	if err := s.db.conn(ctx).Order("created_at, id").Limit(webhooks.MaxEndpoints + 1).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]webhooks.Endpoint, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = r.endpoint(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DeleteEndpoint implements webhooks.Store; the deliveries and attempts go with it.
func (s *Webhooks) DeleteEndpoint(ctx context.Context, id uuid.UUID) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		db := s.db.conn(ctx)
		if err := db.Exec("DELETE FROM webhook_attempts WHERE delivery_seq IN (SELECT seq FROM webhook_deliveries WHERE endpoint_id = ?)", id).Error; err != nil {
			return err
		}
		if err := db.Exec("DELETE FROM webhook_deliveries WHERE endpoint_id = ?", id).Error; err != nil {
			return err
		}
		return db.Exec("DELETE FROM webhook_endpoints WHERE id = ?", id).Error
	})
}

func deliveryRow(d *webhooks.Delivery) webhookDeliveryRow {
	return webhookDeliveryRow{Seq: d.Seq, ID: d.ID, EndpointID: d.EndpointID, Event: d.Event, OrderKey: d.OrderKey,
		Payload: string(d.Payload), State: string(d.State), Attempts: d.Attempts, LastStatus: d.LastStatus,
		LastError: d.LastError, NextAttemptAt: utcPtr(d.NextAttemptAt), FirstAttemptAt: utcPtr(d.FirstAttemptAt),
		CompletedAt: utcPtr(d.CompletedAt), CreatedAt: d.CreatedAt.UTC()}
}

func (r webhookDeliveryRow) delivery() webhooks.Delivery {
	return webhooks.Delivery{Seq: r.Seq, ID: r.ID, EndpointID: r.EndpointID, Event: r.Event, OrderKey: r.OrderKey,
		Payload: []byte(r.Payload), State: webhooks.State(r.State), Attempts: r.Attempts, LastStatus: r.LastStatus,
		LastError: r.LastError, NextAttemptAt: utcPtr(r.NextAttemptAt), FirstAttemptAt: utcPtr(r.FirstAttemptAt),
		CompletedAt: utcPtr(r.CompletedAt), CreatedAt: r.CreatedAt.UTC()}
}

// InsertDeliveries implements webhooks.Store.
func (s *Webhooks) InsertDeliveries(ctx context.Context, ds []*webhooks.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	rows := make([]webhookDeliveryRow, len(ds))
	for i, d := range ds {
		rows[i] = deliveryRow(d)
	}
	if err := s.db.conn(ctx).Create(&rows).Error; err != nil {
		return mapErr(err)
	}
	for i := range ds {
		ds[i].Seq = rows[i].Seq
	}
	return nil
}

// DeliveryByID implements webhooks.Store.
func (s *Webhooks) DeliveryByID(ctx context.Context, id string) (webhooks.Delivery, error) {
	var r webhookDeliveryRow
	if err := s.db.conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return webhooks.Delivery{}, mapErr(err)
	}
	d := r.delivery()
	logs, err := s.attempts(ctx, []int64{d.Seq})
	d.Log = logs[d.Seq]
	return d, err
}

// Deliveries implements webhooks.Store.
func (s *Webhooks) Deliveries(ctx context.Context, endpointID uuid.UUID, offset, limit int) ([]webhooks.Delivery, int64, error) {
	var total int64
	db := s.db.conn(ctx)
	if err := db.Model(&webhookDeliveryRow{}).Where("endpoint_id = ?", endpointID).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []webhookDeliveryRow
	if err := db.Where("endpoint_id = ?", endpointID).Order("seq DESC").Offset(offset).Limit(limit).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]webhooks.Delivery, len(rows))
	seqs := make([]int64, len(rows))
	for i, r := range rows {
		out[i], seqs[i] = r.delivery(), r.Seq
	}
	logs, err := s.attempts(ctx, seqs)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Log = logs[out[i].Seq]
	}
	return out, total, nil
}

// attempts loads the attempts of the deliveries seqs, in one statement.
func (s *Webhooks) attempts(ctx context.Context, seqs []int64) (map[int64][]webhooks.Attempt, error) {
	out := map[int64][]webhooks.Attempt{}
	if len(seqs) == 0 {
		return out, nil
	}
	var rows []webhookAttemptRow
	if err := s.db.conn(ctx).Where("delivery_seq IN ?", seqs).Order("delivery_seq, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.DeliverySeq] = append(out[r.DeliverySeq], webhooks.Attempt{Attempt: r.Attempt, At: r.At.UTC(), Status: r.Status,
			Error: r.Error, Latency: time.Duration(r.LatencyMs) * time.Millisecond, Response: r.Response})
	}
	return out, nil
}

// RecordAttempt implements webhooks.Store.
func (s *Webhooks) RecordAttempt(ctx context.Context, d webhooks.Delivery, a webhooks.Attempt) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.saveDelivery(ctx, d); err != nil {
			return err
		}
		return s.db.conn(ctx).Create(&webhookAttemptRow{DeliverySeq: d.Seq, Attempt: a.Attempt, At: a.At.UTC(), Status: a.Status,
			Error: a.Error, LatencyMs: int(a.Latency / time.Millisecond), Response: a.Response}).Error
	})
}

// UpdateDelivery implements webhooks.Store.
func (s *Webhooks) UpdateDelivery(ctx context.Context, d webhooks.Delivery) error {
	return s.saveDelivery(ctx, d)
}

func (s *Webhooks) saveDelivery(ctx context.Context, d webhooks.Delivery) error {
	r := deliveryRow(&d)
	return s.db.conn(ctx).Model(&webhookDeliveryRow{}).Where("seq = ?", d.Seq).
		Select("state", "attempts", "last_status", "last_error", "next_attempt_at", "first_attempt_at", "completed_at").
		Updates(&r).Error
}

// EarlierPending implements webhooks.Store.
func (s *Webhooks) EarlierPending(ctx context.Context, d webhooks.Delivery) (*time.Time, bool, error) {
	var rows []webhookDeliveryRow
	err := s.db.conn(ctx).Select("seq", "next_attempt_at").
		Where("endpoint_id = ? AND order_key = ? AND state = ? AND seq < ?", d.EndpointID, d.OrderKey, string(webhooks.Pending), d.Seq).
		Order("seq").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, false, err
	}
	return utcPtr(rows[0].NextAttemptAt), true, nil
}

// EndpointFailed implements webhooks.Store.
func (s *Webhooks) EndpointFailed(ctx context.Context, id uuid.UUID, at time.Time) (time.Time, error) {
	db := s.db.conn(ctx)
	if err := db.Exec("UPDATE webhook_endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL", at.UTC(), id).Error; err != nil {
		return time.Time{}, err
	}
	var r webhookEndpointRow
	if err := db.Select("failing_since").Where("id = ?", id).Take(&r).Error; err != nil {
		return time.Time{}, mapErr(err)
	}
	if r.FailingSince == nil {
		return at, nil
	}
	return r.FailingSince.UTC(), nil
}

// EndpointSucceeded implements webhooks.Store.
func (s *Webhooks) EndpointSucceeded(ctx context.Context, id uuid.UUID) error {
	return s.db.conn(ctx).Exec("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?", id).Error
}

// DisableEndpoint implements webhooks.Store.
func (s *Webhooks) DisableEndpoint(ctx context.Context, id uuid.UUID, reason string, at time.Time) error {
	return s.db.conn(ctx).Exec("UPDATE webhook_endpoints SET enabled = ?, disabled_reason = ?, disabled_at = ?, updated_at = ? WHERE id = ? AND enabled = ?",
		false, reason, at.UTC(), at.UTC(), id, true).Error
}

// Articles implements webhooks.Store.
func (s *Webhooks) Articles(ctx context.Context, ids []string) (map[string]webhooks.ArticleState, error) {
	var rows []struct {
		ID          uuid.UUID
		Status      string
		PublishedAt *time.Time
		DeletedAt   *time.Time
	}
	err := s.db.conn(ctx).Table("articles").Select("id", "status", "published_at", "deleted_at").Where("id IN ?", ids).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[string]webhooks.ArticleState, len(rows))
	for _, r := range rows {
		out[r.ID.String()] = webhooks.ArticleState{Status: r.Status, PublishedAt: utcPtr(r.PublishedAt), Deleted: r.DeletedAt != nil}
	}
	return out, nil
}

// PendingDeliveries implements webhooks.Store.
func (s *Webhooks) PendingDeliveries(ctx context.Context) (int64, *time.Time, error) {
	var n int64
	db := s.db.conn(ctx)
	if err := db.Model(&webhookDeliveryRow{}).Where("state = ?", string(webhooks.Pending)).Count(&n).Error; err != nil {
		return 0, nil, err
	}
	if n == 0 {
		return 0, nil, nil
	}
	var rows []webhookDeliveryRow
	if err := db.Select("seq", "created_at").Where("state = ?", string(webhooks.Pending)).Order("seq").Limit(1).Find(&rows).Error; err != nil || len(rows) == 0 {
		return n, nil, err
	}
	t := rows[0].CreatedAt.UTC()
	return n, &t, nil
}
