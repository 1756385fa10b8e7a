package api_test

import (
	"net/http"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/demo"
)

// TestFrontendReadRoundTrips pins the statements of issue 17's reads, as
// TestPublicReadRoundTrips does for the others: the detail with a byline and related
// articles stays one statement, and a preview link costs its probe plus an admin read.
func TestFrontendReadRoundTrips(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		h := bearer(tok)
		au := decode[api.AdminAuthorDTO](t, app.send(http.MethodPost, adminAuthors, api.CreateAuthorRequest{Name: "Leyla Aliyeva", Bios: map[string]string{"en": "Courts."}}, h), http.StatusCreated)
		fx := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN, http.StatusOK)
		v := decode[api.AdminArticleDTO](t, app.get(adminArticles+"/"+fx.ID, h), http.StatusOK).Version
		decode[api.AdminArticleDTO](t, app.send(http.MethodPut, adminArticles+"/"+fx.ID+"/bylines", api.SetBylinesRequest{AuthorIDs: []string{au.ID}}, h, ifMatch(v)), http.StatusOK)
		draft, _ := hiddenIDs(t, app)
		p := createPreview(t, app, h, draft, nil)
		if d := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN, http.StatusOK); len(d.Authors) != 1 || len(d.Related) == 0 {
			t.Fatalf("the fixture has byline %v and %d related", d.Authors, len(d.Related))
		}
		for _, c := range []struct {
			target string
			want   int
		}{
			{"/api/v1/articles/" + demo.FixtureSlugEN, 1}, // article, bodies, gallery, byline, related: one statement
			{"/api/v1/articles/" + fx.ID + "?locale=ru", 1},
			{"/api/v1/authors/" + au.Slug + "?locale=en", 1},
			{"/api/v1/authors", 2}, // count, page
			{"/api/v1/redirects/" + demo.FixtureSlugEN, 1},
			// the link, the article (row, translations, tags, category, byline, gallery),
			// its byline and related articles, its media
			{p.URL, 8},
		} {
			n := countQueries(t, app)
			if rec := app.get(c.target); rec.Code != http.StatusOK {
				t.Errorf("GET %s: %d %s", c.target, rec.Code, rec.Body)
				continue
			}
			if got := n(); got != c.want {
				t.Errorf("GET %s ran %d statements, want %d", c.target, got, c.want)
			}
		}
	})
}
