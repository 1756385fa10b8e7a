package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

const adminArticles = "/api/v1/admin/articles"

func ifMatch(v int) string { return fmt.Sprintf(`If-Match: "%d"`, v) }

// etag checks rec carries ETag "<want>".
func etag(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if got := rec.Header().Get("ETag"); got != fmt.Sprintf(`"%d"`, want) {
		t.Fatalf("ETag %q, want \"%d\"", got, want)
	}
}

func translation(a api.AdminArticleDTO, locale string) (api.AdminTranslationDTO, bool) {
	for _, t := range a.Translations {
		if t.Locale == locale {
			return t, true
		}
	}
	return api.AdminTranslationDTO{}, false
}

// TestEditorWorkflow is the story: log in, write a draft in Azerbaijani, add English
// and Russian, schedule it, watch it become public on time with nobody calling anything,
// lose a race with a stale version (412, nothing overwritten), and restore a revision.
func TestEditorWorkflow(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, editorID := app.token(t, auth.RoleEditor)
		as := bearer(tok)

		rec := app.send(http.MethodPost, adminArticles, api.CreateArticleRequest{Translations: []api.TranslationRequest{{
			Locale: "az", Title: "Gələcək əməkdaşlıq perspektivləri", Summary: "Qısa məzmun",
			Body: `<p>Ombudsman <strong>görüş</strong> keçirdi.</p><script>alert(1)</script>`,
		}}}, as)
		a := decode[api.AdminArticleDTO](t, rec, http.StatusCreated)
		etag(t, rec, 1)
		if a.Status != "draft" || a.Version != 1 || a.AuthorID == nil || *a.AuthorID != editorID.String() {
			t.Fatalf("draft = %+v", a)
		}
		az, _ := translation(a, "az")
		if az.Slug != "gelecek-emekdashliq-perspektivleri" || strings.Contains(az.Body, "script") || az.ReadingMinutes != 1 {
			t.Fatalf("az translation = %+v", az)
		}
		if rec.Header().Get("Location") != adminArticles+"/"+a.ID {
			t.Errorf("Location %q", rec.Header().Get("Location"))
		}
		path := adminArticles + "/" + a.ID

		// English with If-Match, Russian (Markdown) with a version field.
		rec = app.send(http.MethodPut, path+"/translations/en", api.PutTranslationRequest{Title: "Prospects for future cooperation", Body: "<p>The Ombudsman met.</p>"}, as, ifMatch(1))
		a = decode[api.AdminArticleDTO](t, rec, http.StatusOK)
		etag(t, rec, 2)
		v := 2
		rec = app.send(http.MethodPut, path+"/translations/ru", api.PutTranslationRequest{Version: &v, Title: "Перспективы сотрудничества", Body: "Омбудсман **провёл** встречу.", BodyFormat: "markdown"}, as)
		a = decode[api.AdminArticleDTO](t, rec, http.StatusOK)
		ru, _ := translation(a, "ru")
		if a.Version != 3 || len(a.Translations) != 3 || ru.Slug != "perspektivy-sotrudnichestva" || !strings.Contains(ru.Body, "<strong>провёл</strong>") {
			t.Fatalf("after translations: version %d, ru %+v", a.Version, ru)
		}
		rec = app.get(path, as)
		etag(t, rec, 3)

		// Preview of the draft in Russian, before anything is public.
		pv := decode[api.ArticleDTO](t, app.get(path+"/preview?locale=ru", as), http.StatusOK)
		if pv.Locale != "ru" || pv.Title != "Перспективы сотрудничества" || len(pv.Translations) != 3 {
			t.Fatalf("preview = %+v", pv)
		}
		problem(t, app.get("/api/v1/articles/"+a.ID), http.StatusNotFound)

		// Schedule an hour ahead.
		at := app.clock.Now().Add(time.Hour).UTC().Truncate(time.Second)
		rec = app.send(http.MethodPost, path+"/publish", api.PublishRequest{PublishedAt: &at}, as, ifMatch(3))
		a = decode[api.AdminArticleDTO](t, rec, http.StatusOK)
		if a.Status != "scheduled" || a.PublishedAt == nil || !a.PublishedAt.Equal(at) || a.Version != 4 {
			t.Fatalf("scheduled = %+v", a)
		}
		problem(t, app.get("/api/v1/articles/prospects-for-future-cooperation"), http.StatusNotFound)
		app.clock.Set(at.Add(time.Second))
		pub := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/prospects-for-future-cooperation", http.StatusOK)
		if pub.ID != a.ID || pub.Locale != "en" {
			t.Fatalf("public after schedule = %+v", pub)
		}
		// An hour on, the access token has expired: log in again.
		as = bearer(app.login(t, mustEmail(t, app, editorID), testPassword).AccessToken)

		// A colleague's stale version: 412 with the current version, nothing written — on
		// every write path.
		featured := true
		for _, w := range []struct {
			method, path string
			body         any
		}{
			{http.MethodPatch, path, api.UpdateArticleRequest{Featured: api.Value(featured)}},
			{http.MethodPut, path + "/translations/en", api.PutTranslationRequest{Title: "Overwritten"}},
			{http.MethodDelete, path + "/translations/ru", nil},
			{http.MethodPost, path + "/publish", nil},
			{http.MethodPost, path + "/unpublish", nil},
			{http.MethodPost, path + "/archive", nil},
			{http.MethodPost, path + "/revisions/1/restore", nil},
			{http.MethodDelete, path, nil},
		} {
			rec := app.send(w.method, w.path, w.body, as, ifMatch(3))
			p := problem(t, rec, http.StatusPreconditionFailed)
			if p.CurrentVersion == nil || *p.CurrentVersion != 4 || rec.Header().Get("ETag") != `"4"` {
				t.Errorf("%s %s stale: %+v", w.method, w.path, p)
			}
			problem(t, app.send(w.method, w.path, w.body, as), http.StatusPreconditionRequired)
		}
		stale := 3
		p := problem(t, app.send(http.MethodPatch, path, api.UpdateArticleRequest{Version: &stale, Featured: api.Value(featured)}, as), http.StatusPreconditionFailed)
		if *p.CurrentVersion != 4 {
			t.Errorf("stale version field: %+v", p)
		}
		problem(t, app.send(http.MethodPatch, path, api.UpdateArticleRequest{Version: &stale}, as, ifMatch(4)), http.StatusBadRequest)
		problem(t, app.send(http.MethodPatch, path, api.UpdateArticleRequest{}, as, "If-Match: *"), http.StatusBadRequest)
		a = decode[api.AdminArticleDTO](t, app.get(path, as), http.StatusOK)
		if en, _ := translation(a, "en"); a.Version != 4 || a.Featured || en.Title != "Prospects for future cooperation" {
			t.Fatalf("a stale write changed the article: %+v", a)
		}

		// Fix a typo with the current version, then restore revision 2 (az + en).
		rec = app.send(http.MethodPut, path+"/translations/en", api.PutTranslationRequest{Title: "Prospects for future co-operation"}, as, ifMatch(4))
		a = decode[api.AdminArticleDTO](t, rec, http.StatusOK)
		if en, _ := translation(a, "en"); en.Slug != "prospects-for-future-cooperation" || a.Version != 5 {
			t.Fatalf("typo fix changed the slug or version: %+v", a)
		}
		revs := decode[api.RevisionList](t, app.get(path+"/revisions", as), http.StatusOK)
		if len(revs.Data) != 5 || revs.Data[0].Version != 5 || revs.Data[4].Version != 1 || *revs.Meta.Total != 5 {
			t.Fatalf("revisions = %+v", revs)
		}
		r2 := decode[api.RevisionDTO](t, app.get(path+"/revisions/2", as), http.StatusOK)
		if r2.Article == nil || len(r2.Article.Translations) != 2 || r2.Titles["en"] != "Prospects for future cooperation" {
			t.Fatalf("revision 2 = %+v", r2)
		}
		problem(t, app.get(path+"/revisions/99", as), http.StatusNotFound)
		rec = app.send(http.MethodPost, path+"/revisions/2/restore", nil, as, ifMatch(5))
		a = decode[api.AdminArticleDTO](t, rec, http.StatusOK)
		etag(t, rec, 6)
		if en, _ := translation(a, "en"); a.Version != 6 || len(a.Translations) != 2 || en.Title != "Prospects for future cooperation" || a.Status != "scheduled" {
			t.Fatalf("restored = %+v", a)
		}
		revs = decode[api.RevisionList](t, app.get(path+"/revisions", as), http.StatusOK)
		if len(revs.Data) != 6 || revs.Data[1].Titles["en"] != "Prospects for future co-operation" {
			t.Fatalf("history after restore = %+v", revs.Data)
		}

		// The last translation cannot go; soft delete leaves a tombstone.
		rec = app.send(http.MethodDelete, path+"/translations/en", nil, as, ifMatch(6))
		decode[api.AdminArticleDTO](t, rec, http.StatusOK)
		problem(t, app.send(http.MethodDelete, path+"/translations/az", nil, as, ifMatch(7)), http.StatusConflict)
		if rec := app.send(http.MethodDelete, path, nil, as, ifMatch(7)); rec.Code != http.StatusNoContent {
			t.Fatalf("delete: %d %s", rec.Code, rec.Body)
		}
		problem(t, app.get(path, as), http.StatusNotFound)
		problem(t, app.get("/api/v1/articles/"+a.ID), http.StatusNotFound)
		var deleted int64
		if err := app.db.Gorm().Raw("SELECT COUNT(*) FROM articles WHERE id = ? AND deleted_at IS NOT NULL", a.ID).Scan(&deleted).Error; err != nil || deleted != 1 {
			t.Fatalf("tombstone: %d, %v", deleted, err)
		}
	})
}

