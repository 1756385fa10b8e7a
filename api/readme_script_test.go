package api_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// TestREADMETokenScript runs the README's file-article.sh, as printed there, with curl and jq
// against a real server and an editor's content token, and checks the article is public.
func TestREADMETokenScript(t *testing.T) {
	for _, tool := range []string{"sh", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is needed in CI (.ci/run installs it): %v", tool, err)
			}
			t.Skipf("%s not installed", tool)
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const start = "#!/bin/sh\n# file-article.sh"
	i := strings.Index(string(readme), start)
	if i < 0 {
		t.Fatal("README has no file-article.sh")
	}
	script := string(readme[i:])
	script = script[:strings.Index(script, "```")]
	dir := t.TempDir()
	path, body := filepath.Join(dir, "file-article.sh"), filepath.Join(dir, "copy.md")
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(body, []byte("Baku, 2 December. **Agency** copy.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	eachDialectLean(t, func(t *testing.T, app *testApp) {
		jwt, _ := app.token(t, auth.RoleEditor)
		tok := newAPIToken(t, app, bearer(jwt), "/api/v1/auth/tokens", "content")
		ts := httptest.NewServer(app.srv)
		defer ts.Close()
		cmd := exec.Command("sh", path, "Agency copy from a script", body)
		cmd.Env = append(os.Environ(), "HERALD_URL="+ts.URL, "HERALD_TOKEN="+tok.Token)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("script: %v\n%s", err, out)
		}
		id := strings.TrimSpace(strings.TrimPrefix(string(out), "published "))
		a := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+id+"?locale=en", http.StatusOK)
		if a.Title != "Agency copy from a script" || !strings.Contains(a.Body, "<strong>Agency</strong>") {
			t.Errorf("published article %+v", a)
		}
	})
}

// TestREADMESyncScript runs the README's sync-demo.sh, as printed there, with curl and jq
// against a real server with the demo content: an initial sync in pages, a long-poll
// answered by a publish, and a tombstone after a delete.
func TestREADMESyncScript(t *testing.T) {
	for _, tool := range []string{"sh", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is needed in CI (.ci/run installs it): %v", tool, err)
			}
			t.Skipf("%s not installed", tool)
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const start = "#!/bin/sh\n# sync-demo.sh"
	i := strings.Index(string(readme), start)
	if i < 0 {
		t.Fatal("README has no sync-demo.sh")
	}
	script := string(readme[i:])
	script = script[:strings.Index(script, "```")]
	path := filepath.Join(t.TempDir(), "sync-demo.sh")
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	eachDialect(t, func(t *testing.T, app *testApp) {
		jwt, _ := app.token(t, auth.RoleEditor)
		ts := httptest.NewServer(app.srv)
		defer ts.Close()
		cmd := exec.Command("sh", path)
		cmd.Env = append(os.Environ(), "HERALD_URL="+ts.URL, "HERALD_TOKEN="+jwt)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("script: %v\n%s", err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) < 4 || !strings.HasPrefix(lines[0], "page: 20 articles") ||
			!strings.Contains(lines[len(lines)-2], `"title":"Breaking: sync works"`) ||
			!strings.Contains(lines[len(lines)-1], `"slugs":["breaking-sync-works"]`) {
			t.Fatalf("script output:\n%s", out)
		}
	})
}
