package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/heraldcms/herald/internal/testkit"
)

// TestProductionLogsAreJSONWithoutSecrets runs the real binary in production mode with
// every kind of secret configured, signs in and uses the tokens, stops it, and reads its
// whole log: each line is a JSON object, request lines carry the request id, and no secret
// or token appears anywhere.
func TestProductionLogsAreJSONWithoutSecrets(t *testing.T) {
	dbURL := testkit.URL(t, "postgres")
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	const dbPassword = "db-pass-9f8e7d6c5b4a" // the test server trusts local connections, so any password works
	u.User = url.UserPassword(u.User.Username(), dbPassword)
	const (
		jwtSecret     = "Jw7tQ2xLp9ZsR4vKd8NmB3yHc6GfA1uE5oT0iWq"
		adminPassword = "admin-pass-that-must-not-leak"
		metricsToken  = "metrics-token-that-must-not-leak"
	)
	p := startHerald(t, buildHerald(t), u.String(), "HERALD_ENV=production", "HERALD_JWT_SECRET="+jwtSecret,
		"HERALD_BOOTSTRAP_ADMIN_EMAIL=ops@example.com", "HERALD_BOOTSTRAP_ADMIN_PASSWORD="+adminPassword,
		"HERALD_METRICS_TOKEN="+metricsToken)

	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	call(t, http.MethodPost, p.base+"/api/v1/auth/login", "", map[string]string{"email": "ops@example.com", "password": adminPassword + "x"}, nil)
	if r := call(t, http.MethodPost, p.base+"/api/v1/auth/login", "", map[string]string{"email": "ops@example.com", "password": adminPassword}, &tok); r.StatusCode != http.StatusOK {
		t.Fatalf("login: %d", r.StatusCode)
	}
	call(t, http.MethodGet, p.base+"/api/v1/auth/me", tok.AccessToken, nil, nil)
	call(t, http.MethodGet, p.base+"/api/v1/auth/me?token="+tok.AccessToken, tok.AccessToken, nil, nil)
	var next struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if r := call(t, http.MethodPost, p.base+"/api/v1/auth/refresh", "", map[string]string{"refresh_token": tok.RefreshToken}, &next); r.StatusCode != http.StatusOK {
		t.Fatalf("refresh: %d", r.StatusCode)
	}
	call(t, http.MethodPost, p.base+"/api/v1/auth/refresh", "", map[string]string{"refresh_token": tok.RefreshToken}, nil) // reuse
	if r := call(t, http.MethodGet, p.base+"/metrics", metricsToken, nil, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("metrics with the token: %d", r.StatusCode)
	}
	call(t, http.MethodGet, p.base+"/metrics", metricsToken+"-wrong", nil, nil)
	// Production: no Swagger UI by default; the OpenAPI document stays.
	if r := call(t, http.MethodGet, p.base+"/docs/index.html", "", nil, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("Swagger UI in production: %d, want 404", r.StatusCode)
	}
	if r := call(t, http.MethodGet, p.base+"/docs/openapi.json", "", nil, nil); r.StatusCode != http.StatusOK {
		t.Errorf("OpenAPI document in production: %d", r.StatusCode)
	}
	p.stop(syscall.SIGTERM)

	// The human banner is for terminals; here stdout is a pipe beside the JSON log.
	if out := p.stdout.String(); out != "" {
		t.Errorf("stdout is not a terminal, yet herald printed:\n%s", out)
	}
	log := p.stderr.String()
	requests := 0
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("a production log line is not JSON: %q", sc.Text())
		}
		for _, k := range []string{"time", "level", "msg"} {
			if _, ok := line[k]; !ok {
				t.Errorf("log line without %q: %s", k, sc.Text())
			}
		}
		if line["msg"] == "request" {
			requests++
			if id, _ := line["request_id"].(string); id == "" {
				t.Errorf("request line without a request id: %s", sc.Text())
			}
		}
	}
	if requests < 8 {
		t.Errorf("%d request lines, want one per request:\n%s", requests, log)
	}
	for name, secret := range map[string]string{"JWT secret": jwtSecret, "admin password": adminPassword, "metrics token": metricsToken,
		"database password": dbPassword, "access token": tok.AccessToken, "refresh token": tok.RefreshToken,
		"second access token": next.AccessToken, "second refresh token": next.RefreshToken} {
		if secret == "" {
			t.Fatalf("%s is empty", name)
		}
		if strings.Contains(log, secret) {
			t.Errorf("the log contains the %s", name)
		}
	}
}