// TestAuthorsOwnDraftsOnly: authors write their own drafts; they cannot publish, delete, or
// touch a colleague's work, and lose edit rights once a draft is scheduled.
func TestAuthorsOwnDraftsOnly(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		aliceTok, _ := app.token(t, auth.RoleAuthor)
		bobTok, _ := app.token(t, auth.RoleAuthor)
		edTok, _ := app.token(t, auth.RoleEditor)
		alice, bob, ed := bearer(aliceTok), bearer(bobTok), bearer(edTok)

		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, api.CreateArticleRequest{
			Translations: []api.TranslationRequest{{Locale: "az", Title: "Alisənin qaralaması"}}}, alice), http.StatusCreated)
		path := adminArticles + "/" + a.ID

		p := problem(t, app.send(http.MethodPut, path+"/translations/en", api.PutTranslationRequest{Title: "Bob was here"}, bob, ifMatch(1)), http.StatusForbidden)
		if !strings.Contains(p.Detail, "own") {
			t.Errorf("detail %q", p.Detail)
		}
		problem(t, app.send(http.MethodPatch, path, api.UpdateArticleRequest{}, bob, ifMatch(1)), http.StatusForbidden)
		problem(t, app.send(http.MethodPost, path+"/revisions/1/restore", nil, bob, ifMatch(1)), http.StatusForbidden)
		for _, action := range []string{"/publish", "/unpublish", "/archive"} {
			problem(t, app.send(http.MethodPost, path+action, nil, alice, ifMatch(1)), http.StatusForbidden)
		}
		problem(t, app.send(http.MethodDelete, path, nil, alice, ifMatch(1)), http.StatusForbidden)
		problem(t, app.send(http.MethodPost, "/api/v1/admin/categories", api.CreateCategoryRequest{Translations: []api.CategoryTranslationDTO{{Locale: "az", Name: "X"}}}, alice), http.StatusForbidden)
		problem(t, app.send(http.MethodPut, "/api/v1/admin/settings", api.PutSettingsRequest{Locale: "az", Settings: map[string]*string{}}, alice), http.StatusForbidden)

		// Her own draft: yes. Nothing was changed by the refused calls.
		rec := app.send(http.MethodPut, path+"/translations/en", api.PutTranslationRequest{Title: "Alice's draft"}, alice, ifMatch(1))
		a = decode[api.AdminArticleDTO](t, rec, http.StatusOK)
		if a.Version != 2 || len(a.Translations) != 2 {
			t.Fatalf("own edit = %+v", a)
		}
		// Once an editor schedules it, it is no longer hers to edit.
		inAnHour := app.clock.Now().Add(time.Hour)
		decode[api.AdminArticleDTO](t, app.send(http.MethodPost, path+"/publish", api.PublishRequest{PublishedAt: &inAnHour}, ed, ifMatch(2)), http.StatusOK)
		problem(t, app.send(http.MethodPut, path+"/translations/en", api.PutTranslationRequest{Title: "Late"}, alice, ifMatch(3)), http.StatusForbidden)
		// Nobody signed in: 401.
		problem(t, app.send(http.MethodPost, adminArticles, api.CreateArticleRequest{}), http.StatusUnauthorized)
	})
}

