package api_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/testkit"
)

// fixtureURLs are the fixture article's pages under frontendEnv.
var fixtureURLs = map[string]string{
	"az": "https://news.example/" + demo.FixtureSlugAZ,
	"en": "https://news.example/en/news/" + demo.FixtureSlugEN,
	"ru": "https://news.example/ru/news/" + demo.FixtureSlugRU,
}

// frontendContent gives the fixture article a cover (with alt texts) and adds a draft
// whose title must never reach a feed or sitemap; it returns the cover's id and the
// draft's title.
func frontendContent(t *testing.T, app *testApp) (coverID, draftTitle string) {
	t.Helper()
	tok, _ := app.token(t, auth.RoleEditor)
	as := bearer(tok)
	body, ct := form(file{"cover.jpg", "", photo(t, 800, 500)}, "alt[en]", "The videoconference", "alt[az]", "Videokonfrans")
	m := decode[api.AdminMediaDTO](t, app.do(http.MethodPost, "/api/v1/admin/media", bytes.NewReader(body), "Content-Type: "+ct, as), http.StatusCreated)
	fx := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN, http.StatusOK)
	adm := decode[api.AdminArticleDTO](t, app.send(http.MethodGet, adminArticles+"/"+fx.ID, nil, as), http.StatusOK)
	decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, adminArticles+"/"+fx.ID, map[string]any{"cover_media_id": m.ID}, as, ifMatch(adm.Version)), http.StatusOK)

	draftTitle = "Secret draft never to be syndicated"
	decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
		"cover_media_id": m.ID,
		"translations": []map[string]string{{"locale": "az", "title": draftTitle}, {"locale": "en", "title": draftTitle},
			{"locale": "ru", "title": draftTitle}}}, as), http.StatusCreated)
	return m.ID, draftTitle
}

