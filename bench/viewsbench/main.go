// Command viewsbench measures POST /api/v1/articles/{id}/views with wrk, side by side with a
// bare Echo handler that only answers 202 (the ceiling on this machine), and checks that the
// database received every accepted hit. `make bench` builds the binaries and runs it; it
// uses loopback only, a temporary SQLite file, and a throwaway schema in PostgreSQL when
// one is reachable.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/heraldcms/herald/bench/internal/harness"
)

type options struct {
	herald, ceiling string
	pgURL           string
	load            harness.Load
	articles        int
	flush           time.Duration
}

// result is one row of the table.
type result struct {
	name      string
	rps       float64
	p99       string
	requests  int64
	errors    int64
	accepted  int64 // hits herald counted (its own log)
	stored    int64 // growth of read_count in the database
	flushes   int64
	rows      int64
	elapsed   time.Duration
	skipped   string
	ceiling   float64 // req/s of the ceiling run just before this one
	failedMsg string
}

func main() {
	var o options
	flag.StringVar(&o.herald, "herald", "bin/herald", "herald binary")
	flag.StringVar(&o.ceiling, "ceiling", "bin/bench-ceiling", "bare Echo binary")
	flag.StringVar(&o.pgURL, "pg", harness.EnvOr("HERALD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herald_test?sslmode=disable"), "PostgreSQL for the second herald run (skipped if unreachable)")
	flag.IntVar(&o.load.Threads, "threads", 2, "wrk threads")
	flag.IntVar(&o.load.Conns, "connections", 64, "wrk connections")
	flag.DurationVar(&o.load.Warmup, "warmup", 2*time.Second, "warm-up before each measured run")
	flag.DurationVar(&o.load.Run, "duration", 10*time.Second, "measured run")
	flag.IntVar(&o.articles, "articles", 5, "articles the hits are spread over")
	flag.DurationVar(&o.flush, "flush", time.Second, "HERALD_VIEWS_FLUSH_INTERVAL")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "viewsbench:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if err := harness.CheckWrk(); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "herald-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	// Each herald run follows its own ceiling run, so both see the same background load.
	var results []result
	targets := []struct{ name, url string }{{"herald sqlite", "sqlite:" + filepath.Join(tmp, "herald.db")}}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	schemaURL, drop, pgErr := harness.PGSchema(ctx, o.pgURL, "bench")
	cancel()
	if pgErr == nil {
		defer drop()
		targets = append(targets, struct{ name, url string }{"herald postgres", schemaURL})
	}
	for _, tg := range targets {
		ceiling, err := benchCeiling(o, tmp)
		if err != nil {
			return fmt.Errorf("ceiling: %w", err)
		}
		r, err := benchHerald(o, tmp, tg.name, tg.url)
		if err != nil {
			return fmt.Errorf("%s: %w", tg.name, err)
		}
		r.ceiling = ceiling.rps
		results = append(results, ceiling, r)
	}
	if pgErr != nil {
		results = append(results, result{name: "herald postgres", skipped: "PostgreSQL unreachable: " + pgErr.Error()})
	}
	return report(o, results)
}

func benchCeiling(o options, tmp string) (result, error) {
	c, err := harness.Start(harness.Server{Bin: o.ceiling, Ready: 30 * time.Second})
	if err != nil {
		return result{}, err
	}
	defer c.Kill()
	ids := []string{"0195a000-0000-7000-8000-000000000001", "0195a000-0000-7000-8000-000000000002"}
	r := result{name: "bare echo 202 (ceiling)"}
	return r, runWrk(o, tmp, c.Base, ids, &r)
}

func benchHerald(o options, tmp, name, dbURL string) (result, error) {
	r := result{name: name}
	logPath := filepath.Join(tmp, strings.ReplaceAll(name, " ", "-")+".log")
	start := time.Now()
	p, err := startHerald(o, dbURL, logPath)
	if err != nil {
		return r, err
	}
	ids, before, err := articles(p.Base, o.articles)
	if err != nil {
		p.Kill()
		return r, err
	}
	if err := runWrk(o, tmp, p.Base, ids, &r); err != nil {
		p.Kill()
		return r, err
	}
	if err := p.Stop(20 * time.Second); err != nil {
		return r, err
	}
	r.elapsed = time.Since(start)
	if err := counterStats(logPath, &r); err != nil {
		return r, err
	}
	// Restart to read the totals through the API: every count must be there.
	p, err = startHerald(o, dbURL, logPath+".2")
	if err != nil {
		return r, err
	}
	defer p.Kill()
	_, after, err := counts(p.Base, ids)
	if err != nil {
		return r, err
	}
	r.stored = after - before
	return r, nil
}

// startHerald starts herald on dbURL, its log (where the view counter reports what it
// accepted) in logPath.
func startHerald(o options, dbURL, logPath string) (*harness.Proc, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close() // herald writes to its own copy of the descriptor
	return harness.Start(harness.Server{Bin: o.herald, Args: []string{"serve"}, Herald: true, Stderr: logf, Ready: 30 * time.Second,
		Env: []string{"HERALD_DATABASE_URL=" + dbURL, "HERALD_ENV=development",
			"HERALD_DEMO_CONTENT=true", "HERALD_VIEWS_FLUSH_INTERVAL=" + o.flush.String(), "HERALD_SHUTDOWN_TIMEOUT=15s",
			"HERALD_VIEWS_RATE_LIMIT=0"}}) // wrk is one client address
}

