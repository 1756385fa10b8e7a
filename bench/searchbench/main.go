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
	"github.com/heraldcms/herald/internal/demo"
)

type options struct {
	herald, ceiling, pgURL, out string
	dialects, dbURLs            string
	keep                        string
	articles, vocabulary        int
	load                        harness.Load
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
	flag.StringVar(&o.pgURL, "pg", harness.EnvOr("HERALD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herald_test?sslmode=disable"), "PostgreSQL (skipped if unreachable)")
	flag.StringVar(&o.dialects, "dialects", "postgres,sqlite", "databases to seed and bench")
	flag.StringVar(&o.dbURLs, "db", "", "bench these existing databases instead, comma-separated, seeded with herald seed --vocabulary (-articles only labels them)")
	flag.StringVar(&o.keep, "keep", "", "keep what is seeded for later runs with -db: the SQLite file goes to this directory, the PostgreSQL schema is not dropped; the -db value to reuse them is printed")
	flag.StringVar(&o.out, "out", "bench/results", "where JSON and Markdown results go")
	flag.IntVar(&o.articles, "articles", 100000, "articles to seed (× 3 locales)")
	flag.IntVar(&o.vocabulary, "vocabulary", 20000, "made-up words per locale in the seeded text")
	flag.IntVar(&o.load.Threads, "threads", 2, "wrk threads")
	flag.IntVar(&o.load.Conns, "connections", 16, "wrk connections")
	flag.DurationVar(&o.load.Warmup, "warmup", 2*time.Second, "warm-up before each measured run")
	flag.DurationVar(&o.load.Run, "duration", 8*time.Second, "measured run")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "searchbench:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if err := harness.CheckWrk(); err != nil {
		return err
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
			u, drop, err := harness.PGSchema(context.Background(), o.pgURL, "searchbench")
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
		took, err := harness.Seed(o.herald, dbURL, []string{"HERALD_DEMO_CONTENT=false"},
			"--articles", strconv.Itoa(o.articles), "--vocabulary", strconv.Itoa(o.vocabulary))
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		fmt.Printf("%s: seeded and indexed %d articles in %s\n", d, o.articles, took)
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
		"HERALD_JWT_SECRET=" + harness.RandomSecret(), "HERALD_CACHE_BYTES=0"}
	h, err := harness.Start(harness.Server{Bin: o.herald, Args: []string{"serve"}, Env: env, Herald: true})
	if err != nil {
		return nil, err
	}
	defer h.Kill()

	// Two frequent words (the seeded text puts them in about 24 % and 6 % of English
	// translations, both together in 1.5 %), and two of a few percent each (about 3 % and
	// 1 %), as most words a reader types are: a GIN probe reads every posting of each word,
	// so the first pair costs PostgreSQL several times the second. The shares are printed.
	two := url.QueryEscape(demo.ZipfWord("en", 40) + " " + demo.ZipfWord("en", 150))
	fewPercent := url.QueryEscape(demo.ZipfWord("en", 300) + " " + demo.ZipfWord("en", 800))
	prefix := url.QueryEscape(string([]rune(demo.ZipfWord("en", 60))[:3]))
	targets := []target{
		{"search 2 words, en", "/api/v1/search?locale=en&q=" + two},
		{"search 2 words, all locales", "/api/v1/search?q=" + two},
		{"search 2 words, page 2", ""},
		{"typeahead 3 letters, en", "/api/v1/search/suggest?locale=en&q=" + prefix},
		{"list latest 20 q=2 words, en", "/api/v1/articles?locale=en&per_page=20&q=" + two},
		{"search 2 words of a few % each, en", "/api/v1/search?locale=en&q=" + fewPercent},
	}
	var first struct {
		Meta struct {
			NextCursor string `json:"next_cursor"`
		} `json:"meta"`
		Facets struct{ Total int64 } `json:"facets"`
	}
	if _, _, err := harness.Get(h.Base+targets[0].path, &first); err != nil {
		return nil, err
	}
	if first.Meta.NextCursor == "" {
		targets = append(targets[:2], targets[3:]...)
	} else {
		targets[2].path = targets[0].path + "&cursor=" + first.Meta.NextCursor
	}
	fmt.Printf("%s: %q matches %d translations in en\n", dialect, two, first.Facets.Total)
	for _, w := range []int{40, 150, 300, 800} {
		word := demo.ZipfWord("en", w)
		var one struct {
			Facets struct {
				Total     int64
				Estimated bool
			} `json:"facets"`
		}
		if _, _, err := harness.Get(h.Base+"/api/v1/search?locale=en&q="+url.QueryEscape(word), &one); err != nil {
			return nil, err
		}
		fmt.Printf("%s: %q matches %d translations in en (estimated %v)\n", dialect, word, one.Facets.Total, one.Facets.Estimated)
	}

	bodies := filepath.Join(tmp, "bodies-"+dialect)
	if err := os.MkdirAll(bodies, 0o755); err != nil {
		return nil, err
	}
	sizes := map[string]int{}
	for i, t := range targets {
		body, err := harness.Fetch(h.Base+t.path, nil)
		if err != nil {
			return nil, err
		}
		sizes[t.name] = len(body)
		if err := os.WriteFile(filepath.Join(bodies, strconv.Itoa(i)), body, 0o644); err != nil {
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
		cr, err := o.load.Wrk(c.Base + "/c/" + strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		hr, err := o.load.Wrk(h.Base + t.path)
		if err != nil {
			return nil, err
		}
		r := row{Dialect: dialect, Articles: o.articles, Target: t.name, Path: t.path, RPS: hr.RPS, P50: hr.P50, P99: hr.P99,
			P99ms: hr.P99ms, Bad: hr.Bad, Errors: hr.Errors, Ceiling: cr.RPS, BodyBytes: sizes[t.name]}
		if i == 0 {
			r.Hits = first.Facets.Total
		}
		if cr.RPS > 0 {
			r.Ratio = hr.RPS / cr.RPS
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
	fmt.Fprintf(&md, "wrk -t%d -c%d, %s warm-up + %s per target, uncached; ceiling = bare Echo serving the same bytes.\n\n", o.load.Threads, o.load.Conns, o.load.Warmup, o.load.Run)
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
