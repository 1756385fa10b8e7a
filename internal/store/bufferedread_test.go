package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/heraldcms/herald/internal/testkit"
)

// TestBufferedReadsStayInStep: with PostgreSQL's replies read through a buffer
// (bufferedFrontend), results far larger than the buffer arrive whole, concurrent
// statements on the pool each get their own, and a statement cancelled mid-read leaves no
// stale bytes behind for the next one on that connection.
func TestBufferedReadsStayInStep(t *testing.T) {
	db := testkit.OpenDB(t, "postgres")
	sqlDB := db.SQL()
	sqlDB.SetMaxOpenConns(2)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 1000 + i*37_000 // up to 555,000 bytes: many buffers' worth
			var s string
			if err := sqlDB.QueryRowContext(ctx, "SELECT repeat(chr(97 + $1::int % 26), $2::int)", i, n).Scan(&s); err != nil {
				errs <- err
				return
			}
			if len(s) != n || strings.Trim(s, string(rune('a'+i%26))) != "" {
				errs <- errors.New("a result arrived short or mixed with another")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Cancelled while 50 MB stream in: the next statements still read their own replies.
	for range 3 {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		rows, err := sqlDB.QueryContext(cctx, "SELECT repeat('x', 1000000) FROM generate_series(1, 50)")
		if err == nil {
			for rows.Next() {
			}
			_ = rows.Close()
		}
		cancel()
		var one int
		if err := sqlDB.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
			t.Fatalf("after a cancelled read: %d, %v", one, err)
		}
	}
}

// TestCancelledStatementOnThePool: store.Open gives every PostgreSQL connection keepOnCancel's
// handler (TestCancelLate tests it), and a statement that runs on long after its context
// ended is given up about its grace later; the pool serves the next statement.
func TestCancelledStatementOnThePool(t *testing.T) {
	db := testkit.OpenDB(t, "postgres")
	sqlDB := db.SQL()
	sqlDB.SetMaxOpenConns(1)
	ctx := context.Background()
	c, err := sqlDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		if h := fmt.Sprintf("%T", pc.Config().BuildContextWatcherHandler(pc.PgConn())); h != "*store.cancelLate" {
			t.Errorf("connections get a %s, want keepOnCancel's handler", h)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	for round := range 2 {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		start := time.Now()
		_, err := sqlDB.ExecContext(cctx, "SELECT pg_sleep(10)")
		took := time.Since(start)
		cancel()
		if err == nil || took > 5*time.Second {
			t.Fatalf("round %d: pg_sleep(10) cancelled after 20 ms: %v after %v", round, err, took)
		}
		var one int
		if err := sqlDB.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
			t.Fatalf("round %d: the next statement: %d, %v", round, one, err)
		}
	}
}
