package views

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// memStore is an in-memory Store for the counter's logic; internal/store tests the SQL.
type memStore struct {
	mu        sync.Mutex
	live      map[uuid.UUID]time.Time
	totals    map[uuid.UUID]int64
	daily     map[uuid.UUID]map[time.Time]int64
	fail      int // the next fail calls of AddViews fail
	failLoads int // the next failLoads calls of LiveArticles fail
	calls     int
	lookups   atomic.Int64
	loads     atomic.Int64 // LiveArticles calls
}

func newMemStore() *memStore {
	return &memStore{live: map[uuid.UUID]time.Time{}, totals: map[uuid.UUID]int64{}, daily: map[uuid.UUID]map[time.Time]int64{}}
}

func (m *memStore) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return fn(ctx)
}

func (m *memStore) AddViews(_ context.Context, ds []Delta) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.fail > 0 {
		m.fail--
		return errors.New("database is down")
	}
	for _, d := range ds {
		m.totals[d.ArticleID] += d.Count
		if m.daily[d.ArticleID] == nil {
			m.daily[d.ArticleID] = map[time.Time]int64{}
		}
		m.daily[d.ArticleID][d.Day] += d.Count
	}
	return nil
}

func (m *memStore) LiveArticles(context.Context, int) ([]Live, error) {
	m.loads.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failLoads > 0 {
		m.failLoads--
		return nil, errors.New("database is down")
	}
	var out []Live
	for id, t := range m.live {
		out = append(out, Live{ID: id, PublishedAt: t})
	}
	return out, nil
}

func (m *memStore) LiveArticle(_ context.Context, id uuid.UUID) (Live, error) {
	m.lookups.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	if t, ok := m.live[id]; ok {
		return Live{ID: id, PublishedAt: t}, nil
	}
	return Live{}, ErrNotFound
}

func (m *memStore) publish(id uuid.UUID, at time.Time) {
	m.mu.Lock()
	m.live[id] = at
	m.mu.Unlock()
}

func (m *memStore) total(id uuid.UUID) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.totals[id]
}

func (m *memStore) ReadCount(context.Context, uuid.UUID) (int64, error)  { return 0, nil }
func (m *memStore) SetReadCount(context.Context, uuid.UUID, int64) error { return nil }
func (m *memStore) ArticleIDBySlug(context.Context, string, string) (uuid.UUID, error) {
	return uuid.Nil, ErrNotFound
}
func (m *memStore) DailyViews(context.Context, uuid.UUID, time.Time, time.Time) ([]DayCount, error) {
	return nil, nil
}
func (m *memStore) TopArticles(context.Context, *time.Time, time.Time, int) ([]Ranked, error) {
	return nil, nil
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }
func quiet() *slog.Logger                    { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
func newID(t *testing.T) uuid.UUID           { t.Helper(); return uuid.Must(uuid.NewV7()) }
func opts(clk *fakeClock, o Options) Options { o.Clock, o.Logger = clk.Now, quiet(); return o }
func mustHit(t *testing.T, c *Counter, id uuid.UUID) {
	t.Helper()
	if err := c.Hit(context.Background(), id, "203.0.113.7", "test"); err != nil {
		t.Fatalf("hit %s: %v", id, err)
	}
}

func TestConcurrentHitsAreExact(t *testing.T) {
	st := newMemStore()
	clk := &fakeClock{now: time.Date(2024, 5, 1, 23, 59, 59, 0, time.UTC)}
	ids := make([]uuid.UUID, 5)
	for i := range ids {
		ids[i] = newID(t)
		st.publish(ids[i], clk.Now().Add(-time.Hour))
	}
	c := NewCounter(st, opts(clk, Options{FlushInterval: time.Millisecond}))
	c.Start(context.Background())
	const workers, hits = 16, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range hits {
				if w == 0 && i == hits/2 {
					clk.Advance(2 * time.Second) // cross midnight: two days per article
				}
				mustHit(t, c, ids[(w+i)%len(ids)])
			}
		}()
	}
	wg.Wait()
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, id := range ids {
		var days int64
		for _, n := range st.daily[id] {
			days += n
		}
		if days != st.total(id) {
			t.Errorf("%s: daily sum %d, total %d", id, days, st.total(id))
		}
		sum += st.total(id)
	}
	if sum != workers*hits {
		t.Fatalf("written %d, want %d", sum, workers*hits)
	}
	if s := c.Stats(); s.Accepted != workers*hits || s.Written != workers*hits {
		t.Errorf("stats %+v", s)
	}
}

