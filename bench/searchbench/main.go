// Command searchbench measures full-text search (#14) with wrk on a seeded archive, uncached
// (HERALD_CACHE_BYTES=0), each target right after a bare Echo handler serving a
// pre-encoded body of the same size (the ceiling on this machine): a typical two-word
// query in one locale and in all, and typeahead over titles. The archive is seeded with
// `herald seed --vocabulary`, so its words have a real archive's Zipf frequencies; the
// queried words are made-up words of mid frequency (demo.ZipfWord). It prints a table and
// writes JSON and Markdown under bench/results/.
// Loopback only; a temporary SQLite file and a throwaway PostgreSQL schema, or -db.
package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/heraldcms/herald/internal/demo"
)

type options struct {
	herald, ceiling, pgURL, out string
	dialects, dbURLs            string
	keep                        string
	articles, vocabulary        int
	threads, conns              int
	warmup, run                 time.Duration
}

// row is one measured target.
type row struct {
	Dialect   string  `json:"dialect"`
	Articles  int     `json:"articles"`
	Target    string  `json:"target"`
	Path      string  `json:"path"`
	RPS       float64 `json:"rps"`
	P50       string  `json:"p50"`
	P99       string  `json:"p99"`
	P99ms     float64 `json:"p99_ms"`
	Bad       int64   `json:"non_2xx_304"`
	Errors    int64   `json:"socket_errors"`
	Ceiling   float64 `json:"ceiling_rps"`
	Ratio     float64 `json:"ratio"`
	BodyBytes int     `json:"body_bytes"`
	Hits      int64   `json:"hits"`
}

func main() {
	var o options
	flag.StringVar(&o.herald, "herald", "bin/herald", "herald binary")
	flag.StringVar(&o.ceiling, "ceiling", "bin/bench-ceiling", "bare Echo binary")
	flag.StringVar(&o.pgURL, "pg", envOr("HERALD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herald_test?sslmode=disable"), "PostgreSQL (skipped if unreachable)")
	flag.StringVar(&o.dialects, "dialects", "postgres,sqlite", "databases to seed and bench")
	flag.StringVar(&o.dbURLs, "db", "", "bench these existing databases instead, comma-separated, seeded with herald seed --vocabulary (-articles only labels them)")
	flag.StringVar(&o.keep, "keep", "", "keep what is seeded for later runs with -db: the SQLite file goes to this directory, the PostgreSQL schema is not dropped; the -db value to reuse them is printed")
	flag.StringVar(&o.out, "out", "bench/results", "where JSON and Markdown results go")
	flag.IntVar(&o.articles, "articles", 100000, "articles to seed (× 3 locales)")
	flag.IntVar(&o.vocabulary, "vocabulary", 20000, "made-up words per locale in the seeded text")
	flag.IntVar(&o.threads, "threads", 2, "wrk threads")
	flag.IntVar(&o.conns, "connections", 16, "wrk connections")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "warm-up before each measured run")
	flag.DurationVar(&o.run, "duration", 8*time.Second, "measured run")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "searchbench:", err)
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
	tmp, err := os.MkdirTemp("", "herald-searchbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var rows []row
	var kept []string
	defer func() {
		if len(kept) > 0 {
			fmt.Printf("kept; reuse with: -articles %d -db '%s'\n", o.articles, strings.Join(kept, ","))
		}
	}()
	if o.dbURLs != "" {
		for _, u := range strings.Split(o.dbURLs, ",") {
			rs, err := benchOne(o, tmp, strings.SplitN(u, ":", 2)[0], u)
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
			dir := tmp
			if o.keep != "" {
				dir = o.keep
			}
			dbURL = "sqlite:" + filepath.Join(dir, fmt.Sprintf("searchbench-%d.db", o.articles))
		case "postgres":
			u, drop, err := pgSchema(o.pgURL)
			if err != nil {
				fmt.Printf("postgres skipped: %v\n", err)
				continue
			}
			if o.keep == "" {
				defer drop()
			}
			dbURL = u
		default:
			return fmt.Errorf("unknown dialect %q", d)
		}
		start := time.Now()
		seed := exec.Command(o.herald, "seed", "--articles", strconv.Itoa(o.articles), "--vocabulary", strconv.Itoa(o.vocabulary))
		seed.Env = append(os.Environ(), "HERALD_DATABASE_URL="+dbURL, "HERALD_DEMO_CONTENT=false")
		if out, err := seed.CombinedOutput(); err != nil {
			return fmt.Errorf("seed %s: %v\n%s", d, err, out)
		}
		fmt.Printf("%s: seeded and indexed %d articles in %s\n", d, o.articles, time.Since(start).Round(time.Second))
		if o.keep != "" {
			kept = append(kept, dbURL)
		}
		rs, err := benchOne(o, tmp, d, dbURL)
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		rows = append(rows, rs...)
	}
	return report(o, rows)
}

