package main

import (
	"context"
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
	}), nil
}
