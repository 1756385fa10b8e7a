package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// TestTagCountsFollowWrites: GET /tags counts each tag's visible articles from counts the
// database keeps on write (migration 00310): publishing, retagging, unpublishing and
// deleting change them at once, moving to another category does not; a scheduled article
// counts only once it is due, by the clock alone. (testkit also recounts every tag after
// each test.)
func TestTagCountsFollowWrites(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		tag := func(name string) string {
			return decode[api.AdminTagDTO](t, app.send(http.MethodPost, "/api/v1/admin/tags", api.CreateTagRequest{
				Translations: []api.TagTranslationDTO{{Locale: "en", Name: name}}}, ed), http.StatusCreated).ID
		}
		category := func(name string) string { return app.newCategory(t, ed, name) }
		a, b := tag("Followed A"), tag("Followed B")
		catA, catB := category("Tagged A"), category("Tagged B")
		article := func(tags ...string) string {
			return decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{"tag_ids": tags, "category_id": catA,
				"translations": []map[string]string{{"locale": "en", "title": "Tagged"}}}, ed), http.StatusCreated).ID
		}
		write := app.articleWriter(t, ed)
		want := func(step string, wa, wb int64) {
			t.Helper()
			got := map[string]int64{}
			for _, g := range getJSON[api.TagList](t, app, "/api/v1/tags?locale=en&per_page=100", http.StatusOK).Data {
				if g.ArticleCount == nil {
					t.Fatalf("%s: tag %s without article_count", step, g.ID)
				}
				got[g.ID] = *g.ArticleCount
			}
			if got[a] != wa || got[b] != wb {
				t.Errorf("%s: counts A %d, B %d; want %d, %d", step, got[a], got[b], wa, wb)
			}
		}
		want("empty", 0, 0)
		one := article(a, b)
		article(a) // a draft
		want("drafts", 0, 0)
		write(http.MethodPost, one+"/publish", nil, 1)
		want("published", 1, 1)
		write(http.MethodPatch, one, map[string]any{"tag_ids": []string{b}}, 2)
		want("retagged", 0, 1)
		write(http.MethodPatch, one, map[string]any{"category_id": catB}, 3)
		want("moved category", 0, 1)
		write(http.MethodPost, one+"/unpublish", nil, 4)
		want("unpublished", 0, 0)
		write(http.MethodPatch, one, map[string]any{"tag_ids": []string{a, b}}, 5)
		want("retagged draft", 0, 0)
		write(http.MethodPost, one+"/publish", nil, 6)
		want("republished", 1, 1)
		gone := article(b)
		write(http.MethodPost, gone+"/publish", nil, 1)
		want("second published", 1, 2)
		write(http.MethodDelete, gone, nil, 2)
		want("deleted", 1, 1)
		later := article(a)
		at := app.clock.Now().Add(10 * time.Minute).UTC().Truncate(time.Second)
		write(http.MethodPost, later+"/publish", api.PublishRequest{PublishedAt: &at}, 1)
		want("scheduled", 1, 1)
		app.clock.Set(at.Add(time.Second))
		want("due", 2, 1)
	})
}