type target struct {
	name, path string
}

func benchOne(o options, tmp, dialect, dbURL string) ([]row, error) {
	env := []string{"HERALD_DATABASE_URL=" + dbURL, "HERALD_DEMO_CONTENT=false", "HERALD_ENV=production",
		"HERALD_JWT_SECRET=" + randomSecret(), "HERALD_CACHE_BYTES=0"}
	h, err := start(o.herald, []string{"serve"}, env)
	if err != nil {
		return nil, err
	}
	defer h.kill()

	// Mid-frequency words: each in a few percent of translations, both together in some.
	two := url.QueryEscape(demo.ZipfWord("en", 40) + " " + demo.ZipfWord("en", 150))
	prefix := url.QueryEscape(string([]rune(demo.ZipfWord("en", 60))[:3]))
	targets := []target{
		{"search 2 words, en", "/api/v1/search?locale=en&q=" + two},
		{"search 2 words, all locales", "/api/v1/search?q=" + two},
		{"search 2 words, page 2", ""},
		{"typeahead 3 letters, en", "/api/v1/search/suggest?locale=en&q=" + prefix},
		{"list latest 20 q=2 words, en", "/api/v1/articles?locale=en&per_page=20&q=" + two},
	}
	var first struct {
		Meta struct {
			NextCursor string `json:"next_cursor"`
		} `json:"meta"`
		Facets struct{ Total int64 } `json:"facets"`
	}
	if _, _, err := getJSON(h.base+targets[0].path, &first); err != nil {
		return nil, err
	}
	if first.Meta.NextCursor == "" {
		targets = append(targets[:2], targets[3:]...)
	} else {
		targets[2].path = targets[0].path + "&cursor=" + first.Meta.NextCursor
	}
	fmt.Printf("%s: %q matches %d translations in en\n", dialect, two, first.Facets.Total)

	bodies := filepath.Join(tmp, "bodies-"+dialect)
	if err := os.MkdirAll(bodies, 0o755); err != nil {
		return nil, err
	}
	sizes := map[string]int{}
	for i, t := range targets {
		body, err := fetch(h.base+t.path, nil)
		if err != nil {
			return nil, err
		}
		sizes[t.name] = len(body)
		if err := os.WriteFile(filepath.Join(bodies, strconv.Itoa(i)), body, 0o644); err != nil {
			return nil, err
		}
	}
	c, err := start(o.ceiling, []string{"-bodies", bodies}, nil)
	if err != nil {
		return nil, err
	}
	defer c.kill()

	var rows []row
	for i, t := range targets {
		cr, err := wrk(o, c.base+"/c/"+strconv.Itoa(i), nil)
		if err != nil {
			return nil, err
		}
		hr, err := wrk(o, h.base+t.path, nil)
		if err != nil {
			return nil, err
		}
		r := row{Dialect: dialect, Articles: o.articles, Target: t.name, Path: t.path, RPS: hr.rps, P50: hr.p50, P99: hr.p99,
			P99ms: hr.p99ms, Bad: hr.bad, Errors: hr.errors, Ceiling: cr.rps, BodyBytes: sizes[t.name]}
		if i == 0 {
			r.Hits = first.Facets.Total
		}
		if cr.rps > 0 {
			r.Ratio = hr.rps / cr.rps
		}
		fmt.Printf("%-8s %-30s %8.0f req/s  p99 %-9s ceiling %8.0f  ratio %.3f  bad %d\n",
			dialect, t.name, r.RPS, r.P99, r.Ceiling, r.Ratio, r.Bad+r.Errors)
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
	if err := os.WriteFile(filepath.Join(o.out, "search-"+stamp+".json"), j, 0o644); err != nil {
		return err
	}
	var md strings.Builder
	fmt.Fprintf(&md, "wrk -t%d -c%d, %s warm-up + %s per target, uncached; ceiling = bare Echo serving the same bytes.\n\n", o.threads, o.conns, o.warmup, o.run)
	md.WriteString("| db | articles | target | req/s | p50 | p99 | ceiling req/s | ratio | body B | bad |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&md, "| %s | %d | %s | %.0f | %s | %s | %.0f | %.3f | %d | %d |\n",
			r.Dialect, r.Articles, r.Target, r.RPS, r.P50, r.P99, r.Ceiling, r.Ratio, r.BodyBytes, r.Bad+r.Errors)
	}
	if err := os.WriteFile(filepath.Join(o.out, "search-"+stamp+".md"), []byte(md.String()), 0o644); err != nil {
		return err
	}
	fmt.Println()
	fmt.Print(md.String())
	fmt.Printf("\nresults: %s/search-%s.{json,md}\n", o.out, stamp)
	return nil
}

