// Command viewsbench measures POST /api/v1/articles/{id}/views with wrk, side by side with a
// bare Echo handler that only answers 202 (the ceiling on this machine), and checks that the
// database received every accepted hit. `make bench` builds the binaries and runs it; it
// uses loopback only, a temporary SQLite file, and a throwaway schema in PostgreSQL when
// one is reachable.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

type options struct {
	herald, ceiling string
	pgURL           string
	threads, conns  int
	warmup, run     time.Duration
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
	flag.StringVar(&o.pgURL, "pg", envOr("HERALD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herald_test?sslmode=disable"), "PostgreSQL for the second herald run (skipped if unreachable)")
	flag.IntVar(&o.threads, "threads", 2, "wrk threads")
	flag.IntVar(&o.conns, "connections", 64, "wrk connections")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "warm-up before each measured run")
	flag.DurationVar(&o.run, "duration", 10*time.Second, "measured run")
	flag.IntVar(&o.articles, "articles", 5, "articles the hits are spread over")
	flag.DurationVar(&o.flush, "flush", time.Second, "HERALD_VIEWS_FLUSH_INTERVAL")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "viewsbench:", err)
		os.Exit(1)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func run(o options) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is not installed (apt-get install -y wrk)")
	}
	tmp, err := os.MkdirTemp("", "herald-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	// Each herald run follows its own ceiling run, so both see the same background load.
	var results []result
	targets := []struct{ name, url string }{{"herald sqlite", "sqlite:" + filepath.Join(tmp, "herald.db")}}
	schemaURL, drop, pgErr := pgSchema(o.pgURL)
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
	addr, err := freeAddr()
	if err != nil {
		return result{}, err
	}
	cmd := exec.Command(o.ceiling, "-addr", addr)
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	base := "http://" + addr
	if err := waitReady(base); err != nil {
		return result{}, err
	}
	ids := []string{"0195a000-0000-7000-8000-000000000001", "0195a000-0000-7000-8000-000000000002"}
	r := result{name: "bare echo 202 (ceiling)"}
	return r, runWrk(o, tmp, base, ids, &r)
}

func benchHerald(o options, tmp, name, dbURL string) (result, error) {
	r := result{name: name}
	logPath := filepath.Join(tmp, strings.ReplaceAll(name, " ", "-")+".log")
	start := time.Now()
	p, err := startHerald(o, dbURL, logPath)
	if err != nil {
		return r, err
	}
	ids, before, err := articles(p.base, o.articles)
	if err != nil {
		p.kill()
		return r, err
	}
	if err := runWrk(o, tmp, p.base, ids, &r); err != nil {
		p.kill()
		return r, err
	}
	if err := p.stop(); err != nil {
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
	defer p.kill()
	_, after, err := counts(p.base, ids)
	if err != nil {
		return r, err
	}
	r.stored = after - before
	return r, nil
}

type proc struct {
	cmd  *exec.Cmd
	base string
}

func startHerald(o options, dbURL, logPath string) (*proc, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(o.herald, "serve")
	cmd.Env = append(os.Environ(), "HERALD_ADDR="+addr, "HERALD_DATABASE_URL="+dbURL, "HERALD_ENV=development",
		"HERALD_DEMO_CONTENT=true", "HERALD_VIEWS_FLUSH_INTERVAL="+o.flush.String(), "HERALD_SHUTDOWN_TIMEOUT=15s",
		"HERALD_VIEWS_RATE_LIMIT=0") // wrk is one client address
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	go func() { _ = cmd.Wait(); logf.Close() }()
	p := &proc{cmd: cmd, base: "http://" + addr}
	if err := waitReady(p.base); err != nil {
		p.kill()
		return nil, err
	}
	return p, nil
}

func (p *proc) stop() error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if p.cmd.ProcessState != nil {
			if !p.cmd.ProcessState.Success() {
				return fmt.Errorf("herald exited with %v", p.cmd.ProcessState)
			}
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.kill()
	return errors.New("herald did not stop within 20s")
}

func (p *proc) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Kill()
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitReady(base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s never became ready", base)
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

var (
	reRPS      = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	reTotal    = regexp.MustCompile(`(\d+) requests in`)
	reP99      = regexp.MustCompile(`\s99(?:\.000)?%\s+(\S+)`)
	reSocket   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	reNon2xx   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	reCounters = regexp.MustCompile(`views: counter closed.*accepted=(\d+).*written=(\d+) flushes=(\d+) failed_flushes=(\d+) rows=(\d+)`)
)

func runWrk(o options, tmp, base string, ids []string, r *result) error {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = strconv.Quote("/api/v1/articles/" + id + "/views")
	}
	script := filepath.Join(tmp, "views.lua")
	if err := os.WriteFile(script, []byte(fmt.Sprintf(luaScript, strings.Join(quoted, ", "))), 0o600); err != nil {
		return err
	}
	wrk := func(d time.Duration) (string, error) {
		args := []string{"-t", strconv.Itoa(o.threads), "-c", strconv.Itoa(o.conns), "-d", fmt.Sprintf("%ds", int(d.Seconds())),
			"--latency", "-s", script, base}
		out, err := exec.Command("wrk", args...).CombinedOutput()
		return string(out), err
	}
	if o.warmup > 0 {
		if out, err := wrk(o.warmup); err != nil {
			return fmt.Errorf("wrk warm-up: %v\n%s", err, out)
		}
	}
	out, err := wrk(o.run)
	if err != nil {
		return fmt.Errorf("wrk: %v\n%s", err, out)
	}
	m := reRPS.FindStringSubmatch(out)
	if m == nil {
		return fmt.Errorf("no Requests/sec in wrk output:\n%s", out)
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	if m := reTotal.FindStringSubmatch(out); m != nil {
		r.requests, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := reP99.FindStringSubmatch(out); m != nil {
		r.p99 = m[1]
	}
	if m := reSocket.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.ParseInt(s, 10, 64)
			r.errors += n
		}
	}
	if m := reNon2xx.FindStringSubmatch(out); m != nil {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		r.errors += n
	}
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

// pgSchema creates a throwaway schema and returns a URL that uses it.
func pgSchema(base string) (string, func(), error) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return "", nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		db.Close()
		return "", nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		db.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	}, nil
}

func report(o options, rs []result) error {
	fmt.Printf("\nPOST /api/v1/articles/{id}/views — wrk -t%d -c%d, %s warm-up + %s, %d articles, flush every %s (loopback)\n\n",
		o.threads, o.conns, o.warmup, o.run, o.articles, o.flush)
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
