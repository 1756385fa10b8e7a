package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/testkit"
)

// BenchmarkAPITokenAuth measures an authenticated GET /api/v1/auth/me with an API token
// against the same request with a JWT and a bare Echo handler (the ceiling), and counts
// UPDATE statements per request (writes/op): last-used records are buffered, so the token
// path writes nothing per request. "token-write-per-request" flushes after every request,
// the cost the buffer avoids.
//
//	go test -run '^$' -bench BenchmarkAPITokenAuth -benchtime 2000x ./api/
func BenchmarkAPITokenAuth(b *testing.B) {
	bare := echo.New()
	bare.GET("/api/v1/auth/me", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"email": "editor@example.com"})
	})
	b.Run("bare-echo", func(b *testing.B) { benchAuthGet(b, bare, "", nil) })
	for _, d := range testkit.Dialects {
		w := wireApp(b, testkit.URL(b, d), map[string]string{"HERALD_DEMO_CONTENT": "false", "HERALD_LOCALES": "en", "HERALD_DEFAULT_LOCALE": "en", "HERALD_LOCALE_FALLBACK": ""},
			time.Now, app.WithDeps(func(d *api.Deps) { d.TokenLimit = auth.NewLimiter(1<<30, time.Nanosecond, 10, time.Now) }))
		db, a, srv := w.DB, w.Auth, w.Server
		ctx := context.Background()
		u, err := a.CreateUser(ctx, auth.NewUser{Email: "editor@example.com", Role: auth.RoleEditor, Password: testPassword})
		if err != nil {
			b.Fatal(err)
		}
		session, err := a.Login(ctx, u.Email, testPassword)
		if err != nil {
			b.Fatal(err)
		}
		tok, err := a.CreateToken(ctx, u.Principal(), auth.NewToken{Name: "bench", Scope: auth.ScopeRead})
		if err != nil {
			b.Fatal(err)
		}
		var updates atomic.Int64
		if err := db.Gorm().Callback().Update().After("gorm:update").Register("bench:updates", func(*gorm.DB) { updates.Add(1) }); err != nil {
			b.Fatal(err)
		}
		writes := func(b *testing.B, n0 int64) { b.ReportMetric(float64(updates.Load()-n0)/float64(b.N), "writes/op") }
		b.Run(d+"/jwt", func(b *testing.B) {
			n0 := updates.Load()
			benchAuthGet(b, srv, session.AccessToken, nil)
			writes(b, n0)
		})
		b.Run(d+"/token", func(b *testing.B) {
			n0 := updates.Load()
			benchAuthGet(b, srv, tok.Secret, nil)
			writes(b, n0)
			if err := a.FlushTokenUsage(ctx); err != nil { // one write for the whole run
				b.Fatal(err)
			}
		})
		b.Run(d+"/token-write-per-request", func(b *testing.B) {
			n0 := updates.Load()
			benchAuthGet(b, srv, tok.Secret, func() {
				if err := a.FlushTokenUsage(ctx); err != nil {
					b.Fatal(err)
				}
			})
			writes(b, n0)
		})
	}
}

func benchAuthGet(b *testing.B, h http.Handler, token string, after func()) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/auth/me", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if after != nil {
			after()
		}
	}
}
