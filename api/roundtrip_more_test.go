package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
)

// TestMorePublicReadRoundTrips pins the statements of the public reads
// TestPublicReadRoundTrips and TestFrontendReadRoundTrips leave out (the response cache is
// off here, list totals cold): search, feeds, sitemaps, redirects, media and sync. A change
// that adds a round trip to any of them fails here; a change that removes one updates it.
func TestMorePublicReadRoundTrips(t *testing.T) {
	eachDialectOpts(t, []app.Option{coldTotals}, func(t *testing.T, app *testApp) {
		cats := getJSON[api.CategoryList](t, app, "/api/v1/categories?locale=en", http.StatusOK)
		tags := getJSON[api.TagList](t, app, "/api/v1/tags?locale=en", http.StatusOK)
		if len(cats.Data) == 0 || len(tags.Data) == 0 {
			t.Fatal("demo content has no categories or tags")
		}
		cat, tag := cats.Data[0].Slug, tags.Data[0].Slug
		// A first search page is one statement: the matches ranked once, with their facets.
		// (On PostgreSQL, past search.FacetExactHits matches in a probe, a second reads the
		// page from the title-and-summary index: store/search.go, TestSearchFacetsPastExactLimit.)
		for _, c := range []struct {
			target string
			want   int
		}{
			{"/api/v1/search?q=" + url.QueryEscape("gelecek"), 1},
			{"/api/v1/search/suggest?q=" + url.QueryEscape("gel"), 1},
			{"/api/v1/redirects", 2}, // count, page
			{"/api/v1/feeds", 2},
			{"/feeds/en.rss", 2},
			{"/feeds/en/category/" + url.PathEscape(cat) + ".atom", 3},
			{"/feeds/en/tag/" + url.PathEscape(tag) + ".json", 3},
			{"/sitemap.xml", 3},
			{"/sitemaps/en-1.xml", 3},
			{"/api/v1/sync", 5},
		} {
			n := countQueries(t, app)
			rec := app.get(c.target)
			if rec.Code != http.StatusOK {
				t.Errorf("GET %s: %d %s", c.target, rec.Code, rec.Body)
				continue
			}
			if got := n(); got != c.want {
				t.Errorf("GET %s ran %d statements, want %d", c.target, got, c.want)
			}
		}
	})
}
