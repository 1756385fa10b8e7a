package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// TestRedirectLookup: a frontend asks about a slug it does not know; a former slug answers
// 301 to the current URL (the API's without a site), a current one 200, an unknown one 404.
func TestRedirectLookup(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
			"translations": []map[string]string{{"locale": "en", "title": "Old", "slug": "old-story"}, {"locale": "az", "title": "Köhnə", "slug": "kohne-xeber"}}}, ed), http.StatusCreated)
		path := adminArticles + "/" + a.ID
		a = decode[api.AdminArticleDTO](t, app.send(http.MethodPost, path+"/publish", nil, ed, ifMatch(a.Version)), http.StatusOK)
		a = decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, path, map[string]any{
			"translations": []map[string]any{{"locale": "en", "slug": "new-story"}, {"locale": "az", "slug": "yeni-xeber"}}}, ed, ifMatch(a.Version)), http.StatusOK)

		for from, want := range map[string]api.RedirectLookupDTO{
			"/api/v1/redirects/old-story":           {Locale: "en", From: "old-story", To: "new-story", APIURL: "/api/v1/articles/new-story?locale=en"},
			"/api/v1/redirects/old-story?locale=ru": {Locale: "en", From: "old-story", To: "new-story", APIURL: "/api/v1/articles/new-story?locale=en"},
			"/api/v1/redirects/kohne-xeber":         {Locale: "az", From: "kohne-xeber", To: "yeni-xeber", APIURL: "/api/v1/articles/yeni-xeber?locale=az"},
		} {
			rec := app.get(from)
			got := decode[api.RedirectLookupDTO](t, rec, http.StatusMovedPermanently)
			want.ArticleID = a.ID
			// Development's HERALD_SITE_URL: the Location is the page on the site.
			want.URL = "http://localhost:3000/" + want.Locale + "/news/" + want.To
			if got != want || rec.Header().Get("Location") != want.URL {
				t.Errorf("GET %s: %+v → %q, want %+v", from, got, rec.Header().Get("Location"), want)
			}
			if cc := rec.Header().Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") {
				t.Errorf("Cache-Control %q", cc)
			}
			// The Location answers 200.
			if d := getJSON[api.ArticleDTO](t, app, want.APIURL, http.StatusOK); d.ID != a.ID || d.Slug != want.To {
				t.Errorf("%s serves %s %s", want.APIURL, d.ID, d.Slug)
			}
		}
		// A current slug is 200, to itself.
		cur := getJSON[api.RedirectLookupDTO](t, app, "/api/v1/redirects/yeni-xeber", http.StatusOK)
		if cur.From != "yeni-xeber" || cur.To != "yeni-xeber" || cur.Locale != "az" || cur.APIURL != "/api/v1/articles/yeni-xeber?locale=az" {
			t.Errorf("current slug %+v", cur)
		}
		for _, ref := range []string{"no-such-story", a.ID, strings.Repeat("x", 400)} {
			problem(t, app.get("/api/v1/redirects/"+ref), http.StatusNotFound)
		}
		problem(t, app.get("/api/v1/redirects/old-story?locale=xx"), http.StatusBadRequest)
		problem(t, app.get("/api/v1/redirects/old-story?to=x"), http.StatusBadRequest)

		// Unpublished, the article's old links lead nowhere.
		decode[api.AdminArticleDTO](t, app.send(http.MethodPost, path+"/unpublish", nil, ed, ifMatch(a.Version)), http.StatusOK)
		problem(t, app.get("/api/v1/redirects/old-story"), http.StatusNotFound)
	})
}
