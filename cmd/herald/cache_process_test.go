package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestCacheInvalidationAcrossProcesses: two herald processes share one PostgreSQL; an edit
// through one empties the other's response cache (LISTEN/NOTIFY), although its max-age is
// an hour.
func TestCacheInvalidationAcrossProcesses(t *testing.T) {
	url := testkit.URL(t, "postgres")
	bin := buildHerald(t)
	env := []string{"HERALD_CACHE_MAX_AGE=1h", "HERALD_JWT_SECRET=" + strings.Repeat("k", 40),
		"HERALD_BOOTSTRAP_ADMIN_EMAIL=editor@example.com", "HERALD_BOOTSTRAP_ADMIN_PASSWORD=correct-horse-battery"}
	a := startHerald(t, bin, url, env...)
	b := startHerald(t, bin, url, env...)

	detail := "/api/v1/articles/" + demo.FixtureSlugEN + "?locale=en"
	title := func(p *heraldProc) string {
		var d struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		}
		resp, err := http.Get(p.base + detail)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&d); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", detail, resp.StatusCode, err)
		}
		return d.ID + "|" + d.Title
	}
	before := title(b)
	if again := title(b); again != before {
		t.Fatalf("detail changed without a write: %q → %q", before, again)
	}
	id, _, _ := strings.Cut(before, "|")

	// A change behind Herald's back is not seen: B really serves from its cache.
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE article_translations SET title = 'Changed behind the cache' WHERE article_id = $1 AND locale = 'en'", id); err != nil {
		t.Fatal(err)
	}
	if got := title(b); got != before {
		t.Fatalf("B did not serve from its cache: %q", got)
	}

	send := func(method, path, token string, body any, headers ...string) *http.Response {
		var rd io.Reader
		if body != nil {
			j, _ := json.Marshal(body)
			rd = bytes.NewReader(j)
		}
		req, _ := http.NewRequest(method, a.base+path, rd)
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := send(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": "editor@example.com", "password": "correct-horse-battery"})
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if tok.AccessToken == "" {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	resp = send(http.MethodGet, "/api/v1/admin/articles/"+id, tok.AccessToken, nil)
	etag := resp.Header.Get("ETag")
	resp.Body.Close()
	resp = send(http.MethodPut, "/api/v1/admin/articles/"+id+"/translations/en", tok.AccessToken,
		map[string]string{"title": "Edited through instance A"}, "If-Match", etag)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("edit: %d %s", resp.StatusCode, body)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := title(b)
		if strings.HasSuffix(got, "|Edited through instance A") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance B still serves %q 10 s after the edit", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
