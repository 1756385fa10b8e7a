// Command readbench measures Herald's public reads with wrk on a seeded archive, each target
// right after a bare Echo handler serving a pre-encoded body of the same size (the ceiling
// on this machine): article detail by slug, the latest 20 in one locale, a category list, a
// deep cursor page, the categories with their counts, and a 304 revalidation, with and
// without gzip, with the response cache on and off. It prints a table and writes JSON and
// Markdown under bench/results/.
// Loopback only; a temporary SQLite file and a throwaway PostgreSQL schema.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
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
	dialects, dbURL             string
	caches                      string
	articles                    int
	load                        harness.Load
	depth                       int
}

// row is one measured target.
type row struct {
	Dialect   string  `json:"dialect"`
	Articles  int     `json:"articles"`
	Cache     string  `json:"cache"`
	Target    string  `json:"target"`
	RPS       float64 `json:"rps"`
	P50       string  `json:"p50"`
	P99       string  `json:"p99"`
	P99ms     float64 `json:"p99_ms"`
	Bad       int64   `json:"non_2xx_304"`
	Errors    int64   `json:"socket_errors"`
	Ceiling   float64 `json:"ceiling_rps"`
	Ratio     float64 `json:"ratio"`
	BodyBytes int     `json:"body_bytes"`
	RSSMB     float64 `json:"rss_mb"`
	// CPU per request in the measured run: Herald's, and the rest of this machine's (the
	// database, wrk, anything else running). Other machines on a shared host move these
	// less than the rate: in-process benchmarks (cpu-µs/op) remain the finer comparison.
	HeraldCPUus float64 `json:"herald_cpu_us_per_req"`
	RestCPUus   float64 `json:"rest_cpu_us_per_req"`
}

