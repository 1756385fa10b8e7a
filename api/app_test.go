package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/config"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// testApp is the real router over a real, migrated database with the demo content, wired by
// internal/app exactly as `herald serve` wires it (see testConfig for what tests change).
type testApp struct {
	t       *testing.T
	app     *app.App
	srv     *api.Server
	db      *store.DB
	store   *store.Content
	clock   *clock
	dialect string
	url     string
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

// testConfig is the configuration of a test app: what config.Load makes of the environment
// a developer starts with, plus env. Tests differ from that only where a default would get in
// their way: the response cache and the read-beacon limit are off (the cache and limit tests
// turn them on), and media files go to a temporary directory.
func testConfig(t testing.TB, dbURL string, env map[string]string) config.Config {
	t.Helper()
	vars := map[string]string{
		"HERALD_DATABASE_URL":         dbURL,
		"HERALD_JWT_SECRET":           string(testSecret),
		"HERALD_LOCALE_FALLBACK":      "ru:en,az;en:az",
		"HERALD_CACHE_BYTES":          "0",
		"HERALD_VIEWS_RATE_LIMIT":     "0",
		"HERALD_VIEWS_FLUSH_INTERVAL": "1h", // tests flush by hand
		"HERALD_MEDIA_DIR":            t.TempDir(),
	}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// cheapPasswords keeps argon2 fast in tests.
var cheapPasswords = auth.WithPasswordParams(auth.PasswordParams{MemoryKiB: 64, Time: 1, Threads: 1})

// openURL opens the database at url, migrated, closed at cleanup.
func openURL(t testing.TB, url string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	registerTap(t, db)
	return db
}

// wire builds a test app with internal/app over the database at url (migrated here), with
// the configuration testConfig makes of env, on clk.
func wire(t *testing.T, url string, env map[string]string, clk *clock, opts ...app.Option) *testApp {
	t.Helper()
	a := wireApp(t, url, env, clk.Now, opts...)
	return &testApp{t: t, app: a, srv: a.Server, db: a.DB, store: a.Store, clock: clk, dialect: a.DB.Dialect(), url: url, auth: a.Auth}
}

// wireApp is wire for benchmarks too.
func wireApp(tb testing.TB, url string, env map[string]string, now func() time.Time, opts ...app.Option) *app.App {
	tb.Helper()
	db := openURL(tb, url)
	cfg := testConfig(tb, url, env)
	a, err := app.New(context.Background(), cfg, db, append([]app.Option{app.WithClock(now),
		app.WithAuthOptions(cheapPasswords), app.WithLogger(testkit.Logger(tb))}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func newTestApp(t *testing.T, dialect string) *testApp {
	t.Helper()
	return newTestAppWith(t, dialect, nil)
}

// newTestAppWith is newTestApp with Deps adjusted by tune (a logger that records, metrics)
// and the auth service built with authOpts after the test defaults.
func newTestAppWith(t *testing.T, dialect string, tune func(*api.Deps), authOpts ...auth.Option) *testApp {
	t.Helper()
	return wire(t, testkit.URL(t, dialect), nil, &clock{now: time.Now().UTC()}, app.WithDeps(tune), app.WithAuthOptions(authOpts...))
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

// coldTotals is for tests that pin the statements of a cold read: production remembers list
// totals for the cache max-age (internal/store's TestRememberedTotals covers that).
var coldTotals = app.WithContentOptions(content.WithTotalsTTL(0))

// eachDialectOpts runs fn on a fresh app per dialect, wired with opts, in parallel.
func eachDialectOpts(t *testing.T, opts []app.Option, fn func(t *testing.T, app *testApp)) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, wire(t, testkit.URL(t, d), nil, &clock{now: time.Now().UTC()}, opts...))
		})
	}
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
	// The spec check needs the request body the handler saw: in-memory bodies are copied,
	// streams (some fail on purpose) are recorded as the handler reads them.
	var sent bytes.Buffer
	if _, inMemory := body.(interface{ Len() int }); inMemory {
		if _, err := sent.ReadFrom(body); err != nil {
			a.t.Fatalf("%s %s: read body: %v", method, target, err)
		}
		body = bytes.NewReader(sent.Bytes())
	} else if body != nil {
		body = io.TeeReader(body, &sent)
	}
	req := markRequest(httptest.NewRequest(method, target, body))
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
	checkSpec(a.t, req, sent.Bytes(), rec)
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
