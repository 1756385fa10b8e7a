package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
)

// TestDetailServesTheBodyItPicked: a detail loads only the body of the translation it
// serves (every body when that one is empty, for the fallback). Whatever picks the
// translation — a slug's own locale, one two locales share, ?locale=, Accept-Language, a
// translation in a locale no longer configured — the body shown is that translation's, or
// the fallback's when it has none, never an empty one left out by the query.
func TestDetailServesTheBodyItPicked(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		n := newNewsroom(t, app)
		at := time.Now().Add(-time.Hour)
		all := n.article(map[string]string{"az": "Bütün dillər", "en": "Every language", "ru": "Все языки"}, "", nil, &at)
		noEN := n.article(map[string]string{"az": "İngiliscə mətni yox", "en": "No English text"}, "", nil, &at)
		shared := n.article(map[string]string{"az": "Ortaq slaq", "en": "Shared slug", "ru": "Общий слаг"}, "", nil, &at)
		retired := n.article(map[string]string{"en": "A retired locale"}, "", nil, &at)
		db := app.db.Gorm()
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{"UPDATE article_translations SET body = '' WHERE article_id = ? AND locale = 'en'", []any{noEN.ID}},
			{"UPDATE article_translations SET slug = (SELECT slug FROM article_translations WHERE article_id = ? AND locale = 'az') WHERE article_id = ? AND locale = 'en'", []any{shared.ID, shared.ID}},
			// A locale the site served once: its row stays, but no chain names it.
			{"INSERT INTO article_translations (article_id, locale, title, slug, body, created_at, updated_at) VALUES (?, 'de', 'Ein alter', 'ein-alter-" + retired.ID[:8] + "', '<p>de</p>', ?, ?)", []any{retired.ID, at, at}},
		} {
			if err := db.Exec(q.sql, q.args...).Error; err != nil {
				t.Fatal(err)
			}
		}
		for _, a := range []api.AdminArticleDTO{all, noEN, shared, retired} {
			var trs []struct{ Locale, Slug, Body string }
			if err := db.Raw("SELECT locale, slug, body FROM article_translations WHERE article_id = ? ORDER BY locale", a.ID).Scan(&trs).Error; err != nil {
				t.Fatal(err)
			}
			bodies := map[string]string{}
			type req struct{ target, accept string }
			reqs := []req{{"/api/v1/articles/" + a.ID, ""}, {"/api/v1/articles/" + a.ID, "Accept-Language: ru"}}
			for _, l := range []string{"az", "en", "ru"} {
				reqs = append(reqs, req{"/api/v1/articles/" + a.ID + "?locale=" + l, ""})
			}
			for _, tr := range trs {
				bodies[tr.Locale] = tr.Body
				reqs = append(reqs, req{"/api/v1/articles/" + url.PathEscape(tr.Slug), ""}, req{"/api/v1/articles/" + url.PathEscape(tr.Slug), "Accept-Language: az"})
			}
			for _, r := range reqs {
				var hdr []string
				if r.accept != "" {
					hdr = append(hdr, r.accept)
				}
				d := getJSON[api.ArticleDTO](t, app, r.target, http.StatusOK, hdr...)
				want, from := bodies[d.Locale], ""
				if want == "" {
					// The fallback: some other translation's body, and which one it is named.
					want, from = bodies[d.BodyLocale], d.BodyLocale
					if from == "" || from == d.Locale {
						t.Errorf("%s %s: served %s, which has no body, without a body_locale (%q)", r.target, r.accept, d.Locale, d.BodyLocale)
					}
				}
				if d.Body != want || d.BodyLocale != from || d.Body == "" {
					t.Errorf("%s %s: served %s with body %q from %q; want %q from %q", r.target, r.accept, d.Locale, d.Body, d.BodyLocale, want, from)
				}
			}
		}
	})
}

// TestResponsesKeepMarkupUnescaped: a body's HTML reaches the client as written, not as
// \u003c escapes (jsonSerializer), and invalid UTF-8 in a stored string still becomes
// U+FFFD, so the response stays valid JSON.
func TestResponsesKeepMarkupUnescaped(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		n := newNewsroom(t, app)
		at := time.Now().Add(-time.Hour)
		a := n.article(map[string]string{"en": "Markup & more"}, "", nil, &at)
		if err := app.db.Gorm().Exec("UPDATE article_translations SET body = ? WHERE article_id = ?",
			"<p>Tom &amp; Jerry > \"cats\"</p>", a.ID).Error; err != nil {
			t.Fatal(err)
		}
		rec := app.get("/api/v1/articles/" + a.ID)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		raw := rec.Body.String()
		if !strings.Contains(raw, `"body":"<p>Tom &amp; Jerry > \"cats\"</p>"`) || strings.Contains(raw, `\u003c`) {
			t.Errorf("body not sent as written: %.300s", raw)
		}
		if !strings.Contains(raw, `"title":"Markup & more"`) {
			t.Errorf("title escaped: %.300s", raw)
		}
		if app.dialect == "sqlite" { // PostgreSQL refuses invalid UTF-8 on the way in
			if err := app.db.Gorm().Exec("UPDATE article_translations SET summary = CAST(X'41FF42' AS TEXT) WHERE article_id = ?", a.ID).Error; err != nil {
				t.Fatal(err)
			}
			d := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+a.ID, http.StatusOK)
			if d.Summary != "A\uFFFDB" {
				t.Errorf("invalid UTF-8 summary decoded as %q", d.Summary)
			}
		}
	})
}
