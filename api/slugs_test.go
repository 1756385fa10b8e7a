package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// recordSQL records the SQL text (placeholders, not values) of every statement GORM runs on
// app's database from now on; the returned function gives what was recorded so far.
func recordSQL(t *testing.T, app *testApp) func() []string {
	t.Helper()
	var mu sync.Mutex
	var stmts []string
	onStatement(t, app, func(sql string) {
		mu.Lock()
		stmts = append(stmts, sql)
		mu.Unlock()
	})
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), stmts...)
	}
}

// publishedArticle creates and publishes an article with one translation through the Admin
// API and returns its id.
func publishedArticle(t *testing.T, app *testApp, as string, tr api.TranslationRequest) string {
	t.Helper()
	a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, api.CreateArticleRequest{Translations: []api.TranslationRequest{tr}}, as), http.StatusCreated)
	decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+a.ID+"/publish", nil, as, ifMatch(a.Version)), http.StatusOK)
	return a.ID
}

// TestSharedSlugFollowsTheRequestedLocale: an az article and a different en article share a
// slug; ?locale= (or Accept-Language) picks the one in that locale on both databases, for
// articles, categories and tags alike, and the slug lookup's SQL carries the ORDER BY (GORM
// drops an Order(gorm.Expr(…)) silently).
func TestSharedSlugFollowsTheRequestedLocale(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		as := bearer(tok)
		azID := publishedArticle(t, app, as, api.TranslationRequest{Locale: "az", Title: "Çay süfrəsi", Slug: "chay-sufresi", Body: "<p>Az</p>"})
		enID := publishedArticle(t, app, as, api.TranslationRequest{Locale: "en", Title: "Tea table", Slug: "chay-sufresi", Body: "<p>En</p>"})

		sqls := recordSQL(t, app)
		for _, c := range []struct {
			query, header, wantID, wantLocale string
		}{
			{"?locale=en", "", enID, "en"},
			{"?locale=az", "", azID, "az"},
			{"", "Accept-Language: en", enID, "en"},
			{"", "Accept-Language: az", azID, "az"},
			{"", "", azID, "az"},           // no preference: the default locale's chain
			{"?locale=ru", "", enID, "en"}, // ru falls back to en, then az
		} {
			var hs []string
			if c.header != "" {
				hs = append(hs, c.header)
			}
			d := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/chay-sufresi"+c.query, http.StatusOK, hs...)
			if d.ID != c.wantID || d.Locale != c.wantLocale {
				t.Errorf("%s %s: got %s in %s, want %s in %s", c.query, c.header, d.ID, d.Locale, c.wantID, c.wantLocale)
			}
		}
		ordered := false
		for _, s := range sqls() {
			// Current slugs (former ones, answered with 301, only when none is).
			if strings.Contains(s, "FROM article_translations WHERE slug =") {
				if !strings.Contains(s, "ORDER BY CASE m.locale WHEN") {
					t.Fatalf("slug lookup without its locale ORDER BY: %s", s)
				}
				ordered = true
			}
		}
		if !ordered {
			t.Fatal("no slug lookup recorded")
		}

		// Categories and tags: a new az category and a new en one share "cay".
		var catIDs, tagIDs [2]string
		for i, l := range []string{"az", "en"} {
			c := decode[api.AdminCategoryDTO](t, app.send(http.MethodPost, "/api/v1/admin/categories", api.CreateCategoryRequest{Translations: []api.CategoryTranslationDTO{{Locale: l, Name: "Çay " + l, Slug: "cay"}}}, as), http.StatusCreated)
			catIDs[i] = c.ID
			g := decode[api.AdminTagDTO](t, app.send(http.MethodPost, "/api/v1/admin/tags", api.CreateTagRequest{Translations: []api.TagTranslationDTO{{Locale: l, Name: "Çay " + l, Slug: "cay"}}}, as), http.StatusCreated)
			tagIDs[i] = g.ID
		}
		for i, l := range []string{"az", "en"} {
			if c := getJSON[api.CategoryDTO](t, app, "/api/v1/categories/cay?locale="+l, http.StatusOK); c.ID != catIDs[i] || c.Locale != l {
				t.Errorf("category cay?locale=%s = %s in %s, want %s", l, c.ID, c.Locale, catIDs[i])
			}
			if g := getJSON[api.TagDTO](t, app, "/api/v1/tags/cay?locale="+l, http.StatusOK); g.ID != tagIDs[i] || g.Locale != l {
				t.Errorf("tag cay?locale=%s = %s in %s, want %s", l, g.ID, g.Locale, tagIDs[i])
			}
		}
	})
}

// TestSlugLocaleRuleIsTheSameEverywhere: without a locale preference, an article, a category
// and a tag fetched by their ru slug are all served in ru (Content-Language says so); an
// explicit locale still wins.
func TestSlugLocaleRuleIsTheSameEverywhere(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		art := getJSON[api.ArticleList](t, app, "/api/v1/articles?locale=ru&per_page=100", http.StatusOK)
		var ruArticle string
		for _, a := range art.Data {
			if a.Locale == "ru" {
				ruArticle = a.Slug
				break
			}
		}
		if ruArticle == "" {
			t.Fatal("demo has no ru article")
		}
		cats := getJSON[api.CategoryList](t, app, "/api/v1/categories?locale=ru", http.StatusOK)
		tags := getJSON[api.TagList](t, app, "/api/v1/tags?locale=ru", http.StatusOK)
		for _, path := range []string{
			"/api/v1/articles/" + ruArticle,
			"/api/v1/categories/" + cats.Data[0].Slug,
			"/api/v1/tags/" + tags.Data[0].Slug,
		} {
			rec := app.get(path)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d", path, rec.Code)
			}
			var d struct{ Locale string }
			decodeInto(t, rec, &d)
			if d.Locale != "ru" || rec.Header().Get("Content-Language") != "ru" {
				t.Errorf("%s: served in %q (Content-Language %q), want ru", path, d.Locale, rec.Header().Get("Content-Language"))
			}
			d = struct{ Locale string }{}
			decodeInto(t, app.get(path+"?locale=en"), &d)
			if d.Locale != "en" {
				t.Errorf("%s?locale=en: served in %q", path, d.Locale)
			}
		}
	})
}

func decodeInto(t *testing.T, rec interface{ Result() *http.Response }, v any) {
	t.Helper()
	res := rec.Result()
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("decode: %v", err)
	}
}
