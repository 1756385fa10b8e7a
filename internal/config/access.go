package config

import (
	"fmt"
	"net"
	"strings"
	"time"
)

// Access holds who may reach what beyond the role matrix: the operator endpoints
// (/metrics, Swagger UI), authors' view of others' work, and the refresh grace window.
type Access struct {
	// MetricsAddr, when set, is a second listen address that serves only GET /metrics;
	// the main address then answers 404 there.
	MetricsAddr string
	// SwaggerUI serves the interactive API docs at /docs/ (the OpenAPI JSON is always served).
	SwaggerUI bool
	// AuthorsReadAll lets authors read other authors' drafts and revisions; off, authors see
	// only their own unpublished work (the Ghost and WordPress rule).
	AuthorsReadAll bool
	// RefreshGrace is how long after a rotation the same refresh token gets the same new
	// pair again (two tabs refreshing at once) instead of revoking the family.
	RefreshGrace time.Duration
}

// MetricsOnMain reports whether the main address serves GET /metrics at all: not when it
// has its own address, nor in production without a token (it would be open to anyone who
// reaches the API).
func (c Config) MetricsOnMain() bool {
	return c.Access.MetricsAddr == "" && (c.Env != Production || c.MetricsToken != "")
}

// loadAccess reads the variables of Access.
func (c *Config) loadAccess(getenv func(string) string, get func(name, def string) string) []error {
	var errs []error
	a := &c.Access
	a.MetricsAddr = strings.TrimSpace(getenv("HERALD_METRICS_ADDR"))
	if a.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(a.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("HERALD_METRICS_ADDR=%q: want host:port such as 127.0.0.1:9090 (%v)", a.MetricsAddr, err))
		} else if a.MetricsAddr == c.Addr {
			errs = append(errs, fmt.Errorf("HERALD_METRICS_ADDR=%q: must differ from HERALD_ADDR", a.MetricsAddr))
		}
	}
	var err error
	if a.SwaggerUI, err = parseBool("HERALD_DOCS", get("HERALD_DOCS", ""), c.Env == Development); err != nil {
		errs = append(errs, err)
	}
	if a.AuthorsReadAll, err = parseBool("HERALD_AUTHORS_READ_ALL", get("HERALD_AUTHORS_READ_ALL", ""), false); err != nil {
		errs = append(errs, err)
	}
	a.RefreshGrace, err = time.ParseDuration(get("HERALD_REFRESH_GRACE", "30s"))
	if err != nil || a.RefreshGrace < 0 || a.RefreshGrace > 5*time.Minute {
		errs = append(errs, fmt.Errorf("HERALD_REFRESH_GRACE=%q: want a duration from 0 (off) to 5m, such as 30s", getenv("HERALD_REFRESH_GRACE")))
	}
	return errs
}

// parseBool reads a true/false variable; "" is def.
func parseBool(name, v string, def bool) (bool, error) {
	switch strings.ToLower(v) {
	case "":
		return def, nil
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return def, fmt.Errorf("%s=%q: want true or false", name, v)
}
