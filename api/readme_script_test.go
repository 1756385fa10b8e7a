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