// TestHostileAdminInput: SQL-looking text is stored as text, filters are allow-listed,
// oversized and unknown fields are refused, markup is sanitized.
func TestHostileAdminInput(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		as := bearer(tok)
		sqlTitle := `Robert'); DROP TABLE articles;-- " OR 1=1`
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, api.CreateArticleRequest{Translations: []api.TranslationRequest{{
			Locale: "en", Title: sqlTitle, Summary: "1' OR '1'='1",
			Body: `<p onmouseover="steal()">x</p><img src="javascript:alert(1)"><iframe src="https://evil.example/x"></iframe><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>`,
		}}}, as), http.StatusCreated)
		en, _ := translation(a, "en")
		if en.Title != sqlTitle || en.Summary != "1' OR '1'='1" || en.Slug != "robert-drop-table-articles-or-1-1" {
			t.Fatalf("SQL-looking text = %+v", en)
		}
		if en.Body != `<p>x</p><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>` {
			t.Fatalf("sanitized body = %q", en.Body)
		}
		var n int64
		if err := app.db.Gorm().Raw("SELECT COUNT(*) FROM articles").Scan(&n).Error; err != nil || n < 40 {
			t.Fatalf("articles table: %d, %v", n, err)
		}

		for _, q := range []string{"status=draft'%20OR%201=1", "status=deleted", "author=1%20OR%201=1", "category=x", "missing_locale=de", "per_page=1000", "page=0"} {
			problem(t, app.get(adminArticles+"?"+q, as), http.StatusBadRequest)
		}
		l := decode[api.AdminArticleList](t, app.get(adminArticles+"?status=draft,scheduled&per_page=100", as), http.StatusOK)
		for _, it := range l.Data {
			if it.Status != "draft" && it.Status != "scheduled" {
				t.Errorf("status filter let %s through", it.Status)
			}
			for _, tr := range it.Translations {
				if tr.Body != "" {
					t.Errorf("list item carries a body")
				}
			}
		}
		if len(l.Data) != 3 { // the demo's draft and scheduled article, and ours
			t.Errorf("%d drafts/scheduled, want 3", len(l.Data))
		}
		missing := decode[api.AdminArticleList](t, app.get(adminArticles+"?missing_locale=az&per_page=100", as), http.StatusOK)
		if len(missing.Data) == 0 || missing.Data[0].ID != a.ID {
			t.Errorf("missing_locale=az does not lead with our en-only article: %d items", len(missing.Data))
		}

		for name, body := range map[string]string{
			"unknown field":  `{"translations":[{"locale":"az","title":"x"}],"status":"published"}`,
			"wrong type":     `{"translations":[{"locale":"az","title":1}]}`,
			"no translation": `{"translations":[]}`,
			"bad locale":     `{"translations":[{"locale":"de","title":"x"}]}`,
			"bad slug":       `{"translations":[{"locale":"az","title":"x","slug":"Not A Slug"}]}`,
			"bad format":     `{"translations":[{"locale":"az","title":"x","body_format":"rtf"}]}`,
			"long title":     `{"translations":[{"locale":"az","title":"` + strings.Repeat("ə", 301) + `"}]}`,
			"bad category":   `{"category_id":"1 OR 1=1","translations":[{"locale":"az","title":"x"}]}`,
			"missing tag":    `{"tag_ids":["01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d"],"translations":[{"locale":"az","title":"x"}]}`,
			"NUL":            `{"translations":[{"locale":"az","title":"a\u0000b"}]}`,
		} {
			t.Run(name, func(t *testing.T) {
				problem(t, app.send(http.MethodPost, adminArticles, body, as), http.StatusBadRequest)
			})
		}
		big := `{"translations":[{"locale":"az","title":"x","body":"` + strings.Repeat("a", 600<<10) + `"}]}`
		problem(t, app.send(http.MethodPost, adminArticles, big, as), http.StatusBadRequest)
		huge := `{"translations":[{"locale":"az","title":"x","body":"` + strings.Repeat("a", 2<<20) + `"}]}`
		problem(t, app.send(http.MethodPost, adminArticles, huge, as), http.StatusRequestEntityTooLarge)
		problem(t, app.do(http.MethodPost, adminArticles, strings.NewReader(`{}`), as, "Content-Type: text/plain"), http.StatusUnsupportedMediaType)

		// Junk ids never reach the database.
		for _, p := range []string{"/not-a-uuid", "/1%27%20OR%201=1", "/" + a.ID + "/revisions/abc"} {
			problem(t, app.get(adminArticles+p, as), http.StatusNotFound)
		}
		// An explicit slug that another article holds is a conflict, not a silent suffix.
		p := problem(t, app.send(http.MethodPut, adminArticles+"/"+a.ID+"/translations/en", api.PutTranslationRequest{Title: "x", Slug: "prospects-for-cooperation-between-ombudsman-and-ohchr-discussed"}, as, ifMatch(1)), http.StatusConflict)
		if !strings.Contains(p.Detail, "slug") {
			t.Errorf("conflict detail %q", p.Detail)
		}
	})
}

