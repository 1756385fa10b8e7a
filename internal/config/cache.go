package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// loadCache reads the HTTP caching and CORS variables.
func (c *Config) loadCache(getenv func(string) string, get func(name, def string) string) []error {
	var errs []error
	var err error
	c.CacheMaxAge, err = time.ParseDuration(get("HERALD_CACHE_MAX_AGE", "60s"))
	if err != nil || c.CacheMaxAge < time.Second || c.CacheMaxAge > 24*time.Hour {
		errs = append(errs, fmt.Errorf("HERALD_CACHE_MAX_AGE=%q: want a duration from 1s to 24h, such as 60s", getenv("HERALD_CACHE_MAX_AGE")))
	}
	c.CacheBytes, err = parseBytes(get("HERALD_CACHE_BYTES", "64MiB"))
	if err != nil {
		errs = append(errs, fmt.Errorf("HERALD_CACHE_BYTES=%q: %v", getenv("HERALD_CACHE_BYTES"), err))
	}
	for _, o := range strings.Split(getenv("HERALD_CORS_ORIGINS"), ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if o != "*" {
			u, perr := url.Parse(o)
			if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
				errs = append(errs, fmt.Errorf("HERALD_CORS_ORIGINS: %q is not an origin such as https://news.example, nor *", o))
				continue
			}
			o = u.Scheme + "://" + u.Host
		}
		c.CORSOrigins = append(c.CORSOrigins, o)
	}
	return errs
}

// parseBytes reads a byte count: digits, optionally followed by KiB, MiB or GiB (or KB, MB,
// GB, read as powers of 1024 too).
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30}, {"b", 1}} {
		if strings.HasSuffix(strings.ToLower(s), u.suffix) {
			s, mult = strings.TrimSpace(s[:len(s)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("want a byte count such as 67108864, 64MiB or 0 (off), at most 1TiB")
	}
	return n * mult, nil
}
