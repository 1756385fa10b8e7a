package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/demo"
)

// seed generates a synthetic archive for benchmarks and load tests.
func seed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("articles", 1000, "number of published articles to generate (3 locales each)")
	bodyBytes := fs.Int("body-bytes", 3000, "approximate HTML body size per translation")
	batch := fs.Int("batch", 1000, "articles per transaction")
	seedVal := fs.Int64("seed", 1, "random seed, for a reproducible archive")
	vocabulary := fs.Int("vocabulary", 0, "mix this many made-up words per locale into the text, Zipf-distributed (search benchmarks); 0: none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *vocabulary < 0 || *vocabulary > 1_000_000 {
		return fmt.Errorf("seed: want 0 ≤ --vocabulary ≤ 1000000")
	}
	if *n < 1 || *n > 10_000_000 || *bodyBytes < 0 || *bodyBytes > 1<<20 || *batch < 1 || *batch > 20_000 {
		return fmt.Errorf("seed: want 1 ≤ --articles ≤ 10000000, 0 ≤ --body-bytes ≤ 1048576, 1 ≤ --batch ≤ 20000")
	}
	a, closeApp, err := openApp(ctx, getenv, app.WithoutMedia())
	if err != nil {
		return err
	}
	defer closeApp()
	db := a.DB
	start := time.Now()
	last := start
	err = demo.Synthetic(ctx, a.Store, demo.SyntheticOptions{
		Articles: *n, BodyBytes: *bodyBytes, Batch: *batch, Seed: *seedVal, Now: time.Now(), Vocabulary: *vocabulary,
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
	// The bulk insert bypasses the write path; index it as a start would (#14).
	indexed, err := a.Search.Ensure(ctx, false, func(done int) {
		if time.Since(last) > 2*time.Second {
			last = time.Now()
			fmt.Fprintf(stdout, "search: indexed %d articles in %s\n", done, time.Since(start).Round(time.Millisecond))
		}
	})
	if err != nil {
		return fmt.Errorf("seed: search index: %w", err)
	}
	fmt.Fprintf(stdout, "search: indexed %d articles\n", indexed)
	if err := db.Analyze(ctx); err != nil {
		return fmt.Errorf("seed: analyze: %w", err)
	}
	// A bulk load, in batches of its own transactions rather than article by article through
	// the content service; it is on record in the audit log all the same.
	err = a.Changes.Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		tx.Audit("content.seed", "article", "", fmt.Sprintf("%d synthetic articles × 3 locales (seed %d)", *n, *seedVal))
		return nil
	})
	if err != nil {
		return fmt.Errorf("seed: audit: %w", err)
	}
	fmt.Fprintf(stdout, "done: %d articles × 3 locales on %s in %s\n", *n, db.Dialect(), time.Since(start).Round(time.Millisecond))
	return nil
}
