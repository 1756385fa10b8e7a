package views

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// Options tune a Counter; zero values take the defaults.
type Options struct {
	// FlushInterval is how often pending counts are written (default 1s).
	FlushInterval time.Duration
	// DedupeWindow, when positive, counts repeated hits of one visitor on one article once
	// per window.
	DedupeWindow time.Duration
	// DedupeMaxEntries bounds the visitors remembered for dedupe (default 1<<19, about
	// 20 MB); past it, hits are counted rather than remembered.
	DedupeMaxEntries int
	// RefreshInterval is how often the set of live articles is reloaded after Changed
	// (default 5s).
	RefreshInterval time.Duration
	// LiveMaxAge is how long the set is trusted without a Changed (default 5m): writes
	// another process made without telling this one (a notification lost) show by then.
	LiveMaxAge time.Duration
	// LiveLimit bounds the live articles kept in memory, newest first (default 200000);
	// older ones are looked up on demand and cached.
	LiveLimit int
	// FlushTimeout bounds one flush's database work (default 30s).
	FlushTimeout time.Duration
	Clock        func() time.Time
	Logger       *slog.Logger
	// ObserveFlush, if set, is told how long each flush that had counts to write took
	// and how it ended (metrics).
	ObserveFlush func(took time.Duration, err error)
}

func (o *Options) defaults() {
	if o.FlushInterval <= 0 {
		o.FlushInterval = time.Second
	}
	if o.DedupeMaxEntries <= 0 {
		o.DedupeMaxEntries = 1 << 19
	}
	if o.RefreshInterval <= 0 {
		o.RefreshInterval = 5 * time.Second
	}
	if o.LiveMaxAge <= 0 {
		o.LiveMaxAge = 5 * time.Minute
	}
	if o.LiveLimit <= 0 {
		o.LiveLimit = 200_000
	}
	if o.FlushTimeout <= 0 {
		o.FlushTimeout = 30 * time.Second
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// numShards spreads hits over independent locks so concurrent requests rarely wait.
const numShards = 32

type key struct {
	id  uuid.UUID
	day int32
}

// shard holds part of the pending counts (and, with dedupe, of the visitors seen). Hits
// pick a shard at random, or by visitor when deduping so one visitor's hits meet.
type shard struct {
	mu       sync.Mutex
	counts   map[key]int64
	seen     dedupe
	closed   bool
	accepted int64
	deduped  int64
	_        [64]byte // keep neighbouring shards' locks off one cache line
}

// Counter buffers hits in memory and flushes them to its Store. Create it with NewCounter,
// call Start, and Close it after the HTTP server has drained.
type Counter struct {
	store  Store
	opt    Options
	log    *slog.Logger
	seed   maphash.Seed
	shards [numShards]shard
	live   *liveArticles

	flushMu sync.Mutex
	retry   map[key]int64 // a failed batch, merged into the next one
	// spool holds the batches the database did not take (see spool.go); nil without one.
	spool   *spool
	batches BatchStore
	spooled atomic.Int64 // reads in the spool, not yet written

	rejected      atomic.Int64
	flushes       atomic.Int64
	failedFlushes atomic.Int64
	rowsWritten   atomic.Int64
	countsWritten atomic.Int64

	stop      context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// NewCounter returns a Counter writing to store.
func NewCounter(store Store, opt Options) *Counter {
	opt.defaults()
	c := &Counter{store: store, opt: opt, log: opt.Logger, seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].counts = map[key]int64{}
	}
	c.live = newLiveArticles(store, opt)
	return c
}

// UseSpool keeps batches the database does not take in an append-only file at path, at
// most maxBytes, and replays them (idempotently, by batch id) once it answers again, also
// after a restart: a crash then loses at most the reads of the current flush interval. Call
// it before Start; the store must implement BatchStore.
func (c *Counter) UseSpool(path string, maxBytes int64) error {
	bs, ok := c.store.(BatchStore)
	if !ok {
		return errors.New("views: this store cannot replay batches, so it cannot spool")
	}
	sp, err := openSpool(path, maxBytes)
	if err != nil {
		return err
	}
	c.spool, c.batches = sp, bs
	if bs, n, err := sp.batches(); err == nil && len(bs) > 0 {
		c.spooled.Store(n)
		c.log.Info("views: reads spooled by an earlier run will be written at the next flush", "batches", len(bs), "reads", n, "path", path)
	}
	return nil
}

// errSpooled marks a flush whose batch the database did not take but the spool did.
var errSpooled = errors.New("kept in the spool for the next attempt")

// Dedupes reports whether the counter needs the visitor's address and user agent.
func (c *Counter) Dedupes() bool { return c.opt.DedupeWindow > 0 }

// Start loads the live articles and starts the flush and refresh loops, which run until
// Close. A failed first load is logged, not fatal: hits look articles up one by one until
// the next refresh tick loads the set.
func (c *Counter) Start(ctx context.Context) {
	if err := c.live.refresh(ctx); err != nil {
		c.live.stale.Store(true) // retried at the next refresh tick
		c.log.Warn("views: load live articles", "error", err)
	}
	loopCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c.stop = cancel
	c.wg.Add(2)
	go c.loop(loopCtx, c.opt.FlushInterval, func(ctx context.Context) {
		// Not cancelled by Close: a flush under way finishes, and Close waits for it.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opt.FlushTimeout)
		defer cancel()
		if err := c.Flush(fctx); err != nil {
			c.log.Warn("views: flush failed; the counts are kept for the next attempt", "pending", c.Pending(), "error", err)
		}
	})
	// Reloading every live article costs a scan of the archive (a few % of a core at
	// 100,000 articles, all the time), so the set is reloaded only after a write changed what
	// the public sees (Changed), or once it is LiveMaxAge old.
	loaded := c.opt.Clock()
	go c.loop(loopCtx, c.opt.RefreshInterval, func(ctx context.Context) {
		if !c.live.stale.Swap(false) && c.opt.Clock().Sub(loaded) < c.opt.LiveMaxAge {
			return
		}
		started := c.opt.Clock()
		if err := c.live.refresh(ctx); err != nil {
			c.live.stale.Store(true)
			if ctx.Err() == nil {
				c.log.Warn("views: refresh live articles", "error", err)
			}
			return
		}
		loaded = started
	})
}

func (c *Counter) loop(ctx context.Context, every time.Duration, fn func(context.Context)) {
	defer c.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn(ctx)
		}
	}
}

