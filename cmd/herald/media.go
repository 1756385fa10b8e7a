package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/heraldcms/herald/internal/config"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/media/disk"
	"github.com/heraldcms/herald/internal/media/s3"
	"github.com/heraldcms/herald/internal/store"
)

// newMediaService stores uploads in the S3 bucket when one is configured, else on disk.
func newMediaService(ctx context.Context, cfg config.Config, db *store.DB, log *slog.Logger) (*media.Service, error) {
	var blobs media.Blobs
	if c := cfg.Media.S3; c.Bucket != "" {
		b, err := s3.New(ctx, s3.Config{Endpoint: c.Endpoint, Bucket: c.Bucket, Region: c.Region,
			AccessKey: c.AccessKey, SecretKey: c.SecretKey, PublicURL: c.PublicURL})
		if err != nil {
			return nil, err
		}
		blobs = b
		log.Info("media: files in S3", "endpoint", c.Endpoint, "bucket", c.Bucket, "public_url", c.PublicURL)
	} else {
		b, err := disk.New(cfg.Media.Dir)
		if err != nil {
			return nil, err
		}
		blobs = b
		log.Info("media: files on disk", "dir", b.Root())
	}
	return media.NewService(store.NewMedia(db), blobs, media.Config{
		MaxBytes: cfg.Media.MaxBytes, MaxPixels: cfg.Media.MaxPixels, Locales: cfg.Locales, Clock: time.Now,
		Pool: media.NewPool(cfg.Media.Workers, cfg.Media.MaxDecodedBytes, 0),
	}), nil
}

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
	cfg, db, err := openMigrated(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := newMediaService(ctx, cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	removed, err := svc.Sweep(ctx, *minAge)
	for _, r := range removed {
		fmt.Fprintln(stdout, "removed", r)
	}
	fmt.Fprintf(stdout, "%d leftover file(s) removed\n", len(removed))
	return err
}
