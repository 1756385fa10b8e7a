package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/archive"
)

// importJobRow is an HTTP import's state (migration 00200), so any instance answers a poll.
type importJobRow struct {
	ID          uuid.UUID `gorm:"primaryKey"`
	Status      string
	DryRun      bool
	Total       int
	Processed   int
	Created     int
	Updated     int
	Unchanged   int
	Failed      int
	Report      string
	Error       string
	CreatedBy   *uuid.UUID
	StartedAt   time.Time
	HeartbeatAt time.Time
	FinishedAt  *time.Time
}

func (importJobRow) TableName() string { return "import_jobs" }

// ImportJobs implements archive.JobStore.
type ImportJobs struct{ db *DB }

// NewImportJobs returns the import jobs' repository over db.
func NewImportJobs(db *DB) *ImportJobs { return &ImportJobs{db: db} }

var _ archive.JobStore = (*ImportJobs)(nil)

func importJobRowFrom(j archive.Job) (importJobRow, error) {
	reports := j.Summary.Reports
	if reports == nil {
		reports = []archive.Report{}
	}
	b, err := json.Marshal(reports)
	if err != nil {
		return importJobRow{}, err
	}
	s := j.Summary
	return importJobRow{ID: j.ID, Status: string(j.Status), DryRun: j.DryRun, Total: j.Total, Processed: s.Lines,
		Created: s.Created, Updated: s.Updated, Unchanged: s.Unchanged, Failed: s.Failed, Report: string(b), Error: j.Error,
		CreatedBy: j.CreatedBy, StartedAt: utc(j.StartedAt), HeartbeatAt: utc(j.HeartbeatAt), FinishedAt: utcPtr(j.FinishedAt)}, nil
}

// CreateImportJob implements archive.JobStore.
func (s *ImportJobs) CreateImportJob(ctx context.Context, j archive.Job) error {
	row, err := importJobRowFrom(j)
	if err != nil {
		return err
	}
	return mapErr(s.db.conn(ctx).Create(&row).Error)
}

// UpdateImportJob implements archive.JobStore.
func (s *ImportJobs) UpdateImportJob(ctx context.Context, j archive.Job) error {
	row, err := importJobRowFrom(j)
	if err != nil {
		return err
	}
	return mapErr(s.db.conn(ctx).Model(&importJobRow{}).Where("id = ?", j.ID).Updates(map[string]any{
		"status": row.Status, "processed": row.Processed, "created": row.Created, "updated": row.Updated,
		"unchanged": row.Unchanged, "failed": row.Failed, "report": row.Report, "error": row.Error,
		"heartbeat_at": row.HeartbeatAt, "finished_at": row.FinishedAt,
	}).Error)
}

// ImportJob implements archive.JobStore.
func (s *ImportJobs) ImportJob(ctx context.Context, id uuid.UUID) (archive.Job, error) {
	var rows []importJobRow
	if err := s.db.conn(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return archive.Job{}, err
	}
	if len(rows) == 0 {
		return archive.Job{}, archive.ErrJobNotFound
	}
	r := rows[0]
	j := archive.Job{ID: r.ID, Status: archive.JobStatus(r.Status), DryRun: r.DryRun, Total: r.Total, Error: r.Error,
		CreatedBy: r.CreatedBy, StartedAt: utc(r.StartedAt), HeartbeatAt: utc(r.HeartbeatAt), FinishedAt: utcPtr(r.FinishedAt),
		Summary: archive.Summary{Lines: r.Processed, Created: r.Created, Updated: r.Updated, Unchanged: r.Unchanged, Failed: r.Failed}}
	if err := json.Unmarshal([]byte(r.Report), &j.Summary.Reports); err != nil {
		return archive.Job{}, fmt.Errorf("import_jobs.report: %w", err)
	}
	return j, nil
}