func main() {
	var o options
	flag.StringVar(&o.herald, "herald", "bin/herald", "herald binary")
	flag.StringVar(&o.ceiling, "ceiling", "bin/bench-ceiling", "bare Echo binary")
	flag.StringVar(&o.pgURL, "pg", harness.EnvOr("HERALD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herald_test?sslmode=disable"), "PostgreSQL (skipped if unreachable)")
	flag.StringVar(&o.dialects, "dialects", "postgres,sqlite", "databases to bench")
	flag.StringVar(&o.dbURL, "db", "", "bench this existing, already seeded database instead (-articles only labels it)")
	flag.StringVar(&o.caches, "cache", "on,off", "response cache modes to bench")
	flag.StringVar(&o.out, "out", "bench/results", "where JSON and Markdown results go")
	flag.IntVar(&o.articles, "articles", 100000, "articles to seed")
	flag.IntVar(&o.load.Threads, "threads", 2, "wrk threads")
	flag.IntVar(&o.load.Conns, "connections", 64, "wrk connections")
	flag.DurationVar(&o.load.Warmup, "warmup", 2*time.Second, "warm-up before each measured run")
	flag.DurationVar(&o.load.Run, "duration", 8*time.Second, "measured run")
	flag.IntVar(&o.depth, "depth", 200, "cursor pages to walk for the deep-cursor target")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "readbench:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if err := harness.CheckWrk(); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "herald-readbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var rows []row
	if o.dbURL != "" {
		d := strings.SplitN(o.dbURL, ":", 2)[0]
		for _, cache := range strings.Split(o.caches, ",") {
			rs, err := benchOne(o, tmp, d, o.dbURL, cache)
			if err != nil {
				return err
			}
			rows = append(rows, rs...)
		}
		return report(o, rows)
	}
	for _, d := range strings.Split(o.dialects, ",") {
		var dbURL string
		switch d {
		case "sqlite":
			dbURL = "sqlite:" + filepath.Join(tmp, "bench.db")
		case "postgres":
			u, drop, err := harness.PGSchema(context.Background(), o.pgURL, "readbench")
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
		for _, cache := range strings.Split(o.caches, ",") {
			rs, err := benchOne(o, tmp, d, dbURL, cache)
			if err != nil {
				return fmt.Errorf("%s cache %s: %w", d, cache, err)
			}
			rows = append(rows, rs...)
		}
	}
	return report(o, rows)
}

type target struct {
	name, path string
	headers    []string
}

func benchOne(o options, tmp, dialect, dbURL, cache string) ([]row, error) {
	env := []string{"HERALD_DATABASE_URL=" + dbURL, "HERALD_DEMO_CONTENT=false", "HERALD_ENV=production",
		"HERALD_JWT_SECRET=" + harness.RandomSecret()}
	if cache == "off" {
		env = append(env, "HERALD_CACHE_BYTES=0")
	}
	h, err := harness.Start(harness.Server{Bin: o.herald, Args: []string{"serve"}, Env: env, Herald: true})
	if err != nil {
		return nil, err
	}
	defer h.Kill()

	// Discover real targets from the API itself.
	var list struct {
		Data []struct{ Slug string } `json:"data"`
		Meta struct {
			NextCursor string `json:"next_cursor"`
		} `json:"meta"`
	}
	if _, _, err := harness.Get(h.Base+"/api/v1/articles?locale=en&per_page=20", &list); err != nil || len(list.Data) == 0 {
		return nil, fmt.Errorf("list: %v", err)
	}
	cursor := list.Meta.NextCursor
	for i := 0; i < o.depth && cursor != ""; i++ {
		var page struct {
			Meta struct {
				NextCursor string `json:"next_cursor"`
			} `json:"meta"`
		}
		if _, _, err := harness.Get(h.Base+"/api/v1/articles?locale=en&per_page=20&cursor="+cursor, &page); err != nil {
			return nil, err
		}
		if page.Meta.NextCursor == "" {
			break
		}
		cursor = page.Meta.NextCursor
	}
	var cats struct {
		Data []struct{ Slug string } `json:"data"`
	}
	if _, _, err := harness.Get(h.Base+"/api/v1/categories?locale=en", &cats); err != nil || len(cats.Data) == 0 {
		return nil, fmt.Errorf("categories: %v", err)
	}
	detail := "/api/v1/articles/" + url.PathEscape(list.Data[0].Slug) + "?locale=en"
	_, hdr, err := harness.Get(h.Base+detail, nil)
	if err != nil {
		return nil, err
	}
	gz := []string{"Accept-Encoding: gzip"}
	targets := []target{
		{"detail", detail, nil},
		{"detail gzip", detail, gz},
		{"list latest 20", "/api/v1/articles?locale=en&per_page=20", nil},
		{"list latest 20 gzip", "/api/v1/articles?locale=en&per_page=20", gz},
		{"list category", "/api/v1/articles?locale=en&per_page=20&category=" + url.QueryEscape(cats.Data[0].Slug), nil},
		{fmt.Sprintf("list cursor (page %d)", o.depth), "/api/v1/articles?locale=en&per_page=20&cursor=" + cursor, nil},
		{"categories", "/api/v1/categories?locale=en", nil},
	}
	if etag := hdr.Get("ETag"); etag != "" {
		targets = append(targets, target{"detail 304", detail, []string{"If-None-Match: " + etag}})
	}

	// The ceiling serves each target's own body, pre-encoded.
	bodies := filepath.Join(tmp, "bodies-"+dialect+"-"+cache)
	if err := os.MkdirAll(bodies, 0o755); err != nil {
		return nil, err
	}
	sizes := map[string]int{}
	for i, t := range targets {
		body, err := harness.Fetch(h.Base+t.path, t.headers)
		if err != nil {
			return nil, err
		}
		sizes[t.name] = len(body)
		name := strconv.Itoa(i)
		if err := os.WriteFile(filepath.Join(bodies, name), body, 0o644); err != nil {
			return nil, err
		}
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		_, _ = zw.Write(body)
		_ = zw.Close()
		if err := os.WriteFile(filepath.Join(bodies, name+".gz"), zb.Bytes(), 0o644); err != nil {
			return nil, err
		}
	}
	c, err := harness.Start(harness.Server{Bin: o.ceiling, Args: []string{"-bodies", bodies}})
	if err != nil {
		return nil, err
	}
	defer c.Kill()

	var rows []row
	for i, t := range targets {
		ceilHeaders := t.headers
		if strings.HasSuffix(t.name, "304") {
			ceilHeaders = nil // the ceiling answers 200 with the (empty) body a 304 has
			_ = os.WriteFile(filepath.Join(bodies, strconv.Itoa(i)), nil, 0o644)
		}
		cr, err := o.load.Wrk(c.Base+"/c/"+strconv.Itoa(i), ceilHeaders...)
		if err != nil {
			return nil, err
		}
		var herald, busy time.Duration
		load := o.load
		load.Measure = func() func() {
			h0, b0 := h.CPU(), harness.MachineBusy()
			return func() { herald, busy = h.CPU()-h0, harness.MachineBusy()-b0 }
		}
		hr, err := load.Wrk(h.Base+t.path, t.headers...)
		if err != nil {
			return nil, err
		}
		r := row{Dialect: dialect, Articles: o.articles, Cache: cache, Target: t.name, RPS: hr.RPS, P50: hr.P50, P99: hr.P99,
			P99ms: hr.P99ms, Bad: hr.Bad, Errors: hr.Errors, Ceiling: cr.RPS, BodyBytes: sizes[t.name], RSSMB: h.StatusMB("VmRSS")}
		if cr.RPS > 0 {
			r.Ratio = hr.RPS / cr.RPS
		}
		if hr.Requests > 0 {
			r.HeraldCPUus = float64(herald.Microseconds()) / float64(hr.Requests)
			r.RestCPUus = float64((busy - herald).Microseconds()) / float64(hr.Requests)
		}
		fmt.Printf("%-8s cache %-3s %-24s %9.0f req/s  p99 %-9s ceiling %9.0f  ratio %.2f  bad %d  cpu µs/req herald %.0f rest %.0f\n",
			dialect, cache, t.name, r.RPS, r.P99, r.Ceiling, r.Ratio, r.Bad+r.Errors, r.HeraldCPUus, r.RestCPUus)
		rows = append(rows, r)
	}
	return rows, nil
}

func report(o options, rows []row) error {
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	stamp := time.Now().UTC().Format("20060102-150405")
	j, _ := json.MarshalIndent(rows, "", "  ")
	if err := os.WriteFile(filepath.Join(o.out, "read-"+stamp+".json"), j, 0o644); err != nil {
		return err
	}
	var md strings.Builder
	fmt.Fprintf(&md, "wrk -t%d -c%d, %s warm-up + %s per target; ceiling = bare Echo serving the same bytes.\n\n", o.load.Threads, o.load.Conns, o.load.Warmup, o.load.Run)
	md.WriteString("CPU µs/req: Herald's, and the rest of the machine's (database, wrk) in the measured run; other machines on a shared host move them less than req/s.\n\n")
	md.WriteString("| db | articles | cache | target | req/s | p50 | p99 | ceiling req/s | ratio | body B | bad | RSS MB | Herald CPU µs/req | rest CPU µs/req |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&md, "| %s | %d | %s | %s | %.0f | %s | %s | %.0f | %.2f | %d | %d | %.0f | %.0f | %.0f |\n",
			r.Dialect, r.Articles, r.Cache, r.Target, r.RPS, r.P50, r.P99, r.Ceiling, r.Ratio, r.BodyBytes, r.Bad+r.Errors, r.RSSMB, r.HeraldCPUus, r.RestCPUus)
	}
	if err := os.WriteFile(filepath.Join(o.out, "read-"+stamp+".md"), []byte(md.String()), 0o644); err != nil {
		return err
	}
	fmt.Println()
	fmt.Print(md.String())
	fmt.Printf("\nresults: %s/read-%s.{json,md}\n", o.out, stamp)
	return nil
}
