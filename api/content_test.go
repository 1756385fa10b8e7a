package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/demo"
)

func TestCategoriesAndTags(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		cats := getJSON[api.CategoryList](t, app, "/api/v1/categories?locale=en", http.StatusOK)
		if len(cats.Data) < 3 {
			t.Fatalf("%d categories", len(cats.Data))
		}
		var sum int64
		for i, c := range cats.Data {
			if c.Locale != "en" || c.Name == "" || c.Slug == "" || len(c.Translations) != 3 || c.ArticleCount == nil {
				t.Errorf("category %+v", c)
			}
			if i > 0 && c.Position < cats.Data[i-1].Position {
				t.Error("categories not in position order")
			}
			sum += *c.ArticleCount
		}
		all := getJSON[articleList](t, app, "/api/v1/articles?per_page=1", http.StatusOK)
		if sum != *all.Meta.Total {
			t.Errorf("category counts add to %d, %d articles are visible", sum, *all.Meta.Total)
		}
		first := cats.Data[0]
		for _, tr := range first.Translations {
			c := getJSON[api.CategoryDTO](t, app, "/api/v1/categories/"+url.PathEscape(tr.Slug)+"?locale="+tr.Locale, http.StatusOK)
			if c.ID != first.ID || c.Slug != tr.Slug {
				t.Errorf("category by %s slug: %+v", tr.Locale, c)
			}
		}
		az := getJSON[api.CategoryDTO](t, app, "/api/v1/categories/"+first.ID, http.StatusOK, "Accept-Language: az")
		if az.Locale != "az" {
			t.Errorf("category by id in az: %+v", az)
		}
		problem(t, app.get("/api/v1/categories/no-such"), http.StatusNotFound)

		rec := app.get("/api/v1/tags?per_page=4&locale=ru")
		tags := getJSON[api.TagList](t, app, "/api/v1/tags?per_page=4&locale=ru", http.StatusOK)
		if len(tags.Data) != 4 || tags.Meta.Total == nil || *tags.Meta.Total < 5 || !strings.Contains(rec.Header().Get("Link"), `rel="next"`) {
			t.Fatalf("tags page: %d items, meta %+v, Link %q", len(tags.Data), tags.Meta, rec.Header().Get("Link"))
		}
		p2 := getJSON[api.TagList](t, app, "/api/v1/tags?per_page=4&page=2", http.StatusOK)
		if p2.Data[0].ID == tags.Data[0].ID {
			t.Error("tag page 2 repeats page 1")
		}
		tg := getJSON[api.TagDTO](t, app, "/api/v1/tags/"+url.PathEscape(tags.Data[0].Slug), http.StatusOK, "Accept-Language: ru")
		if tg.ID != tags.Data[0].ID || tg.Locale != "ru" {
			t.Errorf("tag by slug: %+v", tg)
		}
		problem(t, app.get("/api/v1/tags?per_page=1000"), http.StatusBadRequest)
		problem(t, app.get("/api/v1/tags/nope"), http.StatusNotFound)
	})
}

func TestLocalesAndSettings(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		ls := getJSON[api.LocaleList](t, app, "/api/v1/locales", http.StatusOK)
		if len(ls.Data) != 3 || ls.Data[0].Code != "az" || !ls.Data[0].Default || strings.Join(ls.Data[2].Fallbacks, ",") != "en,az" {
			t.Errorf("locales = %+v", ls.Data)
		}
		az := getJSON[api.SettingsDTO](t, app, "/api/v1/settings?locale=az", http.StatusOK)
		if az.Settings["site_name"] != "Azərbaycan Respublikasının İnsan Hüquqları üzrə Müvəkkili (Ombudsman)" || az.Settings["call_center"] != "916" {
			t.Errorf("az settings = %+v", az.Settings)
		}
		en := getJSON[api.SettingsDTO](t, app, "/api/v1/settings", http.StatusOK, "Accept-Language: en-US")
		if en.Locale != "en" || !strings.Contains(en.Settings["site_name"], "Ombudsman") || en.Settings["site_name"] == az.Settings["site_name"] || en.Settings["call_center"] != "916" {
			t.Errorf("en settings = %+v", en)
		}
		problem(t, app.get("/api/v1/settings?locale=fr"), http.StatusBadRequest)
	})
}