func TestFailedFlushKeepsCounts(t *testing.T) {
	st := newMemStore()
	clk := &fakeClock{now: time.Now().UTC()}
	id := newID(t)
	st.publish(id, clk.Now().Add(-time.Hour))
	c := NewCounter(st, opts(clk, Options{}))
	ctx := context.Background()
	for range 3 {
		mustHit(t, c, id)
	}
	st.fail = 2
	if err := c.Flush(ctx); err == nil {
		t.Fatal("flush with the database down succeeded")
	}
	mustHit(t, c, id)
	if err := c.Flush(ctx); err == nil {
		t.Fatal("second flush with the database down succeeded")
	}
	if p := c.Pending(); p != 4 {
		t.Fatalf("pending %d after failed flushes, want 4", p)
	}
	mustHit(t, c, id)
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := st.total(id); n != 5 {
		t.Fatalf("total %d, want 5", n)
	}
	if p := c.Pending(); p != 0 {
		t.Fatalf("pending %d after a good flush", p)
	}
}

func TestCloseRetriesThenRefusesHits(t *testing.T) {
	st := newMemStore()
	clk := &fakeClock{now: time.Now().UTC()}
	id := newID(t)
	st.publish(id, clk.Now().Add(-time.Hour))
	c := NewCounter(st, opts(clk, Options{FlushInterval: time.Hour}))
	c.Start(context.Background())
	mustHit(t, c, id)
	mustHit(t, c, id)
	st.mu.Lock()
	st.fail = 3
	st.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if n := st.total(id); n != 2 {
		t.Fatalf("total %d after close, want 2", n)
	}
	if err := c.Hit(ctx, id, "", ""); !errors.Is(err, ErrNotCounting) {
		t.Fatalf("hit after close: %v, want ErrNotCounting", err)
	}
}

func TestCloseGivesUpWhenTheDatabaseStaysDown(t *testing.T) {
	st := newMemStore()
	clk := &fakeClock{now: time.Now().UTC()}
	id := newID(t)
	st.publish(id, clk.Now().Add(-time.Hour))
	c := NewCounter(st, opts(clk, Options{}))
	mustHit(t, c, id)
	st.fail = 1 << 30
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := c.Close(ctx); err == nil {
		t.Fatal("close reported success with the database down")
	}
}

func TestOnlyVisibleArticlesCount(t *testing.T) {
	st := newMemStore()
	clk := &fakeClock{now: time.Now().UTC()}
	published, scheduled, later := newID(t), newID(t), newID(t)
	st.publish(published, clk.Now().Add(-time.Hour))
	st.publish(scheduled, clk.Now().Add(time.Minute))
	c := NewCounter(st, opts(clk, Options{RefreshInterval: time.Hour}))
	c.Start(context.Background())
	defer c.Close(context.Background())
	ctx := context.Background()

	mustHit(t, c, published)
	if err := c.Hit(ctx, scheduled, "", ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("scheduled, not due: %v", err)
	}
	clk.Advance(time.Minute)
	mustHit(t, c, scheduled) // due now, without waiting for a refresh

	// Unknown ids are looked up once, then answered from the negative cache.
	unknown := newID(t)
	before := st.lookups.Load()
	for range 100 {
		if err := c.Hit(ctx, unknown, "", ""); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown id: %v", err)
		}
	}
	if n := st.lookups.Load() - before; n != 1 {
		t.Fatalf("%d lookups for one unknown id, want 1", n)
	}
	// Published after the last refresh: found by lookup once the negative entry expires.
	st.publish(later, clk.Now())
	if err := c.Hit(ctx, later, "", ""); err != nil {
		t.Fatalf("article published since the refresh: %v", err)
	}
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if st.total(published) != 1 || st.total(scheduled) != 1 || st.total(later) != 1 {
		t.Fatalf("totals %v", st.totals)
	}
	if s := c.Stats(); s.Rejected != 101 {
		t.Errorf("rejected %d, want 101", s.Rejected)
	}
}

