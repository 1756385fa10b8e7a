package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestPublicURL: with HERALD_PUBLIC_URL, media URLs (public, admin, embedded covers) and
// Link headers (page and cursor mode) are absolute under it, and the files still answer at
// the path the URL names; without it both stay relative.
func TestPublicURL(t *testing.T) {
	const base = "https://api.example.com"
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMediaApp(t, d, "disk", media.Config{}, app.WithDeps(func(d *api.Deps) { d.PublicURL = base + "/" }))
			tok, _ := app.token(t, auth.RoleEditor)
			ed := bearer(tok)
			m := decode[api.AdminMediaDTO](t, app.upload(file{"p.jpg", "", photo(t, 900, 600)}, tok, "alt[en]", "A photo"), http.StatusCreated)
			abs := func(what, u string) {
				t.Helper()
				if !strings.HasPrefix(u, base+"/media/"+m.SHA256+"/") {
					t.Errorf("%s URL %q: want it under %s/media/", what, u, base)
					return
				}
				if rec := app.get(strings.TrimPrefix(u, base)); rec.Code != http.StatusOK {
					t.Errorf("GET %s: %d", u, rec.Code)
				}
			}
			abs("admin original", m.URLs.Original)
			abs("admin variant", m.Variants[0].URL)
			pub := getJSON[api.MediaDTO](t, app.testApp, "/api/v1/media/"+m.ID, http.StatusOK)
			abs("public original", pub.URLs.Original)
			abs("public thumb", pub.URLs.Thumb)
			abs("public large", pub.URLs.Large)

			art := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{"cover_media_id": m.ID,
				"translations": []map[string]string{{"locale": "en", "title": "Covered"}}}, ed), http.StatusCreated)
			decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+art.ID+"/publish", nil, ed, ifMatch(1)), http.StatusOK)
			got := getJSON[api.ArticleDTO](t, app.testApp, "/api/v1/articles/"+art.ID, http.StatusOK)
			if got.Cover == nil {
				t.Fatal("no cover")
			}
			abs("cover", got.Cover.URLs.Medium)

			rec := app.get("/api/v1/articles?locale=en&per_page=2&page=2")
			links := rec.Header().Get("Link")
			for _, rel := range []string{"first", "prev", "next", "last"} {
				if !strings.Contains(links, "<"+base+"/api/v1/articles?") || !strings.Contains(links, `rel="`+rel+`"`) {
					t.Errorf("page Link %q: want absolute %s links", links, rel)
				}
			}
			if strings.Contains(links, "<"+"/api") {
				t.Errorf("page Link %q has a relative URL", links)
			}
			cur := getJSON[api.ArticleList](t, app.testApp, "/api/v1/articles?locale=en&per_page=2&page=1", http.StatusOK)
			if cur.Meta.NextCursor == "" {
				t.Fatal("no next_cursor")
			}
			rec = app.get("/api/v1/articles?locale=en&per_page=2&cursor=" + cur.Meta.NextCursor)
			if l := rec.Header().Get("Link"); !strings.HasPrefix(l, "<"+base+"/api/v1/articles?") || !strings.Contains(l, `rel="next"`) {
				t.Errorf("cursor Link %q", l)
			}
			if l := app.get("/api/v1/admin/media?per_page=1", ed).Header().Get("Link"); !strings.HasPrefix(l, "<"+base+"/api/v1/admin/media?") {
				t.Errorf("admin Link %q", l)
			}
		})
	}
}

// TestRelativeURLsByDefault: without HERALD_PUBLIC_URL, media URLs and Links are paths.
func TestRelativeURLsByDefault(t *testing.T) {
	app := newMediaApp(t, testkit.Dialects[0], "disk", media.Config{})
	tok, _ := app.token(t, auth.RoleEditor)
	m := decode[api.AdminMediaDTO](t, app.upload(file{"p.jpg", "", photo(t, 400, 300)}, tok), http.StatusCreated)
	if !strings.HasPrefix(m.URLs.Original, "/media/") {
		t.Errorf("original %q", m.URLs.Original)
	}
	if l := app.get("/api/v1/articles?per_page=2").Header().Get("Link"); !strings.HasPrefix(l, "</api/v1/articles?") {
		t.Errorf("Link %q", l)
	}
}
