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

// TestREADMEPreviewScript runs the README's preview-and-byline.sh, as printed there, with
// curl and jq against a real server, on a draft.
func TestREADMEPreviewScript(t *testing.T) {
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
	const start = "#!/bin/sh\n# preview-and-byline.sh"
	i := strings.Index(string(readme), start)
	if i < 0 {
		t.Fatal("README has no preview-and-byline.sh")
	}
	script := string(readme[i:])
	script = script[:strings.Index(script, "```")]
	path := filepath.Join(t.TempDir(), "preview-and-byline.sh")
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	eachDialect(t, func(t *testing.T, app *testApp) {
		jwt, _ := app.token(t, auth.RoleEditor)
		draft, _ := hiddenIDs(t, app)
		title := decode[api.ArticleDTO](t, app.get(adminArticles+"/"+draft+"/preview?locale=en", bearer(jwt)), http.StatusOK).Title
		ts := httptest.NewServer(app.srv)
		defer ts.Close()
		cmd := exec.Command("sh", path, draft)
		cmd.Env = append(os.Environ(), "HERALD_URL="+ts.URL, "HERALD_TOKEN="+jwt)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("script: %v\n%s", err, out)
		}
		if want := title + "\nLeyla covers the courts.\n410\n"; string(out) != want {
			t.Errorf("script printed %q, want %q", out, want)
		}
		a := decode[api.AdminArticleDTO](t, app.get(adminArticles+"/"+draft, bearer(jwt)), http.StatusOK)
		if len(a.BylineIDs) != 1 {
			t.Errorf("byline %v", a.BylineIDs)
		}
	})
}
