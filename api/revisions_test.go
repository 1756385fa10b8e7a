package api_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// TestRevisionTimes: every revision says when it was saved — new articles, edits, and the
// backfilled first revision of an article written before revisions existed (the demo).
func TestRevisionTimes(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		check := func(id string) {
			t.Helper()
			list := decode[api.RevisionList](t, app.get(adminArticles+"/"+id+"/revisions", ed), http.StatusOK)
			if len(list.Data) < 2 {
				t.Fatalf("%d revisions", len(list.Data))
			}
			for _, r := range list.Data {
				if r.CreatedAt.IsZero() || r.CreatedAt.Year() < 2000 || r.CreatedAt.After(time.Now().Add(time.Hour)) {
					t.Errorf("revision %d created_at %v", r.Version, r.CreatedAt)
				}
				one := decode[api.RevisionDTO](t, app.get(adminArticles+"/"+id+"/revisions/"+strconv.Itoa(r.Version), ed), http.StatusOK)
				if !one.CreatedAt.Equal(r.CreatedAt) {
					t.Errorf("revision %d: %v in the list, %v alone", r.Version, r.CreatedAt, one.CreatedAt)
				}
				if one.Article == nil {
					t.Fatalf("revision %d without its article", r.Version)
				}
				for what, at := range map[string]time.Time{"article.created_at": one.Article.CreatedAt, "article.updated_at": one.Article.UpdatedAt} {
					if at.Year() < 2000 {
						t.Errorf("revision %d: %s %v", r.Version, what, at)
					}
				}
				for _, tr := range one.Article.Translations {
					if tr.CreatedAt.Year() < 2000 || tr.UpdatedAt.Year() < 2000 {
						t.Errorf("revision %d: translation %s created_at %v updated_at %v", r.Version, tr.Locale, tr.CreatedAt, tr.UpdatedAt)
					}
				}
			}
		}
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
			"translations": []map[string]string{{"locale": "en", "title": "Times"}}}, ed), http.StatusCreated)
		decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, adminArticles+"/"+a.ID, map[string]any{"featured": true}, ed, ifMatch(1)), http.StatusOK)
		check(a.ID)

		demo := decode[api.AdminArticleList](t, app.get(adminArticles+"?per_page=1", ed), http.StatusOK).Data[0]
		decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, adminArticles+"/"+demo.ID, map[string]any{"featured": !demo.Featured}, ed, ifMatch(demo.Version)), http.StatusOK)
		check(demo.ID)
	})
}
