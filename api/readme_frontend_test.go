package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/demo"
)

// readmeSection returns the README's text from the heading to the next heading of its level.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README has no %q", heading)
	}
	s = s[i+1+len(heading):]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	return s
}

// readmeCommands returns the commands of a section's first sh block: comments dropped,
// continued lines joined.
func readmeCommands(t *testing.T, section string) []string {
	t.Helper()
	i := strings.Index(section, "```sh\n")
	if i < 0 {
		t.Fatal("no sh block")
	}
	block := section[i+len("```sh\n"):]
	block = block[:strings.Index(block, "```")]
	var cmds []string
	cont := false
	for _, line := range strings.Split(block, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if cont {
			cmds[len(cmds)-1] += " " + strings.TrimSuffix(line, "\\")
		} else {
			cmds = append(cmds, strings.TrimSuffix(line, "\\"))
		}
		cont = strings.HasSuffix(line, "\\")
	}
	return cmds
}

func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is needed in CI (.ci/run installs it): %v", tool, err)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}

// TestREADMEFrontendExamples runs every command of the README's "Frontend: permalinks,
// feeds and sitemaps" examples as printed (localhost:8080 being a test server with the demo
// content, in development: the site is http://localhost:3000), checks what each answers
// (feeds parse with gofeed, sitemaps validate against the schemas), starts an app with the
// last example's variables, and runs the redirect example of "Previews, authors and
// redirects".
func TestREADMEFrontendExamples(t *testing.T) {
	needTools(t, "sh", "curl", "grep", "xmllint")
	cmds := readmeCommands(t, readmeSection(t, "## Frontend: permalinks, feeds and sitemaps"))
	serve := cmds[len(cmds)-1]
	if !strings.HasSuffix(serve, "bin/herald serve") {
		t.Fatalf("the last example is %q, not a server start", serve)
	}
	cmds = cmds[:len(cmds)-1]
	if len(cmds) < 10 {
		t.Fatalf("%d curl examples: %q", len(cmds), cmds)
	}
	redirect := "curl -si 'localhost:8080/api/v1/redirects/future-cooperation?locale=en'"
	if !strings.Contains(readmeSection(t, "## Previews, authors and redirects (for frontends)"), "`"+redirect+"`") {
		t.Fatalf("README no longer shows %s", redirect)
	}
	parser := gofeed.NewParser()
	eachDialect(t, func(t *testing.T, app *testApp) {
		ts := httptest.NewServer(app.srv)
		defer ts.Close()
		run := func(cmd string) string {
			t.Helper()
			out, err := exec.Command("sh", "-c", strings.ReplaceAll(cmd, "localhost:8080", strings.TrimPrefix(ts.URL, "http://"))).Output()
			if err != nil {
				t.Fatalf("%s: %v\n%s", cmd, err, out)
			}
			return string(out)
		}
		for _, cmd := range cmds {
			if !strings.HasPrefix(cmd, "curl ") {
				t.Fatalf("not a curl example: %q", cmd)
			}
			out := run(cmd)
			var target string
			for _, f := range strings.Fields(cmd) {
				if f = strings.Trim(f, "'"); strings.HasPrefix(f, "localhost:8080/") {
					target = strings.TrimPrefix(f, "localhost:8080")
				}
			}
			rec := app.get(target)
			if target == "/sitemaps/news.xml" && rec.Code == http.StatusNotFound {
				continue // documented: nothing of the demo is two days old
			}
			if rec.Code != http.StatusOK || out == "" {
				t.Fatalf("%s: %d, printed %.300q", cmd, rec.Code, out)
			}
			switch {
			case strings.Contains(cmd, "| grep -i etag"):
				if !strings.HasPrefix(strings.ToLower(out), "etag: \"") {
					t.Errorf("%s printed %q", cmd, out)
				}
			case strings.HasPrefix(target, "/feeds/"):
				f, err := parser.ParseString(out)
				if err != nil || len(f.Items) == 0 {
					t.Errorf("%s: %v, %d items", cmd, err, len(f.Items))
				}
			case target == "/sitemap.xml":
				xmllintSchema(t, "siteindex.xsd", []byte(out))
			case strings.HasPrefix(target, "/sitemaps/"):
				if strings.HasPrefix(out, "HTTP/") { // curl -i
					out = out[strings.Index(out, "\r\n\r\n")+4:]
				}
				xmllintSchema(t, "urlset.xsd", []byte(out))
			default:
				if !json.Valid([]byte(out)) {
					t.Errorf("%s printed %.300q", cmd, out)
				}
			}
			if strings.Contains(cmd, "fields=title,url,translations") {
				var l struct {
					Data []struct {
						URL          string
						Translations []struct{ URL string }
					}
				}
				if err := json.Unmarshal([]byte(out), &l); err != nil || len(l.Data) != 2 || !strings.HasPrefix(l.Data[0].URL, "http://localhost:3000/en/news/") ||
					len(l.Data[0].Translations) == 0 || l.Data[0].Translations[0].URL == "" {
					t.Errorf("%s: %v %.300s", cmd, err, out)
				}
			}
		}

		// The redirect example: an English slug future-cooperation, since changed.
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
			"translations": []map[string]string{{"locale": "en", "title": "Future cooperation", "slug": "future-cooperation"}}}, ed), http.StatusCreated)
		a = decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+a.ID+"/publish", nil, ed, ifMatch(a.Version)), http.StatusOK)
		decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, adminArticles+"/"+a.ID, map[string]any{
			"translations": []map[string]any{{"locale": "en", "slug": "cooperation-ahead"}}}, ed, ifMatch(a.Version)), http.StatusOK)
		out := run(redirect)
		if !strings.HasPrefix(out, "HTTP/1.1 301") || !strings.Contains(out, "\r\nLocation: http://localhost:3000/en/news/cooperation-ahead\r\n") {
			t.Errorf("%s printed %q", redirect, out)
		}
	})

	// The last example's variables: Azerbaijani articles and home at the site's root.
	env := map[string]string{}
	for _, kv := range strings.Split(strings.TrimSpace(run0(t, strings.TrimSuffix(serve, "bin/herald serve")+"env")), "\n") {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "HERALD_") && strings.Contains(serve, k+"=") {
			env[k] = v
		}
	}
	if len(env) != 3 {
		t.Fatalf("variables of %q: %v", serve, env)
	}
	// (A subtest of its own: a second "sqlite" would be "sqlite#01", and testkit's SQLite
	// URL cannot hold a '#'.)
	t.Run("serve", func(t *testing.T) {
		eachDialectEnv(t, env, func(t *testing.T, app *testApp) {
			fx := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN+"?locale=az", http.StatusOK)
			if fx.URL != "https://news.example/"+demo.FixtureSlugAZ {
				t.Errorf("az url %q", fx.URL)
			}
			for _, tr := range fx.Translations {
				if tr.Locale == "en" && tr.URL != "https://news.example/en/news/"+demo.FixtureSlugEN {
					t.Errorf("en url %q", tr.URL)
				}
			}
			f, err := parser.ParseString(app.get("/feeds/az.rss").Body.String())
			if err != nil || f.Link != "https://news.example/" {
				t.Errorf("az feed: %v, link %q", err, f.Link)
			}
		})
	})
}

// run0 runs cmd with sh and returns what it printed.
func run0(t *testing.T, cmd string) string {
	t.Helper()
	out, err := exec.Command("sh", "-c", cmd).Output()
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return string(out)
}
