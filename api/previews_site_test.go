package api_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/demo"
)

// TestIssue17WithSite: with a public site configured, a former slug's lookup leads to the
// site, related cards and previews carry their site URLs, and previewed drafts stay out of
// every feed and sitemap.
func TestIssue17WithSite(t *testing.T) {
	eachDialectEnv(t, frontendEnv, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
			"translations": []map[string]string{{"locale": "en", "title": "Old", "slug": "old-story"}, {"locale": "az", "title": "Köhnə", "slug": "kohne-xeber"}}}, ed), http.StatusCreated)
		path := adminArticles + "/" + a.ID
		a = decode[api.AdminArticleDTO](t, app.send(http.MethodPost, path+"/publish", nil, ed, ifMatch(a.Version)), http.StatusOK)
		decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, path, map[string]any{
			"translations": []map[string]any{{"locale": "en", "slug": "new-story"}, {"locale": "az", "slug": "yeni-xeber"}}}, ed, ifMatch(a.Version)), http.StatusOK)
		for from, want := range map[string]string{
			"/api/v1/redirects/old-story":   "https://news.example/en/news/new-story",
			"/api/v1/redirects/kohne-xeber": "https://news.example/yeni-xeber",
		} {
			rec := app.get(from)
			d := decode[api.RedirectLookupDTO](t, rec, http.StatusMovedPermanently)
			if rec.Header().Get("Location") != want || d.URL != want || !strings.HasPrefix(d.APIURL, "https://api.news.example/api/v1/articles/") {
				t.Errorf("GET %s → %q, body %+v; want %s", from, rec.Header().Get("Location"), d, want)
			}
		}

		fx := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN+"?locale=en", http.StatusOK)
		if len(fx.Related) == 0 {
			t.Fatal("the fixture has no related articles")
		}
		for _, r := range fx.Related {
			if r.URL != "https://news.example/en/news/"+r.Slug {
				t.Errorf("related %s url %q", r.Slug, r.URL)
			}
		}

		draft, scheduled := hiddenIDs(t, app)
		var slugs []string
		for _, id := range []string{draft, scheduled} {
			p := createPreview(t, app, ed, id, nil)
			d := decode[api.ArticleDTO](t, app.get("/api/v1/preview/"+p.Token+"?locale=en"), http.StatusOK)
			if d.URL != "https://news.example/en/news/"+d.Slug {
				t.Errorf("preview url %q", d.URL)
			}
			slugs = append(slugs, d.Slug)
		}
		// Every feed of every locale (its own and each category's, each format), every tag's,
		// and every sitemap file the index lists.
		targets := []string{"/sitemap.xml", "/sitemaps/news.xml"}
		for _, loc := range []string{"az", "en", "ru"} {
			idx := getJSON[api.FeedIndex](t, app, "/api/v1/feeds?locale="+loc, http.StatusOK)
			for _, l := range idx.Data {
				targets = append(targets, strings.TrimPrefix(l.Href, "https://api.news.example"))
			}
			for _, tag := range getJSON[api.TagList](t, app, "/api/v1/tags?locale="+loc+"&per_page=100", http.StatusOK).Data {
				targets = append(targets, "/feeds/"+loc+"/tag/"+tag.Slug+".rss")
			}
		}
		var idx sitemapIndexDoc
		if err := xml.Unmarshal(app.get("/sitemap.xml").Body.Bytes(), &idx); err != nil || len(idx.Files) < 4 {
			t.Fatalf("sitemap index: %v %+v", err, idx)
		}
		for _, f := range idx.Files {
			targets = append(targets, strings.TrimPrefix(f.Loc, "https://api.news.example"))
		}
		for _, target := range targets {
			rec := app.get(target)
			if rec.Code != http.StatusOK {
				t.Errorf("GET %s: %d", target, rec.Code)
				continue
			}
			body, _ := io.ReadAll(rec.Body)
			for _, s := range slugs {
				if strings.Contains(string(body), s) {
					t.Errorf("%s lists the unpublished %s", target, s)
				}
			}
		}
	})
}
