// Command syncbench measures delta sync (GET /api/v1/sync) on a seeded archive: the initial
// sync's throughput in articles per second (one client walking every page, and wrk on the
// first page), and a delta of 100 changes (100 published articles edited through the Admin
// API after the token was taken), each wrk target beside a bare Echo handler serving the
// same bytes (the ceiling on this machine). It prints a table and writes JSON and Markdown
// under bench/results/. Loopback only; a temporary SQLite file and a throwaway PostgreSQL
// schema.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/heraldcms/herald/bench/internal/harness"
)

type options struct {
	herald, ceiling, pgURL, out string
	dialects                    string
	articles, changes, perPage  int
	load                        harness.Load
}

// row is one measured figure.
type row struct {
	Dialect  string  `json:"dialect"`
	Articles int     `json:"articles"`
	Target   string  `json:"target"`
	RPS      float64 `json:"rps"`
	ItemsPS  float64 `json:"articles_per_s"`
	P50      string  `json:"p50"`
	P99      string  `json:"p99"`
	Ceiling  float64 `json:"ceiling_rps"`
	Ratio    float64 `json:"ratio"`
	Bytes    int     `json:"body_bytes"`
	Bad      int64   `json:"non_2xx"`
}

func main() {
	var o options
	flag.StringVar(&o.herald, "herald", "bin/herald", "herald binary")
	flag.StringVar(&o.ceiling, "ceiling", "bin/bench-ceiling", "bare Echo binary")
	flag.StringVar(&o.pgURL, "pg", harness.EnvOr("HERALD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herald_test?sslmode=disable"), "PostgreSQL (skipped if unreachable)")
	flag.StringVar(&o.dialects, "dialects", "postgres,sqlite", "databases to bench")
	flag.StringVar(&o.out, "out", "bench/results", "where JSON and Markdown results go")
	flag.IntVar(&o.articles, "articles", 100000, "articles to seed")
	flag.IntVar(&o.changes, "changes", 100, "articles edited for the delta")
	flag.IntVar(&o.perPage, "per-page", 200, "per_page of the sync requests")
	flag.IntVar(&o.load.Threads, "threads", 2, "wrk threads")
	flag.IntVar(&o.load.Conns, "connections", 16, "wrk connections")
	flag.DurationVar(&o.load.Warmup, "warmup", 2*time.Second, "warm-up before each measured run")
	flag.DurationVar(&o.load.Run, "duration", 8*time.Second, "measured run")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "syncbench:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if err := harness.CheckWrk(); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "herald-syncbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var rows []row
	for _, d := range strings.Split(o.dialects, ",") {
		var dbURL string
		switch d {
		case "sqlite":
			dbURL = "sqlite:" + filepath.Join(tmp, "bench.db")
		case "postgres":
			u, drop, err := harness.PGSchema(context.Background(), o.pgURL, "syncbench")
			if err != nil {
				fmt.Printf("postgres skipped: %v\n", err)
				continue
			}
			defer drop()
			dbURL = u
		default:
			return fmt.Errorf("unknown dialect %q", d)
		}
		took, err := harness.Seed(o.herald, dbURL, nil, "--articles", strconv.Itoa(o.articles))
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		fmt.Printf("%s: seeded %d articles in %s\n", d, o.articles, took)
		rs, err := benchOne(o, tmp, d, dbURL)
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		rows = append(rows, rs...)
	}
	return report(o, rows)
}

type syncPage struct {
	Articles        []struct{ ID string } `json:"articles"`
	DeletedArticles []json.RawMessage     `json:"deleted_articles"`
	NextPageToken   string                `json:"next_page_token"`
	NextSyncToken   string                `json:"next_sync_token"`
}

const (
	adminEmail    = "bench@example.com"
	adminPassword = "sync-bench-password-1"
)

