package api_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/testkit"
)

// newsroom writes articles through the Admin API as an editor.
type newsroom struct {
	t   *testing.T
	app *testApp
	h   string
}

func newNewsroom(t *testing.T, app *testApp) *newsroom {
	tok, _ := app.token(t, auth.RoleEditor)
	return &newsroom{t: t, app: app, h: bearer(tok)}
}

func (n *newsroom) category(name string) string {
	n.t.Helper()
	return decode[api.AdminCategoryDTO](n.t, n.app.send(http.MethodPost, "/api/v1/admin/categories",
		api.CreateCategoryRequest{Translations: []api.CategoryTranslationDTO{{Locale: "en", Name: name}}}, n.h), http.StatusCreated).ID
}

func (n *newsroom) tag(name string) string {
	n.t.Helper()
	return decode[api.AdminTagDTO](n.t, n.app.send(http.MethodPost, "/api/v1/admin/tags",
		api.CreateTagRequest{Translations: []api.TagTranslationDTO{{Locale: "en", Name: name}}}, n.h), http.StatusCreated).ID
}

// article creates an article with titles by locale, in category (when not ""), with tags,
// and publishes it at at (nil: leaves it a draft); it returns the article.
func (n *newsroom) article(titles map[string]string, category string, tags []string, at *time.Time) api.AdminArticleDTO {
	n.t.Helper()
	req := api.CreateArticleRequest{TagIDs: tags}
	if category != "" {
		req.CategoryID = &category
	}
	for _, l := range []string{"az", "en", "ru"} {
		if title, ok := titles[l]; ok {
			req.Translations = append(req.Translations, api.TranslationRequest{Locale: l, Title: title, Body: "<p>" + title + "</p>"})
		}
	}
	a := decode[api.AdminArticleDTO](n.t, n.app.send(http.MethodPost, adminArticles, req, n.h), http.StatusCreated)
	if at == nil {
		return a
	}
	return decode[api.AdminArticleDTO](n.t, n.app.send(http.MethodPost, adminArticles+"/"+a.ID+"/publish",
		api.PublishRequest{PublishedAt: at}, n.h, ifMatch(a.Version)), http.StatusOK)
}

func relatedIDs(d api.ArticleDTO) []string {
	ids := make([]string, len(d.Related))
	for i, r := range d.Related {
		ids[i] = r.ID
	}
	return ids
}

