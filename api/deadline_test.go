package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestRequestDeadline: every request's context carries the deadline, and a database query
// run with it is cancelled when the deadline passes although the client still waits.
func TestRequestDeadline(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		app = newTestAppWith(t, app.dialect, func(d *api.Deps) { d.RequestTimeout = 300 * time.Millisecond })
		e := app.srv.Echo()
		e.GET("/test/deadline", func(c echo.Context) error {
			dl, ok := c.Request().Context().Deadline()
			if !ok || time.Until(dl) > 300*time.Millisecond {
				return c.String(http.StatusInternalServerError, "no deadline")
			}
			return c.String(http.StatusOK, "ok")
		})
		// A query that would run for 10 s or more: pg_sleep, or a long recursive count in SQLite.
		slow := "SELECT count(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT i FROM n) x"
		if app.dialect == "postgres" {
			slow = "SELECT pg_sleep(10)"
		}
		var took time.Duration
		var queryErr error
		e.GET("/test/slow", func(c echo.Context) error {
			start := time.Now()
			_, queryErr = app.db.SQL().ExecContext(c.Request().Context(), slow)
			took = time.Since(start)
			return c.NoContent(http.StatusNoContent)
		})
		if rec := app.get("/test/deadline"); rec.Code != http.StatusOK {
			t.Fatalf("deadline: %d %s", rec.Code, rec.Body)
		}
		app.get("/test/slow")
		if queryErr == nil || took > 5*time.Second {
			t.Fatalf("the slow query ran %v and returned %v: the request deadline did not cancel it", took, queryErr)
		}
		t.Logf("%s: the slow query stopped after %v: %v", app.dialect, took.Round(time.Millisecond), queryErr)
	})
}

// TestPublicReadsWithinTheRequestTimeout: public reads carry one bound, the read timeout's
// (cachedGET), not the request's as well; where the request timeout is the shorter, it is
// the bound, so a slow public read still ends with it.
func TestPublicReadsWithinTheRequestTimeout(t *testing.T) {
	for _, dialect := range testkit.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			app := newTestAppWith(t, dialect, func(d *api.Deps) { d.RequestTimeout = 300 * time.Millisecond })
			slow := slowQueries(t, app)
			slow.Store(true)
			start := time.Now()
			rec := app.get("/api/v1/articles?locale=en")
			took := time.Since(start)
			slow.Store(false)
			// The read timeout (5 s by default) would answer after 5 s; the statement runs 10 s.
			if rec.Code != http.StatusServiceUnavailable || took > 3*time.Second {
				t.Fatalf("slow public read: %d after %v (want 503 within the 300 ms request timeout): %s", rec.Code, took, rec.Body)
			}
		})
	}
}
