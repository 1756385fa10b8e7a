package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// apiRoute reports whether a registered route belongs in the OpenAPI description
// (docs, redirects and Echo internals do not).
func apiRoute(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz" || path == "/metrics" ||
		strings.HasPrefix(path, "/feeds/") || path == "/sitemap.xml" || strings.HasPrefix(path, "/media/")
}

var echoParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestEveryRouteIsDocumented fails when a route is missing from docs/swagger.json or the
// spec names a route the router lacks.
func TestEveryRouteIsDocumented(t *testing.T) {
	app := newTestApp(t, "sqlite")
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	raw, err := os.ReadFile("../docs/swagger.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for p, ops := range spec.Paths {
		for m := range ops {
			if m == "parameters" {
				continue
			}
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	routed := map[string]bool{}
	for _, r := range app.srv.Echo().Routes() {
		if !apiRoute(r.Path) || r.Method == "echo_route_not_found" {
			continue
		}
		routed[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	var missing, extra []string
	for k := range routed {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !routed[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("routes not in docs/swagger.json: %v\nspec paths with no route: %v\n(run make docs)", missing, extra)
	}
}

// TestOpenAPI3 checks the served OpenAPI 3 conversion is a valid document.
func TestOpenAPI3(t *testing.T) {
	app := newTestApp(t, "sqlite")
	rec := app.get("/docs/openapi.json")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /docs/openapi.json: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI 3: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0") || doc.Paths.Find("/api/v1/articles") == nil {
		t.Fatalf("openapi %q, articles path %v", doc.OpenAPI, doc.Paths.Find("/api/v1/articles"))
	}
	for _, target := range []string{"/docs/index.html", "/docs/doc.json"} {
		if rec := app.get(target); rec.Code != http.StatusOK || rec.Body.Len() < 100 {
			t.Errorf("GET %s: %d, %d bytes", target, rec.Code, rec.Body.Len())
		}
	}
	if rec := app.get("/docs/"); rec.Code != http.StatusFound || rec.Header().Get("Location") != "/docs/index.html" {
		t.Errorf("GET /docs/: %d → %q", rec.Code, rec.Header().Get("Location"))
	}
}
