package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Webhooks configures webhook delivery (internal/webhooks).
type Webhooks struct {
	// AllowPrivate lets endpoints reach loopback, private and link-local addresses.
	AllowPrivate bool
	// Timeout bounds one delivery attempt.
	Timeout time.Duration
	// RetryBase doubles per attempt up to RetryMax; deliveries are retried for RetryFor.
	RetryBase, RetryMax, RetryFor time.Duration
	// DisableAfter disables an endpoint that has failed for this long without a success.
	DisableAfter time.Duration
	// PollInterval is how often each instance looks for deliveries due.
	PollInterval time.Duration
	// RescueAfter is how long a delivery may stay claimed by an instance that stopped
	// answering before another one takes it over.
	RescueAfter time.Duration
	// Workers is how many deliveries one instance sends at once.
	Workers int
}

// loadWebhooks reads the webhook variables.
func (c *Config) loadWebhooks(getenv func(string) string, get func(name, def string) string) []error {
	var errs []error
	switch v := strings.ToLower(get("HERALD_WEBHOOK_ALLOW_PRIVATE", "false")); v {
	case "1", "true", "yes", "on":
		c.Webhooks.AllowPrivate = true
	case "0", "false", "no", "off":
	default:
		errs = append(errs, fmt.Errorf("HERALD_WEBHOOK_ALLOW_PRIVATE=%q: want true or false", v))
	}
	dur := func(name, def string, lo, hi time.Duration, dst *time.Duration) {
		d, err := time.ParseDuration(get(name, def))
		if err != nil || d < lo || d > hi {
			errs = append(errs, fmt.Errorf("%s=%q: want a duration from %s to %s, such as %s", name, getenv(name), lo, hi, def))
			return
		}
		*dst = d
	}
	w := &c.Webhooks
	dur("HERALD_WEBHOOK_TIMEOUT", "10s", 100*time.Millisecond, time.Minute, &w.Timeout)
	dur("HERALD_WEBHOOK_RETRY_BASE", "5s", 10*time.Millisecond, time.Hour, &w.RetryBase)
	dur("HERALD_WEBHOOK_RETRY_MAX", "1h", 10*time.Millisecond, 24*time.Hour, &w.RetryMax)
	dur("HERALD_WEBHOOK_RETRY_FOR", "24h", 100*time.Millisecond, 7*24*time.Hour, &w.RetryFor)
	dur("HERALD_WEBHOOK_DISABLE_AFTER", "24h", 100*time.Millisecond, 30*24*time.Hour, &w.DisableAfter)
	dur("HERALD_WEBHOOK_POLL_INTERVAL", "100ms", 10*time.Millisecond, time.Minute, &w.PollInterval)
	dur("HERALD_WEBHOOK_RESCUE_AFTER", "5m", time.Second, 24*time.Hour, &w.RescueAfter)
	n, err := strconv.Atoi(get("HERALD_WEBHOOK_WORKERS", "10"))
	if err != nil || n < 1 || n > 1000 {
		errs = append(errs, fmt.Errorf("HERALD_WEBHOOK_WORKERS=%q: want 1 to 1000", getenv("HERALD_WEBHOOK_WORKERS")))
	}
	w.Workers = n
	if w.RetryMax < w.RetryBase {
		errs = append(errs, fmt.Errorf("HERALD_WEBHOOK_RETRY_MAX (%s) must not be shorter than HERALD_WEBHOOK_RETRY_BASE (%s)", w.RetryMax, w.RetryBase))
	}
	return errs
}
