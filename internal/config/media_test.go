package config

import (
	"strings"
	"testing"
	"time"
)

func TestMediaConfig(t *testing.T) {
	load := func(env map[string]string) (Config, error) {
		return Load(func(k string) string { return env[k] })
	}
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Media.Dir != "./data/media" || c.Media.MaxBytes != 25<<20 || c.Media.MaxPixels != 40_000_000 || c.Media.S3.Bucket != "" ||
		c.Media.Workers != 0 || c.Media.MaxDecodedBytes != 256<<20 || c.Media.IdleTimeout != 30*time.Second || c.Media.MinRate != 8<<10 {
		t.Errorf("defaults: %+v", c.Media)
	}
	c, err = load(map[string]string{"HERALD_MEDIA_MAX_BYTES": "10MiB", "HERALD_MEDIA_MAX_PIXELS": "1000000",
		"HERALD_MEDIA_WORKERS": "3", "HERALD_MEDIA_MAX_DECODED_BYTES": "1GiB",
		"HERALD_S3_BUCKET": "news", "HERALD_S3_ENDPOINT": "http://127.0.0.1:9000", "HERALD_S3_ACCESS_KEY": "a", "HERALD_S3_SECRET_KEY": "s",
		"HERALD_S3_PUBLIC_URL": "https://cdn.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Media.MaxBytes != 10<<20 || c.Media.MaxPixels != 1_000_000 || c.Media.S3.Bucket != "news" || c.Media.S3.Region != "us-east-1" ||
		c.Media.Workers != 3 || c.Media.MaxDecodedBytes != 1<<30 {
		t.Errorf("parsed: %+v", c.Media)
	}
	for _, bad := range []map[string]string{
		{"HERALD_MEDIA_MAX_BYTES": "lots"},
		{"HERALD_MEDIA_MAX_BYTES": "10"},
		{"HERALD_MEDIA_MAX_PIXELS": "-1"},
		{"HERALD_MEDIA_WORKERS": "0"},
		{"HERALD_MEDIA_WORKERS": "many"},
		{"HERALD_MEDIA_MAX_DECODED_BYTES": "1MiB"},
		{"HERALD_MEDIA_IDLE_TIMEOUT": "5ms"},
		{"HERALD_MEDIA_MIN_RATE": "1"},
		{"HERALD_S3_BUCKET": "news"},
		{"HERALD_S3_BUCKET": "news", "HERALD_S3_ENDPOINT": "127.0.0.1:9000", "HERALD_S3_ACCESS_KEY": "a", "HERALD_S3_SECRET_KEY": "s"},
		{"HERALD_S3_BUCKET": "news", "HERALD_S3_ENDPOINT": "http://h", "HERALD_S3_ACCESS_KEY": "a", "HERALD_S3_SECRET_KEY": "s", "HERALD_S3_PUBLIC_URL": "cdn"},
	} {
		if _, err := load(bad); err == nil || !strings.Contains(err.Error(), "HERALD_") {
			t.Errorf("%v: %v", bad, err)
		}
	}
}
