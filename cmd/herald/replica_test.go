package main

import (
	"database/sql"
	"net/http"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestReadReplica serves from a primary with a "replica" that is another schema whose
// demo article has a different title, so the answer shows which database served it:
// public reads come from the replica; sign-in, admin reads and writes from the primary.
func TestReadReplica(t *testing.T) {
	primaryURL, replicaURL := testkit.URL(t, "postgres"), testkit.URL(t, "postgres")
	// The replica: migrated, with the demo content, then a title only it has.
	serveUntilReady(t, map[string]string{"HERALD_DATABASE_URL": replicaURL})()
	replica, err := sql.Open("pgx", replicaURL)
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	if _, err := replica.Exec("UPDATE article_translations SET title = 'Served by the replica' WHERE slug = $1", demo.FixtureSlugEN); err != nil {
		t.Fatal(err)
	}

	env := map[string]string{"HERALD_DATABASE_URL": primaryURL, "HERALD_DATABASE_REPLICA_URLS": replicaURL, "HERALD_CACHE_BYTES": "0",
		"HERALD_JWT_SECRET": strings.Repeat("r", 40), "HERALD_BOOTSTRAP_ADMIN_EMAIL": "ops@example.com", "HERALD_BOOTSTRAP_ADMIN_PASSWORD": "replica-test-password"}
	stop := serveUntilReady(t, env)
	defer stop()
	base := "http://" + env["HERALD_ADDR"]
	primary, err := sql.Open("pgx", primaryURL)
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Close()
	var id string
	if err := primary.QueryRow("SELECT article_id FROM article_translations WHERE slug = $1", demo.FixtureSlugEN).Scan(&id); err != nil {
		t.Fatal(err)
	}

	publicTitle := func() string {
		var a struct{ Title string }
		if r := call(t, http.MethodGet, base+"/api/v1/articles/"+demo.FixtureSlugEN+"?locale=en", "", nil, &a); r.StatusCode != http.StatusOK {
			t.Fatalf("public read: %d", r.StatusCode)
		}
		return a.Title
	}
	if got := publicTitle(); got != "Served by the replica" {
		t.Fatalf("public read served %q, want the replica's title", got)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if r := call(t, http.MethodPost, base+"/api/v1/auth/login", "", map[string]string{"email": "ops@example.com", "password": "replica-test-password"}, &tok); r.StatusCode != http.StatusOK {
		t.Fatalf("login (the admin exists only on the primary): %d", r.StatusCode)
	}
	// The replica's ids differ from the primary's: this id exists only on the primary.
	r := call(t, http.MethodGet, base+"/api/v1/admin/articles/"+id, tok.AccessToken, nil, nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("admin read of the primary's article: %d", r.StatusCode)
	}
	if r = call(t, http.MethodPut, base+"/api/v1/admin/articles/"+id+"/translations/en", tok.AccessToken,
		map[string]string{"title": "Written to the primary"}, nil, "If-Match", r.Header.Get("ETag")); r.StatusCode != http.StatusOK {
		t.Fatalf("write: %d", r.StatusCode)
	}
	var got string
	if err := primary.QueryRow("SELECT title FROM article_translations WHERE article_id = $1 AND locale = 'en'", id).Scan(&got); err != nil || got != "Written to the primary" {
		t.Fatalf("primary title %q (%v) after the write", got, err)
	}
	if err := replica.QueryRow("SELECT title FROM article_translations WHERE slug = $1", demo.FixtureSlugEN).Scan(&got); err != nil || got != "Served by the replica" {
		t.Fatalf("the write reached the replica: %q (%v)", got, err)
	}
	if got := publicTitle(); got != "Served by the replica" {
		t.Fatalf("after the write, public read served %q: not the replica", got)
	}
}