func benchOne(o options, tmp, dialect, dbURL string) ([]row, error) {
	env := []string{"HERALD_DATABASE_URL=" + dbURL, "HERALD_DEMO_CONTENT=false", "HERALD_ENV=production",
		"HERALD_JWT_SECRET=" + harness.RandomSecret(), "HERALD_BOOTSTRAP_ADMIN_EMAIL=" + adminEmail,
		"HERALD_BOOTSTRAP_ADMIN_PASSWORD=" + adminPassword}
	h, err := harness.Start(harness.Server{Bin: o.herald, Args: []string{"serve"}, Env: env, Herald: true, Ready: 2 * time.Minute})
	if err != nil {
		return nil, err
	}
	defer h.Kill()

	// One client walks the whole initial sync.
	first := h.Base + "/api/v1/sync?locale=en&per_page=" + strconv.Itoa(o.perPage)
	var ids []string
	var token string
	began := time.Now()
	pages := 0
	for u := first; ; pages++ {
		var p syncPage
		if _, _, err := harness.Get(u, &p); err != nil {
			return nil, err
		}
		for _, a := range p.Articles {
			ids = append(ids, a.ID)
		}
		if p.NextSyncToken != "" {
			token = p.NextSyncToken
			break
		}
		u = h.Base + "/api/v1/sync?per_page=" + strconv.Itoa(o.perPage) + "&sync_token=" + url.QueryEscape(p.NextPageToken)
	}
	walk := time.Since(began)
	fmt.Printf("%-8s initial sync, one client: %d articles in %d pages, %s: %.0f articles/s\n",
		dialect, len(ids), pages+1, walk.Round(time.Millisecond), float64(len(ids))/walk.Seconds())
	rows := []row{{Dialect: dialect, Articles: o.articles, Target: fmt.Sprintf("initial sync, one client, every page (per_page=%d)", o.perPage),
		ItemsPS: float64(len(ids)) / walk.Seconds()}}
	if len(ids) < o.changes {
		return nil, fmt.Errorf("only %d articles synced; need %d to edit", len(ids), o.changes)
	}

	// The delta: o.changes published articles edited after the token was taken.
	jwt, err := login(h.Base)
	if err != nil {
		return nil, err
	}
	for i := 0; i < o.changes; i++ {
		id := ids[(i*len(ids))/o.changes]
		if err := retitle(h.Base, jwt, id, i); err != nil {
			return nil, err
		}
	}
	delta := "/api/v1/sync?per_page=" + strconv.Itoa(o.perPage) + "&sync_token=" + url.QueryEscape(token)
	var dp syncPage
	body, _, err := harness.Get(h.Base+delta, &dp)
	if err != nil {
		return nil, err
	}
	if len(dp.Articles) != o.changes || dp.NextSyncToken == "" {
		return nil, fmt.Errorf("the delta holds %d articles (want %d), next_sync_token %q", len(dp.Articles), o.changes, dp.NextSyncToken)
	}
	firstBody, _, err := harness.Get(h.Base+"/api/v1/sync?locale=en&per_page="+strconv.Itoa(o.perPage), nil)
	if err != nil {
		return nil, err
	}

	bodies := filepath.Join(tmp, "bodies-"+dialect)
	if err := os.MkdirAll(bodies, 0o755); err != nil {
		return nil, err
	}
	targets := []struct {
		name, path string
		body       []byte
		items      int
	}{
		{fmt.Sprintf("delta of %d changes", o.changes), delta, body, o.changes},
		{fmt.Sprintf("initial sync, first page (per_page=%d)", o.perPage), "/api/v1/sync?locale=en&per_page=" + strconv.Itoa(o.perPage), firstBody, o.perPage},
	}
	for i, t := range targets {
		if err := os.WriteFile(filepath.Join(bodies, strconv.Itoa(i)), t.body, 0o644); err != nil {
			return nil, err
		}
	}
	c, err := harness.Start(harness.Server{Bin: o.ceiling, Args: []string{"-bodies", bodies}, Ready: 2 * time.Minute})
	if err != nil {
		return nil, err
	}
	defer c.Kill()
	for i, t := range targets {
		cr, err := o.load.Wrk(c.Base + "/c/" + strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		hr, err := o.load.Wrk(h.Base + t.path)
		if err != nil {
			return nil, err
		}
		r := row{Dialect: dialect, Articles: o.articles, Target: t.name, RPS: hr.RPS, ItemsPS: hr.RPS * float64(t.items),
			P50: hr.P50, P99: hr.P99, Ceiling: cr.RPS, Bytes: len(t.body), Bad: hr.Bad}
		if cr.RPS > 0 {
			r.Ratio = hr.RPS / cr.RPS
		}
		fmt.Printf("%-8s %-44s %7.1f req/s  %8.0f articles/s  p99 %-9s ceiling %8.0f req/s  ratio %.3f  body %d B  bad %d\n",
			dialect, t.name, r.RPS, r.ItemsPS, r.P99, r.Ceiling, r.Ratio, r.Bytes, r.Bad)
		rows = append(rows, r)
	}
	return rows, nil
}

func login(base string) (string, error) {
	b, _ := json.Marshal(map[string]string{"email": adminEmail, "password": adminPassword})
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || tr.AccessToken == "" {
		return "", fmt.Errorf("login: %d %v", resp.StatusCode, err)
	}
	return tr.AccessToken, nil
}

// retitle edits the English title of article id through the Admin API.
func retitle(base, jwt, id string, n int) error {
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/admin/articles/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+jwt)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	body := fmt.Sprintf(`{"translations":[{"locale":"en","title":"Edited for the sync bench %d"}]}`, n)
	req, _ = http.NewRequest(http.MethodPatch, base+"/api/v1/admin/articles/"+id, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+jwt)
	req.Header.Set("Content-Type", "application/merge-patch+json")
	req.Header.Set("If-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("edit %s: %d %.200s", id, resp.StatusCode, b)
	}
	return nil
}

func report(o options, rows []row) error {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	stamp := time.Now().UTC().Format("20060102-150405")
	j, _ := json.MarshalIndent(rows, "", "  ")
	if err := os.WriteFile(filepath.Join(o.out, "sync-"+stamp+".json"), j, 0o644); err != nil {
		return err
	}
	var md strings.Builder
	fmt.Fprintf(&md, "wrk -t%d -c%d, %s warm-up + %s per target; ceiling = bare Echo serving the same bytes.\n\n", o.load.Threads, o.load.Conns, o.load.Warmup, o.load.Run)
	md.WriteString("| db | articles | target | req/s | articles/s | p50 | p99 | ceiling req/s | ratio | body B | bad |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&md, "| %s | %d | %s | %.1f | %.0f | %s | %s | %.0f | %.3f | %d | %d |\n",
			r.Dialect, r.Articles, r.Target, r.RPS, r.ItemsPS, r.P50, r.P99, r.Ceiling, r.Ratio, r.Bytes, r.Bad)
	}
	if err := os.WriteFile(filepath.Join(o.out, "sync-"+stamp+".md"), []byte(md.String()), 0o644); err != nil {
		return err
	}
	fmt.Print("\n" + md.String())
	return nil
}
