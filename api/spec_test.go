package api_test

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/heraldcms/herald/api"
)

// apiRoute reports whether a registered route belongs in the OpenAPI description
// (docs, redirects and Echo internals do not).
func apiRoute(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz" || path == "/metrics" ||
		strings.HasPrefix(path, "/feeds/") || path == "/sitemap.xml" || strings.HasPrefix(path, "/sitemaps/") || strings.HasPrefix(path, "/media/")
}

var echoParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestEveryRouteIsDocumented walks the router against docs/openapi3.json, the document
// clients are generated from: it fails when a route is missing from the spec or the spec
// names a route the router lacks, and when an operation lacks what generated clients need
// (a unique operationId, a security requirement: [] for public ones).
func TestEveryRouteIsDocumented(t *testing.T) {
	app := newTestApp(t, "sqlite")
	doc, err := openapi3.NewLoader().LoadFromFile("../docs/openapi3.json")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	ids := map[string]string{}
	for p, item := range doc.Paths.Map() {
		for m, op := range item.Operations() {
			key := m + " " + p
			documented[key] = true
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", key)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("%s and %s share operationId %s", key, prev, op.OperationID)
			}
			ids[op.OperationID] = key
			if op.Security == nil {
				t.Errorf("%s declares no security (public operations say security: [])", key)
			}
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
		t.Errorf("routes not in docs/openapi3.json: %v\nspec paths with no route: %v\n(annotate the handler, run make docs)", missing, extra)
	}
	for _, name := range []string{"BearerAuth", "APITokenAuth"} {
		s := doc.Components.SecuritySchemes[name]
		if s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
			t.Errorf("security scheme %s is not http bearer: %+v", name, s)
		}
	}
	if len(doc.Servers) == 0 || !strings.HasPrefix(doc.Servers[0].URL, "http") {
		t.Errorf("servers %v: want an absolute URL", doc.Servers)
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
	if rec := app.get("/docs/index.html"); !strings.Contains(strings.ReplaceAll(rec.Body.String(), `\/`, "/"), "/docs/openapi.json") {
		t.Errorf("Swagger UI does not open the OpenAPI 3 document:\n%.2000s", rec.Body.String())
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

// TestOpenAPIServers checks the served document names the instance: HERALD_PUBLIC_URL when
// set, else the generated default (absolute, for clients outside a browser).
func TestOpenAPIServers(t *testing.T) {
	for _, c := range []struct{ publicURL, want string }{
		{"", "http://127.0.0.1:8080"},
		{"https://api.news.example/cms", "https://api.news.example/cms"},
	} {
		app := newTestAppWith(t, "sqlite", func(d *api.Deps) { d.PublicURL = c.publicURL })
		doc, err := openapi3.NewLoader().LoadFromData(app.get("/docs/openapi.json").Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Servers) != 1 || doc.Servers[0].URL != c.want {
			t.Errorf("HERALD_PUBLIC_URL %q: servers %+v, want %s", c.publicURL, doc.Servers, c.want)
		}
		if doc.Paths.Find("/api/v1/articles") == nil {
			t.Errorf("HERALD_PUBLIC_URL %q: the document lost its paths", c.publicURL)
		}
	}
}