// TestRelatedArticles: the detail lists the newest visible articles of its category or
// sharing a tag with it, translated into the locale it is served in, at most five, and
// never itself, a draft, a scheduled article or an unrelated one.
func TestRelatedArticles(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		n := newNewsroom(t, app)
		cat, other := n.category("Rights"), n.category("Weather")
		shared, lonely := n.tag("Prisons"), n.tag("Snow")
		now := app.clock.Now()
		ago := func(h int) *time.Time { at := now.Add(-time.Duration(h) * time.Hour); return &at }

		main := n.article(map[string]string{"en": "Main story", "az": "Əsas xəbər"}, cat, []string{shared}, ago(100))
		sameCatEN := n.article(map[string]string{"en": "Same category, English"}, cat, nil, ago(5))
		sharedTagAZ := n.article(map[string]string{"az": "Ortaq etiket"}, other, []string{shared, lonely}, ago(4))
		both := n.article(map[string]string{"en": "Both, English", "az": "Hər ikisi"}, cat, []string{shared}, ago(3))
		n.article(map[string]string{"en": "Unrelated", "az": "Əlaqəsiz"}, other, []string{lonely}, ago(1))
		n.article(map[string]string{"en": "A draft of the category", "az": "Qaralama"}, cat, []string{shared}, nil)
		n.article(map[string]string{"en": "Scheduled, same category", "az": "Planlaşdırılıb"}, cat, []string{shared}, ptr(now.Add(time.Hour)))

		en := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+main.ID+"?locale=en", http.StatusOK)
		if got, want := relatedIDs(en), []string{both.ID, sameCatEN.ID}; !equal(got, want) {
			t.Errorf("related in en = %v, want %v", got, want)
		}
		if r := en.Related[0]; r.Locale != "en" || r.Title != "Both, English" || r.Slug == "" || r.PublishedAt.IsZero() {
			t.Errorf("related card %+v", r)
		}
		az := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+main.ID+"?locale=az", http.StatusOK)
		if got, want := relatedIDs(az), []string{both.ID, sharedTagAZ.ID}; !equal(got, want) {
			t.Errorf("related in az = %v, want %v", got, want)
		}
		if az.Related[0].Locale != "az" || az.Related[0].Title != "Hər ikisi" {
			t.Errorf("az card %+v", az.Related[0])
		}
		// Asked by its Azerbaijani slug with no locale named, the article is served in az,
		// and so are its related articles; asked in ru it falls back to en, and so do they.
		azSlug := ""
		for _, tr := range main.Translations {
			if tr.Locale == "az" {
				azSlug = tr.Slug
			}
		}
		if bySlug := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+url.PathEscape(azSlug), http.StatusOK); bySlug.Locale != "az" || !equal(relatedIDs(bySlug), relatedIDs(az)) {
			t.Errorf("by az slug: served %s, related %v", bySlug.Locale, relatedIDs(bySlug))
		}
		if ru := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+main.ID+"?locale=ru", http.StatusOK); ru.Locale != "en" || !equal(relatedIDs(ru), relatedIDs(en)) {
			t.Errorf("ru falls back to %s with related %v", ru.Locale, relatedIDs(ru))
		}

		// At most MaxRelated, the newest first.
		var newest []string
		for i := range content.MaxRelated + 2 {
			a := n.article(map[string]string{"en": "Fresh " + string(rune('a'+i))}, cat, nil, ptr(now.Add(-time.Duration(60-i)*time.Minute)))
			newest = append([]string{a.ID}, newest...)
		}
		en = getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+main.ID+"?locale=en", http.StatusOK)
		if got := relatedIDs(en); !equal(got, newest[:content.MaxRelated]) {
			t.Errorf("related = %v, want the newest %v", got, newest[:content.MaxRelated])
		}
		// An article with no category and no tags has none (the field is absent).
		alone := n.article(map[string]string{"en": "Alone"}, "", nil, ago(1))
		if d := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+alone.ID, http.StatusOK); d.Related != nil {
			t.Errorf("alone has related %v", relatedIDs(d))
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRelatedArticleCover: a related article shows its cover with its text in the served
// locale, loaded by the detail's one statement.
func TestRelatedArticleCover(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a := newMediaApp(t, d, "disk", media.Config{})
			tok, _ := a.token(t, auth.RoleEditor)
			m := decode[api.MediaDTO](t, a.upload(file{"cover.jpg", "image/jpeg", photo(t, 64, 48)}, tok, "alt[en]", "A harbour"), http.StatusCreated)
			n := newNewsroom(t, a.testApp)
			cat := n.category("Ports")
			ed := newEditor(t, a.testApp)
			withCover := ed.write(http.MethodPost, adminArticles, api.CreateArticleRequest{CoverMediaID: &m.ID, CategoryID: &cat,
				Translations: []api.TranslationRequest{{Locale: "en", Title: "With a cover", Body: "<p>x</p>"}}}, "")
			ed.publish(withCover.ID, nil)
			main := ed.write(http.MethodPost, adminArticles, api.CreateArticleRequest{CategoryID: &cat,
				Translations: []api.TranslationRequest{{Locale: "en", Title: "Main", Body: "<p>y</p>"}}}, "")
			ed.publish(main.ID, nil)
			queries := countQueries(t, a.testApp)
			got := getJSON[api.ArticleDTO](t, a.testApp, "/api/v1/articles/"+main.ID+"?locale=en", http.StatusOK)
			if n := queries(); n != 1 {
				t.Errorf("the detail with a related cover ran %d queries, want 1", n)
			}
			if len(got.Related) != 1 || got.Related[0].ID != withCover.ID {
				t.Fatalf("related %+v", got.Related)
			}
			if c := got.Related[0].Cover; c == nil || c.ID != m.ID || c.Alt != "A harbour" {
				t.Fatalf("related cover %+v", c)
			}
		})
	}
}