// TestLiveSetReloadsOnlyAfterChanges: the set of live articles is not reloaded while
// nothing changes, is reloaded at the next tick after Changed (an unpublished article stops
// counting, also when an on-demand lookup had found it), and again once it is LiveMaxAge old.
func TestLiveSetReloadsOnlyAfterChanges(t *testing.T) {
	st := newMemStore()
	clk := &fakeClock{now: time.Now().UTC()}
	inSet, looked := newID(t), newID(t)
	st.publish(inSet, clk.Now().Add(-time.Hour))
	c := NewCounter(st, opts(clk, Options{RefreshInterval: 5 * time.Millisecond, LiveMaxAge: time.Hour}))
	c.Start(context.Background())
	defer c.Close(context.Background())
	waitLoads := func(want int64) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); st.loads.Load() < want; {
			if time.Now().After(deadline) {
				t.Fatalf("%d loads, want %d", st.loads.Load(), want)
			}
			time.Sleep(time.Millisecond)
		}
	}
	waitLoads(1)
	time.Sleep(60 * time.Millisecond) // a dozen ticks
	if n := st.loads.Load(); n != 1 {
		t.Fatalf("%d loads without a change, want 1", n)
	}
	st.publish(looked, clk.Now()) // after the load: found on demand
	mustHit(t, c, inSet)
	mustHit(t, c, looked)

	st.mu.Lock()
	delete(st.live, inSet)
	delete(st.live, looked)
	st.mu.Unlock()
	c.Changed()
	if err := c.Hit(context.Background(), looked, "", ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unpublished, after Changed: %v", err) // the on-demand answer is forgotten at once
	}
	// The reload is counted as it starts; the set is swapped when it ends.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		err := c.Hit(context.Background(), inSet, "", "")
		if errors.Is(err, ErrNotFound) {
			break
		}
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("unpublished, after Changed: %v", err)
		}
	}
	if n := st.loads.Load(); n != 2 {
		t.Fatalf("%d loads after one change, want 2", n)
	}
	clk.Advance(time.Hour)
	waitLoads(3) // LiveMaxAge
	time.Sleep(30 * time.Millisecond)
	if n := st.loads.Load(); n != 3 {
		t.Fatalf("%d loads, want 3", n)
	}
}

// TestFailedFirstLoadIsRetried: a live set that could not load at start (the database was
// down) is loaded at the next refresh tick, not after LiveMaxAge or the next write.
func TestFailedFirstLoadIsRetried(t *testing.T) {
	st := newMemStore()
	st.failLoads = 1
	clk := &fakeClock{now: time.Now().UTC()}
	c := NewCounter(st, opts(clk, Options{RefreshInterval: 5 * time.Millisecond, LiveMaxAge: time.Hour}))
	c.Start(context.Background())
	defer c.Close(context.Background())
	for deadline := time.Now().Add(5 * time.Second); st.loads.Load() < 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d loads: the failed first load was not retried", st.loads.Load())
		}
	}
	lookups := st.lookups.Load()
	id := newID(t)
	st.publish(id, clk.Now().Add(-time.Hour))
	c.Changed() // the set holds id after the next reload, not by lookup
	for deadline := time.Now().Add(5 * time.Second); st.loads.Load() < 3; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no reload after Changed")
		}
	}
	time.Sleep(20 * time.Millisecond) // the reload swaps the set when it ends
	mustHit(t, c, id)
	if n := st.lookups.Load(); n != lookups {
		t.Fatalf("%d lookups once the set loaded, want %d", n, lookups)
	}
}

func TestDedupeWindow(t *testing.T) {
	st := newMemStore()
	clk := &fakeClock{now: time.Now().UTC()}
	a, b := newID(t), newID(t)
	st.publish(a, clk.Now().Add(-time.Hour))
	st.publish(b, clk.Now().Add(-time.Hour))
	c := NewCounter(st, opts(clk, Options{DedupeWindow: 10 * time.Minute}))
	ctx := context.Background()
	hit := func(id uuid.UUID, ip, ua string) {
		t.Helper()
		if err := c.Hit(ctx, id, ip, ua); err != nil {
			t.Fatal(err)
		}
	}
	hit(a, "198.51.100.1", "Firefox") // counts
	hit(a, "198.51.100.1", "Firefox") // repeat
	hit(b, "198.51.100.1", "Firefox") // another article counts
	hit(a, "198.51.100.2", "Firefox") // another address counts
	hit(a, "198.51.100.1", "Chrome")  // another agent counts
	for range 5 {                     // repeats across generation rotations stay repeats
		clk.Advance(time.Minute + 30*time.Second)
		hit(a, "198.51.100.1", "Firefox")
	}
	clk.Advance(3 * time.Minute) // 10.5 minutes after the first hit
	hit(a, "198.51.100.1", "Firefox")
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if st.total(a) != 4 || st.total(b) != 1 {
		t.Fatalf("a %d (want 4), b %d (want 1)", st.total(a), st.total(b))
	}
	if s := c.Stats(); s.Deduped != 6 {
		t.Errorf("deduped %d, want 6", s.Deduped)
	}
}

