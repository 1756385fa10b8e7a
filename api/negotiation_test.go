package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestAcceptLanguageRankingBeforeChain: the reader's ranked Accept-Language comes before the
// configured chain (issue 12, item 3). With ru falling back to az, "ru,en;q=0.8" on an
// article whose ru body is missing serves the en body, and Content-Language names both
// languages served; the response cache keeps the two rankings apart.
func TestAcceptLanguageRankingBeforeChain(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := wire(t, testkit.URL(t, d), map[string]string{"HERALD_LOCALE_FALLBACK": "ru:az,en;en:az", "HERALD_CACHE_BYTES": "4MiB"},
				&clock{now: time.Now().UTC()})
			path := "/api/v1/articles/" + demo.FixtureSlugEN
			for _, c := range []struct {
				target, accept, body, contentLanguage string
			}{
				{path, "ru,en;q=0.8", "en", "ru, en"},
				{path, "ru", "az", "ru, az"},
				{path, "en;q=0.8, ru", "en", "ru, en"},
				{path + "?locale=ru", "en", "az", "ru, az"}, // ?locale= keeps the configured chain
				{path, "ru,en;q=0.8", "en", "ru, en"},       // again, from the cache
			} {
				rec := app.get(c.target, "Accept-Language: "+c.accept)
				a := decode[api.ArticleDTO](t, rec, http.StatusOK)
				if a.Locale != "ru" || a.BodyLocale != c.body || rec.Header().Get("Content-Language") != c.contentLanguage {
					t.Errorf("%s with %q: locale %s, body_locale %s, Content-Language %q; want ru, %s, %q",
						c.target, c.accept, a.Locale, a.BodyLocale, rec.Header().Get("Content-Language"), c.body, c.contentLanguage)
				}
			}
			// A list names the locales its items are actually served in, in fallback order.
			rec := app.get("/api/v1/articles?per_page=100", "Accept-Language: ru,en;q=0.8")
			l := decode[api.ArticleList](t, rec, http.StatusOK)
			served := map[string]bool{}
			for _, a := range l.Data {
				served[a.Locale] = true
			}
			var want []string
			for _, loc := range []string{"ru", "en", "az"} {
				if served[loc] {
					want = append(want, loc)
				}
			}
			if got := rec.Header().Get("Content-Language"); got != strings.Join(want, ", ") || len(want) < 2 {
				t.Errorf("list Content-Language %q, items served in %v", got, want)
			}
		})
	}
}

// TestFallbackFalseLists: ?fallback=false keeps only articles translated into the requested
// locale, with totals and cursors that count only those; every item says whether it is a
// fallback (issue 12, item 4).
func TestFallbackFalseLists(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		all := getJSON[api.ArticleList](t, app, "/api/v1/articles?locale=en&per_page=100", http.StatusOK)
		if all.Meta.Total == nil || *all.Meta.Total > 100 {
			t.Fatalf("total %v: the demo should fit one page", all.Meta.Total)
		}
		native := map[string]bool{}
		fallbacks := 0
		for _, a := range all.Data {
			if a.Fallback != (a.Locale != "en") {
				t.Errorf("%s served in %s says fallback=%v", a.ID, a.Locale, a.Fallback)
			}
			if a.Fallback {
				fallbacks++
			} else {
				native[a.ID] = true
			}
		}
		if fallbacks == 0 || len(native) == 0 {
			t.Fatalf("the demo should mix languages in en: %d fallbacks, %d native", fallbacks, len(native))
		}

		only := getJSON[api.ArticleList](t, app, "/api/v1/articles?locale=en&fallback=false&per_page=100", http.StatusOK)
		if only.Meta.Total == nil || *only.Meta.Total != int64(len(native)) || len(only.Data) != len(native) {
			t.Fatalf("fallback=false: total %v, %d items; want %d", deref(only.Meta.Total), len(only.Data), len(native))
		}
		for _, a := range only.Data {
			if a.Locale != "en" || a.Fallback || !native[a.ID] {
				t.Errorf("fallback=false served %s in %s (fallback %v)", a.ID, a.Locale, a.Fallback)
			}
		}

		// Pages and cursors walk exactly the same set, in every sort.
		for _, sort := range []string{"-published_at", "title", "-read_count"} {
			seen := map[string]bool{}
			target := "/api/v1/articles?locale=en&fallback=false&per_page=4&sort=" + sort
			first := getJSON[api.ArticleList](t, app, target, http.StatusOK)
			if first.Meta.Total == nil || *first.Meta.Total != int64(len(native)) {
				t.Errorf("sort %s: page total %v", sort, deref(first.Meta.Total))
			}
			l := first
			for pages := 0; ; pages++ {
				for _, a := range l.Data {
					if seen[a.ID] || !native[a.ID] {
						t.Fatalf("sort %s: %s repeated or not native", sort, a.ID)
					}
					seen[a.ID] = true
				}
				if l.Meta.NextCursor == "" || pages > 50 {
					break
				}
				l = getJSON[api.ArticleList](t, app, target+"&cursor="+l.Meta.NextCursor, http.StatusOK)
			}
			if len(seen) != len(native) {
				t.Errorf("sort %s: the cursor walk saw %d of %d", sort, len(seen), len(native))
			}
		}
		// Accept-Language: the first choice is the one the filter keeps.
		rec := app.get("/api/v1/articles?fallback=false&per_page=100", "Accept-Language: en,ru;q=0.5")
		if l := decode[api.ArticleList](t, rec, http.StatusOK); len(l.Data) != len(native) || rec.Header().Get("Content-Language") != "en" {
			t.Errorf("Accept-Language en: %d items, Content-Language %q", len(l.Data), rec.Header().Get("Content-Language"))
		}
		problem(t, app.get("/api/v1/articles?fallback=maybe"), http.StatusBadRequest)
	})
}

func deref(n *int64) any {
	if n == nil {
		return nil
	}
	return *n
}
