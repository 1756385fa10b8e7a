package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/testkit"
)

// TestDatabaseOutageAnswers503 (issue 11, low): while PostgreSQL was unreachable, reads and
// writes answered 500, which clients and balancers treat as a bug rather than "come back";
// and a failed admin write emptied the public cache, sending every reader to the absent
// database. Now both answer 503 with Retry-After, and what was cached keeps being served.
func TestDatabaseOutageAnswers503(t *testing.T) {
	dbURL := testkit.URL(t, "postgres")
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	link := newFlakyLink(t, u.Host)
	u.Host = link.addr
	addr := viewsFreeAddr(t)
	env := map[string]string{"HERALD_DATABASE_URL": u.String(), "HERALD_ADDR": addr, "HERALD_CACHE_BYTES": "16MiB",
		"HERALD_DEMO_CONTENT": "true", "HERALD_BOOTSTRAP_ADMIN_EMAIL": "outage@example.com",
		"HERALD_BOOTSTRAP_ADMIN_PASSWORD": "a long outage passphrase 7"}
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuf{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, envOf(env), io.Discard, logs) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Logf("serve: %v", err) // the counter may not reach the database at the end
		}
	}()
	waitReady(t, addr)
	client := http.Client{Timeout: 20 * time.Second}
	call := func(method, path, token string, body any) *http.Response {
		t.Helper()
		var r io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			r = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, "http://"+addr+path, r)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	login := map[string]string{"email": "outage@example.com", "password": "a long outage passphrase 7"}
	req, _ := json.Marshal(login)
	resp, err := client.Post("http://"+addr+"/api/v1/auth/login", "application/json", bytes.NewReader(req))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %v %v\n%s", err, resp, logs.String())
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	const cached = "/api/v1/articles?locale=en"
	if r := call(http.MethodGet, cached, "", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("before the outage: %d", r.StatusCode)
	}

	link.down()
	expect503 := func(method, path, token string, body any) {
		t.Helper()
		r := call(method, path, token, body)
		if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s during the outage: %d, Retry-After %q (want 503 with Retry-After)", method, path, r.StatusCode, r.Header.Get("Retry-After"))
		}
	}
	expect503(http.MethodGet, "/api/v1/articles?locale=ru", "", nil)
	expect503(http.MethodGet, "/api/v1/categories", "", nil)
	expect503(http.MethodPost, "/api/v1/admin/articles", tok.AccessToken,
		map[string]any{"translations": []map[string]string{{"locale": "en", "title": "Written during the outage", "body": "<p>x</p>"}}})
	expect503(http.MethodPost, "/api/v1/auth/login", "", login)
	if r := call(http.MethodGet, cached, "", nil); r.StatusCode != http.StatusOK {
		t.Errorf("a cached list during the outage after a failed write: %d (the failed write emptied the cache)", r.StatusCode)
	}

	link.up()
	deadline := time.Now().Add(10 * time.Second)
	for call(http.MethodGet, "/api/v1/articles?locale=ru", "", nil).StatusCode != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after the outage\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
