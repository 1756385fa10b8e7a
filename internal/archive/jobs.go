package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"
)

// JobStatus is where an HTTP import is.
type JobStatus string

// The statuses of an import job.
const (
	JobRunning JobStatus = "running"
	JobDone    JobStatus = "done"
	// JobFailed: the run stopped (the database went away, the server shut down).
	JobFailed JobStatus = "failed"
	// JobInterrupted: the process running it died; the lines it reported are in, the
	// rest is not. Posting the same file again finishes it (done lines are unchanged).
	JobInterrupted JobStatus = "interrupted"
)

// Job is an import run in the background, as any instance can read it from the database.
type Job struct {
	ID          uuid.UUID
	Status      JobStatus
	DryRun      bool
	Total       int
	Summary     Summary
	Error       string
	CreatedBy   *uuid.UUID
	StartedAt   time.Time
	HeartbeatAt time.Time
	FinishedAt  *time.Time
}

// JobStore keeps import jobs; internal/store implements it.
type JobStore interface {
	CreateImportJob(ctx context.Context, j Job) error
	// UpdateImportJob writes j's status, counts, report and times.
	UpdateImportJob(ctx context.Context, j Job) error
	ImportJob(ctx context.Context, id uuid.UUID) (Job, error)
}

// Heartbeats: a running job's row is touched every heartbeatEvery; one untouched for
// staleAfter belonged to a process that died.
const (
	heartbeatEvery = 2 * time.Second
	staleAfter     = 30 * time.Second
	// maxJobReports bounds the line reports a job keeps (counts stay exact).
	maxJobReports = 1000
)

// Jobs runs imports in the background of a server.
type Jobs struct {
	im    *Importer
	store JobStore
	clock func() time.Time
	// MediaDir is where HTTP imports' image files are (HERALD_IMPORT_MEDIA_DIR).
	mediaDir string

	mu      sync.Mutex
	cancels map[uuid.UUID]context.CancelFunc
	wg      sync.WaitGroup
}

// NewJobs returns the job runner of im over store.
func NewJobs(im *Importer, store JobStore, clock func() time.Time, mediaDir string) *Jobs {
	if clock == nil {
		clock = time.Now
	}
	return &Jobs{im: im, store: store, clock: clock, mediaDir: mediaDir, cancels: map[uuid.UUID]context.CancelFunc{}}
}

// Start spools body to a temporary file (at most maxBytes: more is errs.TooLarge), records
// a running job and imports the file in the background. The actor in ctx is the audit
// actor of every write.
func (j *Jobs) Start(ctx context.Context, body io.Reader, maxBytes int64, dryRun, quiet bool) (Job, error) {
	f, err := os.CreateTemp("", "herald-import-*.ndjson")
	if err != nil {
		return Job{}, err
	}
	cleanup := func() { _ = f.Close(); _ = os.Remove(f.Name()) }
	n, err := io.Copy(f, io.LimitReader(body, maxBytes+1))
	if err != nil {
		cleanup()
		return Job{}, err
	}
	if n > maxBytes {
		cleanup()
		return Job{}, errs.Errorf(errs.TooLarge, "the import is larger than %d bytes; import bigger archives with herald import", maxBytes)
	}
	total, err := countLines(f)
	if err != nil {
		cleanup()
		return Job{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		cleanup()
		return Job{}, err
	}
	now := j.clock().UTC().Truncate(time.Microsecond)
	job := Job{ID: id, Status: JobRunning, DryRun: dryRun, Total: total, StartedAt: now, HeartbeatAt: now, Summary: Summary{Reports: []Report{}}}
	job.CreatedBy = changes.ActorOf(ctx).UserID
	if err := j.store.CreateImportJob(ctx, job); err != nil {
		cleanup()
		return Job{}, err
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	j.mu.Lock()
	j.cancels[id] = cancel
	j.mu.Unlock()
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		defer cleanup()
		defer cancel()
		j.run(rctx, f, job, quiet)
		j.mu.Lock()
		delete(j.cancels, id)
		j.mu.Unlock()
	}()
	return job, nil
}

// run imports the spooled file and keeps the job's row current.
func (j *Jobs) run(ctx context.Context, f *os.File, job Job, quiet bool) {
	save := func(job Job) {
		// The row must be written even when the run was cancelled (shutdown).
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = j.store.UpdateImportJob(sctx, job)
	}
	var err error
	if _, err = f.Seek(0, io.SeekStart); err == nil {
		var sum Summary
		sum, err = j.im.Run(ctx, f, Options{MediaDir: j.mediaDir, DryRun: job.DryRun, QuietEvents: quiet, Total: job.Total,
			MaxReports: maxJobReports, Progress: func(p Progress) {
				if now := j.clock(); now.Sub(job.HeartbeatAt) >= heartbeatEvery {
					job.HeartbeatAt, job.Summary = now.UTC().Truncate(time.Microsecond), p.Summary
					save(job)
				}
			}})
		job.Summary = sum
	}
	now := j.clock().UTC().Truncate(time.Microsecond)
	job.HeartbeatAt, job.FinishedAt, job.Status = now, &now, JobDone
	if err != nil {
		job.Status, job.Error = JobFailed, err.Error()
		if errors.Is(err, context.Canceled) {
			job.Error = "the server shut down during the import; post the same file again to finish it"
		}
	}
	if job.Summary.Reports == nil {
		job.Summary.Reports = []Report{}
	}
	save(job)
}

// Job returns an import job; a running one whose process stopped beating is interrupted.
func (j *Jobs) Job(ctx context.Context, id uuid.UUID) (Job, error) {
	job, err := j.store.ImportJob(ctx, id)
	if err != nil {
		return Job{}, err
	}
	if job.Status == JobRunning && j.clock().Sub(job.HeartbeatAt) > staleAfter {
		job.Status = JobInterrupted
		job.Error = fmt.Sprintf("the process running the import stopped (no progress since %s); the lines reported are in, post the same file again to import the rest",
			job.HeartbeatAt.Format(time.RFC3339))
		if err := j.store.UpdateImportJob(ctx, job); err != nil {
			return Job{}, err
		}
	}
	return job, nil
}

// Close cancels the running imports and waits for them to record where they stopped.
func (j *Jobs) Close(timeout time.Duration) {
	j.mu.Lock()
	for _, c := range j.cancels {
		c()
	}
	j.mu.Unlock()
	done := make(chan struct{})
	go func() { j.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
	}
}

// countLines counts the non-blank lines of f, for the ETA.
func countLines(f *os.File) (int, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return CountLines(f)
}

// CountLines counts the lines of r that are not blank.
func CountLines(r io.Reader) (int, error) {
	buf := make([]byte, 256<<10)
	n, blank := 0, true
	for {
		k, err := r.Read(buf)
		for _, b := range buf[:k] {
			switch b {
			case '\n':
				if !blank {
					n++
				}
				blank = true
			case ' ', '\t', '\r':
			default:
				blank = false
			}
		}
		if err == io.EOF {
			if !blank {
				n++
			}
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// ErrJobNotFound is an import job id that names no job.
var ErrJobNotFound = errs.New(errs.NotFound, "no such import job")
