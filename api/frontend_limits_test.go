package api_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/testkit"
)

// A feed holds the 50 latest articles; a sitemap file reads its rows in statements of
// 5,000 whatever its size (TestSitemapEntriesKeyset walks smaller batches), a later file
// first finds where the one before ended, and the last file holds the rest.
func TestFeedAndSitemapLimits(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"HERALD_SITEMAP_URLS_PER_FILE": "1100"}
			for k, v := range frontendEnv {
				env[k] = v
			}
			app := wire(t, testkit.URL(t, d), env, &clock{now: time.Now().UTC()})
			// 1,200 synthetic articles besides the demo's.
			if err := demo.Synthetic(context.Background(), app.store, demo.SyntheticOptions{Articles: 1200, BodyBytes: 100, Now: time.Now()}); err != nil {
				t.Fatal(err)
			}

			rec := app.get("/feeds/en.rss")
			f, err := gofeed.NewParser().ParseString(rec.Body.String())
			if err != nil || len(f.Items) != 50 {
				t.Fatalf("feed: %v, %d items", err, len(f.Items))
			}
			latest := getJSON[articleList](t, app, "/api/v1/articles?locale=en&fallback=false&per_page=50&fields=url", http.StatusOK)
			for i, it := range f.Items {
				if it.Link != latest.Data[i].URL {
					t.Fatalf("feed item %d is %s, the %dth latest is %s", i, it.Link, i+1, latest.Data[i].URL)
				}
			}

			queries := countQueries(t, app)
			rec = app.get("/sitemaps/ru-1.xml")
			// The counts of every locale in one statement (remembered, with the next scheduled
			// publication that bounds how long) and one batch.
			if n := queries(); rec.Code != http.StatusOK || n != 3 {
				t.Errorf("a file of 1,100 URLs: status %d, %d statements (want 2 for the counts and 1 batch)", rec.Code, n)
			}
			var doc urlsetDoc
			if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil || len(doc.URLs) != 1100 {
				t.Fatalf("file 1: %v, %d URLs", err, len(doc.URLs))
			}
			xmllintSchema(t, "urlset.xsd", rec.Body.Bytes())
			total := *getJSON[articleList](t, app, "/api/v1/articles?locale=ru&fallback=false&per_page=1", http.StatusOK).Meta.Total
			before := queries()
			rec = app.get("/sitemaps/ru-2.xml")
			// The counts are remembered; one statement finds where file 1 ends, from the
			// indexes alone, and one batch reads the rest.
			if n := queries() - before; n != 2 {
				t.Errorf("file 2: %d statements, want 2 (the skip and 1 batch)", n)
			}
			var rest urlsetDoc
			if err := xml.Unmarshal(rec.Body.Bytes(), &rest); err != nil || int64(len(rest.URLs)) != total-1100 {
				t.Fatalf("file 2: %d %v, %d URLs", rec.Code, err, len(rest.URLs))
			}
			// Oldest first, no overlap: file 2 continues where file 1 stopped.
			seen := map[string]bool{}
			for _, u := range append(doc.URLs, rest.URLs...) {
				if seen[u.Loc] || !strings.HasPrefix(u.Loc, "https://news.example/ru/news/") {
					t.Fatalf("repeated or foreign %s", u.Loc)
				}
				seen[u.Loc] = true
			}
			if total <= 1100 || total > 2200 {
				t.Fatalf("%d articles in ru", total)
			}
			before = queries()
			problem(t, app.get("/sitemaps/ru-3.xml"), http.StatusNotFound)
			problem(t, app.get("/sitemaps/ru-50000.xml"), http.StatusNotFound)
			if n := queries() - before; n != 0 {
				t.Errorf("pages past the end ran %d statements; the remembered count answers them", n)
			}
		})
	}
}
