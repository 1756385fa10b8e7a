package main

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestConvertHerald converts the repository's swagger.json with the api package as source
// and checks the fixes generated clients depend on.
func TestConvertHerald(t *testing.T) {
	out := filepath.Join(t.TempDir(), "openapi3.json")
	if err := run("../../../docs/swagger.json", out, "../../../api", DefaultServer); err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"BearerAuth", "APITokenAuth"} {
		if s := doc.Components.SecuritySchemes[name].Value; s.Type != "http" || s.Scheme != "bearer" {
			t.Errorf("%s: %s/%s, want http/bearer", name, s.Type, s.Scheme)
		}
	}
	list := doc.Paths.Find("/api/v1/articles").Get
	if list.OperationID != "listArticles" || list.Security == nil || len(*list.Security) != 0 {
		t.Errorf("GET /api/v1/articles: operationId %q, security %v; want listArticles, []", list.OperationID, list.Security)
	}
	create := doc.Paths.Find("/api/v1/admin/articles").Post
	if create.OperationID != "adminCreateArticle" || create.Responses.Value("413") == nil {
		t.Errorf("POST /api/v1/admin/articles: operationId %q, 413 %v", create.OperationID, create.Responses.Value("413"))
	}
	if users := doc.Paths.Find("/api/v1/admin/users").Get; users.OperationID != "adminListUsers" {
		t.Errorf("GET /api/v1/admin/users: operationId %q, want adminListUsers (admin prefix added)", users.OperationID)
	}
	if r := doc.Paths.Find("/media/{hash}/{file}").Get.Responses.Value("404").Value; r.Content.Get("application/problem+json") == nil || len(r.Content) != 1 {
		t.Errorf("media 404 content types: %v, want only application/problem+json", r.Content)
	}
	schemas := doc.Components.Schemas
	article := schemas["Article"].Value
	if f := article.Properties["published_at"].Value.Format; f != "date-time" {
		t.Errorf("Article.published_at format %q", f)
	}
	if f := article.Properties["id"].Value.Format; f != "uuid" {
		t.Errorf("Article.id format %q", f)
	}
	if !slices.Contains(article.Required, "title") || slices.Contains(article.Required, "body") {
		t.Errorf("Article required %v: title (no omitempty) yes, body (omitempty) no", article.Required)
	}
	if !schemas["PutSettingsRequest"].Value.Properties["settings"].Value.AdditionalProperties.Schema.Value.Nullable {
		t.Error("PutSettingsRequest.settings values are not nullable (null deletes a setting)")
	}
	if schemas["ReadCountRequest"].Value.Properties["read_count"].Value.Nullable {
		t.Error("ReadCountRequest.read_count is nullable in a request-only schema")
	}
	if doc.Paths.Find("/api/v1/articles/{id}/views").Post.RequestBody == nil {
		t.Error("the read beacon declares no request body")
	}
}

func TestOperationIDDeduplicates(t *testing.T) {
	src := &source{handlers: map[string]string{"GET /f": "serveFile", "HEAD /f": "serveFile", "GET /api/v1/admin/x": "listX"}}
	used := map[string]string{}
	for _, c := range []struct{ method, path, want string }{
		{"GET", "/f", "serveFile"}, {"HEAD", "/f", "headServeFile"}, {"GET", "/api/v1/admin/x", "adminListX"},
	} {
		got, err := operationID(src, c.method, c.path, used)
		if err != nil || got != c.want {
			t.Errorf("%s %s: %q, %v; want %q", c.method, c.path, got, err, c.want)
		}
		used[got] = c.method + " " + c.path
	}
	if _, err := operationID(src, "POST", "/nowhere", used); err == nil {
		t.Error("an operation without an annotated handler got an id")
	}
}
