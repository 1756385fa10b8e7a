package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/locale"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// testApp is the real router over a real, migrated database with the demo content.
type testApp struct {
	t       *testing.T
	srv     *api.Server
	db      *store.DB
	store   *store.Content
	clock   *clock
	dialect string
	// auth is the real auth service, with cheap password hashing and the test clock.
	auth *auth.Service
}

// testSecret signs the test app's access tokens; attack tests forge tokens with it.
var testSecret = []byte("test-secret-0123456789abcdefghijklmnopqrstuvwxyz")

// testPassword is the password of every user token() creates.
const testPassword = "correct horse battery staple"

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

func newTestApp(t *testing.T, dialect string) *testApp {
	t.Helper()
	return newTestAppWith(t, dialect, nil)
}

// newTestAppWith is newTestApp with Deps adjusted by tune (a logger that records, metrics)
// and the auth service built with authOpts after the test defaults.
func newTestAppWith(t *testing.T, dialect string, tune func(*api.Deps), authOpts ...auth.Option) *testApp {
	t.Helper()
	db := testkit.OpenDB(t, dialect)
	locales := locale.NewSet([]string{"az", "en", "ru"}, "az", map[string][]string{"ru": {"en", "az"}, "en": {"az"}})
	cs := store.NewContent(db, store.WithLocales(locales))
	clk := &clock{now: time.Now().UTC()}
	if _, err := demo.Load(context.Background(), cs, clk.Now()); err != nil {
		t.Fatal(err)
	}
	authSvc, err := auth.NewService(store.NewAuth(db), testSecret, append([]auth.Option{auth.WithClock(clk.Now),
		auth.WithPasswordParams(auth.PasswordParams{MemoryKiB: 64, Time: 1, Threads: 1})}, authOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	deps := api.Deps{
		Content: content.NewService(cs, clk.Now), Locales: locales, Ready: db.Ping,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Auth:   authSvc, Audit: audit.NewLog(store.NewAudit(db), clk.Now),
		LoginThrottle: auth.NewThrottle(auth.DefaultThrottleLimits, clk.Now),
	}
	if tune != nil {
		tune(&deps)
	}
	srv := api.New(deps)
	return &testApp{t: t, srv: srv, db: db, store: cs, clock: clk, dialect: dialect, auth: authSvc}
}

// token creates an active user of role through the real auth service and logs in through
// the real POST /api/v1/auth/login; it returns the access token (for "Authorization: Bearer
// "+token) and the user's id.
func (a *testApp) token(t *testing.T, role auth.Role) (token string, userID uuid.UUID) {
	t.Helper()
	u, err := a.auth.CreateUser(context.Background(), auth.NewUser{
		Email: string(role) + "-" + uuid.NewString()[:8] + "@example.com", Name: "Test " + string(role),
		Role: role, Password: testPassword,
	})
	if err != nil {
		t.Fatalf("create %s: %v", role, err)
	}
	return a.login(t, u.Email, testPassword).AccessToken, u.ID
}

// login posts credentials to /api/v1/auth/login and expects 200.
func (a *testApp) login(t *testing.T, email, password string, headers ...string) api.TokenResponse {
	t.Helper()
	body, _ := json.Marshal(api.LoginRequest{Email: email, Password: password})
	rec := a.do(http.MethodPost, "/api/v1/auth/login", bytes.NewReader(body), append([]string{"Content-Type: application/json"}, headers...)...)
	if rec.Code != http.StatusOK {
		t.Fatalf("login %s: status %d; body %.300s", email, rec.Code, rec.Body.String())
	}
	var tr api.TokenResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &tr); err != nil || tr.AccessToken == "" {
		t.Fatalf("login %s: decode %v; body %s", email, err, rec.Body.String())
	}
	return tr
}

// eachDialect runs fn on a fresh app per dialect, in parallel.
func eachDialect(t *testing.T, fn func(t *testing.T, app *testApp)) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newTestApp(t, d))
		})
	}
}

// do sends a request through the router; headers come as "Name: value" strings, and the
// pseudo-header "Peer: 10.0.0.7" sets the connection's remote address (the client, or the
// proxy that forwards it).
func (a *testApp) do(method, target string, body io.Reader, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		if k == "Peer" {
			req.RemoteAddr = net.JoinHostPort(strings.TrimSpace(v), "40000")
			continue
		}
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	rec := httptest.NewRecorder()
	a.srv.ServeHTTP(rec, req)
	return rec
}

func (a *testApp) get(target string, headers ...string) *httptest.ResponseRecorder {
	return a.do(http.MethodGet, target, nil, headers...)
}

// getJSON GETs target, expects status, and decodes the body into a T.
func getJSON[T any](t *testing.T, a *testApp, target string, status int, headers ...string) T {
	t.Helper()
	rec := a.get(target, headers...)
	if rec.Code != status {
		t.Fatalf("GET %s: status %d, want %d; body %.300s", target, rec.Code, status, rec.Body.String())
	}
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("GET %s: decode: %v; body %s", target, err, rec.Body.String())
	}
	return v
}

// problem asserts rec is an RFC 9457 problem with status and returns it.
func problem(t *testing.T, rec *httptest.ResponseRecorder, status int) api.Problem {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %.300s", rec.Code, status, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	var p api.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("decode problem: %v; body %s", err, rec.Body.String())
	}
	if p.Status != status || p.Title == "" || p.Type == "" {
		t.Fatalf("incomplete problem %+v", p)
	}
	return p
}