// Changed tells the counter that a write changed which articles are live (published,
// unpublished, scheduled, deleted): the set is reloaded at the next tick, and on-demand
// answers are forgotten now. internal/app calls it after every public write, this
// instance's or, through the listener, another's.
func (c *Counter) Changed() { c.live.changed() }

// Hit counts one read of article id by a visitor (client address and user agent, used
// only when deduping and never kept: they are hashed with a per-process seed). It returns
// ErrNotFound if the public cannot see the article, and ErrNotCounting after Close.
func (c *Counter) Hit(ctx context.Context, id uuid.UUID, addr, userAgent string) error {
	now := c.opt.Clock()
	ok, err := c.live.visible(ctx, id, now)
	if err != nil {
		return err
	}
	if !ok {
		c.rejected.Add(1)
		return ErrNotFound
	}
	k := key{id: id, day: dayNumber(now)}
	if c.opt.DedupeWindow <= 0 {
		sh := &c.shards[rand.Uint32()%numShards]
		sh.mu.Lock()
		if sh.closed {
			sh.mu.Unlock()
			return ErrNotCounting
		}
		sh.counts[k]++
		sh.accepted++
		sh.mu.Unlock()
		return nil
	}
	h := c.visitorHash(id, addr, userAgent)
	sh := &c.shards[h%numShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.closed {
		return ErrNotCounting
	}
	if sh.seen.repeat(h, now.UnixNano(), int64(c.opt.DedupeWindow), c.opt.DedupeMaxEntries/numShards) {
		sh.deduped++
		return nil
	}
	sh.counts[k]++
	sh.accepted++
	return nil
}

func (c *Counter) visitorHash(id uuid.UUID, addr, userAgent string) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	_, _ = h.Write(id[:])
	_, _ = h.WriteString(addr)
	_ = h.WriteByte(0)
	_, _ = h.WriteString(userAgent)
	return h.Sum64()
}

