package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/demo"
)

type articleList struct {
	Data []api.ArticleDTO `json:"data"`
	Meta api.ListMeta     `json:"meta"`
}

// hiddenSlugs returns the en/az slugs of articles the public must not see (draft, scheduled).
func hiddenSlugs(t *testing.T, app *testApp) []string {
	t.Helper()
	var slugs []string
	err := app.db.Gorm().Raw(`SELECT t.slug FROM article_translations t JOIN articles a ON a.id = t.article_id
		WHERE a.status IN ('draft', 'scheduled')`).Scan(&slugs).Error
	if err != nil || len(slugs) == 0 {
		t.Fatalf("demo content has no hidden articles (%v)", err)
	}
	return slugs
}

func TestListArticlesNewestFirst(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		l := getJSON[articleList](t, app, "/api/v1/articles?locale=en&per_page=100", http.StatusOK)
		if l.Meta.Total == nil || *l.Meta.Total < 41 || int(*l.Meta.Total) != len(l.Data) {
			t.Fatalf("total %v, items %d; want ≥ 41 and equal", l.Meta.Total, len(l.Data))
		}
		hidden := map[string]bool{}
		for _, s := range hiddenSlugs(t, app) {
			hidden[s] = true
		}
		for i, a := range l.Data {
			if i > 0 && a.PublishedAt.After(l.Data[i-1].PublishedAt) {
				t.Fatalf("not newest first at %d: %s after %s", i, a.PublishedAt, l.Data[i-1].PublishedAt)
			}
			if hidden[a.Slug] {
				t.Errorf("draft or scheduled article %q is listed", a.Slug)
			}
			if a.Body != "" {
				t.Errorf("list item %s carries a body without include=body", a.Slug)
			}
			if a.RequestedLocale != "en" || a.Title == "" || a.Slug == "" {
				t.Errorf("item %+v: want requested_locale en, title and slug", a)
			}
		}
		// The fixture is there with its real title and counter.
		var found bool
		for _, a := range l.Data {
			if a.Slug == demo.FixtureSlugEN {
				found = true
				if a.ReadCount != 310 || a.PublishedAt.Format("2006-01-02") != "2021-02-19" || !strings.HasPrefix(a.Title, "Prospects for future cooperation") {
					t.Errorf("fixture article = %+v", a)
				}
			}
		}
		if !found {
			t.Error("fixture article missing from the list")
		}
	})
}

func TestArticleDetailBySlugAndID(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		en := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN+"?locale=en", http.StatusOK)
		if en.Locale != "en" || en.ReadCount != 310 || !strings.Contains(en.Body, "<p>A videoconference was held") {
			t.Fatalf("en detail = %+v", en)
		}
		if len(en.Translations) != 3 {
			t.Fatalf("translations = %+v, want az, en, ru links", en.Translations)
		}
		for _, ref := range []string{demo.FixtureSlugEN, demo.FixtureSlugAZ, demo.FixtureSlugRU, en.ID} {
			rec := app.get("/api/v1/articles/" + url.PathEscape(ref) + "?locale=az")
			if rec.Code != http.StatusOK {
				t.Fatalf("by %q: %d %s", ref, rec.Code, rec.Body)
			}
			a := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+url.PathEscape(ref)+"?locale=az", http.StatusOK)
			if a.ID != en.ID || a.Locale != "az" || a.Slug != demo.FixtureSlugAZ || a.Body == "" {
				t.Errorf("by %q: got id %s locale %s slug %s", ref, a.ID, a.Locale, a.Slug)
			}
			if got := rec.Header().Get("Content-Language"); got != "az" {
				t.Errorf("Content-Language = %q", got)
			}
		}
		// Without a locale, a slug serves its own locale.
		ru := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+url.PathEscape(demo.FixtureSlugRU), http.StatusOK)
		if ru.Locale != "ru" {
			t.Errorf("ru slug without locale served %s", ru.Locale)
		}
		for _, s := range hiddenSlugs(t, app) {
			problem(t, app.get("/api/v1/articles/"+url.PathEscape(s)), http.StatusNotFound)
		}
		problem(t, app.get("/api/v1/articles/no-such-article"), http.StatusNotFound)
		problem(t, app.get("/api/v1/articles/01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d"), http.StatusNotFound)
	})
}

