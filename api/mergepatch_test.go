package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// TestPatchIsMergePatch: PATCH follows RFC 7396 for the article and each translation it
// names (absent keeps, null removes); fixing a headline never touches the body; PUT of a
// translation replaces it.
func TestPatchIsMergePatch(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		ed := bearer(tok)
		cats := getJSON[api.CategoryList](t, app, "/api/v1/categories", http.StatusOK)
		tags := getJSON[api.TagList](t, app, "/api/v1/tags", http.StatusOK)
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
			"category_id": cats.Data[0].ID, "featured": true, "tag_ids": []string{tags.Data[0].ID},
			"translations": []map[string]string{
				{"locale": "en", "title": "Old headline", "summary": "Sum", "body": "<p>The <em>body</em> & more</p>", "meta_title": "MT"},
				{"locale": "az", "title": "Başlıq", "body": "<p>Mətn</p>"},
			}}, ed), http.StatusCreated)
		path := adminArticles + "/" + a.ID
		v := 1
		a = decode[api.AdminArticleDTO](t, app.send(http.MethodPost, path+"/publish", nil, ed, ifMatch(v)), http.StatusOK)
		v = a.Version
		tr := func(d api.AdminArticleDTO, l string) api.AdminTranslationDTO {
			for _, x := range d.Translations {
				if x.Locale == l {
					return x
				}
			}
			t.Fatalf("no %s translation in %+v", l, d.Translations)
			return api.AdminTranslationDTO{}
		}
		enBefore, azBefore := tr(a, "en"), tr(a, "az")

		// A new headline only: body, summary, meta and the other locale stay byte for byte.
		b := decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, path, map[string]any{
			"translations": []map[string]any{{"locale": "en", "title": "New headline"}}}, ed, ifMatch(v)), http.StatusOK)
		v = b.Version
		en := tr(b, "en")
		if en.Title != "New headline" || en.Body != enBefore.Body || en.Summary != "Sum" || en.MetaTitle != "MT" ||
			en.Slug != enBefore.Slug || en.ReadingMinutes != enBefore.ReadingMinutes || tr(b, "az") != azBefore {
			t.Errorf("title patch changed more than the title: %+v (was %+v)", en, enBefore)
		}
		if b.Status != "published" || b.CategoryID == nil || !b.Featured || len(b.TagIDs) != 1 {
			t.Errorf("article fields moved: %+v", b)
		}
		pub := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+a.ID+"?locale=en", http.StatusOK)
		if pub.Body != enBefore.Body || pub.Title != "New headline" {
			t.Errorf("public: %q / %q", pub.Title, pub.Body)
		}

		// null removes: summary, meta_title; category, tags, featured at the article level.
		b = decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, path, map[string]any{
			"category_id": nil, "tag_ids": nil, "featured": nil,
			"translations": []map[string]any{{"locale": "en", "summary": nil, "meta_title": nil}}}, ed, ifMatch(v)), http.StatusOK)
		v = b.Version
		en = tr(b, "en")
		if en.Summary != "" || en.MetaTitle != "" || en.Body != enBefore.Body || en.Title != "New headline" {
			t.Errorf("null summary/meta_title: %+v", en)
		}
		if b.CategoryID != nil || len(b.TagIDs) != 0 || b.Featured {
			t.Errorf("null article fields: %+v", b)
		}
		// A new body is rendered (Markdown too) and its reading time follows.
		b = decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, path, map[string]any{
			"translations": []map[string]any{{"locale": "en", "body": "Some *new* text", "body_format": "markdown"}}}, ed, ifMatch(v)), http.StatusOK)
		v = b.Version
		if en = tr(b, "en"); !strings.Contains(en.Body, "<em>new</em>") || en.Title != "New headline" {
			t.Errorf("body patch: %+v", en)
		}
		// null slug: generated again from the title.
		b = decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, path, map[string]any{
			"translations": []map[string]any{{"locale": "en", "slug": nil}}}, ed, ifMatch(v)), http.StatusOK)
		v = b.Version
		if en = tr(b, "en"); en.Slug != "new-headline" {
			t.Errorf("null slug: %q", en.Slug)
		}
		// A title cannot be removed; a new locale needs one; nothing is written.
		for _, body := range []map[string]any{
			{"translations": []map[string]any{{"locale": "en", "title": nil}}},
			{"translations": []map[string]any{{"locale": "en", "title": " "}}},
			{"translations": []map[string]any{{"locale": "ru", "body": "<p>Текст</p>"}}},
		} {
			p := problem(t, app.send(http.MethodPatch, path, body, ed, ifMatch(v)), http.StatusBadRequest)
			if len(p.Errors) != 1 || p.Errors[0].Field != "translations[0].title" {
				t.Errorf("%v: %+v", body, p.Errors)
			}
		}
		// A new locale through PATCH.
		b = decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, path, map[string]any{
			"translations": []map[string]any{{"locale": "ru", "title": "Заголовок"}}}, ed, ifMatch(v)), http.StatusOK)
		v = b.Version
		if ru := tr(b, "ru"); ru.Title != "Заголовок" || ru.Body != "" || ru.Slug == "" {
			t.Errorf("new ru: %+v", ru)
		}
		// The merge-patch media type is accepted.
		b = decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, path, map[string]any{"featured": true}, ed, ifMatch(v),
			"Content-Type: application/merge-patch+json"), http.StatusOK)
		v = b.Version
		if !b.Featured {
			t.Error("merge-patch+json body ignored")
		}

		// PUT replaces: what it leaves out is emptied (the slug is kept).
		b = decode[api.AdminArticleDTO](t, app.send(http.MethodPut, path+"/translations/az", map[string]any{"title": "Yeni başlıq"}, ed, ifMatch(v)), http.StatusOK)
		if az := tr(b, "az"); az.Title != "Yeni başlıq" || az.Body != "" || az.Slug != azBefore.Slug {
			t.Errorf("PUT: %+v", az)
		}
	})
}
