package config

import (
	"fmt"
	"time"
)

// loadLoad reads the variables that bound what anonymous load can cost the database.
func (c *Config) loadLoad(getenv func(string) string, get func(name, def string) string) []error {
	var errs []error
	var err error
	c.PublicReadTimeout, err = time.ParseDuration(get("HERALD_PUBLIC_READ_TIMEOUT", "5s"))
	if err != nil || c.PublicReadTimeout < 10*time.Millisecond || c.PublicReadTimeout > time.Minute {
		errs = append(errs, fmt.Errorf("HERALD_PUBLIC_READ_TIMEOUT=%q: want a duration from 10ms to 1m, such as 5s", getenv("HERALD_PUBLIC_READ_TIMEOUT")))
	}
	c.ViewsSpool = get("HERALD_VIEWS_SPOOL", "")
	c.ViewsSpoolMaxBytes, err = parseBytes(get("HERALD_VIEWS_SPOOL_MAX_BYTES", "64MiB"))
	if err != nil || c.ViewsSpoolMaxBytes < 1<<10 {
		errs = append(errs, fmt.Errorf("HERALD_VIEWS_SPOOL_MAX_BYTES=%q: want a size of at least 1KiB, such as 64MiB", getenv("HERALD_VIEWS_SPOOL_MAX_BYTES")))
	}
	return errs
}