// Flush writes every pending count in one transaction. On failure the counts stay pending
// and the next flush retries them together with newer hits.
func (c *Counter) Flush(ctx context.Context) error {
	return c.flush(ctx, false)
}

func (c *Counter) flush(ctx context.Context, closing bool) error {
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	batch := c.retry
	c.retry = nil
	if batch == nil {
		batch = map[key]int64{}
	}
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		var taken map[key]int64
		if len(sh.counts) > 0 {
			taken, sh.counts = sh.counts, make(map[key]int64, len(sh.counts))
		}
		if closing {
			sh.closed = true
		}
		sh.mu.Unlock()
		for k, n := range taken {
			batch[k] += n
		}
	}
	// Spooled batches first: they are older, and a replay that fails means the database is
	// still away, so this batch joins them.
	if c.spool != nil && c.spool.size > 0 {
		if err := c.replaySpool(ctx); err != nil {
			if len(batch) > 0 {
				if serr := c.spoolBatch(Batch{ID: uuid.New(), Deltas: deltasOf(batch)}); serr != nil {
					c.retry = batch
					return fmt.Errorf("views: replay spool: %w (and %v)", err, serr)
				}
			}
			return fmt.Errorf("views: replay spool: %w; %w", err, errSpooled)
		}
	}
	if len(batch) == 0 {
		return nil
	}
	deltas := make([]Delta, 0, len(batch))
	var total int64
	for k, n := range batch {
		deltas = append(deltas, Delta{ArticleID: k.id, Day: dayOfNumber(k.day), Count: n})
		total += n
	}
	// One order for every instance, so concurrent flushes lock rows in the same order.
	slices.SortFunc(deltas, func(a, b Delta) int {
		if c := slices.Compare(a.ArticleID[:], b.ArticleID[:]); c != 0 {
			return c
		}
		return a.Day.Compare(b.Day)
	})
	started := time.Now()
	var err error
	var b Batch
	if c.spool != nil {
		b = Batch{ID: uuid.New(), Deltas: deltas}
		err = c.batches.AddViewBatches(ctx, []Batch{b})
	} else {
		err = c.store.AddViews(ctx, deltas)
	}
	if c.opt.ObserveFlush != nil {
		c.opt.ObserveFlush(time.Since(started), err)
	}
	if err != nil {
		c.failedFlushes.Add(1)
		// The same id: if the commit reached the database after all, the replay adds nothing.
		if c.spool != nil {
			if serr := c.spoolBatch(b); serr == nil {
				return fmt.Errorf("views: write %d counts: %w; %w", total, err, errSpooled)
			} else {
				c.log.Warn("views: cannot spool a batch; it waits in memory", "error", serr)
			}
		}
		c.retry = batch
		return fmt.Errorf("views: write %d counts: %w", total, err)
	}
	c.flushes.Add(1)
	c.rowsWritten.Add(int64(len(deltas)))
	c.countsWritten.Add(total)
	return nil
}

func deltasOf(batch map[key]int64) []Delta {
	deltas := make([]Delta, 0, len(batch))
	for k, n := range batch {
		deltas = append(deltas, Delta{ArticleID: k.id, Day: dayOfNumber(k.day), Count: n})
	}
	return deltas
}

// spoolBatch appends b to the spool (under flushMu).
func (c *Counter) spoolBatch(b Batch) error {
	if err := c.spool.append(b); err != nil {
		return err
	}
	for _, d := range b.Deltas {
		c.spooled.Add(d.Count)
	}
	return nil
}

