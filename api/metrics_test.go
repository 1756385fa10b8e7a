package api_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/views"
)

// newMetricsApp is the views test app with the metrics internal/app wires: request metrics,
// the database pool and the read-count buffer.
func newMetricsApp(t *testing.T, dialect, token string) *viewsApp {
	t.Helper()
	return newViewsAppOpts(t, dialect, views.Options{}, map[string]string{"HERALD_CACHE_BYTES": "1MiB"},
		app.WithDeps(func(d *api.Deps) { d.MetricsToken = token }))
}

// scrape GETs /metrics and returns the exposition text.
func scrape(t *testing.T, app *viewsApp, headers ...string) string {
	t.Helper()
	rec := app.get("/metrics", headers...)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("GET /metrics: Content-Type %q", ct)
	}
	return rec.Body.String()
}

// sample returns the value of the series written exactly as series, or "" if absent.
func sample(text, series string) string {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestMetrics(t *testing.T) {
	for _, d := range []string{"sqlite", "postgres"} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMetricsApp(t, d, "")
			fx := app.article(demo.FixtureSlugEN)
			app.get("/api/v1/articles/no-such-story-zq7?locale=en")
			app.get("/no/such/route-zq7")
			for range 2 { // a miss, then a hit of the in-process cache
				if rec := app.get("/api/v1/categories?locale=en"); rec.Code != http.StatusOK {
					t.Fatalf("categories: %d", rec.Code)
				}
			}
			for range 3 {
				if code := app.hit(fx.ID); code != http.StatusAccepted {
					t.Fatalf("hit: %d", code)
				}
			}
			before := scrape(t, app)
			app.flush()
			after := scrape(t, app)

			const h = "herald_http_request_duration_seconds_count"
			want := map[string]string{
				h + `{method="GET",route="/api/v1/articles/:ref",status="200"}`:       "1",
				h + `{method="GET",route="/api/v1/articles/:ref",status="404"}`:       "1",
				h + `{method="POST",route="/api/v1/articles/:id/views",status="202"}`: "3",
				`herald_views_accepted_total`:                                         "3",
				`herald_views_flush_failures_total`:                                   "0",
			}
			for series, v := range want {
				if got := sample(before, series); got != v {
					t.Errorf("%s = %q, want %s", series, got, v)
				}
			}
			for series, v := range map[string]string{"herald_views_pending": "3", "herald_views_written_total": "0", "herald_views_flush_duration_seconds_count": "0"} {
				if got := sample(before, series); got != v {
					t.Errorf("before the flush: %s = %q, want %s", series, got, v)
				}
			}
			for series, v := range map[string]string{"herald_views_pending": "0", "herald_views_written_total": "3", "herald_views_flush_duration_seconds_count": "1", "herald_views_flushes_total": "1"} {
				if got := sample(after, series); got != v {
					t.Errorf("after the flush: %s = %q, want %s", series, got, v)
				}
			}
			// The route template, never the raw path: series stay bounded.
			if strings.Contains(after, "zq7") {
				t.Error("a raw request path became a label")
			}
			if !regexp.MustCompile(`(?m)^` + h + `\{method="GET",route="[^"]*",status="404"\} 1$`).MatchString(after) {
				t.Error("the unrouted request is not counted")
			}
			if !regexp.MustCompile(`(?m)^herald_http_request_duration_seconds_bucket\{method="GET",route="/api/v1/articles/:ref",status="200",le="\+Inf"\} 1$`).MatchString(after) {
				t.Error("no latency histogram for the article route")
			}
			if sample(after, "herald_cache_hits_total") != "1" || sample(after, "herald_cache_misses_total") == "0" ||
				sample(after, "herald_cache_entries") == "0" || sample(after, "herald_cache_bytes") == "0" {
				t.Errorf("cache metrics: hits %s, misses %s, entries %s, bytes %s", sample(after, "herald_cache_hits_total"),
					sample(after, "herald_cache_misses_total"), sample(after, "herald_cache_entries"), sample(after, "herald_cache_bytes"))
			}
			for _, series := range []string{`go_sql_max_open_connections{db_name="` + d + `"}`, `go_sql_open_connections{db_name="` + d + `"}`, "go_goroutines"} {
				if sample(after, series) == "" {
					t.Errorf("no %s", series)
				}
			}
			if cc := app.get("/metrics").Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q", cc)
			}
		})
	}
}

func TestMetricsToken(t *testing.T) {
	const token = "metrics-token-0123456789"
	app := newMetricsApp(t, "sqlite", token)
	for _, hdr := range []string{"", "Authorization: Bearer wrong-token-0123456789", "Authorization: " + token, "Authorization: Bearer " + token + "x"} {
		var hs []string
		if hdr != "" {
			hs = append(hs, hdr)
		}
		rec := app.get("/metrics", hs...)
		if rec.Code != http.StatusUnauthorized || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") ||
			rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%q: %d %q, want 401 problem with a challenge", hdr, rec.Code, rec.Header().Get("Content-Type"))
		}
		if strings.Contains(rec.Body.String(), "herald_") {
			t.Errorf("%q: metrics leaked without the token", hdr)
		}
	}
	if text := scrape(t, app, "Authorization: Bearer "+token); !strings.Contains(text, "herald_http_request_duration_seconds") {
		t.Errorf("with the token: no request metrics:\n%.500s", text)
	}
}

// TestMetricsAndSwaggerUIExposure: /metrics can be hidden from the main router (production
// without a token, or served on HERALD_METRICS_ADDR by MetricsHandler, which still wants
// the token), and Swagger UI can be turned off while the OpenAPI documents stay served.
func TestMetricsAndSwaggerUIExposure(t *testing.T) {
	const token = "0123456789abcdef-metrics"
	open := newTestApp(t, "sqlite")
	for _, target := range []string{"/metrics", "/docs/index.html", "/docs/openapi.json", "/docs/doc.json"} {
		if rec := open.get(target); rec.Code != http.StatusOK {
			t.Errorf("default: GET %s: %d", target, rec.Code)
		}
	}
	closed := newTestAppWith(t, "sqlite", func(d *api.Deps) { d.HideMetrics, d.HideSwaggerUI, d.MetricsToken = true, true, token })
	for target, want := range map[string]int{"/metrics": 404, "/docs/index.html": 404, "/docs/": 404, "/docs": 404, "/": 404,
		"/docs/openapi.json": 200, "/docs/doc.json": 200} {
		if rec := closed.get(target, bearer(token)); rec.Code != want {
			t.Errorf("hidden: GET %s: %d, want %d", target, rec.Code, want)
		}
	}
	if rec := closed.get("/docs/doc.json"); !strings.Contains(rec.Body.String(), `"swagger"`) {
		t.Errorf("doc.json without Swagger UI: %.100s", rec.Body)
	}
	// The metrics listener of its own: the token still counts, nothing else is served.
	h := closed.srv.MetricsHandler()
	for _, tc := range []struct {
		target, auth string
		want         int
	}{{"/metrics", token, 200}, {"/metrics", "wrong-token-0123456789", 401}, {"/metrics", "", 401}, {"/api/v1/articles", token, 404}, {"/docs/index.html", token, 404}} {
		req := httptest.NewRequest(http.MethodGet, tc.target, nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", "Bearer "+tc.auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("metrics listener: GET %s (token %q): %d, want %d", tc.target, tc.auth, rec.Code, tc.want)
		}
		if tc.want == 200 && !strings.Contains(rec.Body.String(), "go_goroutines") {
			t.Errorf("metrics listener: not an exposition: %.100s", rec.Body)
		}
	}
}
