package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestCancelLate (keepOnCancel's handler, store.CancelLate, with a 1 s grace so that the timing holds on a
// loaded machine): a statement whose context ends keeps its connection when it ends within
// the grace, and has it cut, promptly, when it runs on past it.
func TestCancelLate(t *testing.T) {
	url := testkit.URL(t, "postgres")
	ctx := context.Background()
	connect := func() *pgx.Conn {
		cc, err := pgx.ParseConfig(url)
		if err != nil {
			t.Fatal(err)
		}
		cc.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler { return store.CancelLate(c, time.Second) }
		c, err := pgx.ConnectConfig(ctx, cc)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close(ctx) })
		return c
	}
	conn, holder := connect(), connect()

	// Within the grace: the statement waits for a lock, its context ends, the lock is let go.
	for round := range 3 {
		if _, err := holder.Exec(ctx, "SELECT pg_advisory_lock(42)"); err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() {
			_, err := conn.Exec(cctx, "SELECT pg_advisory_lock(42), pg_advisory_unlock(42)")
			done <- err
		}()
		waitForLockWaiter(t, holder)
		cancel()
		if _, err := holder.Exec(ctx, "SELECT pg_advisory_unlock(42)"); err != nil {
			t.Fatal(err)
		}
		<-done
		if conn.PgConn().IsClosed() {
			t.Fatalf("round %d: a statement that ended within the grace lost its connection", round)
		}
		var one int
		if err := conn.QueryRow(ctx, "SELECT 1 FROM pg_sleep(0.05)").Scan(&one); err != nil {
			t.Fatalf("round %d: the next statement: %v", round, err)
		}
	}

	// Past the grace: cut, about a grace after the context ended.
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := conn.Exec(cctx, "SELECT pg_sleep(30)"); err == nil {
		t.Fatal("pg_sleep(30) ended")
	}
	if took := time.Since(start); took < time.Second || took > 10*time.Second {
		t.Errorf("the statement was given up after %v, want about the 1 s grace", took)
	}
	if !conn.PgConn().IsClosed() {
		t.Error("a statement past the grace kept its connection")
	}
}

// waitForLockWaiter returns once a session waits for an advisory lock.
func waitForLockWaiter(t *testing.T, c *pgx.Conn) {
	t.Helper()
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(5 * time.Millisecond) {
		var n int
		if err := c.QueryRow(context.Background(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
	t.Fatal("no session waited for the lock")
}
