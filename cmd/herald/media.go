package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// mediaCommand runs `herald media sweep [--min-age D]`.
func mediaCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "sweep" {
		return errors.New("usage: herald media sweep [--min-age 1h]")
	}
	fs := flag.NewFlagSet("media sweep", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	minAge := fs.Duration("min-age", time.Hour, "leave files younger than this (uploads in flight)")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *minAge < time.Minute {
		return errors.New("usage: herald media sweep [--min-age 1h] (at least 1m)")
	}
	a, closeApp, err := openApp(ctx, getenv)
	if err != nil {
		return err
	}
	defer closeApp()
	removed, err := a.Media.Sweep(ctx, *minAge)
	for _, r := range removed {
		fmt.Fprintln(stdout, "removed", r)
	}
	fmt.Fprintf(stdout, "%d leftover file(s) removed\n", len(removed))
	return err
}
