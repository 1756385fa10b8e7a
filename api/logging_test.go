package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// logBuffer is an io.Writer for a logger that tests read afterwards.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// lines decodes the JSON log lines.
func (l *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(l.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, sc.Text())
		}
		out = append(out, m)
	}
	return out
}

// newLoggedApp is a test app whose JSON logs, at debug level, go to the returned buffer,
// as in production.
func newLoggedApp(t *testing.T, dialect string) (*testApp, *logBuffer) {
	logs := &logBuffer{}
	app := newTestAppWith(t, dialect, func(d *api.Deps) {
		d.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	return app, logs
}

func jsonBody(t *testing.T, v any) *bytes.Reader {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}

// TestLogsHoldNoSecrets signs in, uses, refreshes, reuses and revokes tokens, changes a
// password and sends credentials in the wrong places, all with logging captured, then
// checks that no password or token appears in any log line.
func TestLogsHoldNoSecrets(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		app, logs := newLoggedApp(t, app.dialect)
		const password = "s3cret-Passw0rd-that-must-not-leak"
		const newPassword = "an0ther-s3cret-that-must-not-leak"
		u, err := app.auth.CreateUser(context.Background(), auth.NewUser{
			Email: "leak-check@example.com", Name: "Leak Check", Role: auth.RoleEditor, Password: password,
		})
		if err != nil {
			t.Fatal(err)
		}
		jsonCT := "Content-Type: application/json"

		// A wrong password, then the right one.
		rec := app.do(http.MethodPost, "/api/v1/auth/login", jsonBody(t, api.LoginRequest{Email: u.Email, Password: password + "x"}), jsonCT)
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", rec.Code)
		}
		first := app.login(t, u.Email, password)
		secrets := []string{password, password + "x", newPassword, first.AccessToken, first.RefreshToken}

		// Use the access token, in the header and (wrongly) in the query string.
		for _, target := range []string{"/api/v1/auth/me", "/api/v1/auth/me?access_token=" + first.AccessToken, "/api/v1/admin/users"} {
			app.get(target, "Authorization: Bearer "+first.AccessToken)
		}
		app.get("/api/v1/auth/me", "Authorization: Bearer "+first.AccessToken+"tampered")

		// Rotate, then present the old refresh token again (reuse revokes the family).
		rec = app.do(http.MethodPost, "/api/v1/auth/refresh", jsonBody(t, api.RefreshRequest{RefreshToken: first.RefreshToken}), jsonCT)
		if rec.Code != http.StatusOK {
			t.Fatalf("refresh: %d %s", rec.Code, rec.Body)
		}
		var second api.TokenResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &second); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, second.AccessToken, second.RefreshToken)
		app.clock.Set(app.clock.Now().Add(auth.DefaultRefreshGrace + time.Second))
		if rec := app.do(http.MethodPost, "/api/v1/auth/refresh", jsonBody(t, api.RefreshRequest{RefreshToken: first.RefreshToken}), jsonCT); rec.Code != http.StatusUnauthorized {
			t.Fatalf("reused refresh token: %d", rec.Code)
		}

		// Sign in again, change the password, log out; then bodies that fail to decode.
		third := app.login(t, u.Email, password)
		secrets = append(secrets, third.AccessToken, third.RefreshToken)
		rec = app.do(http.MethodPut, "/api/v1/auth/me/password",
			jsonBody(t, api.PasswordChangeRequest{CurrentPassword: password, NewPassword: newPassword}),
			jsonCT, "Authorization: Bearer "+third.AccessToken)
		if rec.Code >= 300 {
			t.Fatalf("change password: %d %s", rec.Code, rec.Body)
		}
		fourth := app.login(t, u.Email, newPassword)
		secrets = append(secrets, fourth.AccessToken, fourth.RefreshToken)
		app.do(http.MethodPost, "/api/v1/auth/logout", jsonBody(t, api.RefreshRequest{RefreshToken: fourth.RefreshToken}), jsonCT)
		app.do(http.MethodPost, "/api/v1/auth/login", strings.NewReader(`{"email":"`+u.Email+`","password":"`+password+`","extra":1}`), jsonCT)
		app.do(http.MethodPost, "/api/v1/auth/login", strings.NewReader(`{"password":"`+password+`"`), jsonCT)

		out := logs.String()
		lines := logs.lines(t)
		if len(lines) < 12 {
			t.Fatalf("only %d log lines: is the request log on?\n%s", len(lines), out)
		}
		for _, s := range secrets {
			if s == "" {
				t.Fatal("a secret under test is empty")
			}
			if strings.Contains(out, s) {
				t.Errorf("the logs contain a secret %.12s…:\n%s", s, out)
			}
			// A JWT's signature alone would identify it too.
			if parts := strings.Split(s, "."); len(parts) == 3 && strings.Contains(out, parts[2]) {
				t.Errorf("the logs contain a token signature:\n%s", out)
			}
		}
	})
}