func TestLocaleNegotiationAndFallback(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		path := "/api/v1/articles/" + demo.FixtureSlugEN
		ru := getJSON[api.ArticleDTO](t, app, path, http.StatusOK, "Accept-Language: ru,en;q=0.8")
		if ru.Locale != "ru" || ru.RequestedLocale != "ru" {
			t.Fatalf("Accept-Language ru served %s (requested %s)", ru.Locale, ru.RequestedLocale)
		}
		// The ru translation has no body: it falls back along ru → en.
		if ru.BodyLocale != "en" || !strings.Contains(ru.Body, "videoconference") {
			t.Errorf("ru body_locale = %q, body %.40q", ru.BodyLocale, ru.Body)
		}
		// ?locale= wins over the header.
		az := getJSON[api.ArticleDTO](t, app, path+"?locale=az", http.StatusOK, "Accept-Language: ru")
		if az.Locale != "az" {
			t.Errorf("?locale=az served %s", az.Locale)
		}
		// An article with only az, asked for in ru, falls back along ru → en → az.
		var onlyAZ string
		if err := app.db.Gorm().Raw(`SELECT t.slug FROM article_translations t JOIN articles a ON a.id = t.article_id
			WHERE a.status = 'published' AND t.locale = 'az'
			  AND (SELECT COUNT(*) FROM article_translations o WHERE o.article_id = a.id) = 1 LIMIT 1`).Scan(&onlyAZ).Error; err != nil || onlyAZ == "" {
			t.Fatalf("demo has no az-only article (%v)", err)
		}
		fb := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+url.PathEscape(onlyAZ)+"?locale=ru", http.StatusOK)
		if fb.Locale != "az" || fb.RequestedLocale != "ru" || len(fb.Translations) != 1 {
			t.Errorf("az-only in ru: locale %s requested %s translations %v", fb.Locale, fb.RequestedLocale, fb.Translations)
		}
		// Unsupported locales are named, with the supported ones.
		for _, q := range []string{"xx", "de", "%ff%fe", strings.Repeat("a", 500)} {
			p := problem(t, app.get("/api/v1/articles?locale="+q), http.StatusBadRequest)
			if strings.Join(p.SupportedLocales, ",") != "az,en,ru" || len(p.Errors) != 1 || p.Errors[0].Field != "locale" {
				t.Errorf("locale %q: problem %+v", q, p)
			}
		}
		// An unknown Accept-Language is not an error: the default is served.
		d := getJSON[api.ArticleDTO](t, app, path, http.StatusOK, "Accept-Language: de-DE,fr;q=0.5")
		if d.Locale != "en" && d.Locale != "az" {
			t.Errorf("unknown Accept-Language served %s", d.Locale)
		}
	})
}