// articles returns the ids of the newest n visible articles and the sum of their counts.
func articles(base string, n int) ([]string, int64, error) {
	resp, err := http.Get(fmt.Sprintf("%s/api/v1/articles?per_page=%d&fields=id,read_count", base, n))
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	var body struct {
		Data []struct {
			ID        string `json:"id"`
			ReadCount int64  `json:"read_count"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Data) == 0 {
		return nil, 0, fmt.Errorf("list articles: %v (%d items)", err, len(body.Data))
	}
	var ids []string
	var sum int64
	for _, a := range body.Data {
		ids, sum = append(ids, a.ID), sum+a.ReadCount
	}
	return ids, sum, nil
}

func counts(base string, ids []string) ([]int64, int64, error) {
	var sum int64
	out := make([]int64, len(ids))
	for i, id := range ids {
		resp, err := http.Get(base + "/api/v1/articles/" + id)
		if err != nil {
			return nil, 0, err
		}
		var a struct {
			ReadCount int64 `json:"read_count"`
		}
		err = json.NewDecoder(resp.Body).Decode(&a)
		resp.Body.Close()
		if err != nil {
			return nil, 0, err
		}
		out[i], sum = a.ReadCount, sum+a.ReadCount
	}
	return out, sum, nil
}

const luaScript = `-- POST to each article's views path in turn, as sendBeacon would (text/plain).
local paths = {%s}
local reqs = {}
local i = 0
init = function(args)
  for k, p in ipairs(paths) do
    reqs[k] = wrk.format("POST", p, {["Content-Type"] = "text/plain;charset=UTF-8"}, "")
  end
end
request = function()
  i = i + 1
  return reqs[(i %% #reqs) + 1]
end
`

var reCounters = regexp.MustCompile(`views: counter closed.*accepted=(\d+).*written=(\d+) flushes=(\d+) failed_flushes=(\d+) rows=(\d+)`)

func runWrk(o options, tmp, base string, ids []string, r *result) error {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = strconv.Quote("/api/v1/articles/" + id + "/views")
	}
	script := filepath.Join(tmp, "views.lua")
	if err := os.WriteFile(script, []byte(fmt.Sprintf(luaScript, strings.Join(quoted, ", "))), 0o600); err != nil {
		return err
	}
	l := o.load
	l.Script = script
	w, err := l.Wrk(base)
	if err != nil {
		return err
	}
	r.rps, r.requests, r.p99 = w.RPS, w.Requests, w.P99
	r.errors += w.Errors + w.Bad
	return nil
}

func counterStats(logPath string, r *result) error {
	f, err := os.Open(logPath)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if m := reCounters.FindStringSubmatch(sc.Text()); m != nil {
			r.accepted, _ = strconv.ParseInt(m[1], 10, 64)
			r.flushes, _ = strconv.ParseInt(m[3], 10, 64)
			r.rows, _ = strconv.ParseInt(m[5], 10, 64)
			if failed, _ := strconv.ParseInt(m[4], 10, 64); failed > 0 {
				r.failedMsg = fmt.Sprintf("%d failed flushes (retried)", failed)
			}
			return nil
		}
	}
	return fmt.Errorf("no counter stats in %s", logPath)
}

func report(o options, rs []result) error {
	fmt.Printf("\nPOST /api/v1/articles/{id}/views — wrk -t%d -c%d, %s warm-up + %s, %d articles, flush every %s (loopback)\n\n",
		o.load.Threads, o.load.Conns, o.load.Warmup, o.load.Run, o.articles, o.flush)
	fmt.Printf("%-24s %12s %7s %9s %8s %11s %11s %6s %10s %10s\n", "target", "req/s", "ratio", "p99", "errors", "accepted", "in DB", "lost", "flush tx/s", "DB rows/s")
	var failed []string
	for _, r := range rs {
		if r.skipped != "" {
			fmt.Printf("%-24s skipped: %s\n", r.name, r.skipped)
			continue
		}
		if r.ceiling == 0 {
			fmt.Printf("%-24s %12.0f %7s %9s %8d %11s %11s %6s %10s %10s\n", r.name, r.rps, "1.00", r.p99, r.errors, "-", "-", "-", "-", "-")
			continue
		}
		ratio := r.rps / r.ceiling
		lost := r.accepted - r.stored
		secs := r.elapsed.Seconds()
		fmt.Printf("%-24s %12.0f %7.2f %9s %8d %11d %11d %6d %10.2f %10.2f\n", r.name, r.rps, ratio, r.p99, r.errors,
			r.accepted, r.stored, lost, float64(r.flushes)/secs, float64(r.rows)/secs)
		switch {
		case r.errors > 0:
			failed = append(failed, fmt.Sprintf("%s: %d errors", r.name, r.errors))
		case lost != 0:
			failed = append(failed, fmt.Sprintf("%s: %d counts lost (accepted %d, stored %d)", r.name, lost, r.accepted, r.stored))
		case r.stored < r.requests:
			failed = append(failed, fmt.Sprintf("%s: wrk completed %d hits but only %d are stored", r.name, r.requests, r.stored))
		case ratio < 0.6:
			failed = append(failed, fmt.Sprintf("%s: %.2f of the ceiling, target 0.6", r.name, ratio))
		}
		if r.failedMsg != "" {
			fmt.Printf("%-24s note: %s\n", "", r.failedMsg)
		}
	}
	fmt.Println("\nratio = req/s ÷ the bare Echo ceiling measured just before; accepted = hits herald counted (its shutdown log);")
	fmt.Println("in DB = growth of read_count after restart; a flush is one transaction of two statements.")
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "; "))
	}
	fmt.Println("PASS: no errors, no lost counts, ratio ≥ 0.6")
	return nil
}
