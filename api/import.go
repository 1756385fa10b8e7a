package api

import (
	"context"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/archive"
)

// ImportJobs runs archive imports in the background (internal/archive.Jobs); without it
// the import endpoints answer 503.
type ImportJobs interface {
	Start(ctx context.Context, body io.Reader, maxBytes int64, dryRun, quiet bool) (archive.Job, error)
	Job(ctx context.Context, id uuid.UUID) (archive.Job, error)
}

// ImportJobDTO is an archive import's state.
type ImportJobDTO struct {
	ID string `json:"id" example:"01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d"`
	// Status is running, done, failed (the run stopped: see error) or interrupted (the
	// process running it died: post the same file again to finish it).
	Status    string `json:"status" enums:"running,done,failed,interrupted" example:"running"`
	DryRun    bool   `json:"dry_run"`
	Total     int    `json:"total" example:"1200"`
	Processed int    `json:"processed" example:"300"`
	Created   int    `json:"created" example:"290"`
	Updated   int    `json:"updated" example:"0"`
	Unchanged int    `json:"unchanged" example:"8"`
	Failed    int    `json:"failed" example:"2"`
	// Reports are the failed lines and the lines that landed with a warning (the first 1000).
	Reports    []ImportReportDTO `json:"reports"`
	Error      string            `json:"error,omitempty"`
	StartedAt  time.Time         `json:"started_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
	FinishedAt *time.Time        `json:"finished_at,omitempty"`
} //	@name	ImportJob

// ImportReportDTO is what went wrong with one line of an import.
type ImportReportDTO struct {
	Line       int      `json:"line" example:"3"`
	ExternalID string   `json:"external_id,omitempty" example:"legacy-0000042"`
	Failed     bool     `json:"failed"`
	Errors     []string `json:"errors,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
} //	@name	ImportReport

func newImportJobDTO(j archive.Job) ImportJobDTO {
	out := ImportJobDTO{ID: j.ID.String(), Status: string(j.Status), DryRun: j.DryRun, Total: j.Total,
		Processed: j.Summary.Lines, Created: j.Summary.Created, Updated: j.Summary.Updated, Unchanged: j.Summary.Unchanged,
		Failed: j.Summary.Failed, Error: j.Error, StartedAt: j.StartedAt, UpdatedAt: j.HeartbeatAt, FinishedAt: j.FinishedAt,
		Reports: make([]ImportReportDTO, len(j.Summary.Reports))}
	for i, r := range j.Summary.Reports {
		out.Reports[i] = ImportReportDTO{Line: r.Line, ExternalID: r.ExternalID, Failed: r.Failed, Errors: r.Errors, Warnings: r.Warnings}
	}
	return out
}

// importRoutes are the archive import endpoints (issue 20).
func (s *Server) importRoutes(admin *echo.Group) {
	admin.POST("/import", s.startImport, s.requireRole(adminRoles...))
	admin.GET("/import/:id", s.getImport, s.requireRole(adminRoles...))
}

// isImport reports whether the request posts an archive: it has its own body limit
// (HERALD_IMPORT_MAX_BYTES) and progress deadlines instead of the totals.
func isImport(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Path() == "/api/v1/admin/import"
}

var errNoImports = newProblem(http.StatusServiceUnavailable, "archive imports are not available on this server")

// startImport godoc
//
//	@Summary		Import an archive
//	@Description	Imports an NDJSON archive (one article per line; see docs/import.md and docs/import.schema.json) in the background, through the same writes as editors' (audit entries, change log, cache invalidation, webhooks unless quiet_events). Each article is atomic and idempotent by its external_id; a bad line is reported with its number and reason and the rest goes in. The answer is the job: poll its Location. Image files are read from the server's HERALD_IMPORT_MEDIA_DIR. Bodies over HERALD_IMPORT_MAX_BYTES are refused; import bigger archives with herald import.
//	@Tags			admin
//	@Accept			application/x-ndjson
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			dry_run			query		boolean	false	"Check every line and write nothing"
//	@Param			quiet_events	query		boolean	false	"Send no webhooks for the imported articles"
//	@Param			body			body		string	true	"The archive, one JSON article per line"
//	@Success		202				{object}	ImportJobDTO
//	@Header			202				{string}	Location	"The job to poll"
//	@Failure		400				{object}	Problem		"Invalid parameter"
//	@Failure		401				{object}	Problem		"Missing or invalid token"
//	@Failure		403				{object}	Problem		"Role not allowed"
//	@Failure		413				{object}	Problem		"Archive larger than HERALD_IMPORT_MAX_BYTES"
//	@Failure		415				{object}	Problem		"Body is not application/x-ndjson"
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem	"Imports not available"
//	@Router			/api/v1/admin/import [post]
func (s *Server) startImport(c echo.Context) error {
	if s.imports == nil {
		return errNoImports
	}
	var qe queryErrors
	dry, quiet := qe.boolParam(c, "dry_run"), qe.boolParam(c, "quiet_events")
	if err := qe.err(); err != nil {
		return err
	}
	r := c.Request()
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-ndjson" {
		return newProblem(http.StatusUnsupportedMediaType, "send the archive as application/x-ndjson: one JSON article per line")
	}
	if r.ContentLength > s.importMaxBytes {
		return newProblem(http.StatusRequestEntityTooLarge, "the archive is larger than HERALD_IMPORT_MAX_BYTES; import it with herald import")
	}
	job, err := s.imports.Start(r.Context(), r.Body, s.importMaxBytes, dry != nil && *dry, quiet != nil && *quiet)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/v1/admin/import/"+job.ID.String())
	return c.JSON(http.StatusAccepted, newImportJobDTO(job))
}

// getImport godoc
//
//	@Summary		Get an import job
//	@Description	The progress and result of an archive import: counts of created, updated, unchanged and failed lines and each failed line's reasons. Any instance answers (jobs live in the database); a job whose process died is reported interrupted.
//	@Tags			admin
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path		string	true	"Job id"
//	@Success		200	{object}	ImportJobDTO
//	@Failure		401	{object}	Problem	"Missing or invalid token"
//	@Failure		403	{object}	Problem	"Role not allowed"
//	@Failure		404	{object}	Problem	"No such job"
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem	"Imports not available"
//	@Router			/api/v1/admin/import/{id} [get]
func (s *Server) getImport(c echo.Context) error {
	if s.imports == nil {
		return errNoImports
	}
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return archive.ErrJobNotFound
	}
	job, err := s.imports.Job(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newImportJobDTO(job))
}