func TestPaginationPagesAndCursors(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		for _, sortBy := range []string{"", "published_at", "-read_count", "title"} {
			all := getJSON[articleList](t, app, "/api/v1/articles?per_page=100&locale=en&sort="+sortBy, http.StatusOK)
			var pageIDs, cursorIDs []string
			for p := 1; ; p++ {
				target := fmt.Sprintf("/api/v1/articles?per_page=7&locale=en&sort=%s&page=%d", sortBy, p)
				rec := app.get(target)
				l := getJSON[articleList](t, app, target, http.StatusOK)
				if len(l.Data) == 0 {
					break
				}
				if !strings.Contains(rec.Header().Get("Link"), `rel="first"`) || rec.Header().Get("X-Total-Count") == "" {
					t.Fatalf("page %d: Link %q", p, rec.Header().Get("Link"))
				}
				for _, a := range l.Data {
					pageIDs = append(pageIDs, a.ID)
				}
				if p > 50 {
					t.Fatal("runaway pagination")
				}
			}
			next := ""
			for i := 0; ; i++ {
				target := "/api/v1/articles?per_page=7&locale=en&sort=" + sortBy
				if next != "" {
					target += "&cursor=" + next
				}
				rec := app.get(target)
				l := getJSON[articleList](t, app, target, http.StatusOK)
				if next != "" && l.Meta.Total != nil {
					t.Fatal("cursor pages must not count")
				}
				for _, a := range l.Data {
					cursorIDs = append(cursorIDs, a.ID)
				}
				next = l.Meta.NextCursor
				if next == "" {
					break
				}
				if !strings.Contains(rec.Header().Get("Link"), `rel="next"`) {
					t.Fatalf("no next link with a next cursor")
				}
				if i > 50 {
					t.Fatal("runaway cursor")
				}
			}
			var want []string
			for _, a := range all.Data {
				want = append(want, a.ID)
			}
			if strings.Join(pageIDs, ",") != strings.Join(want, ",") || strings.Join(cursorIDs, ",") != strings.Join(want, ",") {
				t.Errorf("sort %q: pages %d, cursor %d, all %d items; orders differ", sortBy, len(pageIDs), len(cursorIDs), len(want))
			}
		}
		// The first page's cursor continues the page ordering.
		p1 := getJSON[articleList](t, app, "/api/v1/articles?per_page=5", http.StatusOK)
		p2 := getJSON[articleList](t, app, "/api/v1/articles?per_page=5&page=2", http.StatusOK)
		c2 := getJSON[articleList](t, app, "/api/v1/articles?per_page=5&cursor="+p1.Meta.NextCursor, http.StatusOK)
		if p2.Data[0].ID != c2.Data[0].ID {
			t.Error("next_cursor of page 1 does not continue into page 2")
		}
		// Bad parameters are 400s naming the field.
		for target, field := range map[string]string{
			"/api/v1/articles?per_page=101":                             "per_page",
			"/api/v1/articles?per_page=0":                               "per_page",
			"/api/v1/articles?page=0":                                   "page",
			"/api/v1/articles?page=abc":                                 "page",
			"/api/v1/articles?sort=id%3BDROP TABLE articles":            "sort",
			"/api/v1/articles?cursor=garbage":                           "cursor",
			"/api/v1/articles?cursor=" + p1.Meta.NextCursor + "&page=2": "page",
			"/api/v1/articles?sort=title&cursor=" + p1.Meta.NextCursor:  "cursor",
			"/api/v1/articles?featured=maybe":                           "featured",
			"/api/v1/articles?published_after=yesterday":                "published_after",
			"/api/v1/articles?fields=id,password":                       "fields",
			"/api/v1/articles?include=everything":                       "include",
		} {
			p := problem(t, app.get(strings.ReplaceAll(target, " ", "%20")), http.StatusBadRequest)
			if len(p.Errors) == 0 || p.Errors[0].Field != field {
				t.Errorf("%s: errors %+v, want field %s", target, p.Errors, field)
			}
		}
	})
}

func TestSortsAndFilters(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		mr := getJSON[articleList](t, app, "/api/v1/articles?sort=-read_count&per_page=100", http.StatusOK)
		for i := 1; i < len(mr.Data); i++ {
			if mr.Data[i].ReadCount > mr.Data[i-1].ReadCount {
				t.Fatalf("-read_count not descending at %d", i)
			}
		}
		old := getJSON[articleList](t, app, "/api/v1/articles?sort=published_at&per_page=100", http.StatusOK)
		for i := 1; i < len(old.Data); i++ {
			if old.Data[i].PublishedAt.Before(old.Data[i-1].PublishedAt) {
				t.Fatalf("published_at not ascending at %d", i)
			}
		}
		byTitle := getJSON[articleList](t, app, "/api/v1/articles?sort=title&per_page=100&locale=en", http.StatusOK)
		titles := make([]string, len(byTitle.Data))
		for i, a := range byTitle.Data {
			titles[i] = a.Title
		}
		if !sort.SliceIsSorted(titles, func(i, j int) bool { return strings.ToLower(titles[i]) < strings.ToLower(titles[j]) }) && !sort.StringsAreSorted(titles) {
			t.Errorf("title sort not sorted: %q", titles)
		}

		fixture := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN+"?locale=az", http.StatusOK)
		if fixture.Category == nil || len(fixture.Tags) == 0 {
			t.Fatalf("fixture has no category or tags: %+v", fixture)
		}
		// Filter by category slug in another locale than served, and by id.
		enCat := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN+"?locale=en", http.StatusOK).Category.Slug
		for _, ref := range []string{fixture.Category.Slug, enCat, fixture.Category.ID} {
			l := getJSON[articleList](t, app, "/api/v1/articles?per_page=100&category="+url.QueryEscape(ref), http.StatusOK)
			if len(l.Data) == 0 || len(l.Data) == len(mr.Data) {
				t.Errorf("category %s: %d of %d articles", ref, len(l.Data), len(mr.Data))
			}
			for _, a := range l.Data {
				if a.Category == nil || a.Category.ID != fixture.Category.ID {
					t.Errorf("category filter %s let through %s", ref, a.Slug)
				}
			}
		}
		tagged := getJSON[articleList](t, app, "/api/v1/articles?per_page=100&tag="+url.QueryEscape(fixture.Tags[0].Slug), http.StatusOK)
		if len(tagged.Data) == 0 {
			t.Error("tag filter found nothing")
		}
		for _, a := range tagged.Data {
			ok := false
			for _, tg := range a.Tags {
				ok = ok || tg.ID == fixture.Tags[0].ID
			}
			if !ok {
				t.Errorf("tag filter let through %s", a.Slug)
			}
		}
		// An unknown category is 404 (TestListFilters), not an empty page.
		problem(t, app.get("/api/v1/articles?category=no-such-category"), http.StatusNotFound)
		feat := getJSON[articleList](t, app, "/api/v1/articles?featured=true&per_page=100", http.StatusOK)
		notFeat := getJSON[articleList](t, app, "/api/v1/articles?featured=false&per_page=100", http.StatusOK)
		if len(feat.Data) == 0 || len(feat.Data)+len(notFeat.Data) != len(mr.Data) {
			t.Errorf("featured %d + not %d != %d", len(feat.Data), len(notFeat.Data), len(mr.Data))
		}
		for _, a := range feat.Data {
			if !a.Featured {
				t.Errorf("featured filter let through %s", a.Slug)
			}
		}
		day := getJSON[articleList](t, app, "/api/v1/articles?published_after=2021-02-19&published_before=2021-02-20", http.StatusOK)
		if len(day.Data) != 1 || day.Data[0].ID != fixture.ID {
			t.Errorf("date window found %d articles", len(day.Data))
		}
		rfc := getJSON[articleList](t, app, "/api/v1/articles?published_after="+url.QueryEscape("2021-02-19T09:00:00Z")+"&published_before="+url.QueryEscape("2021-02-19T11:00:00+00:00"), http.StatusOK)
		if len(rfc.Data) != 1 {
			t.Errorf("RFC 3339 window found %d articles", len(rfc.Data))
		}
	})
}

