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
