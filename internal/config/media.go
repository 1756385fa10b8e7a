package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Media is where uploads go and how large they may be.
type Media struct {
	// Dir holds the files when no S3 bucket is configured.
	Dir string
	// MaxBytes bounds one upload; MaxPixels bounds an image's width × height.
	MaxBytes  int64
	MaxPixels int64
	// Workers bounds concurrent image processing (0: the cores); MaxDecodedBytes bounds
	// its estimated memory, all jobs together.
	Workers         int
	MaxDecodedBytes int64
	// IdleTimeout and MinRate are the progress deadlines of uploads and downloads, which
	// replace the total timeouts of other requests.
	IdleTimeout time.Duration
	MinRate     int64
	// S3 is set (Bucket not empty) to store files in an S3-compatible bucket instead.
	S3 S3
}

// S3 names an S3-compatible bucket.
type S3 struct {
	Endpoint, Bucket, Region, AccessKey, SecretKey string
	// PublicURL is where clients fetch files (a CDN or public bucket); empty means Herald
	// proxies them at /media/{hash}/{file}.
	PublicURL string
}

// loadMedia reads the media variables.
func (c *Config) loadMedia(getenv func(string) string, get func(name, def string) string) []error {
	var errs []error
	c.Media.Dir = get("HERALD_MEDIA_DIR", "./data/media")
	var err error
	if c.Media.MaxBytes, err = mediaBytes(get("HERALD_MEDIA_MAX_BYTES", "26214400")); err != nil || c.Media.MaxBytes < 1024 || c.Media.MaxBytes > 5<<30 {
		errs = append(errs, fmt.Errorf("HERALD_MEDIA_MAX_BYTES=%q: want a size from 1KiB to 5GiB, such as 26214400 or 25MiB", getenv("HERALD_MEDIA_MAX_BYTES")))
	}
	if c.Media.MaxPixels, err = strconv.ParseInt(get("HERALD_MEDIA_MAX_PIXELS", "40000000"), 10, 64); err != nil || c.Media.MaxPixels < 1 || c.Media.MaxPixels > 1_000_000_000 {
		errs = append(errs, fmt.Errorf("HERALD_MEDIA_MAX_PIXELS=%q: want a pixel count from 1 to 1000000000, such as 40000000", getenv("HERALD_MEDIA_MAX_PIXELS")))
	}
	if v := get("HERALD_MEDIA_WORKERS", ""); v != "" {
		if c.Media.Workers, err = strconv.Atoi(v); err != nil || c.Media.Workers < 1 || c.Media.Workers > 256 {
			errs = append(errs, fmt.Errorf("HERALD_MEDIA_WORKERS=%q: want a number of workers from 1 to 256", v))
		}
	}
	if c.Media.MaxDecodedBytes, err = mediaBytes(get("HERALD_MEDIA_MAX_DECODED_BYTES", "256MiB")); err != nil || c.Media.MaxDecodedBytes < 16<<20 {
		errs = append(errs, fmt.Errorf("HERALD_MEDIA_MAX_DECODED_BYTES=%q: want a size of at least 16MiB, such as 256MiB", getenv("HERALD_MEDIA_MAX_DECODED_BYTES")))
	}
	if c.Media.IdleTimeout, err = time.ParseDuration(get("HERALD_MEDIA_IDLE_TIMEOUT", "30s")); err != nil || c.Media.IdleTimeout < time.Second || c.Media.IdleTimeout > time.Hour {
		errs = append(errs, fmt.Errorf("HERALD_MEDIA_IDLE_TIMEOUT=%q: want a duration from 1s to 1h, such as 30s", getenv("HERALD_MEDIA_IDLE_TIMEOUT")))
	}
	if c.Media.MinRate, err = mediaBytes(get("HERALD_MEDIA_MIN_RATE", "8KiB")); err != nil || c.Media.MinRate < 64 {
		errs = append(errs, fmt.Errorf("HERALD_MEDIA_MIN_RATE=%q: want bytes per second, at least 64, such as 8KiB", getenv("HERALD_MEDIA_MIN_RATE")))
	}
	s := S3{
		Endpoint: get("HERALD_S3_ENDPOINT", ""), Bucket: get("HERALD_S3_BUCKET", ""), Region: get("HERALD_S3_REGION", "us-east-1"),
		AccessKey: get("HERALD_S3_ACCESS_KEY", ""), SecretKey: getenv("HERALD_S3_SECRET_KEY"), PublicURL: get("HERALD_S3_PUBLIC_URL", ""),
	}
	if s.Bucket != "" {
		if u, err := url.Parse(s.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("HERALD_S3_ENDPOINT=%q: want http(s)://host[:port] (required with HERALD_S3_BUCKET)", s.Endpoint))
		}
		if s.AccessKey == "" || s.SecretKey == "" {
			errs = append(errs, errors.New("HERALD_S3_ACCESS_KEY and HERALD_S3_SECRET_KEY are required with HERALD_S3_BUCKET"))
		}
		if s.PublicURL != "" {
			if u, err := url.Parse(s.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				errs = append(errs, fmt.Errorf("HERALD_S3_PUBLIC_URL=%q: want an http(s) URL", s.PublicURL))
			}
		}
		c.Media.S3 = s
	}
	return errs
}

// mediaBytes reads a byte count: digits, optionally followed by KiB, MiB or GiB.
func mediaBytes(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}} {
		if strings.HasSuffix(strings.ToLower(s), u.suffix) {
			s, mult = strings.TrimSpace(s[:len(s)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<40)/mult {
		return 0, errors.New("not a byte count")
	}
	return n * mult, nil
}
