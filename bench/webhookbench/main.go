// Command webhookbench measures webhook delivery end to end, in one process, over loopback:
// deliveries per second (a backlog of queued deliveries drained by one instance) and
// publish-to-delivery latency (the time from sending POST .../publish to the receiver
// getting the signed article.published), p50 and p99. It runs on a temporary SQLite file
// and, when reachable, on a throwaway schema of the PostgreSQL named by -pg. `make bench`
// runs it.
package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/heraldcms/herald/bench/internal/harness"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/config"
	"github.com/heraldcms/herald/internal/store"
)

func main() {
	pg := flag.String("pg", harness.EnvOr("HERALD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herald_test?sslmode=disable"), "PostgreSQL (skipped if unreachable)")
	backlog := flag.Int("backlog", 500, "deliveries queued before the queue starts (throughput)")
	samples := flag.Int("samples", 100, "publications timed one by one (latency)")
	polls := flag.String("poll", "100ms,20ms", "HERALD_WEBHOOK_POLL_INTERVAL values to run with")
	flag.Parse()
	fmt.Printf("webhook delivery, one instance, receiver on loopback (%d queued; %d timed publications)\n", *backlog, *samples)
	fmt.Printf("%-9s %-6s %14s %12s %12s\n", "database", "poll", "deliveries/s", "p50", "p99")
	for _, poll := range strings.Split(*polls, ",") {
		for _, dialect := range []string{"sqlite", "postgres"} {
			dbURL, cleanup, err := database(dialect, *pg)
			if err != nil {
				fmt.Printf("%-9s %-6s skipped: %v\n", dialect, poll, err)
				continue
			}
			r, err := run(dbURL, poll, *backlog, *samples)
			cleanup()
			if err != nil {
				fmt.Fprintf(os.Stderr, "webhookbench %s: %v\n", dialect, err)
				os.Exit(1)
			}
			fmt.Printf("%-9s %-6s %14.0f %12s %12s\n", dialect, poll, r.rate, r.p50.Round(time.Millisecond), r.p99.Round(time.Millisecond))
		}
	}
}

type result struct {
	rate     float64
	p50, p99 time.Duration
}

// database returns a fresh database URL of dialect and a function that drops it.
func database(dialect, pgURL string) (string, func(), error) {
	if dialect == "sqlite" {
		dir, err := os.MkdirTemp("", "webhookbench")
		if err != nil {
			return "", nil, err
		}
		return "sqlite:" + filepath.Join(dir, "herald.db"), func() { _ = os.RemoveAll(dir) }, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return harness.PGSchema(ctx, pgURL, "webhookbench")
}

// receiver records when each article's publication arrived.
type receiver struct {
	mu      sync.Mutex
	arrived map[string]time.Time
	notify  chan struct{}
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var p struct {
		Type string `json:"type"`
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	body, _ := io.ReadAll(req.Body)
	now := time.Now()
	if json.Unmarshal(body, &p) == nil && p.Type == "article.published" {
		r.mu.Lock()
		if _, dup := r.arrived[p.Data.ID]; !dup {
			r.arrived[p.Data.ID] = now
		}
		r.mu.Unlock()
		select {
		case r.notify <- struct{}{}:
		default:
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) at(id string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.arrived[id]
	return t, ok
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.arrived)
}

// client sends requests straight to the router, as the admin.
type client struct {
	h     http.Handler
	token string
}

func (c *client) do(method, path string, body any, out any, headers ...string) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	if rec.Code >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
	}
	if out != nil {
		return json.Unmarshal(rec.Body.Bytes(), out)
	}
	return nil
}

type article struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

func (c *client) draft(i int) (article, error) {
	var a article
	err := c.do(http.MethodPost, "/api/v1/admin/articles", map[string]any{
		"translations": []map[string]string{{"locale": "en", "title": fmt.Sprintf("Bench story %d", i)}}}, &a)
	return a, err
}

func (c *client) publish(a article) error {
	return c.do(http.MethodPost, "/api/v1/admin/articles/"+a.ID+"/publish", nil, nil, fmt.Sprintf(`If-Match: "%d"`, a.Version))
}

func run(dbURL, poll string, backlog, samples int) (result, error) {
	ctx := context.Background()
	rcv := &receiver{arrived: map[string]time.Time{}, notify: make(chan struct{}, 1)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	srv := &http.Server{Handler: rcv, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	env := map[string]string{"HERALD_DATABASE_URL": dbURL, "HERALD_JWT_SECRET": strings.Repeat("b3nch", 10),
		"HERALD_DEMO_CONTENT": "false", "HERALD_WEBHOOK_ALLOW_PRIVATE": "true", "HERALD_WEBHOOK_POLL_INTERVAL": poll,
		"HERALD_WEBHOOK_WORKERS": "20", "HERALD_MEDIA_DIR": filepath.Join(os.TempDir(), "webhookbench-media")}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		return result{}, err
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return result{}, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return result{}, err
	}
	a, err := app.New(ctx, cfg, db, app.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
		app.WithAuthOptions(auth.WithPasswordParams(auth.PasswordParams{MemoryKiB: 64, Time: 1, Threads: 1})))
	if err != nil {
		return result{}, err
	}
	pw := "bench " + hex.EncodeToString([]byte(time.Now().String()))
	if _, err := a.Auth.CreateUser(ctx, auth.NewUser{Email: "bench@example.com", Name: "Bench", Role: auth.RoleAdmin, Password: pw}); err != nil {
		return result{}, err
	}
	c := &client{h: a.Server}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": "bench@example.com", "password": pw}, &tok); err != nil {
		return result{}, err
	}
	c.token = tok.AccessToken
	if err := c.do(http.MethodPost, "/api/v1/admin/webhooks", map[string]any{"url": "http://" + ln.Addr().String() + "/hook",
		"events": []string{"article.published"}}, nil); err != nil {
		return result{}, err
	}

	// Throughput: a backlog queued while no instance works the queue, then drained.
	for i := range backlog {
		art, err := c.draft(i)
		if err != nil {
			return result{}, err
		}
		if err := c.publish(art); err != nil {
			return result{}, err
		}
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	start := time.Now()
	if err := a.Start(runCtx, 5*time.Second); err != nil {
		return result{}, err
	}
	defer a.Close(10 * time.Second) //nolint:errcheck // a bench: the numbers are printed already
	deadline := time.Now().Add(5 * time.Minute)
	for rcv.count() < backlog {
		if time.Now().After(deadline) {
			return result{}, fmt.Errorf("only %d of %d deliveries after 5 minutes", rcv.count(), backlog)
		}
		select {
		case <-rcv.notify:
		case <-time.After(50 * time.Millisecond):
		}
	}
	var r result
	r.rate = float64(backlog) / time.Since(start).Seconds()

	// Latency: one publication at a time, each waited for.
	var lat []time.Duration
	for i := range samples {
		art, err := c.draft(backlog + i)
		if err != nil {
			return result{}, err
		}
		t0 := time.Now()
		if err := c.publish(art); err != nil {
			return result{}, err
		}
		for {
			if at, ok := rcv.at(art.ID); ok {
				lat = append(lat, at.Sub(t0))
				break
			}
			if time.Since(t0) > time.Minute {
				return result{}, errors.New("a publication was not delivered within a minute")
			}
			select {
			case <-rcv.notify:
			case <-time.After(5 * time.Millisecond):
			}
		}
	}
	slices.Sort(lat)
	r.p50 = lat[len(lat)/2]
	r.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
	return r, nil
}
