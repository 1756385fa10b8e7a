package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/views"
)

// TestPublicReadRoundTrips pins the number of SQL statements each public read costs (the
// response cache is off here): a detail is one, a list one plus its count in page mode, a
// taxonomy read one. A change that adds a round trip to any of them fails here.
func TestPublicReadRoundTrips(t *testing.T) {
	eachViewsDialectOpts(t, views.Options{}, []app.Option{coldTotals}, func(t *testing.T, app *viewsApp) {
		list := getJSON[articleList](t, app.testApp, "/api/v1/articles?locale=en&per_page=3", http.StatusOK)
		cats := getJSON[api.CategoryList](t, app.testApp, "/api/v1/categories?locale=en", http.StatusOK)
		tags := getJSON[api.TagList](t, app.testApp, "/api/v1/tags?locale=en", http.StatusOK)
		if len(list.Data) == 0 || len(cats.Data) == 0 || len(tags.Data) == 0 {
			t.Fatal("demo content has no articles, categories or tags")
		}
		a, cat, tag := list.Data[0], cats.Data[0].Slug, tags.Data[0].Slug
		if code := app.hit(a.ID); code != http.StatusAccepted {
			t.Fatalf("hit %d", code)
		}
		app.flush()
		for _, c := range []struct {
			target string
			want   int
		}{
			{"/api/v1/articles/" + url.PathEscape(a.Slug) + "?locale=en", 1},
			{"/api/v1/articles/" + url.PathEscape(a.Slug), 1},
			{"/api/v1/articles/" + a.ID + "?locale=ru", 1},
			{"/api/v1/articles/no-such-article", 2},       // current slugs, then former ones
			{"/api/v1/articles?locale=en&per_page=20", 2}, // count, page
			{"/api/v1/articles?locale=en&per_page=100&include=body,translations", 2},
			{"/api/v1/articles?locale=en&cursor=" + list.Meta.NextCursor, 1},
			{"/api/v1/articles?locale=en&category=" + url.QueryEscape(cat), 2},
			{"/api/v1/articles?locale=ru&tag=" + url.QueryEscape(tag) + "&sort=title", 2},
			{"/api/v1/articles?locale=az&sort=-read_count&featured=false", 2},
			{"/api/v1/articles?locale=en&fallback=false", 2},
			{"/api/v1/articles?locale=en&fallback=false&cursor=" + list.Meta.NextCursor, 1},
			{"/api/v1/articles/popular?period=day&locale=en", 2}, // ranking, articles
			{"/api/v1/categories?locale=en", 1},
			{"/api/v1/categories/" + url.PathEscape(cat) + "?locale=az", 1},
			{"/api/v1/tags?locale=en", 2}, // count, page
			{"/api/v1/tags/" + url.PathEscape(tag), 1},
			{"/api/v1/settings?locale=en", 1},
			{"/api/v1/locales", 0},
		} {
			n := countQueries(t, app.testApp)
			rec := app.get(c.target)
			if rec.Code != http.StatusOK && rec.Code != http.StatusNotFound {
				t.Errorf("GET %s: %d %s", c.target, rec.Code, rec.Body)
				continue
			}
			if got := n(); got != c.want {
				t.Errorf("GET %s ran %d queries, want %d", c.target, got, c.want)
			}
		}
	})
}
