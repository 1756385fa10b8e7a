package media

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/heraldcms/herald/internal/errs"
)

// Defaults of a Pool.
const (
	// DefaultMaxDecodedBytes is the memory all image work in flight may take together
	// (HERALD_MEDIA_MAX_DECODED_BYTES): a 12-megapixel photo takes about 25 MB, a 16-bit
	// 40-megapixel PNG 330 MB, which is refused.
	DefaultMaxDecodedBytes = 256 << 20
	// DefaultPoolWait is how long a job waits for a worker and memory before ErrBusy.
	DefaultPoolWait = 10 * time.Second
	// poolLinePerWorker bounds the jobs that may wait, per worker; more are ErrBusy at once.
	poolLinePerWorker = 4
)

// ErrBusy is image work refused because every worker is taken or the memory budget is
// spent and the short waiting line is full or did not move in time; retry in a moment (api
// answers 503 with Retry-After).
var ErrBusy = errs.New(errs.Unavailable, "too many images are being processed right now; retry in a few seconds")

// BudgetError refuses an image whose processing alone needs more memory than the whole
// budget: it could never run (413).
type BudgetError struct {
	Width, Height int
	Need, Limit   int64
}

// ErrorCode implements errs.Coder.
func (e *BudgetError) ErrorCode() errs.Code { return errs.TooLarge }

// ErrorMessage implements errs.Messager.
func (e *BudgetError) ErrorMessage() string { return e.Error() }

func (e *BudgetError) Error() string {
	return fmt.Sprintf("processing this %d×%d image needs about %d MiB of memory; the limit is %d MiB (HERALD_MEDIA_MAX_DECODED_BYTES)",
		e.Width, e.Height, e.Need>>20, e.Limit>>20)
}

// Pool bounds the image work of a process: at most a number of workers at once, and at
// most a memory budget for the estimated footprints (see MeasureImage) of the jobs running
// together. A job that could never fit is refused at once; one that must wait does so in a
// short line and for a bounded time, holding no image memory. Uploads run in it, and
// anything else that decodes images (on-demand variants) should share the same Pool.
type Pool struct {
	slots    chan struct{}
	admitted chan struct{}
	mem      *semaphore.Weighted
	max      int64
	wait     time.Duration
}

// NewPool returns a Pool of workers (≤ 0: GOMAXPROCS) sharing maxBytes (≤ 0:
// DefaultMaxDecodedBytes); jobs wait at most wait (≤ 0: DefaultPoolWait) to start.
func NewPool(workers int, maxBytes int64, wait time.Duration) *Pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxDecodedBytes
	}
	if wait <= 0 {
		wait = DefaultPoolWait
	}
	return &Pool{slots: make(chan struct{}, workers), admitted: make(chan struct{}, workers*(1+poolLinePerWorker)),
		mem: semaphore.NewWeighted(maxBytes), max: maxBytes, wait: wait}
}

// MaxBytes is the memory budget.
func (p *Pool) MaxBytes() int64 { return p.max }

// Workers is the number of jobs that may run at once.
func (p *Pool) Workers() int { return cap(p.slots) }

// Acquire reserves a worker and need bytes of the budget for one job; call release when
// the job's memory is no longer referenced. need over the whole budget is a *BudgetError
// (with f's size), a full line or a wait past the pool's limit ErrBusy, a cancelled ctx its
// error.
func (p *Pool) Acquire(ctx context.Context, f Footprint, need int64) (release func(), err error) {
	if need > p.max || need < 0 { // negative: an overflowed sum of absurd sizes
		return nil, &BudgetError{Width: f.Width, Height: f.Height, Need: need, Limit: p.max}
	}
	need = max(need, 1)
	select {
	case p.admitted <- struct{}{}:
	default:
		return nil, ErrBusy
	}
	leave := func() { <-p.admitted }
	wctx, cancel := context.WithTimeout(ctx, p.wait)
	defer cancel()
	select {
	case p.slots <- struct{}{}:
	case <-wctx.Done():
		leave()
		return nil, p.waitErr(ctx)
	}
	if err := p.mem.Acquire(wctx, need); err != nil {
		<-p.slots
		leave()
		return nil, p.waitErr(ctx)
	}
	return func() {
		p.mem.Release(need)
		<-p.slots
		leave()
	}, nil
}

func (p *Pool) waitErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return ErrBusy
}
