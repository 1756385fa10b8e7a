package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/testkit"
)

// frontendEnv is a site with a per-locale article pattern: az articles at the root.
var frontendEnv = map[string]string{
	"HERALD_SITE_URL":          "https://news.example",
	"HERALD_PUBLIC_URL":        "https://api.news.example",
	"HERALD_PERMALINK_ARTICLE": "/{locale}/news/{slug},az=/{slug}",
}

// eachDialectEnv runs fn on a fresh app per dialect configured with env, in parallel.
func eachDialectEnv(t *testing.T, env map[string]string, fn func(t *testing.T, app *testApp)) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, wire(t, testkit.URL(t, d), env, &clock{now: time.Now().UTC()}))
		})
	}
}

func TestPermalinks(t *testing.T) {
	eachDialectEnv(t, frontendEnv, func(t *testing.T, app *testApp) {
		want := map[string]string{
			"az": "https://news.example/" + demo.FixtureSlugAZ,
			"en": "https://news.example/en/news/" + demo.FixtureSlugEN,
			"ru": "https://news.example/ru/news/" + demo.FixtureSlugRU,
		}
		for loc, u := range want {
			a := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN+"?locale="+loc, http.StatusOK)
			if a.URL != u {
				t.Errorf("%s url = %q, want %q", loc, a.URL, u)
			}
			if len(a.Translations) != 3 {
				t.Fatalf("%s translations = %+v", loc, a.Translations)
			}
			for _, tr := range a.Translations {
				if tr.URL != want[tr.Locale] {
					t.Errorf("%s: translation %s url = %q, want %q", loc, tr.Locale, tr.URL, want[tr.Locale])
				}
			}
			if a.Category == nil || a.Category.URL != "https://news.example/"+loc+"/category/"+url.PathEscape(a.Category.Slug) {
				t.Errorf("%s category = %+v", loc, a.Category)
			}
			for _, tg := range a.Tags {
				if tg.URL != "https://news.example/"+tg.Locale+"/tag/"+url.PathEscape(tg.Slug) {
					t.Errorf("%s tag = %+v", loc, tg)
				}
			}
			if a.Cover != nil && !strings.HasPrefix(a.Cover.URLs.Original, "https://api.news.example/") {
				t.Errorf("cover URL %q is not under HERALD_PUBLIC_URL", a.Cover.URLs.Original)
			}
		}

		// Lists: every item, its translations with include=translations, and fields=url.
		list := getJSON[articleList](t, app, "/api/v1/articles?locale=en&per_page=100&include=translations", http.StatusOK)
		for _, a := range list.Data {
			if !strings.HasPrefix(a.URL, "https://news.example/"+a.Locale+"/news/") && !(a.Locale == "az" && strings.HasPrefix(a.URL, "https://news.example/")) {
				t.Errorf("list item %s url %q", a.Slug, a.URL)
			}
			for _, tr := range a.Translations {
				if !strings.HasSuffix(tr.URL, "/"+url.PathEscape(tr.Slug)) {
					t.Errorf("list translation %+v", tr)
				}
			}
		}
		rec := app.get("/api/v1/articles?locale=en&per_page=2&fields=id,url")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"url":"https://news.example/`) {
			t.Errorf("fields=url: %d %.300s", rec.Code, rec.Body.String())
		}
		if link := rec.Header().Get("Link"); !strings.Contains(link, "<https://api.news.example/api/v1/articles?") {
			t.Errorf("Link header is not under HERALD_PUBLIC_URL: %q", link)
		}

		cats := getJSON[api.CategoryList](t, app, "/api/v1/categories?locale=ru", http.StatusOK)
		for _, c := range cats.Data {
			if c.URL != "https://news.example/ru/category/"+url.PathEscape(c.Slug) || len(c.Translations) == 0 {
				t.Errorf("category %+v", c)
			}
			for _, tr := range c.Translations {
				if tr.URL != "https://news.example/"+tr.Locale+"/category/"+url.PathEscape(tr.Slug) {
					t.Errorf("category translation %+v", tr)
				}
			}
		}
		tags := getJSON[api.TagList](t, app, "/api/v1/tags?locale=az", http.StatusOK)
		for _, tg := range tags.Data {
			if tg.URL != "https://news.example/az/tag/"+url.PathEscape(tg.Slug) {
				t.Errorf("tag %+v", tg)
			}
		}
		tg := getJSON[api.TagDTO](t, app, "/api/v1/tags/"+url.PathEscape(tags.Data[0].Slug), http.StatusOK)
		if tg.URL != tags.Data[0].URL {
			t.Errorf("tag detail url %q, list %q", tg.URL, tags.Data[0].URL)
		}
	})
}

// Without HERALD_SITE_URL (production's default) url is the site-relative path.
func TestPermalinksWithoutSite(t *testing.T) {
	app := wire(t, testkit.URL(t, "sqlite"), map[string]string{"HERALD_ENV": "production", "HERALD_DEMO_CONTENT": "true", "HERALD_JWT_SECRET": "Zx9vQ2mL7pR4tK8wB3nH6jF1cD5gS0aYq7Ue"}, &clock{now: time.Now().UTC()})
	a := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN, http.StatusOK)
	if a.URL != "/en/news/"+demo.FixtureSlugEN {
		t.Errorf("url without a site = %q", a.URL)
	}
}

// TestListTermsMatchDetail: a list builds each category and tag once per response and
// reuses it for every article that shows it; each item must still show its own terms, as
// its detail does.
func TestListTermsMatchDetail(t *testing.T) {
	eachDialectEnv(t, frontendEnv, func(t *testing.T, app *testApp) {
		for _, loc := range []string{"az", "en", "ru"} {
			list := getJSON[articleList](t, app, "/api/v1/articles?per_page=100&locale="+loc, http.StatusOK)
			cats, tags := map[string]bool{}, map[string]bool{}
			for _, item := range list.Data {
				d := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+item.ID+"?locale="+loc, http.StatusOK)
				if (item.Category == nil) != (d.Category == nil) || item.Category != nil && *item.Category != *d.Category {
					t.Errorf("%s %s: list category %+v, detail %+v", loc, item.ID, item.Category, d.Category)
				}
				if item.Category != nil {
					cats[item.Category.ID] = true
				}
				if len(item.Tags) != len(d.Tags) {
					t.Errorf("%s %s: list tags %+v, detail %+v", loc, item.ID, item.Tags, d.Tags)
					continue
				}
				for i := range item.Tags {
					tags[item.Tags[i].ID] = true
					if item.Tags[i] != d.Tags[i] {
						t.Errorf("%s %s: list tag %+v, detail %+v", loc, item.ID, item.Tags[i], d.Tags[i])
					}
				}
			}
			if len(cats) < 2 || len(tags) < 2 {
				t.Fatalf("%s: the demo list shows %d categories and %d tags; the test needs several", loc, len(cats), len(tags))
			}
		}
	})
}
