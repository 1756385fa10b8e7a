package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/heraldcms/herald/internal/app"
)

// searchCommand runs `herald search reindex`: rebuilds the whole full-text index (#14),
// showing progress. The server keeps the index current by itself; this is for an
// operator who wants it made afresh.
func searchCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "reindex" {
		return errors.New("usage: herald search reindex")
	}
	a, closeApp, err := openApp(ctx, getenv, app.WithoutMedia())
	if err != nil {
		return err
	}
	defer closeApp()
	start, last := time.Now(), time.Now()
	n, err := a.Search.Ensure(ctx, true, func(done int) {
		if time.Since(last) > 2*time.Second {
			last = time.Now()
			fmt.Fprintf(stdout, "indexed %d articles in %s\n", done, time.Since(start).Round(time.Millisecond))
		}
	})
	if err != nil {
		return fmt.Errorf("search reindex: %w", err)
	}
	fmt.Fprintf(stdout, "done: %d articles indexed in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
