package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/testkit"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// serveUntilReady runs herald serve in this process with env (HERALD_ADDR set to a free
// address when missing) until it answers /readyz; stop ends it and reports its error.
func serveUntilReady(t *testing.T, env map[string]string) (stop func()) {
	t.Helper()
	return serveLogging(t, env, io.Discard)
}

// serveLogging is serveUntilReady with the server's log written to stderr.
func serveLogging(t *testing.T, env map[string]string, stderr io.Writer) (stop func()) {
	t.Helper()
	if env["HERALD_ADDR"] == "" {
		env["HERALD_ADDR"] = freeAddr(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, envOf(env), io.Discard, stderr) }()
	waitReady(t, env["HERALD_ADDR"])
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
	// tty makes the buffer pass for a terminal (see isTerminal).
	tty bool
}

func (s *syncBuf) IsTerminal() bool { return s.tty }

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestServeMigratesLoadsDemoAndStops runs `herald serve` in process on each dialect: it
// migrates, loads the demo, answers, prints the URLs to try, and stops cleanly on cancel.
func TestServeMigratesLoadsDemoAndStops(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			addr := freeAddr(t)
			metricsAddr := freeAddr(t)
			env := map[string]string{"HERALD_ADDR": addr, "HERALD_DATABASE_URL": testkit.URL(t, d), "HERALD_LOCALE_FALLBACK": "ru:en,az",
				"HERALD_METRICS_ADDR": metricsAddr}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stdout, stderr := syncBuf{tty: true}, syncBuf{}
			done := make(chan error, 1)
			go func() { done <- run(ctx, []string{"serve"}, envOf(env), &stdout, &stderr) }()

			base := "http://" + addr
			var resp *http.Response
			var err error
			// Generous: under the race detector on a busy machine, migrating SQLite and loading
			// the demo took over 10 s.
			for i := 0; i < 600; i++ {
				if resp, err = http.Get(base + "/readyz"); err == nil && resp.StatusCode == http.StatusOK {
					resp.Body.Close()
					break
				}
				select {
				case err := <-done:
					t.Fatalf("serve exited early: %v\n%s", err, stderr.String())
				case <-time.After(100 * time.Millisecond):
				}
			}
			if err != nil {
				t.Fatalf("server never became ready: %v", err)
			}
			resp, err = http.Get(base + "/api/v1/articles?locale=en&per_page=1")
			if err != nil {
				t.Fatal(err)
			}
			var body struct {
				Meta struct{ Total int } `json:"meta"`
			}
			_ = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || body.Meta.Total < 41 {
				t.Errorf("articles: %d, total %d", resp.StatusCode, body.Meta.Total)
			}
			// HERALD_METRICS_ADDR: metrics there, not on the API's address.
			for target, want := range map[string]int{"http://" + metricsAddr + "/metrics": 200, base + "/metrics": 404, "http://" + metricsAddr + "/api/v1/articles": 404} {
				if r, err := http.Get(target); err != nil || r.StatusCode != want {
					t.Errorf("GET %s: %v %v, want %d", target, r, err, want)
				} else {
					r.Body.Close()
				}
			}
			if !strings.Contains(stdout.String(), "/api/v1/articles?locale=en") {
				t.Errorf("serve did not print the URLs to try:\n%s", stdout.String())
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("serve returned %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not stop")
			}
			if !strings.Contains(stderr.String(), "stopped") {
				t.Errorf("no stop in the log:\n%s", stderr.String())
			}
		})
	}
}

func TestMigrateCommand(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	env := envOf(map[string]string{"HERALD_DATABASE_URL": url})
	ctx := context.Background()
	var out bytes.Buffer
	for _, step := range []struct{ arg, want string }{
		{"status", "pending"},
		{"up", "applied"},
		{"up", "up to date"},
		{"status", "applied 2"},
		{"down", "rolled back"},
	} {
		out.Reset()
		if err := run(ctx, []string{"migrate", step.arg}, env, &out, &out); err != nil {
			t.Fatalf("migrate %s: %v", step.arg, err)
		}
		if !strings.Contains(out.String(), step.want) {
			t.Errorf("migrate %s printed %q, want %q", step.arg, out.String(), step.want)
		}
	}
	if err := run(ctx, []string{"migrate", "sideways"}, env, &out, &out); err == nil {
		t.Error("migrate sideways succeeded")
	}
}

func TestBadConfigAndCommand(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	err := run(ctx, []string{"serve"}, envOf(map[string]string{"HERALD_DEFAULT_LOCALE": "de"}), &out, &out)
	if err == nil || !strings.Contains(err.Error(), "HERALD_DEFAULT_LOCALE") {
		t.Errorf("bad config: %v", err)
	}
	if err := run(ctx, []string{"frobnicate"}, envOf(nil), &out, &out); err == nil || !strings.Contains(out.String(), "usage") {
		t.Errorf("unknown command: %v %q", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"help"}, envOf(nil), &out, &out); err != nil || !strings.Contains(out.String(), "serve") {
		t.Errorf("help: %v", err)
	}
}
