package api_test

import (
	"net/http"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// TestFormerSlugsRedirect: every slug an article had answers 301 to the current URL in its
// locale (query kept, in one statement), a slug taken by another article is that article's,
// and GET /api/v1/redirects lists the mapping.
func TestFormerSlugsRedirect(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
			"translations": []map[string]string{{"locale": "en", "title": "Old name", "slug": "old-name"}, {"locale": "az", "title": "Köhnə ad", "slug": "kohne-ad"}}}, ed), http.StatusCreated)
		path := adminArticles + "/" + a.ID
		a = decode[api.AdminArticleDTO](t, app.send(http.MethodPost, path+"/publish", nil, ed, ifMatch(a.Version)), http.StatusOK)
		rename := func(locale, slug string) {
			t.Helper()
			a = decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, path, map[string]any{
				"translations": []map[string]any{{"locale": locale, "slug": slug}}}, ed, ifMatch(a.Version)), http.StatusOK)
		}
		rename("en", "middle-name")
		rename("en", "new-name")
		rename("az", "yeni-ad")

		for from, to := range map[string]string{
			"/api/v1/articles/old-name":              "/api/v1/articles/new-name",
			"/api/v1/articles/middle-name?locale=en": "/api/v1/articles/new-name?locale=en",
			"/api/v1/articles/kohne-ad":              "/api/v1/articles/yeni-ad",
		} {
			n := countQueries(t, app)
			rec := app.get(from)
			if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != to {
				t.Errorf("GET %s: %d → %q, want 301 → %s", from, rec.Code, rec.Header().Get("Location"), to)
			}
			// The current slugs', then the former slugs' (a miss costs the second).
			if q := n(); q != 2 {
				t.Errorf("GET %s ran %d statements, want 2", from, q)
			}
		}
		if got := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/new-name", http.StatusOK); got.ID != a.ID {
			t.Errorf("current slug: %s", got.ID)
		}

		// Another article takes a former slug: it is that article's now, and no redirect.
		b := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
			"translations": []map[string]string{{"locale": "en", "title": "Usurper", "slug": "old-name"}}}, ed), http.StatusCreated)
		decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+b.ID+"/publish", nil, ed, ifMatch(1)), http.StatusOK)
		if got := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/old-name", http.StatusOK); got.ID != b.ID {
			t.Errorf("old-name serves %s, want the article that holds it now", got.ID)
		}

		list := getJSON[api.RedirectList](t, app, "/api/v1/redirects?per_page=100", http.StatusOK)
		got := map[string]string{}
		for _, r := range list.Data {
			if r.ArticleID == a.ID {
				got[r.Locale+":"+r.From] = r.To
			}
		}
		want := map[string]string{"en:middle-name": "new-name", "az:kohne-ad": "yeni-ad"}
		if len(got) != len(want) || got["en:middle-name"] != "new-name" || got["az:kohne-ad"] != "yeni-ad" {
			t.Errorf("redirects %v, want %v", got, want)
		}
		if list.Meta.Total == nil || *list.Meta.Total != int64(len(list.Data)) {
			t.Errorf("total %v for %d", list.Meta.Total, len(list.Data))
		}

		// Unpublished: no redirect, no mapping.
		decode[api.AdminArticleDTO](t, app.send(http.MethodPost, path+"/unpublish", nil, ed, ifMatch(a.Version)), http.StatusOK)
		problem(t, app.get("/api/v1/articles/middle-name"), http.StatusNotFound)
		if l := getJSON[api.RedirectList](t, app, "/api/v1/redirects", http.StatusOK); len(l.Data) != 0 {
			t.Errorf("redirects of an unpublished article: %+v", l.Data)
		}
	})
}
