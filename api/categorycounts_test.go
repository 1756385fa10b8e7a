package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// TestCategoryCountsFollowWrites: GET /categories counts each category's visible articles
// from counts the database keeps on write (migration 00250): publishing, moving to another
// category, unpublishing and deleting change them at once; a draft never counts, a
// scheduled article only once it is due, by the clock alone. (testkit also recounts every
// category after each test.)
func TestCategoryCountsFollowWrites(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		category := func(name string) string { return app.newCategory(t, ed, name) }
		a, b := category("Counted A"), category("Counted B")
		article := func(cat string) string {
			return decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{"category_id": cat,
				"translations": []map[string]string{{"locale": "en", "title": "Counted " + cat}}}, ed), http.StatusCreated).ID
		}
		write := app.articleWriter(t, ed)
		want := func(step string, wa, wb int64) {
			t.Helper()
			got := map[string]int64{}
			for _, c := range getJSON[api.CategoryList](t, app, "/api/v1/categories?locale=en", http.StatusOK).Data {
				if c.ArticleCount == nil {
					t.Fatalf("%s: category %s without article_count", step, c.ID)
				}
				got[c.ID] = *c.ArticleCount
			}
			if got[a] != wa || got[b] != wb {
				t.Errorf("%s: counts A %d, B %d; want %d, %d", step, got[a], got[b], wa, wb)
			}
		}
		want("empty", 0, 0)
		one := article(a)
		article(a) // a draft
		want("drafts", 0, 0)
		write(http.MethodPost, one+"/publish", nil, 1)
		want("published", 1, 0)
		write(http.MethodPatch, one, map[string]any{"category_id": b}, 2)
		want("moved", 0, 1)
		write(http.MethodPost, one+"/unpublish", nil, 3)
		want("unpublished", 0, 0)
		write(http.MethodPost, one+"/publish", nil, 4)
		want("republished", 0, 1)
		gone := article(a)
		write(http.MethodPost, gone+"/publish", nil, 1)
		want("second published", 1, 1)
		write(http.MethodDelete, gone, nil, 2)
		want("deleted", 0, 1)
		later := article(a)
		at := app.clock.Now().Add(10 * time.Minute).UTC().Truncate(time.Second)
		write(http.MethodPost, later+"/publish", api.PublishRequest{PublishedAt: &at}, 1)
		want("scheduled", 0, 1)
		app.clock.Set(at.Add(time.Second))
		want("due", 1, 1)
	})
}

// newCategory creates a category named name in en as the editor whose auth header is ed, and
// returns its id.
func (a *testApp) newCategory(t *testing.T, ed, name string) string {
	t.Helper()
	return decode[api.AdminCategoryDTO](t, a.send(http.MethodPost, "/api/v1/admin/categories", api.CreateCategoryRequest{
		Translations: []api.CategoryTranslationDTO{{Locale: "en", Name: name}}}, ed), http.StatusCreated).ID
}

// articleWriter returns a function that sends an admin write to the article path (an id,
// or an id and an action) at version, as the editor ed, and fails the test unless it succeeds.
func (a *testApp) articleWriter(t *testing.T, ed string) func(method, path string, body any, version int) {
	return func(method, path string, body any, version int) {
		t.Helper()
		if rec := a.send(method, adminArticles+"/"+path, body, ed, ifMatch(version)); rec.Code >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
	}
}
