package api_test

import (
	"net/http"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// TestTagCountsAndOrder: tags come with their counts of published articles, the most used
// first by default, or by name in the served locale; drafts and deleted articles do not
// count.
func TestTagCountsAndOrder(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		tag := func(en, ru string) api.AdminTagDTO {
			return decode[api.AdminTagDTO](t, app.send(http.MethodPost, "/api/v1/admin/tags", api.CreateTagRequest{
				Translations: []api.TagTranslationDTO{{Locale: "en", Name: en}, {Locale: "ru", Name: ru}}}, ed), http.StatusCreated)
		}
		// Names chosen to sort before every demo tag in both locales, and in opposite orders.
		a, b := tag("0a common", "0я редкий"), tag("0b rare", "0а частый")
		article := func(publish bool, tags ...string) string {
			x := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{"tag_ids": tags,
				"translations": []map[string]string{{"locale": "en", "title": "Counted"}}}, ed), http.StatusCreated)
			if publish {
				decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+x.ID+"/publish", nil, ed, ifMatch(1)), http.StatusOK)
			}
			return x.ID
		}
		for range 3 {
			article(true, a.ID)
		}
		article(true, a.ID, b.ID)
		article(false, b.ID) // a draft does not count
		gone := article(true, b.ID)
		if rec := app.do(http.MethodDelete, adminArticles+"/"+gone, nil, ed, ifMatch(2)); rec.Code != http.StatusNoContent {
			t.Fatalf("delete: %d", rec.Code)
		}
		count := func(l api.TagList, id string) int64 {
			for _, d := range l.Data {
				if d.ID == id {
					if d.ArticleCount == nil {
						t.Fatalf("tag %s without article_count", id)
					}
					return *d.ArticleCount
				}
			}
			t.Fatalf("tag %s not listed", id)
			return 0
		}
		byUse := getJSON[api.TagList](t, app, "/api/v1/tags?locale=en&per_page=100", http.StatusOK)
		if count(byUse, a.ID) != 4 || count(byUse, b.ID) != 1 {
			t.Errorf("counts: a %d, b %d; want 4, 1", count(byUse, a.ID), count(byUse, b.ID))
		}
		for i := 1; i < len(byUse.Data); i++ {
			if *byUse.Data[i].ArticleCount > *byUse.Data[i-1].ArticleCount {
				t.Fatalf("default order is not by use: %v before %v", byUse.Data[i-1], byUse.Data[i])
			}
		}
		en := getJSON[api.TagList](t, app, "/api/v1/tags?locale=en&sort=name&per_page=2", http.StatusOK)
		ru := getJSON[api.TagList](t, app, "/api/v1/tags?locale=ru&sort=name&per_page=2", http.StatusOK)
		if len(en.Data) != 2 || en.Data[0].ID != a.ID || en.Data[1].ID != b.ID {
			t.Errorf("en by name: %+v", en.Data)
		}
		if len(ru.Data) != 2 || ru.Data[0].ID != b.ID || ru.Data[1].ID != a.ID {
			t.Errorf("ru by name: %+v", ru.Data)
		}
		if en.Meta.Total == nil || *en.Meta.Total != int64(len(byUse.Data)) {
			t.Errorf("total %v, %d tags", en.Meta.Total, len(byUse.Data))
		}
		problem(t, app.get("/api/v1/tags?sort=created_at"), http.StatusBadRequest)
	})
}
