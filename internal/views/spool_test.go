package views

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
)

// batchMem adds idempotent batches to memStore; commitThenFail applies the next batch and
// then reports an error, like a commit whose acknowledgement was lost with the connection.
type batchMem struct {
	*memStore
	applied        map[uuid.UUID]bool
	commitThenFail bool
}

func (b *batchMem) AddViewBatches(ctx context.Context, bs []Batch) error {
	var ds []Delta
	var ids []uuid.UUID
	for _, x := range bs {
		if !b.applied[x.ID] {
			ds = append(ds, x.Deltas...)
			ids = append(ids, x.ID)
		}
	}
	if err := b.AddViews(ctx, ds); err != nil {
		return err
	}
	for _, id := range ids {
		b.applied[id] = true
	}
	if b.commitThenFail {
		b.commitThenFail = false
		return errors.New("connection reset after commit")
	}
	return nil
}

// TestSpoolKeepsReadsThroughAnOutageAndACrash: while the store fails, each flush's batch goes
// to the spool file; a new counter on the same file (the process was killed) writes them
// once the store answers, exactly once even when a commit's answer was lost.
func TestSpoolKeepsReadsThroughAnOutageAndACrash(t *testing.T) {
	st := &batchMem{memStore: newMemStore(), applied: map[uuid.UUID]bool{}}
	clk := &fakeClock{now: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	id := newID(t)
	st.publish(id, clk.Now().Add(-time.Hour))
	path := filepath.Join(t.TempDir(), "views.spool")
	ctx := context.Background()

	c := NewCounter(st, opts(clk, Options{FlushInterval: time.Hour}))
	if err := c.UseSpool(path, 1<<20); err != nil {
		t.Fatal(err)
	}
	// A commit whose acknowledgement was lost: spooled under the same id.
	st.commitThenFail = true
	for range 10 {
		mustHit(t, c, id)
	}
	if err := c.Flush(ctx); !errors.Is(err, errSpooled) {
		t.Fatalf("flush after a lost acknowledgement: %v", err)
	}
	// The database goes away: two more flushes land in the spool.
	st.fail = 1000
	for round := range 2 {
		for range 100 {
			mustHit(t, c, id)
		}
		if err := c.Flush(ctx); !errors.Is(err, errSpooled) {
			t.Fatalf("flush %d during the outage: %v", round, err)
		}
	}
	if c.Pending() != 0 || c.Spooled() != 210 {
		t.Fatalf("pending %d, spooled %d; want 0 and 210", c.Pending(), c.Spooled())
	}
	for range 7 { // the current interval: a crash loses these
		mustHit(t, c, id)
	}
	// SIGKILL: c is abandoned without Close. The database comes back; a new process starts.
	st.fail = 0
	c2 := NewCounter(st, opts(clk, Options{FlushInterval: time.Hour}))
	if err := c2.UseSpool(path, 1<<20); err != nil {
		t.Fatal(err)
	}
	if c2.Spooled() != 210 {
		t.Fatalf("the new process sees %d spooled reads, want 210", c2.Spooled())
	}
	if err := c2.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := st.total(id); got != 210 {
		t.Errorf("total %d after replay, want 210 (10 once, not twice, plus 200)", got)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 || c2.Spooled() != 0 {
		t.Errorf("spool not emptied after the replay: %v %v", fi, err)
	}
	if err := c2.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestSpoolIsBounded: past its bound the spool refuses batches, which then wait in memory.
func TestSpoolIsBounded(t *testing.T) {
	st := &batchMem{memStore: newMemStore(), applied: map[uuid.UUID]bool{}}
	clk := &fakeClock{now: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "views.spool")
	c := NewCounter(st, opts(clk, Options{FlushInterval: time.Hour}))
	if err := c.UseSpool(path, 2048); err != nil {
		t.Fatal(err)
	}
	st.fail = 1000
	var ids []uuid.UUID
	for range 100 {
		id := newID(t)
		ids = append(ids, id)
		st.publish(id, clk.Now().Add(-time.Hour))
	}
	for round := range 5 {
		for _, id := range ids[round*20 : round*20+20] {
			mustHit(t, c, id)
		}
		_ = c.Flush(context.Background())
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Size() > 2048 {
		t.Fatalf("spool %v bytes over its 2048 bound (%v)", fi.Size(), err)
	}
	if c.Spooled()+c.Pending() != 100 {
		t.Errorf("spooled %d + pending %d, want 100", c.Spooled(), c.Pending())
	}
	st.fail = 0
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, id := range ids {
		sum += st.total(id)
	}
	if sum != 100 {
		t.Errorf("written %d, want 100", sum)
	}
}