func TestDedupeMemoryIsBounded(t *testing.T) {
	st := newMemStore()
	clk := &fakeClock{now: time.Now().UTC()}
	id := newID(t)
	st.publish(id, clk.Now().Add(-time.Hour))
	c := NewCounter(st, opts(clk, Options{DedupeWindow: time.Hour, DedupeMaxEntries: numShards * 4}))
	for i := range 10_000 {
		if err := c.Hit(context.Background(), id, "10.0.0.1", string(rune('a'+i%26))+time.Duration(i).String()); err != nil {
			t.Fatal(err)
		}
	}
	for i := range c.shards {
		if n := len(c.shards[i].seen.cur) + len(c.shards[i].seen.prev); n > 8 {
			t.Fatalf("shard %d remembers %d visitors, cap 4 per generation", i, n)
		}
	}
	if s := c.Stats(); s.Accepted != 10_000 {
		t.Errorf("accepted %d: past the cap, hits must count", s.Accepted)
	}
}

func TestStatsFillsEveryDay(t *testing.T) {
	st := &statsStore{memStore: newMemStore(), days: []DayCount{
		{Day: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC), Count: 3},
		{Day: time.Date(2024, 5, 4, 0, 0, 0, 0, time.UTC), Count: 4},
	}}
	s := NewService(st, func() time.Time { return time.Date(2024, 5, 30, 12, 0, 0, 0, time.UTC) })
	from, to := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 5, 15, 0, 0, 0, time.UTC)
	got, err := s.Stats(context.Background(), newID(t), &from, &to)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{0, 3, 0, 4, 0}
	if len(got.Days) != len(want) || got.Total != 7 {
		t.Fatalf("stats %+v", got)
	}
	for i, d := range got.Days {
		if d.Count != want[i] || !d.Day.Equal(from.AddDate(0, 0, i)) {
			t.Errorf("day %d = %+v", i, d)
		}
	}
	def, err := s.Stats(context.Background(), newID(t), nil, nil)
	if err != nil || len(def.Days) != 30 || def.To.Format("2006-01-02") != "2024-05-30" {
		t.Fatalf("default range %v–%v (%d days), %v", def.From, def.To, len(def.Days), err)
	}
	var ve *errs.Error
	if _, err := s.Stats(context.Background(), newID(t), &to, &from); !errors.As(err, &ve) {
		t.Errorf("from after to: %v", err)
	}
	long := from.AddDate(-2, 0, 0)
	if _, err := s.Stats(context.Background(), newID(t), &long, &to); !errors.As(err, &ve) {
		t.Errorf("two-year range: %v", err)
	}
}

type statsStore struct {
	*memStore
	days []DayCount
}

func (s *statsStore) DailyViews(context.Context, uuid.UUID, time.Time, time.Time) ([]DayCount, error) {
	return s.days, nil
}

func TestPeriods(t *testing.T) {
	now := time.Date(2024, 5, 30, 12, 0, 0, 0, time.UTC)
	for p, want := range map[Period]string{PeriodDay: "2024-05-30", PeriodWeek: "2024-05-24", PeriodMonth: "2024-05-01"} {
		if got := Since(p, now); got == nil || got.Format("2006-01-02") != want {
			t.Errorf("%s since %v, want %s", p, got, want)
		}
	}
	if Since(PeriodAll, now) != nil {
		t.Error("all has a start")
	}
	if p, err := ParsePeriod(""); p != PeriodWeek || err != nil {
		t.Errorf("default period %q %v", p, err)
	}
	if _, err := ParsePeriod("year"); err == nil {
		t.Error("year accepted")
	}
}

func TestObserveFlushSeesEveryAttempt(t *testing.T) {
	st := newMemStore()
	clk := &fakeClock{now: time.Now().UTC()}
	id := newID(t)
	st.publish(id, clk.Now().Add(-time.Hour))
	var failed, ok int
	c := NewCounter(st, opts(clk, Options{ObserveFlush: func(took time.Duration, err error) {
		if took < 0 {
			t.Errorf("negative flush time %v", took)
		}
		if err != nil {
			failed++
		} else {
			ok++
		}
	}}))
	ctx := context.Background()
	if err := c.Flush(ctx); err != nil || failed+ok != 0 {
		t.Fatalf("an empty flush: err %v, observed %d", err, failed+ok)
	}
	mustHit(t, c, id)
	st.fail = 2
	_ = c.Flush(ctx)
	_ = c.Flush(ctx)
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if failed != 2 || ok != 1 || c.Stats().FailedFlushes != 2 {
		t.Fatalf("observed %d failed and %d good flushes (stats %+v), want 2 and 1", failed, ok, c.Stats())
	}
}
