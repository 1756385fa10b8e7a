package config

import (
	"strings"
	"testing"
	"time"
)

func TestCacheVariables(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.CacheMaxAge != time.Minute || c.CacheBytes != 64<<20 || len(c.CORSOrigins) != 0 {
		t.Fatalf("defaults: %v %d %v", c.CacheMaxAge, c.CacheBytes, c.CORSOrigins)
	}
	c, err = Load(env(map[string]string{"HERALD_CACHE_MAX_AGE": "5m", "HERALD_CACHE_BYTES": "0",
		"HERALD_CORS_ORIGINS": "https://news.example/, http://localhost:3000"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.CacheMaxAge != 5*time.Minute || c.CacheBytes != 0 || strings.Join(c.CORSOrigins, " ") != "https://news.example http://localhost:3000" {
		t.Fatalf("set: %v %d %v", c.CacheMaxAge, c.CacheBytes, c.CORSOrigins)
	}
	for in, want := range map[string]int64{"1024": 1024, "16KiB": 16 << 10, "128 MiB": 128 << 20, "1gb": 1 << 30} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for name, v := range map[string]string{"HERALD_CACHE_MAX_AGE": "0s", "HERALD_CACHE_BYTES": "-1", "HERALD_CORS_ORIGINS": "news.example/path"} {
		if _, err := Load(env(map[string]string{name: v})); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: error %v", name, v, err)
		}
	}
	for _, v := range []string{"lots", "2TiB", "12XB"} {
		if _, err := parseBytes(v); err == nil {
			t.Errorf("parseBytes(%q) accepted", v)
		}
	}
}
