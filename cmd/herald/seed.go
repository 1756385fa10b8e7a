package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/locale"
	"github.com/heraldcms/herald/internal/store"
)

// seed generates a synthetic archive for benchmarks and load tests.
func seed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("articles", 1000, "number of published articles to generate (3 locales each)")
	bodyBytes := fs.Int("body-bytes", 3000, "approximate HTML body size per translation")
	batch := fs.Int("batch", 1000, "articles per transaction")
	seedVal := fs.Int64("seed", 1, "random seed, for a reproducible archive")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 10_000_000 || *bodyBytes < 0 || *bodyBytes > 1<<20 || *batch < 1 || *batch > 20_000 {
		return fmt.Errorf("seed: want 1 ≤ --articles ≤ 10000000, 0 ≤ --body-bytes ≤ 1048576, 1 ≤ --batch ≤ 20000")
	}
	cfg, db, err := openMigrated(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	cs := store.NewContent(db, store.WithLocales(locale.NewSet(cfg.Locales, cfg.DefaultLocale, cfg.LocaleFallback)))
	if _, err := cs.EnsureTitleKeys(ctx); err != nil { // records the configuration the new keys follow
		return fmt.Errorf("seed: title keys: %w", err)
	}
	start := time.Now()
	last := start
	err = demo.Synthetic(ctx, cs, demo.SyntheticOptions{
		Articles: *n, BodyBytes: *bodyBytes, Batch: *batch, Seed: *seedVal, Now: time.Now(),
		Progress: func(done int) {
			if time.Since(last) > 2*time.Second || done == *n {
				last = time.Now()
				el := time.Since(start)
				fmt.Fprintf(stdout, "seeded %d/%d articles in %s (%.0f/s)\n", done, *n, el.Round(time.Millisecond), float64(done)/el.Seconds())
			}
		},
	})
	if err != nil {
		return err
	}
	if err := db.Analyze(ctx); err != nil {
		return fmt.Errorf("seed: analyze: %w", err)
	}
	fmt.Fprintf(stdout, "done: %d articles × 3 locales on %s in %s\n", *n, db.Dialect(), time.Since(start).Round(time.Millisecond))
	return nil
}
