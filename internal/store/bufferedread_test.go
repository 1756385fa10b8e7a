package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

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

// TestCancelledStatementKeepsItsConnection (keepOnCancel): a statement whose context ends
// while it runs is stopped by PostgreSQL's cancel request, promptly, and its connection goes
// back to the pool with the same backend; the cancellation does not reach the statements
// that use the connection next. So does a statement that ends on its own just after its
// context.
func TestCancelledStatementKeepsItsConnection(t *testing.T) {
	db := testkit.OpenDB(t, "postgres")
	sqlDB := db.SQL()
	sqlDB.SetMaxOpenConns(1)
	ctx := context.Background()
	var pid int
	if err := sqlDB.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	for i, sleep := range []string{"10", "10", "0.03"} {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		start := time.Now()
		_, err := sqlDB.ExecContext(cctx, "SELECT pg_sleep("+sleep+")")
		took := time.Since(start)
		cancel()
		if sleep == "10" && err == nil {
			t.Fatal("pg_sleep(10) ended inside 20 ms")
		}
		if took > 3*time.Second {
			t.Fatalf("round %d: the cancelled statement ran on for %v", i, took)
		}
		// The next statements outlast the moment a late cancel request would land.
		for range 3 {
			var got int
			if err := sqlDB.QueryRowContext(ctx, "SELECT pg_backend_pid() FROM pg_sleep(0.05)").Scan(&got); err != nil {
				t.Fatalf("round %d: the statement after a cancellation: %v", i, err)
			}
			if got != pid {
				t.Fatalf("round %d: backend %d after the cancellation, want %d: the connection was cut", i, got, pid)
			}
		}
	}
}