func TestFieldsAndInclude(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		rec := app.get("/api/v1/articles?fields=id,title&per_page=3")
		var raw struct {
			Data []map[string]any `json:"data"`
		}
		l := getJSON[struct {
			Data []map[string]any `json:"data"`
		}](t, app, "/api/v1/articles?fields=id,title&per_page=3", http.StatusOK)
		raw = l
		if rec.Code != http.StatusOK || len(raw.Data) != 3 {
			t.Fatalf("fields: %d items", len(raw.Data))
		}
		for _, item := range raw.Data {
			if len(item) != 2 || item["id"] == nil || item["title"] == nil {
				t.Errorf("fields=id,title gave %v", item)
			}
		}
		inc := getJSON[articleList](t, app, "/api/v1/articles?include=translations,body&per_page=100&locale=en", http.StatusOK)
		seen := map[int]bool{}
		for _, a := range inc.Data {
			if len(a.Translations) == 0 || len(a.Translations) > 3 {
				t.Fatalf("%s: %d translations", a.Slug, len(a.Translations))
			}
			seen[len(a.Translations)] = true
			if a.Body == "" && a.BodyLocale == "" {
				t.Errorf("%s: include=body gave no body", a.Slug)
			}
			for _, tr := range a.Translations {
				if tr.Title == "" || tr.Slug == "" || tr.Locale == "" {
					t.Errorf("%s: translation %+v incomplete", a.Slug, tr)
				}
			}
		}
		if !seen[1] || !seen[3] {
			t.Errorf("demo should mix single- and three-locale articles, saw %v", seen)
		}
	})
}

func TestScheduledArticleAppearsOnTime(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		var slug string
		var at time.Time
		row := app.db.Gorm().Raw(`SELECT t.slug, a.published_at FROM article_translations t JOIN articles a ON a.id = t.article_id
			WHERE a.status = 'scheduled' LIMIT 1`).Row()
		if err := row.Scan(&slug, &at); err != nil {
			t.Fatal(err)
		}
		problem(t, app.get("/api/v1/articles/"+url.PathEscape(slug)), http.StatusNotFound)
		before := getJSON[articleList](t, app, "/api/v1/articles", http.StatusOK)
		app.clock.Set(at.Add(time.Second))
		a := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+url.PathEscape(slug), http.StatusOK)
		after := getJSON[articleList](t, app, "/api/v1/articles", http.StatusOK)
		if *after.Meta.Total != *before.Meta.Total+1 || after.Data[0].ID != a.ID {
			t.Errorf("scheduled article not first in the list once due: total %d → %d", *before.Meta.Total, *after.Meta.Total)
		}
	})
}
