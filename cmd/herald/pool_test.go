package main

import (
	"database/sql"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/testkit"
)

// TestDatabaseMaxConns bursts uncached reads at a server started with
// HERALD_DATABASE_MAX_CONNS=3 and watches PostgreSQL's own list of its connections: the
// pool never holds more than 3 (plus the cache's LISTEN connection), and every request is
// answered, waiting its turn rather than failing.
func TestDatabaseMaxConns(t *testing.T) {
	dbURL := testkit.URL(t, "postgres")
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := "herald-pool-" + time.Now().Format("150405.000000")
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	env := map[string]string{"HERALD_DATABASE_URL": u.String(), "HERALD_DATABASE_MAX_CONNS": "3", "HERALD_CACHE_BYTES": "0",
		"HERALD_ADDR": freeAddr(t), "HERALD_VIEWS_RATE_LIMIT": "0"}
	defer serveUntilReady(t, env)()

	watch, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close()
	// The LISTEN connection is opened outside the pool, at most one per server.
	const bound = 3 + 1
	var most atomic.Int64
	stop := make(chan struct{})
	watched := make(chan error, 1)
	go func() {
		for {
			var n int64
			if err := watch.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", name).Scan(&n); err != nil {
				watched <- err
				return
			}
			if n > most.Load() {
				most.Store(n)
			}
			select {
			case <-stop:
				watched <- nil
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()

	base := "http://" + env["HERALD_ADDR"]
	paths := []string{"/api/v1/articles?per_page=50", "/api/v1/articles?sort=title&locale=ru", "/api/v1/search?q=ombudsman", "/api/v1/categories"}
	var wg sync.WaitGroup
	var failed atomic.Int64
	for w := 0; w < 24; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				resp, err := http.Get(base + paths[(w+i)%len(paths)])
				if err != nil || resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
				if resp != nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	if err := <-watched; err != nil {
		t.Fatal(err)
	}
	if failed.Load() != 0 {
		t.Errorf("%d of 240 requests failed", failed.Load())
	}
	if n := most.Load(); n > bound || n < 2 {
		t.Errorf("PostgreSQL saw up to %d connections of the server; want at most %d (3 pooled + LISTEN), and the burst to use more than one", n, bound)
	}
}
