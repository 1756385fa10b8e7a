package api_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestHeadWhereverGet: every GET route answers HEAD with the GET's status and headers and no
// body, public and admin, cached and not, and errors keep their status.
func TestHeadWhereverGet(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMediaApp(t, d, "disk", media.Config{})
			tok, _ := app.token(t, auth.RoleEditor)
			ed := bearer(tok)
			m := decode[api.AdminMediaDTO](t, app.upload(file{"p.jpg", "", photo(t, 400, 300)}, tok), http.StatusCreated)
			list := getJSON[api.ArticleList](t, app.testApp, "/api/v1/articles?per_page=1", http.StatusOK)
			slug := list.Data[0].Slug
			for _, tc := range []struct {
				target string
				auth   string
				status int
			}{
				{"/api/v1/articles?per_page=2", "", 200},
				{"/api/v1/articles/" + slug, "", 200},
				{"/api/v1/articles/no-such-slug", "", 404},
				{"/api/v1/categories", "", 200},
				{"/api/v1/tags", "", 200},
				{"/api/v1/locales", "", 200},
				{"/api/v1/settings", "", 200},
				{"/api/v1/media/" + m.ID, "", 200},
				{m.URLs.Original, "", 200},
				{"/healthz", "", 200},
				{"/readyz", "", 200},
				{"/docs/index.html", "", 200},
				{"/api/v1/admin/articles", ed, 200},
				{"/api/v1/admin/articles", "", 401},
				{"/api/v1/admin/media/" + m.ID, ed, 200},
				{"/api/v1/auth/me", ed, 200},
			} {
				var h []string
				if tc.auth != "" {
					h = append(h, tc.auth)
				}
				get := app.do(http.MethodGet, tc.target, nil, h...)
				head := app.do(http.MethodHead, tc.target, nil, h...)
				if get.Code != tc.status || head.Code != tc.status {
					t.Errorf("%s: GET %d, HEAD %d; want %d", tc.target, get.Code, head.Code, tc.status)
					continue
				}
				if head.Body.Len() != 0 {
					t.Errorf("HEAD %s: %d bytes of body", tc.target, head.Body.Len())
				}
				for _, k := range []string{"Content-Type", "ETag", "Cache-Control", "Link", "X-Total-Count", "Content-Language", "Content-Length", "Last-Modified", "WWW-Authenticate"} {
					if g, hd := get.Header().Get(k), head.Header().Get(k); g != hd {
						t.Errorf("%s: %s GET %q, HEAD %q", tc.target, k, g, hd)
					}
				}
			}
			// A conditional HEAD is 304 like a conditional GET.
			rec := app.get("/api/v1/articles/" + slug)
			if c := app.do(http.MethodHead, "/api/v1/articles/"+slug, nil, "If-None-Match: "+rec.Header().Get("ETag")); c.Code != http.StatusNotModified {
				t.Errorf("conditional HEAD: %d", c.Code)
			}
		})
	}
}

// TestWrongMethodIs405: on every routed path, public or admin, signed in or not, a method
// the path does not accept is 405 with an Allow listing the ones it does (HEAD with GET);
// an unknown path under /api/v1/admin is 404.
func TestWrongMethodIs405(t *testing.T) {
	app := newMediaApp(t, testkit.Dialects[0], "disk", media.Config{})
	tok, _ := app.token(t, auth.RoleAdmin)
	methods := map[string]map[string]bool{}
	for _, r := range app.srv.Echo().Routes() {
		if !strings.HasPrefix(r.Path, "/api/") && !strings.HasPrefix(r.Path, "/media/") || r.Method == "echo_route_not_found" {
			continue
		}
		if methods[r.Path] == nil {
			methods[r.Path] = map[string]bool{}
		}
		methods[r.Path][r.Method] = true
	}
	if len(methods) < 20 {
		t.Fatalf("only %d paths", len(methods))
	}
	all := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
	for path := range methods {
		target := echoParam.ReplaceAllString(path, "01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d")
		// A static segment may also match another route's parameter (/tokens/identify
		// and /tokens/:id): those methods are served too.
		served := map[string]bool{http.MethodOptions: true}
		for p, pm := range methods {
			if patternMatches(p, target) {
				for m := range pm {
					served[m] = true
				}
			}
		}
		if served[http.MethodGet] {
			served[http.MethodHead] = true
		}
		var want []string
		for m := range served {
			want = append(want, m)
		}
		sort.Strings(want)
		for _, m := range all {
			if served[m] {
				continue
			}
			for _, who := range []string{"", bearer(tok)} {
				var h []string
				if who != "" {
					h = append(h, who)
				}
				rec := app.do(m, target, nil, h...)
				if rec.Code != http.StatusMethodNotAllowed {
					t.Errorf("%s %s (signed in: %v): %d, want 405", m, target, who != "", rec.Code)
					continue
				}
				problem(t, rec, http.StatusMethodNotAllowed)
				got := strings.Split(strings.ReplaceAll(rec.Header().Get("Allow"), " ", ""), ",")
				sort.Strings(got)
				if strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("%s %s: Allow %q, want %v", m, target, rec.Header().Get("Allow"), want)
				}
			}
		}
	}
	for _, target := range []string{"/api/v1/articles", "/api/v1/admin/articles"} {
		rec := app.do(http.MethodOptions, target, nil)
		if rec.Code != http.StatusNoContent || rec.Header().Get("Allow") != "OPTIONS, GET, HEAD, POST" && rec.Header().Get("Allow") != "OPTIONS, GET, HEAD" {
			t.Errorf("OPTIONS %s: %d, Allow %q", target, rec.Code, rec.Header().Get("Allow"))
		}
	}
	for _, target := range []string{"/api/v1/admin/nothing-here", "/api/v1/admin", "/api/v1/admin/articles/x/y/z"} {
		problem(t, app.do(http.MethodGet, target, nil), http.StatusNotFound)
		problem(t, app.do(http.MethodPost, target, nil, bearer(tok)), http.StatusNotFound)
	}
}

// patternMatches reports whether an Echo route pattern matches a path.
func patternMatches(pattern, path string) bool {
	ps, ts := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(ts) {
		return false
	}
	for i := range ps {
		if ps[i] != ts[i] && !(strings.HasPrefix(ps[i], ":") && ts[i] != "") {
			return false
		}
	}
	return true
}

// TestMiddlewareIsServersOwn: Server.ServeHTTP composes its middleware once (s.pre, s.use);
// middleware given to Echo itself would never run.
func TestMiddlewareIsServersOwn(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	echoLevel := regexp.MustCompile(`\b(e|s\.echo)\.(Use|Pre)\(`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if loc := echoLevel.FindIndex(b); loc != nil {
			t.Errorf("%s: %s: add it to s.pre or s.use", f, b[loc[0]:loc[1]])
		}
	}
}
