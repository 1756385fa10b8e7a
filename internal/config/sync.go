package config

import (
	"fmt"
	"strconv"
	"time"
)

// Sync configures delta sync (GET /api/v1/sync).
type Sync struct {
	// Retention is how long change rows are kept and sync tokens honoured.
	Retention time.Duration
	// MaxWaiters bounds the long-polls (wait=) waiting at once on one instance.
	MaxWaiters int
}

// loadSync reads the delta sync variables.
func (c *Config) loadSync(getenv func(string) string, get func(name, def string) string) []error {
	var errs []error
	var err error
	c.Sync.Retention, err = parseRetention(get("HERALD_SYNC_RETENTION", "720h"))
	if err != nil || c.Sync.Retention < time.Hour || c.Sync.Retention > 5*365*24*time.Hour {
		errs = append(errs, fmt.Errorf("HERALD_SYNC_RETENTION=%q: want a duration from 1h to 5 years, such as 720h or 30d", getenv("HERALD_SYNC_RETENTION")))
	}
	n := get("HERALD_SYNC_MAX_WAITERS", "1000")
	if c.Sync.MaxWaiters, err = strconv.Atoi(n); err != nil || c.Sync.MaxWaiters < 1 || c.Sync.MaxWaiters > 1_000_000 {
		errs = append(errs, fmt.Errorf("HERALD_SYNC_MAX_WAITERS=%q: want a number of waiting requests from 1 to 1000000", n))
	}
	return errs
}

// parseRetention reads a Go duration or a number of days ("30d").
func parseRetention(s string) (time.Duration, error) {
	if len(s) > 1 && s[len(s)-1] == 'd' {
		d, err := strconv.Atoi(s[:len(s)-1])
		if err != nil {
			return 0, err
		}
		return time.Duration(d) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}
