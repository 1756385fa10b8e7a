package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Previews is the operator's say over preview links (issue 17).
type Previews struct {
	// TTL is a link's lifetime when its creator names none; MaxTTL bounds any.
	TTL, MaxTTL time.Duration
	// URL is the frontend's preview entry point, with {token}, {id}, {locale} and {slug}
	// filled in per link (Next.js draft mode: https://news.example/api/draft?token={token}&slug={slug}).
	URL string
}

// loadPreviews reads the variables of preview links.
func (c *Config) loadPreviews(getenv func(string) string, get func(name, def string) string) []error {
	var errs []error
	var err error
	p := &c.Previews
	if p.MaxTTL, err = time.ParseDuration(get("HERALD_PREVIEW_MAX_TTL", "168h")); err != nil || p.MaxTTL < time.Minute || p.MaxTTL > 8760*time.Hour {
		errs = append(errs, fmt.Errorf("HERALD_PREVIEW_MAX_TTL=%q: want a duration from 1m to 8760h, such as 168h", getenv("HERALD_PREVIEW_MAX_TTL")))
	}
	if p.TTL, err = time.ParseDuration(get("HERALD_PREVIEW_TTL", "24h")); err != nil || p.TTL < time.Minute || (p.MaxTTL > 0 && p.TTL > p.MaxTTL) {
		errs = append(errs, fmt.Errorf("HERALD_PREVIEW_TTL=%q: want a duration from 1m to HERALD_PREVIEW_MAX_TTL, such as 24h", getenv("HERALD_PREVIEW_TTL")))
	}
	if v := strings.TrimSpace(getenv("HERALD_PREVIEW_URL")); v != "" {
		u, err := url.Parse(strings.NewReplacer("{token}", "t", "{id}", "i", "{locale}", "l", "{slug}", "s").Replace(v))
		switch {
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			errs = append(errs, fmt.Errorf("HERALD_PREVIEW_URL=%q: want an http(s) URL such as https://news.example/api/draft?token={token}&slug={slug}", v))
		case !strings.Contains(v, "{token}"):
			errs = append(errs, fmt.Errorf("HERALD_PREVIEW_URL=%q: must contain {token}", v))
		}
		p.URL = v
	}
	return errs
}