// TestRequestLogAndID checks the request line's fields and the X-Request-ID rules: a safe
// id from the caller is kept and echoed, anything else is replaced by a generated one.
func TestRequestLogAndID(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		app, logs := newLoggedApp(t, app.dialect)
		cases := []struct {
			name, sent string
			kept       bool
		}{
			{"absent", "", false},
			{"uuid", "0190f4c5-7a1e-7c33-9a4f-2d1c3b4a5e6f", true},
			{"proxy style", "req_abc.DEF:42/x+y=", true},
			{"too long", strings.Repeat("a", 65), false},
			{"longest kept", strings.Repeat("b", 64), true},
			{"space", "two words", false},
			{"quote and brace", `x"}{"level":"ERROR`, false},
			{"non-ascii", "идентификатор", false},
		}
		for _, tc := range cases {
			var hdr []string
			if tc.sent != "" {
				hdr = append(hdr, "X-Request-ID: "+tc.sent)
			}
			rec := app.get("/api/v1/articles/popular?locale=en", hdr...)
			got := rec.Header().Get("X-Request-ID")
			switch {
			case tc.kept && got != tc.sent:
				t.Errorf("%s: echoed %q, want %q", tc.name, got, tc.sent)
			case !tc.kept && (got == tc.sent || len(got) != 36):
				t.Errorf("%s: echoed %q, want a generated UUID", tc.name, got)
			}
			var line map[string]any
			for _, l := range logs.lines(t) {
				if l["msg"] == "request" && l["request_id"] == got {
					line = l
				}
			}
			if line == nil {
				t.Fatalf("%s: no request log line with request_id %q:\n%s", tc.name, got, logs.String())
			}
			for _, f := range []string{"method", "route", "path", "status", "latency", "bytes", "time", "level"} {
				if _, ok := line[f]; !ok {
					t.Errorf("%s: request log line lacks %q: %v", tc.name, f, line)
				}
			}
			if line["route"] != "/api/v1/articles/popular" || line["method"] != "GET" || line["status"] != float64(rec.Code) ||
				line["bytes"] != float64(rec.Body.Len()) {
				t.Errorf("%s: request line %v does not match the response (%d, %d bytes)", tc.name, line, rec.Code, rec.Body.Len())
			}
		}
		if strings.Contains(logs.String(), "two words") || strings.Contains(logs.String(), "идентификатор") {
			t.Errorf("a rejected request id reached the logs:\n%s", logs.String())
		}
	})
}

// TestRequestLogNamesTheCaller: a request line carries the caller's user_id when signed in,
// and api_token_id too when the credential was an API token; anonymous lines carry neither.
func TestRequestLogNamesTheCaller(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		app, logs := newLoggedApp(t, app.dialect)
		jwt, userID := app.token(t, auth.RoleEditor)
		tok := newAPIToken(t, app, bearer(jwt), "/api/v1/auth/tokens", "read")
		line := func(rec *httptest.ResponseRecorder) map[string]any {
			t.Helper()
			id := rec.Header().Get("X-Request-ID")
			for _, l := range logs.lines(t) {
				if l["msg"] == "request" && l["request_id"] == id {
					return l
				}
			}
			t.Fatalf("no request line for %s:\n%s", id, logs.String())
			return nil
		}
		l := line(app.get("/api/v1/auth/me", bearer(jwt)))
		if l["user_id"] != userID.String() || l["api_token_id"] != nil {
			t.Errorf("password session: user_id %v api_token_id %v, want %s and none", l["user_id"], l["api_token_id"], userID)
		}
		l = line(app.get("/api/v1/admin/articles", bearer(tok.Token)))
		if l["user_id"] != userID.String() || l["api_token_id"] != fmt.Sprint(tok.ID) {
			t.Errorf("API token: user_id %v api_token_id %v, want %s and %s", l["user_id"], l["api_token_id"], userID, tok.ID)
		}
		l = line(app.get("/api/v1/articles?locale=en"))
		if l["user_id"] != nil || l["api_token_id"] != nil || l["client_ip"] == nil {
			t.Errorf("anonymous: %v", l)
		}
	})
}
