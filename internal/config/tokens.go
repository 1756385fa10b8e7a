package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// APITokens is the operator's say over API tokens.
type APITokens struct {
	// MaxTTL bounds a token's lifetime; AllowNoExpiry permits tokens that never expire.
	MaxTTL        time.Duration
	AllowNoExpiry bool
	// Rate is requests per second per token, Burst how many may come at once.
	Rate, Burst int
	// UsageFlush is how often last-used times and addresses are written.
	UsageFlush time.Duration
}

// loadAPITokens reads the variables of API tokens.
func (c *Config) loadAPITokens(getenv func(string) string, get func(name, def string) string) []error {
	var errs []error
	var err error
	t := &c.APITokens
	if t.MaxTTL, err = time.ParseDuration(get("HERALD_API_TOKEN_MAX_TTL", "8760h")); err != nil || t.MaxTTL < time.Hour || t.MaxTTL > 10*8760*time.Hour {
		errs = append(errs, fmt.Errorf("HERALD_API_TOKEN_MAX_TTL=%q: want a duration from 1h to 87600h (10 years), such as 8760h", getenv("HERALD_API_TOKEN_MAX_TTL")))
	}
	switch v := strings.ToLower(get("HERALD_API_TOKEN_ALLOW_NO_EXPIRY", "false")); v {
	case "1", "true", "yes", "on":
		t.AllowNoExpiry = true
	case "0", "false", "no", "off":
	default:
		errs = append(errs, fmt.Errorf("HERALD_API_TOKEN_ALLOW_NO_EXPIRY=%q: want true or false", v))
	}
	if t.Rate, err = strconv.Atoi(get("HERALD_API_TOKEN_RATE", "20")); err != nil || t.Rate < 1 || t.Rate > 100_000 {
		errs = append(errs, fmt.Errorf("HERALD_API_TOKEN_RATE=%q: want requests per second from 1 to 100000, such as 20", getenv("HERALD_API_TOKEN_RATE")))
	}
	if t.Burst, err = strconv.Atoi(get("HERALD_API_TOKEN_BURST", "200")); err != nil || t.Burst < 1 || t.Burst > 1_000_000 {
		errs = append(errs, fmt.Errorf("HERALD_API_TOKEN_BURST=%q: want a request count from 1 to 1000000, such as 200", getenv("HERALD_API_TOKEN_BURST")))
	}
	if t.UsageFlush, err = time.ParseDuration(get("HERALD_API_TOKEN_USAGE_FLUSH", "10s")); err != nil || t.UsageFlush < 100*time.Millisecond || t.UsageFlush > time.Hour {
		errs = append(errs, fmt.Errorf("HERALD_API_TOKEN_USAGE_FLUSH=%q: want a duration from 100ms to 1h, such as 10s", getenv("HERALD_API_TOKEN_USAGE_FLUSH")))
	}
	return errs
}