// replaySpool writes every spooled batch in one transaction and empties the spool (under
// flushMu).
func (c *Counter) replaySpool(ctx context.Context) error {
	bs, n, err := c.spool.batches()
	if err != nil {
		return err
	}
	if len(bs) > 0 {
		if err := c.batches.AddViewBatches(ctx, bs); err != nil {
			return err
		}
		c.countsWritten.Add(n)
		c.log.Info("views: spooled reads written", "batches", len(bs), "reads", n)
	}
	if err := c.spool.clear(); err != nil {
		return err
	}
	c.spooled.Store(0)
	return nil
}

// Close stops the loops, refuses further hits and writes what is pending, retrying until
// ctx ends. Call it after the HTTP server has stopped taking requests. It returns an error
// only if counts could not be written before ctx ended.
func (c *Counter) Close(ctx context.Context) error {
	c.closeOnce.Do(func() {
		if c.stop != nil {
			c.stop()
		}
		c.wg.Wait()
		backoff := 50 * time.Millisecond
		for {
			err := c.flush(ctx, true)
			if err == nil {
				c.closeSpool()
				return
			}
			if errors.Is(err, errSpooled) {
				c.log.Warn("views: the database is away; pending reads stay in the spool for the next start", "spooled", c.spooled.Load(), "error", err)
				c.closeSpool()
				return
			}
			c.log.Warn("views: final flush failed; retrying", "pending", c.Pending(), "error", err)
			select {
			case <-ctx.Done():
				c.closeErr = fmt.Errorf("views: %d reads were not written: %w", c.Pending(), errors.Join(err, ctx.Err()))
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 2*time.Second)
		}
	})
	return c.closeErr
}

func (c *Counter) closeSpool() {
	if c.spool != nil {
		if err := c.spool.close(); err != nil {
			c.log.Warn("views: close spool", "error", err)
		}
	}
}

// Spooled is the number of reads in the spool, not yet written.
func (c *Counter) Spooled() int64 { return c.spooled.Load() }

// Pending is the number of reads not yet written.
func (c *Counter) Pending() int64 {
	var n int64
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		for _, v := range sh.counts {
			n += v
		}
		sh.mu.Unlock()
	}
	// retry belongs to the flush in progress; take the lock only if no flush holds it.
	if c.flushMu.TryLock() {
		for _, v := range c.retry {
			n += v
		}
		c.flushMu.Unlock()
	}
	return n
}

// Stats are a Counter's running totals since it started.
type Stats struct {
	Accepted      int64 // hits counted
	Deduped       int64 // hits ignored as repeats
	Rejected      int64 // hits on articles the public cannot see
	Written       int64 // reads written to the database
	Flushes       int64 // successful flush transactions
	FailedFlushes int64
	RowsWritten   int64 // (article, day) rows written, summed over flushes
}

// Stats returns the running totals.
func (c *Counter) Stats() Stats {
	s := Stats{
		Rejected: c.rejected.Load(), Written: c.countsWritten.Load(), Flushes: c.flushes.Load(),
		FailedFlushes: c.failedFlushes.Load(), RowsWritten: c.rowsWritten.Load(),
	}
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		s.Accepted += sh.accepted
		s.Deduped += sh.deduped
		sh.mu.Unlock()
	}
	return s
}

// dedupe remembers visitors in two generations of one window each, so an entry lives at
// least a full window and memory never holds more than two windows' worth, capped.
type dedupe struct {
	cur, prev map[uint64]int64 // visitor hash → time of the counted hit (UnixNano)
	rotated   int64
}

// repeat reports whether h was counted less than window ago, and remembers it otherwise.
func (d *dedupe) repeat(h uint64, now, window int64, max int) bool {
	if d.cur == nil || now-d.rotated >= window {
		d.prev, d.cur, d.rotated = d.cur, make(map[uint64]int64), now
	}
	if t, ok := d.cur[h]; ok && now-t < window {
		return true
	}
	if t, ok := d.prev[h]; ok && now-t < window {
		return true
	}
	if len(d.cur) < max {
		d.cur[h] = now
	}
	return false
}
