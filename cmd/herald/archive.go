package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/heraldcms/herald/internal/archive"
)

// importCommand imports an NDJSON archive (docs/import.md) through the services, line by
// line: a bad line is reported and skipped, each article lands whole or not at all.
func importCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	mediaDir := fs.String("media-dir", "", "directory the lines' image files are relative to")
	dryRun := fs.Bool("dry-run", false, "check every line and write nothing")
	quiet := fs.Bool("quiet-events", false, "send no webhooks for the imported articles")
	maxLine := fs.Int("max-line-bytes", archive.DefaultMaxLineBytes, "longest line accepted")
	batch := fs.Int("batch", archive.DefaultBatchSize, "articles per transaction (each still atomic, under a savepoint)")
	args, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return errors.New("usage: herald import [--media-dir DIR] [--dry-run] [--quiet-events] [--batch N] FILE|-")
	}
	var in io.Reader = stdin
	total := 0
	if args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		if total, err = archive.CountLines(f); err != nil {
			return err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		in = f
	}
	if *mediaDir != "" {
		if st, err := os.Stat(*mediaDir); err != nil || !st.IsDir() {
			return fmt.Errorf("--media-dir %s is not a directory", *mediaDir)
		}
	}
	a, closeApp, err := openApp(ctx, getenv)
	if err != nil {
		return err
	}
	defer closeApp()
	shown := 0
	showReports := func(rs []archive.Report) {
		for ; shown < len(rs); shown++ {
			r := rs[shown]
			id := ""
			if r.ExternalID != "" {
				id = " (" + r.ExternalID + ")"
			}
			for _, e := range r.Errors {
				fmt.Fprintf(stderr, "line %d%s: failed: %s\n", r.Line, id, e)
			}
			for _, w := range r.Warnings {
				fmt.Fprintf(stderr, "line %d%s: warning: %s\n", r.Line, id, w)
			}
		}
	}
	sum, err := a.Archive().Run(ctx, in, archive.Options{MediaDir: *mediaDir, DryRun: *dryRun, QuietEvents: *quiet,
		MaxLineBytes: *maxLine, BatchSize: *batch, Total: total, Progress: func(p archive.Progress) {
			showReports(p.Reports)
			done := fmt.Sprintf("%d lines", p.Done)
			if p.Total > 0 {
				done = fmt.Sprintf("%d/%d lines, ETA %s", p.Done, p.Total, p.ETA.Round(time.Second))
			}
			fmt.Fprintf(stderr, "%s, %.0f articles/s: %d created, %d updated, %d unchanged, %d failed\n",
				done, p.PerSecond, p.Created, p.Updated, p.Unchanged, p.Failed)
		}})
	showReports(sum.Reports)
	verb := "imported"
	if *dryRun {
		verb = "checked (dry run, nothing written)"
	}
	fmt.Fprintf(stdout, "%s %d lines: %d created, %d updated, %d unchanged, %d failed\n", verb, sum.Lines, sum.Created, sum.Updated, sum.Unchanged, sum.Failed)
	if err != nil {
		return fmt.Errorf("import stopped: %w (the lines before are in; run the same file again to finish)", err)
	}
	if sum.Failed > 0 {
		return fmt.Errorf("%d of %d lines failed (reported above); the others are in", sum.Failed, sum.Lines)
	}
	return nil
}

// exportCommand writes every article as NDJSON to standard output (or --out) and the image
// files into --media-dir.
func exportCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	mediaDir := fs.String("media-dir", "", "directory to write the image files to (created if missing; without it images are left out)")
	revisions := fs.Bool("revisions", false, "add every article's saved versions")
	out := fs.String("out", "", "file to write instead of standard output")
	args, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(args) != 0 {
		return errors.New("usage: herald export [--revisions] [--media-dir DIR] [--out FILE] > archive.ndjson")
	}
	if *mediaDir != "" {
		if err := os.MkdirAll(*mediaDir, 0o750); err != nil {
			return err
		}
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	a, closeApp, err := openApp(ctx, getenv)
	if err != nil {
		return err
	}
	defer closeApp()
	start, last := time.Now(), time.Now()
	sum, err := a.Archive().Export(ctx, w, archive.ExportOptions{MediaDir: *mediaDir, Revisions: *revisions, Progress: func(n int) {
		if time.Since(last) >= time.Second {
			last = time.Now()
			fmt.Fprintf(stderr, "%d articles exported (%.0f/s)\n", n, float64(n)/time.Since(start).Seconds())
		}
	}})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d articles and %d files in %s\n", sum.Articles, sum.Files, time.Since(start).Round(time.Millisecond))
	if sum.SkippedImages > 0 {
		fmt.Fprintf(stderr, "warning: %d images left out; pass --media-dir DIR to export them\n", sum.SkippedImages)
	}
	return nil
}

// parseInterspersed parses flags before and after the positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