func TestFeeds(t *testing.T) {
	eachDialectEnv(t, frontendEnv, func(t *testing.T, app *testApp) {
		_, draft := frontendContent(t, app)
		parser := gofeed.NewParser()
		fx := getJSON[api.ArticleDTO](t, app, "/api/v1/articles/"+demo.FixtureSlugEN+"?locale=en", http.StatusOK)
		types := map[string]string{"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
		for _, loc := range []string{"az", "en", "ru"} {
			for _, format := range []string{"rss", "atom", "json"} {
				for _, mode := range []string{"", "?content=full"} {
					target := "/feeds/" + loc + "." + format + mode
					rec := app.get(target)
					if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), types[format]) {
						t.Fatalf("GET %s: %d %q %.300s", target, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
					}
					if strings.Contains(rec.Body.String(), draft) {
						t.Errorf("%s lists the draft", target)
					}
					f, err := parser.ParseString(rec.Body.String())
					if err != nil {
						t.Fatalf("%s does not parse: %v\n%.500s", target, err, rec.Body.String())
					}
					if f.FeedType != format || f.Language != loc || f.Title == "" || f.FeedLink == "" && format != "rss" {
						t.Errorf("%s: type %q language %q title %q feed link %q", target, f.FeedType, f.Language, f.Title, f.FeedLink)
					}
					if format != "json" && !strings.Contains(rec.Body.String(), `xml:lang="`+loc+`"`) {
						t.Errorf("%s has no xml:lang", target)
					}
					if len(f.Items) == 0 || len(f.Items) > 50 {
						t.Fatalf("%s: %d items", target, len(f.Items))
					}
					var item *gofeed.Item
					for _, it := range f.Items {
						if !strings.HasPrefix(it.Link, "https://news.example/") {
							t.Errorf("%s: item link %q", target, it.Link)
						}
						if it.Link == fixtureURLs[loc] {
							item = it
						}
					}
					if item == nil {
						t.Fatalf("%s lacks the fixture article (%s)", target, fixtureURLs[loc])
					}
					if item.GUID != "urn:uuid:"+fx.ID || item.PublishedParsed == nil || !item.PublishedParsed.Equal(fx.PublishedAt.Truncate(time.Second)) {
						t.Errorf("%s: fixture guid %q published %v (want %v)", target, item.GUID, item.PublishedParsed, fx.PublishedAt)
					}
					if item.Description == "" || len(item.Categories) < 2 {
						t.Errorf("%s: fixture summary %q categories %v", target, item.Description, item.Categories)
					}
					full := strings.Contains(item.Content, "<p>") // the body is HTML, the summary text
					if (mode != "") != full {
						t.Errorf("%s: fixture content %.80q", target, item.Content)
					}
					cover := false
					for _, e := range item.Enclosures {
						cover = cover || strings.HasPrefix(e.URL, "https://api.news.example/media/") && e.Type == "image/jpeg" && e.Length != "" && e.Length != "0"
					}
					if format == "json" {
						cover = cover && item.Image != nil && strings.HasPrefix(item.Image.URL, "https://api.news.example/media/")
					}
					if !cover {
						t.Errorf("%s: fixture cover: enclosures %+v image %+v", target, item.Enclosures, item.Image)
					}
					if format == "rss" && !strings.Contains(rec.Body.String(), `<media:content url="https://api.news.example/media/`) {
						t.Errorf("%s has no media:content", target)
					}
				}
			}
		}

		// Category and tag feeds: only their articles, the term in the title.
		cat := fx.Category
		rec := app.get("/feeds/en/category/" + url.PathEscape(cat.Slug) + ".atom")
		f, err := parser.ParseString(rec.Body.String())
		if rec.Code != http.StatusOK || err != nil || !strings.HasPrefix(f.Title, cat.Name+" — ") || f.Link != cat.URL {
			t.Fatalf("category feed: %d %v %+v", rec.Code, err, f)
		}
		catArticles := getJSON[articleList](t, app, "/api/v1/articles?locale=en&fallback=false&per_page=50&category="+cat.ID, http.StatusOK)
		if len(f.Items) != len(catArticles.Data) {
			t.Errorf("category feed: %d items, the category has %d articles in en", len(f.Items), len(catArticles.Data))
		}
		tag := fx.Tags[0]
		// A slug of another locale names the same tag.
		azTag := getJSON[api.TagDTO](t, app, "/api/v1/tags/"+tag.ID+"?locale=az", http.StatusOK)
		rec = app.get("/feeds/ru/tag/" + url.PathEscape(azTag.Slug) + ".json")
		if f, err = parser.ParseString(rec.Body.String()); rec.Code != http.StatusOK || err != nil || len(f.Items) == 0 || f.Language != "ru" {
			t.Fatalf("tag feed: %d %v %.300s", rec.Code, err, rec.Body.String())
		}
		for _, it := range f.Items {
			if !strings.HasPrefix(it.Link, "https://news.example/ru/news/") {
				t.Errorf("ru tag feed item %q", it.Link)
			}
		}

		// Validated like every public read.
		rec = app.get("/feeds/az.rss")
		etag := rec.Header().Get("ETag")
		if etag == "" || !strings.HasPrefix(rec.Header().Get("Cache-Control"), "public, max-age=") {
			t.Fatalf("feed headers %v", rec.Header())
		}
		if rec = app.get("/feeds/az.rss", "If-None-Match: "+etag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Errorf("If-None-Match: %d", rec.Code)
		}
		if rec = app.get("/feeds/az.rss", "Accept-Encoding: gzip"); rec.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("gzip: %v", rec.Header())
		}
		if rec = app.do(http.MethodHead, "/feeds/az.rss", nil); rec.Code != http.StatusOK || rec.Body.Len() != 0 {
			t.Errorf("HEAD: %d %d bytes", rec.Code, rec.Body.Len())
		}

		// Bad requests name what is wrong.
		for target, status := range map[string]int{
			"/feeds/fr.rss":                      http.StatusNotFound,
			"/feeds/az.txt":                      http.StatusNotFound,
			"/feeds/az":                          http.StatusNotFound,
			"/feeds/fr/category/x.rss":           http.StatusNotFound,
			"/feeds/en/category/no-such.rss":     http.StatusNotFound,
			"/feeds/en/tag/no-such.atom":         http.StatusNotFound,
			"/feeds/en/tag/x.xml":                http.StatusNotFound,
			"/feeds/az.rss?content=everything":   http.StatusBadRequest,
			"/feeds/az.rss?content=full,summary": http.StatusBadRequest,
			"/feeds/az.rss?limit=3":              http.StatusBadRequest,
		} {
			problem(t, app.get(target), status)
		}
	})
}

