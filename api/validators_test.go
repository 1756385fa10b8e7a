package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestValidatorsFollowWhatTheyShow: an article's ETag and Last-Modified change when its
// category or a tag is renamed or its cover's alt text edited, so If-Modified-Since and
// If-None-Match never answer 304 with a stale body; deleting a tag in use gives each
// article that had it a new version and a revision.
func TestValidatorsFollowWhatTheyShow(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMediaApp(t, d, "disk", media.Config{})
			tok, _ := app.token(t, auth.RoleEditor)
			ed := bearer(tok)
			cat := decode[api.AdminCategoryDTO](t, app.send(http.MethodPost, "/api/v1/admin/categories", api.CreateCategoryRequest{
				Translations: []api.CategoryTranslationDTO{{Locale: "en", Name: "Valid"}}}, ed), http.StatusCreated)
			tg := decode[api.AdminTagDTO](t, app.send(http.MethodPost, "/api/v1/admin/tags", api.CreateTagRequest{
				Translations: []api.TagTranslationDTO{{Locale: "en", Name: "Validated"}}}, ed), http.StatusCreated)
			m := decode[api.AdminMediaDTO](t, app.upload(file{"v.jpg", "", photo(t, 400, 300)}, tok, "alt[en]", "Before"), http.StatusCreated)
			a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
				"category_id": cat.ID, "tag_ids": []string{tg.ID}, "cover_media_id": m.ID,
				"translations": []map[string]string{{"locale": "en", "title": "Validators", "body": "<p>x</p>"}}}, ed), http.StatusCreated)
			a = decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+a.ID+"/publish", nil, ed, ifMatch(a.Version)), http.StatusOK)
			target := "/api/v1/articles/" + a.ID

			last := app.get(target)
			step := func(what string, change func()) {
				t.Helper()
				app.clock.Set(app.clock.Now().Add(2 * time.Second))
				change()
				if rec := app.get(target, "If-Modified-Since: "+last.Header().Get("Last-Modified")); rec.Code != http.StatusOK {
					t.Errorf("%s: If-Modified-Since got %d, want 200", what, rec.Code)
				}
				if rec := app.get(target, "If-None-Match: "+last.Header().Get("ETag")); rec.Code != http.StatusOK {
					t.Errorf("%s: If-None-Match got %d, want 200", what, rec.Code)
				}
				now := app.get(target)
				was, _ := http.ParseTime(last.Header().Get("Last-Modified"))
				is, _ := http.ParseTime(now.Header().Get("Last-Modified"))
				if !is.After(was) || now.Header().Get("ETag") == last.Header().Get("ETag") {
					t.Errorf("%s: Last-Modified %v → %v, ETag %s → %s", what, was, is, last.Header().Get("ETag"), now.Header().Get("ETag"))
				}
				// Unchanged since: 304 again.
				if rec := app.get(target, "If-Modified-Since: "+now.Header().Get("Last-Modified")); rec.Code != http.StatusNotModified {
					t.Errorf("%s: unchanged If-Modified-Since got %d", what, rec.Code)
				}
				last = now
			}
			step("category rename", func() {
				decode[api.AdminCategoryDTO](t, app.send(http.MethodPatch, "/api/v1/admin/categories/"+cat.ID, api.UpdateCategoryRequest{
					Translations: []api.CategoryTranslationDTO{{Locale: "en", Name: "Renamed"}}}, ed), http.StatusOK)
			})
			step("tag rename", func() {
				decode[api.AdminTagDTO](t, app.send(http.MethodPatch, "/api/v1/admin/tags/"+tg.ID, api.UpdateTagRequest{
					Translations: []api.TagTranslationDTO{{Locale: "en", Name: "Renamed tag"}}}, ed), http.StatusOK)
			})
			step("cover alt text", func() {
				after := "After"
				decode[api.AdminMediaDTO](t, app.send(http.MethodPatch, "/api/v1/admin/media/"+m.ID, api.UpdateMediaRequest{
					Translations: []api.MediaTranslationPatch{{Locale: "en", Alt: &after}}}, ed), http.StatusOK)
			})
			revs := decode[api.RevisionList](t, app.get(adminArticles+"/"+a.ID+"/revisions", ed), http.StatusOK)
			step("tag deleted", func() {
				if rec := app.do(http.MethodDelete, "/api/v1/admin/tags/"+tg.ID, nil, ed); rec.Code != http.StatusNoContent {
					t.Fatalf("delete tag: %d %s", rec.Code, rec.Body)
				}
			})
			after := decode[api.AdminArticleDTO](t, app.get(adminArticles+"/"+a.ID, ed), http.StatusOK)
			if after.Version != a.Version+1 || len(after.TagIDs) != 0 {
				t.Errorf("after the tag's deletion: version %d (was %d), tags %v", after.Version, a.Version, after.TagIDs)
			}
			revs2 := decode[api.RevisionList](t, app.get(adminArticles+"/"+a.ID+"/revisions", ed), http.StatusOK)
			if *revs2.Meta.Total != *revs.Meta.Total+1 || revs2.Data[0].Version != after.Version {
				t.Errorf("revisions %d → %d, newest v%d", *revs.Meta.Total, *revs2.Meta.Total, revs2.Data[0].Version)
			}
		})
	}
}
