package api

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/metrics"
)

// useMetrics records every request in m (a fresh registry when nil) and keeps the token
// GET /metrics requires ("" leaves it open).
func (s *Server) useMetrics(m *metrics.Metrics, token string) {
	if m == nil {
		m = metrics.New()
	}
	s.metrics, s.metricsToken = m, token
	// Read at scrape time: the cache is set up after this, and may be off (all zeros).
	if err := m.WatchCache(func() metrics.CacheStats {
		if s.cache == nil {
			return metrics.CacheStats{}
		}
		n, size := s.cache.store.Stats()
		hits, misses := s.cache.store.Lookups()
		return metrics.CacheStats{Entries: n, Bytes: size, Hits: hits, Misses: misses}
	}); err != nil {
		s.log.Warn("metrics: cache collector", "error", err)
	}
	s.use = append(s.use, func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			// The request log, inside this middleware, has already written any error, so
			// the status is the one the client got.
			status := c.Response().Status
			if err != nil && !c.Response().Committed {
				status = toProblem(err).Status
			}
			s.metrics.ObserveRequest(c.Path(), c.Request().Method, status, time.Since(start))
			return err
		}
	})
}

// getMetrics godoc
//
//	@Summary		Prometheus metrics
//	@Description	Metrics in the Prometheus text exposition format: HTTP requests by route, method and status with latency histograms (herald_http_request_duration_seconds), the database pool (go_sql_*), the read-count buffer (herald_views_*: pending reads, flush latency and failures), the in-process response cache (herald_cache_*: hits, misses, entries, bytes), the Go runtime and the process. When HERALD_METRICS_TOKEN is set, send it as "Authorization: Bearer <token>". In production this address serves it only with a token; HERALD_METRICS_ADDR serves it on an address of its own instead.
//	@Tags			system
//	@Produce		plain
//	@Success		200	{string}	string	"Prometheus text format"
//	@Failure		401	{object}	Problem	"HERALD_METRICS_TOKEN is set and the request does not carry it"
//	@Failure		404	{object}	Problem	"Not served here: production without HERALD_METRICS_TOKEN, or HERALD_METRICS_ADDR is set"
//	@Router			/metrics [get]
func (s *Server) getMetrics(c echo.Context) error {
	if s.hideMetrics {
		return echo.ErrNotFound
	}
	return s.serveMetrics(c)
}

func (s *Server) serveMetrics(c echo.Context) error {
	if s.metricsToken != "" {
		got, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.metricsToken)) != 1 {
			return unauthorized("GET /metrics needs the metrics token as a bearer token", `Bearer realm="herald-metrics"`)
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	s.metrics.Handler().ServeHTTP(c.Response(), c.Request())
	return nil
}

// MetricsHandler serves GET /metrics alone (with the token, if set), for a listener of its
// own (HERALD_METRICS_ADDR) that only a private network reaches.
func (s *Server) MetricsHandler() http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	e.GET("/metrics", s.serveMetrics)
	return e
}