// TestTaxonomyAndSettingsAdmin: category and tag CRUD with translations, a used category
// refuses deletion naming the count, and per-locale settings.
func TestTaxonomyAndSettingsAdmin(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		as := bearer(tok)
		cat := decode[api.AdminCategoryDTO](t, app.send(http.MethodPost, "/api/v1/admin/categories", api.CreateCategoryRequest{Position: 9,
			Translations: []api.CategoryTranslationDTO{{Locale: "az", Name: "Gənclər"}, {Locale: "ru", Name: "Молодёжь"}}}, as), http.StatusCreated)
		if len(cat.Translations) != 2 || cat.Translations[0].Slug != "gencler" || cat.Translations[1].Slug != "molodezh" {
			t.Fatalf("category = %+v", cat)
		}
		pos := 3
		cat = decode[api.AdminCategoryDTO](t, app.send(http.MethodPatch, "/api/v1/admin/categories/"+cat.ID, api.UpdateCategoryRequest{Position: &pos,
			Translations: []api.CategoryTranslationDTO{{Locale: "en", Name: "Youth"}}, RemoveLocales: []string{"ru"}}, as), http.StatusOK)
		if cat.Position != 3 || len(cat.Translations) != 2 {
			t.Fatalf("updated category = %+v", cat)
		}
		pub := getJSON[api.CategoryDTO](t, app, "/api/v1/categories/youth?locale=en", http.StatusOK)
		if pub.ID != cat.ID {
			t.Fatalf("public category = %+v", pub)
		}
		problem(t, app.send(http.MethodPost, "/api/v1/admin/categories", api.CreateCategoryRequest{Translations: []api.CategoryTranslationDTO{{Locale: "en", Name: "Other", Slug: "youth"}}}, as), http.StatusConflict)

		tag := decode[api.AdminTagDTO](t, app.send(http.MethodPost, "/api/v1/admin/tags", api.CreateTagRequest{Translations: []api.TagTranslationDTO{{Locale: "az", Name: "Şəffaflıq"}}}, as), http.StatusCreated)
		if tag.Translations[0].Slug != "sheffafliq" {
			t.Fatalf("tag = %+v", tag)
		}
		tag = decode[api.AdminTagDTO](t, app.send(http.MethodPatch, "/api/v1/admin/tags/"+tag.ID, api.UpdateTagRequest{Translations: []api.TagTranslationDTO{{Locale: "ru", Name: "Прозрачность"}}}, as), http.StatusOK)
		if len(tag.Translations) != 2 {
			t.Fatalf("updated tag = %+v", tag)
		}

		// Two articles use the category: deleting it is refused, naming how many.
		for i := range 2 {
			decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, api.CreateArticleRequest{CategoryID: &cat.ID, TagIDs: []string{tag.ID},
				Translations: []api.TranslationRequest{{Locale: "az", Title: fmt.Sprintf("Gənclər %d", i)}}}, as), http.StatusCreated)
		}
		p := problem(t, app.do(http.MethodDelete, "/api/v1/admin/categories/"+cat.ID, nil, as), http.StatusConflict)
		if !strings.Contains(p.Detail, "2 articles") {
			t.Errorf("409 detail %q does not name the count", p.Detail)
		}
		if rec := app.do(http.MethodDelete, "/api/v1/admin/tags/"+tag.ID, nil, as); rec.Code != http.StatusNoContent {
			t.Fatalf("delete tag: %d %s", rec.Code, rec.Body)
		}
		problem(t, app.do(http.MethodDelete, "/api/v1/admin/tags/"+tag.ID, nil, as), http.StatusNotFound)
		empty := decode[api.AdminCategoryDTO](t, app.send(http.MethodPost, "/api/v1/admin/categories", api.CreateCategoryRequest{Translations: []api.CategoryTranslationDTO{{Locale: "en", Name: "Empty"}}}, as), http.StatusCreated)
		if rec := app.do(http.MethodDelete, "/api/v1/admin/categories/"+empty.ID, nil, as); rec.Code != http.StatusNoContent {
			t.Fatalf("delete unused category: %d %s", rec.Code, rec.Body)
		}

		// Settings per locale; null deletes; the public endpoint sees them.
		name, phone := "Ombudsman Aparatı", "916"
		decode[api.SettingsList](t, app.send(http.MethodPut, "/api/v1/admin/settings", api.PutSettingsRequest{Locale: "az", Settings: map[string]*string{"site_name": &name}}, as), http.StatusOK)
		decode[api.SettingsList](t, app.send(http.MethodPut, "/api/v1/admin/settings", api.PutSettingsRequest{Locale: "", Settings: map[string]*string{"call_center": &phone, "hotline": &phone}}, as), http.StatusOK)
		s := getJSON[api.SettingsDTO](t, app, "/api/v1/settings?locale=az", http.StatusOK)
		if s.Settings["site_name"] != name || s.Settings["hotline"] != "916" {
			t.Fatalf("public settings = %+v", s)
		}
		decode[api.SettingsList](t, app.send(http.MethodPut, "/api/v1/admin/settings", `{"locale":"","settings":{"hotline":null}}`, as), http.StatusOK)
		if s := getJSON[api.SettingsDTO](t, app, "/api/v1/settings?locale=az", http.StatusOK); s.Settings["hotline"] != "" {
			t.Fatalf("deleted setting still served: %+v", s)
		}
		problem(t, app.send(http.MethodPut, "/api/v1/admin/settings", `{"locale":"de","settings":{"a":"b"}}`, as), http.StatusBadRequest)
		problem(t, app.send(http.MethodPut, "/api/v1/admin/settings", `{"locale":"az","settings":{"Bad Key":"b"}}`, as), http.StatusBadRequest)
	})
}

// TestAdminListQueryCount: the admin lists cost a fixed number of queries whatever the
// page size (no N+1).
func TestAdminListQueryCount(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		as := bearer(tok)
		count := func(target string) int {
			n := countQueries(t, app)
			decode[api.AdminArticleList](t, app.get(target, as), http.StatusOK)
			return n()
		}
		small, large := count(adminArticles+"?per_page=2"), count(adminArticles+"?per_page=100")
		if small != large {
			t.Errorf("admin list queries: per_page=2 → %d, per_page=100 → %d; want equal", small, large)
		}
	})
}