func TestFeedIndex(t *testing.T) {
	eachDialectEnv(t, frontendEnv, func(t *testing.T, app *testApp) {
		idx := getJSON[api.FeedIndex](t, app, "/api/v1/feeds?locale=ru", http.StatusOK)
		cats := getJSON[api.CategoryList](t, app, "/api/v1/categories?locale=ru", http.StatusOK)
		if len(idx.Data) != 3*(1+len(cats.Data)) || idx.TagFeed != "https://api.news.example/feeds/ru/tag/{slug}.{format}" {
			t.Fatalf("index: %d links for %d categories, tag feed %q", len(idx.Data), len(cats.Data), idx.TagFeed)
		}
		first := idx.Data[0]
		if first.Kind != "locale" || first.Href != "https://api.news.example/feeds/ru.rss" || first.Type != "application/rss+xml" || first.Locale != "ru" {
			t.Errorf("first link %+v", first)
		}
		// Every link answers, under the API's public origin.
		for _, l := range idx.Data {
			rec := app.get(strings.TrimPrefix(l.Href, "https://api.news.example"))
			if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), l.Type) {
				t.Errorf("%s: %d %q", l.Href, rec.Code, rec.Header().Get("Content-Type"))
			}
		}
	})
}

// Without HERALD_SITE_URL feeds cannot link anywhere: 404 saying so, and an empty index.
func TestFeedsNeedSite(t *testing.T) {
	app := wire(t, testkit.URL(t, "sqlite"), map[string]string{"HERALD_ENV": "production", "HERALD_DEMO_CONTENT": "true",
		"HERALD_JWT_SECRET": "Zx9vQ2mL7pR4tK8wB3nH6jF1cD5gS0aYq7Ue"}, &clock{now: time.Now().UTC()})
	if p := problem(t, app.get("/feeds/az.rss"), http.StatusNotFound); !strings.Contains(p.Detail, "HERALD_SITE_URL") {
		t.Errorf("problem %+v", p)
	}
	if idx := getJSON[api.FeedIndex](t, app, "/api/v1/feeds", http.StatusOK); len(idx.Data) != 0 {
		t.Errorf("index without a site: %+v", idx)
	}
}

// TestFeedsParseEverywhere: every feed a frontend can discover — each locale's, each
// category's (the links of GET /api/v1/feeds) and each tag's (its template, with every
// tag's slug in that locale), in every format — parses with gofeed, in its language, with
// at most 50 items, all on the site, none of them the draft.
func TestFeedsParseEverywhere(t *testing.T) {
	eachDialectEnv(t, frontendEnv, func(t *testing.T, app *testApp) {
		_, draft := frontendContent(t, app)
		parser := gofeed.NewParser()
		check := func(loc, href string) int {
			t.Helper()
			rec := app.get(strings.TrimPrefix(href, "https://api.news.example"))
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %.300s", href, rec.Code, rec.Body.String())
			}
			f, err := parser.ParseString(rec.Body.String())
			if err != nil {
				t.Fatalf("%s does not parse: %v\n%.500s", href, err, rec.Body.String())
			}
			if f.Language != loc || f.Title == "" || len(f.Items) > 50 || strings.Contains(rec.Body.String(), draft) {
				t.Errorf("%s: language %q title %q, %d items", href, f.Language, f.Title, len(f.Items))
			}
			for _, it := range f.Items {
				if !strings.HasPrefix(it.Link, "https://news.example/") || it.Title == "" {
					t.Errorf("%s: item %q %q", href, it.Title, it.Link)
				}
			}
			return len(f.Items)
		}
		feeds := 0
		for _, loc := range []string{"az", "en", "ru"} {
			idx := getJSON[api.FeedIndex](t, app, "/api/v1/feeds?locale="+loc, http.StatusOK)
			cats := getJSON[api.CategoryList](t, app, "/api/v1/categories?locale="+loc, http.StatusOK)
			if len(idx.Data) != 3*(1+len(cats.Data)) || len(cats.Data) == 0 {
				t.Fatalf("%s: %d feed links for %d categories", loc, len(idx.Data), len(cats.Data))
			}
			for _, l := range idx.Data {
				if n := check(loc, l.Href); n == 0 && l.Kind == "locale" {
					t.Errorf("%s is empty", l.Href)
				}
				feeds++
			}
			tags := getJSON[api.TagList](t, app, "/api/v1/tags?locale="+loc+"&per_page=100", http.StatusOK)
			if len(tags.Data) == 0 || tags.Meta.Total != nil && int(*tags.Meta.Total) != len(tags.Data) {
				t.Fatalf("%s: %d tags listed", loc, len(tags.Data))
			}
			items := 0
			for _, tag := range tags.Data {
				for _, format := range []string{"rss", "atom", "json"} {
					items += check(loc, strings.NewReplacer("{slug}", url.PathEscape(tag.Slug), "{format}", format).Replace(idx.TagFeed))
					feeds++
				}
			}
			if items == 0 {
				t.Errorf("%s: every tag feed is empty", loc)
			}
		}
		t.Logf("%d feeds parsed", feeds)
	})
}