type proc struct {
	cmd  *exec.Cmd
	base string
}

func start(bin string, args, env []string) (*proc, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	if filepath.Base(bin) == "herald" || strings.Contains(filepath.Base(bin), "herald") {
		env = append(env, "HERALD_ADDR="+addr)
	} else {
		args = append(args, "-addr", addr)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, base: "http://" + addr}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(p.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return p, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.kill()
	return nil, fmt.Errorf("%s did not become ready", bin)
}

func (p *proc) kill() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }

func getJSON(u string, v any) ([]byte, http.Header, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: %d %.200s", u, resp.StatusCode, b)
	}
	if v != nil {
		err = json.Unmarshal(b, v)
	}
	return b, resp.Header, err
}

// fetch returns the body as sent on the wire (still gzipped when asked for gzip).
func fetch(u string, headers []string) ([]byte, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

type wrkResult struct {
	rps         float64
	p50, p99    string
	p99ms       float64
	bad, errors int64
}

var (
	reRPS    = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	reLat    = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([\d.]+)(us|ms|s)`)
	reBad    = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	reSocket = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func wrk(o options, u string, headers []string) (wrkResult, error) {
	args := func(d time.Duration) []string {
		a := []string{"-t", strconv.Itoa(o.threads), "-c", strconv.Itoa(o.conns), "-d", fmt.Sprintf("%ds", int(d.Seconds())), "--latency"}
		for _, h := range headers {
			a = append(a, "-H", h)
		}
		return append(a, u)
	}
	if o.warmup > 0 {
		if out, err := exec.Command("wrk", args(o.warmup)...).CombinedOutput(); err != nil {
			return wrkResult{}, fmt.Errorf("wrk warm-up: %v\n%s", err, out)
		}
	}
	out, err := exec.Command("wrk", args(o.run)...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	var r wrkResult
	if m := reRPS.FindSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	for _, m := range reLat.FindAllSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(string(m[2]), 64)
		ms := v
		switch string(m[3]) {
		case "us":
			ms = v / 1000
		case "s":
			ms = v * 1000
		}
		s := string(m[2]) + string(m[3])
		if string(m[1]) == "50" {
			r.p50 = s
		} else {
			r.p99, r.p99ms = s, ms
		}
	}
	if m := reBad.FindSubmatch(out); m != nil {
		r.bad, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	if m := reSocket.FindSubmatch(out); m != nil {
		for _, g := range m[1:] {
			n, _ := strconv.ParseInt(string(g), 10, 64)
			r.errors += n
		}
	}
	return r, nil
}

func pgSchema(base string) (string, func(), error) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return "", nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "searchbench_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		return "", nil, err
	}
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() { _, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE"); db.Close() }, nil
}

// randomSecret is a fresh JWT secret: production refuses low-entropy ones.
func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