func TestHealth(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		getJSON[api.Health](t, app, "/healthz", http.StatusOK)
		getJSON[api.Health](t, app, "/readyz", http.StatusOK)
		_ = app.db.Close()
		problem(t, app.get("/readyz"), http.StatusServiceUnavailable)
		getJSON[api.Health](t, app, "/healthz", http.StatusOK)
	})
}

// TestUglyRequests: hostile or broken input gets a clear problem, never a 500.
func TestUglyRequests(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		p := problem(t, app.get("/api/v1/nope"), http.StatusNotFound)
		if p.Instance != "/api/v1/nope" {
			t.Errorf("instance = %q", p.Instance)
		}
		problem(t, app.get("/no/such/page"), http.StatusNotFound)
		rec := app.do(http.MethodPost, "/api/v1/categories", strings.NewReader("{}"), "Content-Type: application/json")
		problem(t, rec, http.StatusMethodNotAllowed)
		problem(t, app.do(http.MethodDelete, "/api/v1/articles/"+demo.FixtureSlugEN, nil), http.StatusMethodNotAllowed)

		for _, ref := range []string{
			"%ff%fe%fd",               // invalid UTF-8
			"'%20OR%201=1%20--",       // SQL-looking
			"x%00y",                   // NUL
			strings.Repeat("a", 5000), // oversized
			"..%2F..%2Fetc%2Fpasswd",  // traversal-looking
			"00000000-0000-0000-0000-000000000000",
		} {
			rec := app.get("/api/v1/articles/" + ref)
			if rec.Code != http.StatusNotFound {
				t.Errorf("ref %.40q: status %d body %.200s", ref, rec.Code, rec.Body.String())
			}
		}
		for _, q := range []string{
			"category=%ff%fe", "tag='%20OR%201=1--", "category=" + strings.Repeat("x", 300),
			"page=99999999999999999999", "per_page=-1", "published_before=2021-13-45",
			"cursor=" + strings.Repeat("A", 5000), "fields=" + url.QueryEscape("id,\x00"),
		} {
			rec := app.get("/api/v1/articles?" + q)
			if rec.Code >= 500 {
				t.Errorf("%.60s: status %d", q, rec.Code)
			}
			if rec.Code != http.StatusOK {
				problem(t, rec, rec.Code)
			}
		}
		// A page past the end is an empty page, not an error.
		l := getJSON[articleList](t, app, "/api/v1/articles?page=1000", http.StatusOK)
		if len(l.Data) != 0 || l.Meta.NextCursor != "" {
			t.Errorf("page past the end: %d items", len(l.Data))
		}
		// Bodies over the limit are refused before a handler reads them.
		big := strings.NewReader(strings.Repeat("x", 2<<20))
		problem(t, app.do(http.MethodPost, "/api/v1/articles", big, "Content-Type: application/json"), http.StatusRequestEntityTooLarge)
	})
}

// TestListQueryCount: a list costs a fixed number of queries whatever the page size (no N+1).
func TestListQueryCount(t *testing.T) {
	eachDialectOpts(t, []app.Option{coldTotals}, func(t *testing.T, app *testApp) {
		count := func(target string) int {
			n := countQueries(t, app)
			getJSON[articleList](t, app, target, http.StatusOK)
			return n()
		}
		small := count("/api/v1/articles?per_page=2&locale=en")
		large := count("/api/v1/articles?per_page=100&locale=en&include=translations,body")
		if small != large || small != 2 {
			t.Errorf("queries: per_page=2 → %d, per_page=100 → %d; want 2 for both (count, page)", small, large)
		}
		first := getJSON[articleList](t, app, "/api/v1/articles?per_page=3", http.StatusOK)
		cursor := count("/api/v1/articles?per_page=50&cursor=" + first.Meta.NextCursor)
		if cursor != small-1 {
			t.Errorf("cursor page ran %d queries, want %d (no COUNT)", cursor, small-1)
		}
	})
}
