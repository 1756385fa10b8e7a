package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/testkit"
	"github.com/heraldcms/herald/internal/views"
)

// newCacheApp is the views test app (read counting wired, an editor logged in) with caching
// configured by opt, through the configuration as production reads it; a NextPublish in opt
// replaces the store's.
func newCacheApp(t *testing.T, dialect string, opt api.CacheOptions) *viewsApp {
	t.Helper()
	env := map[string]string{"HERALD_CACHE_BYTES": strconv.FormatInt(opt.MaxBytes, 10)}
	if opt.MaxAge > 0 {
		env["HERALD_CACHE_MAX_AGE"] = opt.MaxAge.String()
	}
	if len(opt.CORSOrigins) > 0 {
		env["HERALD_CORS_ORIGINS"] = strings.Join(opt.CORSOrigins, ",")
	}
	return newViewsAppOpts(t, dialect, views.Options{}, env, app.WithDeps(func(d *api.Deps) {
		if opt.NextPublish != nil {
			d.Cache.NextPublish = opt.NextPublish
		}
	}))
}

func eachCacheDialect(t *testing.T, opt api.CacheOptions, fn func(t *testing.T, app *viewsApp)) {
	for _, d := range []string{"sqlite", "postgres"} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newCacheApp(t, d, opt))
		})
	}
}

var cacheOn = api.CacheOptions{MaxBytes: 64 << 20}

// publicPaths are every public GET; each must be cacheable.
func publicPaths(t *testing.T, app *viewsApp) []string {
	t.Helper()
	fx := app.article(demo.FixtureSlugEN)
	cats := getJSON[api.CategoryList](t, app.testApp, "/api/v1/categories", http.StatusOK)
	tags := getJSON[api.TagList](t, app.testApp, "/api/v1/tags", http.StatusOK)
	return []string{
		"/api/v1/articles", "/api/v1/articles?locale=en&per_page=5", "/api/v1/articles/popular?period=all",
		"/api/v1/articles/" + fx.ID, "/api/v1/articles/" + demo.FixtureSlugEN,
		"/api/v1/categories", "/api/v1/categories/" + cats.Data[0].ID, "/api/v1/tags", "/api/v1/tags/" + tags.Data[0].ID,
		"/api/v1/locales", "/api/v1/settings?locale=ru",
	}
}

func TestPublicGETsCarryETagAndAnswer304(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  api.CacheOptions
	}{{"cache on", cacheOn}, {"cache off", api.CacheOptions{}}} {
		t.Run(tc.name, func(t *testing.T) {
			eachCacheDialect(t, tc.opt, func(t *testing.T, app *viewsApp) {
				for _, p := range publicPaths(t, app) {
					rec := app.get(p)
					if rec.Code != http.StatusOK {
						t.Fatalf("GET %s: %d %.200s", p, rec.Code, rec.Body.String())
					}
					tag := rec.Header().Get("ETag")
					if !strings.HasPrefix(tag, `"`) || len(tag) < 10 {
						t.Fatalf("GET %s: ETag %q, want a strong tag", p, tag)
					}
					if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=60, stale-while-revalidate=60" {
						t.Errorf("GET %s: Cache-Control %q", p, cc)
					}
					if v := strings.Join(rec.Header().Values("Vary"), ", "); !strings.Contains(v, "Accept-Encoding") ||
						(p != "/api/v1/locales" && !strings.Contains(v, "Accept-Language")) {
						t.Errorf("GET %s: Vary %q", p, v)
					}
					again := app.get(p, "If-None-Match: "+tag)
					if again.Code != http.StatusNotModified || again.Body.Len() != 0 || again.Header().Get("ETag") != tag {
						t.Fatalf("GET %s with If-None-Match: %d, %d bytes, ETag %q", p, again.Code, again.Body.Len(), again.Header().Get("ETag"))
					}
					if other := app.get(p, `If-None-Match: "nope", W/"other"`); other.Code != http.StatusOK || !bytes.Equal(other.Body.Bytes(), rec.Body.Bytes()) {
						t.Fatalf("GET %s with a stale tag: %d", p, other.Code)
					}
				}
				// Private responses are never stored.
				if cc := app.get(adminArticles, app.editor).Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
					t.Errorf("admin GET Cache-Control %q", cc)
				}
				if cc := app.get("/api/v1/auth/me", app.editor).Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
					t.Errorf("auth/me Cache-Control %q", cc)
				}
			})
		})
	}
}

func TestArticleLastModified(t *testing.T) {
	eachCacheDialect(t, cacheOn, func(t *testing.T, app *viewsApp) {
		fx := app.article(demo.FixtureSlugEN)
		p := "/api/v1/articles/" + fx.ID
		rec := app.get(p)
		lm := rec.Header().Get("Last-Modified")
		// The article's own time, or later when its category, tags or cover changed since
		// (TestValidatorsFollowWhatTheyShow); the demo's taxonomy is as new as the load.
		if got, err := http.ParseTime(lm); err != nil || got.Before(fx.UpdatedAt.Truncate(time.Second)) {
			t.Fatalf("Last-Modified %q, before the article's %v", lm, fx.UpdatedAt)
		}
		if r := app.get(p, "If-Modified-Since: "+lm); r.Code != http.StatusNotModified || r.Body.Len() != 0 {
			t.Fatalf("If-Modified-Since = Last-Modified: %d", r.Code)
		}
		if r := app.get(p, "If-Modified-Since: "+fx.UpdatedAt.Add(-time.Hour).UTC().Format(http.TimeFormat)); r.Code != http.StatusOK {
			t.Fatalf("older If-Modified-Since: %d", r.Code)
		}
		// If-None-Match wins over If-Modified-Since.
		if r := app.get(p, "If-Modified-Since: "+lm, `If-None-Match: "stale"`); r.Code != http.StatusOK {
			t.Fatalf("stale If-None-Match with fresh If-Modified-Since: %d", r.Code)
		}
	})
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGzipNegotiation(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  api.CacheOptions
	}{{"cache on", cacheOn}, {"cache off", api.CacheOptions{}}} {
		t.Run(tc.name, func(t *testing.T) {
			eachCacheDialect(t, tc.opt, func(t *testing.T, app *viewsApp) {
				p := "/api/v1/articles?include=body&locale=en"
				plain := app.get(p)
				if plain.Header().Get("Content-Encoding") != "" || plain.Body.Len() < 1024 {
					t.Fatalf("no Accept-Encoding: Content-Encoding %q, %d bytes", plain.Header().Get("Content-Encoding"), plain.Body.Len())
				}
				for i := 0; i < 2; i++ { // a miss, then (cache on) a hit
					gz := app.get(p, "Accept-Encoding: br;q=1.0, gzip;q=0.8")
					if gz.Header().Get("Content-Encoding") != "gzip" {
						t.Fatalf("gzip accepted: Content-Encoding %q", gz.Header().Get("Content-Encoding"))
					}
					if !bytes.Equal(gunzip(t, gz.Body.Bytes()), plain.Body.Bytes()) {
						t.Fatal("gzip body differs from the plain one")
					}
					if gz.Header().Get("ETag") == plain.Header().Get("ETag") {
						t.Fatal("gzip and identity share a strong ETag")
					}
					if r := app.get(p, "Accept-Encoding: gzip", "If-None-Match: "+gz.Header().Get("ETag")); r.Code != http.StatusNotModified {
						t.Fatalf("If-None-Match with the gzip ETag: %d", r.Code)
					}
				}
				if r := app.get(p, "Accept-Encoding: gzip;q=0, identity"); r.Header().Get("Content-Encoding") != "" {
					t.Fatal("gzip;q=0 still compressed")
				}
				if r := app.get("/api/v1/locales", "Accept-Encoding: gzip"); r.Header().Get("Content-Encoding") != "" || r.Body.Len() >= 1024 {
					t.Fatalf("small body compressed: %d bytes", r.Body.Len())
				}
			})
		})
	}
}

func TestCacheHitServesIdenticalBytesWithoutQueries(t *testing.T) {
	eachCacheDialect(t, cacheOn, func(t *testing.T, app *viewsApp) {
		paths := publicPaths(t, app)
		first := map[string]*httptest.ResponseRecorder{}
		for _, p := range paths {
			first[p] = app.get(p, "Accept-Language: ru")
		}
		queries := countQueries(t, app.testApp)
		for _, p := range paths {
			rec := app.get(p, "Accept-Language: ru")
			if !bytes.Equal(rec.Body.Bytes(), first[p].Body.Bytes()) || rec.Header().Get("ETag") != first[p].Header().Get("ETag") {
				t.Fatalf("GET %s: cache hit differs from the miss", p)
			}
			if rec.Header().Get("Content-Language") != first[p].Header().Get("Content-Language") || rec.Header().Get("Link") != first[p].Header().Get("Link") {
				t.Fatalf("GET %s: headers differ on a hit", p)
			}
		}
		if n := queries(); n != 0 {
			t.Fatalf("%d queries for cache hits, want 0", n)
		}
		// The negotiated locale is part of the key.
		en := getJSON[api.ArticleList](t, app.testApp, "/api/v1/articles", http.StatusOK, "Accept-Language: en")
		ru := getJSON[api.ArticleList](t, app.testApp, "/api/v1/articles", http.StatusOK, "Accept-Language: ru")
		if en.Meta.Locale != "en" || ru.Meta.Locale != "ru" {
			t.Fatalf("locales %q, %q", en.Meta.Locale, ru.Meta.Locale)
		}
	})
}

func TestCacheDisabledWithZeroBytes(t *testing.T) {
	eachCacheDialect(t, api.CacheOptions{MaxBytes: 0}, func(t *testing.T, app *viewsApp) {
		p := "/api/v1/articles?locale=en"
		app.get(p)
		queries := countQueries(t, app.testApp)
		app.get(p)
		if queries() == 0 {
			t.Fatal("HERALD_CACHE_BYTES=0 still served from memory")
		}
	})
}

func TestByteBoundEvicts(t *testing.T) {
	eachCacheDialect(t, api.CacheOptions{MaxBytes: 6 << 10}, func(t *testing.T, app *viewsApp) {
		a, b := "/api/v1/articles?locale=en&per_page=2", "/api/v1/articles?locale=en&per_page=2&sort=-published_at"
		for _, p := range []string{a, b} {
			// Each entry holds the body, its gzip form and headers: over 3 KiB, under 6 KiB.
			if n := app.get(p).Body.Len(); n < 1536 || n > 3072 {
				t.Fatalf("GET %s: %d bytes; the bound of this test assumes 1.5 to 3 KiB", p, n)
			}
		}
		// b evicted a: a needs the database again, b does not.
		queries := countQueries(t, app.testApp)
		app.get(b)
		if n := queries(); n != 0 {
			t.Fatalf("most recent entry: %d queries", n)
		}
		app.get(a)
		if queries() == 0 {
			t.Fatal("the bound did not evict the older entry")
		}
	})
}

// TestWritesInvalidate reads a public response into the cache, writes through the Admin API,
// and reads again: the editor sees the new state at once.
func TestWritesInvalidate(t *testing.T) {
	eachCacheDialect(t, cacheOn, func(t *testing.T, app *viewsApp) {
		as := app.editor
		fx := app.article(demo.FixtureSlugEN)
		detail := "/api/v1/articles/" + fx.ID + "?locale=en"
		version := func() int {
			return decode[api.AdminArticleDTO](t, app.get(adminArticles+"/"+fx.ID, as), http.StatusOK).Version
		}
		expect := func(what, path string, ok func(body string) bool, write func()) {
			t.Helper()
			before := app.get(path).Body.String()
			if ok(before) {
				t.Fatalf("%s: already true before the write", what)
			}
			if again := app.get(path).Body.String(); again != before {
				t.Fatalf("%s: not cached", what)
			}
			write()
			if after := app.get(path).Body.String(); !ok(after) {
				t.Fatalf("%s: a read after the write is stale: %.300s", what, after)
			}
		}
		expect("article update", detail, func(b string) bool { return strings.Contains(b, `"featured":`+fmt.Sprint(!fx.Featured)) }, func() {
			f := !fx.Featured
			decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, adminArticles+"/"+fx.ID, api.UpdateArticleRequest{Featured: api.Value(f)}, as, ifMatch(version())), http.StatusOK)
		})
		expect("translation put", detail, func(b string) bool { return strings.Contains(b, "Retitled for the cache test") }, func() {
			decode[api.AdminArticleDTO](t, app.send(http.MethodPut, adminArticles+"/"+fx.ID+"/translations/en",
				api.PutTranslationRequest{Title: "Retitled for the cache test", Body: "<p>New.</p>"}, as, ifMatch(version())), http.StatusOK)
		})
		expect("read-count set", detail, func(b string) bool { return strings.Contains(b, `"read_count":4242`) }, func() {
			n := int64(4242)
			decode[api.ReadCountDTO](t, app.send(http.MethodPut, adminArticles+"/"+fx.ID+"/read-count", api.ReadCountRequest{ReadCount: &n}, as), http.StatusOK)
		})
		var created api.AdminArticleDTO
		expect("publish", "/api/v1/articles?locale=en&per_page=100", func(b string) bool { return strings.Contains(b, "Published for the cache test") }, func() {
			created = decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, api.CreateArticleRequest{Translations: []api.TranslationRequest{{
				Locale: "en", Title: "Published for the cache test", Body: "<p>Body.</p>"}}}, as), http.StatusCreated)
			decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+created.ID+"/publish", api.PublishRequest{}, as, ifMatch(created.Version)), http.StatusOK)
		})
		expect("unpublish", "/api/v1/articles?locale=en&per_page=100", func(b string) bool { return !strings.Contains(b, "Published for the cache test") }, func() {
			v := decode[api.AdminArticleDTO](t, app.get(adminArticles+"/"+created.ID, as), http.StatusOK).Version
			decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+created.ID+"/unpublish", api.VersionRequest{}, as, ifMatch(v)), http.StatusOK)
		})
		expect("category write", "/api/v1/categories?locale=en", func(b string) bool { return strings.Contains(b, "Cache Category") }, func() {
			rec := app.send(http.MethodPost, "/api/v1/admin/categories", api.CreateCategoryRequest{Translations: []api.CategoryTranslationDTO{{Locale: "en", Name: "Cache Category"}}}, as)
			if rec.Code != http.StatusCreated {
				t.Fatalf("create category: %d %.300s", rec.Code, rec.Body.String())
			}
		})
		expect("settings write", "/api/v1/settings?locale=en", func(b string) bool { return strings.Contains(b, "Cache Site") }, func() {
			name := "Cache Site"
			rec := app.send(http.MethodPut, "/api/v1/admin/settings", api.PutSettingsRequest{Locale: "en", Settings: map[string]*string{"site_name": &name}}, as)
			if rec.Code != http.StatusOK {
				t.Fatalf("put settings: %d %.300s", rec.Code, rec.Body.String())
			}
		})

		// A refused write changes nothing and keeps the cache.
		app.get(detail)
		queries := countQueries(t, app.testApp)
		app.send(http.MethodPatch, adminArticles+"/"+fx.ID, api.UpdateArticleRequest{}, as, ifMatch(1))
		before := queries()
		app.get(detail)
		if queries() != before {
			t.Fatal("a refused write (412) invalidated the cache")
		}

		// Counting a read does not invalidate: read_count lags by at most the max-age.
		if code := app.hit(fx.ID); code != http.StatusAccepted {
			t.Fatalf("hit: %d", code)
		}
		app.flush()
		if b := app.get(detail).Body.String(); !strings.Contains(b, `"read_count":4242`) {
			t.Fatalf("a counted read invalidated the cache: %.200s", b)
		}
		app.clock.Set(app.clock.Now().Add(61 * time.Second))
		if b := app.get(detail).Body.String(); !strings.Contains(b, `"read_count":4243`) {
			t.Fatalf("read_count still stale after the max-age: %.200s", b)
		}
	})
}

// TestCachedScheduledArticleAppearsOnTime: the cache never outlives the next scheduled
// publication, even with a max-age far longer than the wait.
func TestCachedScheduledArticleAppearsOnTime(t *testing.T) {
	eachCacheDialect(t, api.CacheOptions{MaxBytes: 64 << 20, MaxAge: time.Hour}, func(t *testing.T, app *viewsApp) {
		as := app.editor
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, api.CreateArticleRequest{Translations: []api.TranslationRequest{{
			Locale: "en", Title: "Scheduled for the cache test", Body: "<p>Body.</p>"}}}, as), http.StatusCreated)
		at := app.clock.Now().Add(10 * time.Minute).Truncate(time.Second)
		decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+a.ID+"/publish", api.PublishRequest{PublishedAt: &at}, as, ifMatch(a.Version)), http.StatusOK)

		list := "/api/v1/articles?locale=en&per_page=100"
		rec := app.get(list)
		if strings.Contains(rec.Body.String(), "Scheduled for the cache test") {
			t.Fatal("scheduled article visible early")
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=600,") && !strings.HasPrefix(cc, "public, max-age=599,") {
			t.Errorf("Cache-Control %q: max-age must stop at the publication", cc)
		}
		app.clock.Set(at.Add(-time.Second))
		if strings.Contains(app.get(list).Body.String(), "Scheduled for the cache test") {
			t.Fatal("scheduled article visible a second early")
		}
		app.clock.Set(at)
		if !strings.Contains(app.get(list).Body.String(), "Scheduled for the cache test") {
			t.Fatal("scheduled article not visible on time with the cache on")
		}
		if r := app.get("/api/v1/articles/" + a.ID); r.Code != http.StatusOK {
			t.Fatalf("detail on time: %d", r.Code)
		}
	})
}

// TestCacheStoreErrorServesUncached keeps the store error path honest: a failing NextPublish means
// responses are still served, just not cached.
func TestCacheStoreErrorServesUncached(t *testing.T) {
	opt := api.CacheOptions{MaxBytes: 64 << 20, NextPublish: func(context.Context, time.Time) (time.Time, bool, error) {
		return time.Time{}, false, fmt.Errorf("database down")
	}}
	eachCacheDialect(t, opt, func(t *testing.T, app *viewsApp) {
		p := "/api/v1/categories"
		if r := app.get(p); r.Code != http.StatusOK {
			t.Fatalf("%d", r.Code)
		}
		queries := countQueries(t, app.testApp)
		app.get(p)
		if queries() == 0 {
			t.Fatal("cached a response whose lifetime could not be bounded")
		}
	})
}

func TestCORSForFrontends(t *testing.T) {
	eachCacheDialect(t, api.CacheOptions{MaxBytes: 64 << 20, CORSOrigins: []string{"https://news.example"}}, func(t *testing.T, app *viewsApp) {
		rec := app.get("/api/v1/articles?locale=en", "Origin: https://news.example")
		if rec.Header().Get("Access-Control-Allow-Origin") != "https://news.example" {
			t.Fatalf("Allow-Origin %q", rec.Header().Get("Access-Control-Allow-Origin"))
		}
		exposed := rec.Header().Get("Access-Control-Expose-Headers")
		for _, h := range []string{"Link", "X-Total-Count", "ETag"} {
			if !strings.Contains(exposed, h) {
				t.Errorf("Expose-Headers %q lacks %s", exposed, h)
			}
		}
		pre := app.do(http.MethodOptions, "/api/v1/articles", nil, "Origin: https://news.example", "Access-Control-Request-Method: GET",
			"Access-Control-Request-Headers: If-None-Match")
		if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Origin") != "https://news.example" {
			t.Fatalf("preflight: %d, Allow-Origin %q", pre.Code, pre.Header().Get("Access-Control-Allow-Origin"))
		}
		if other := app.get("/api/v1/articles", "Origin: https://evil.example"); other.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Fatal("an unlisted origin was allowed")
		}
		// The read beacon still answers any origin, preflight included.
		fx := app.article(demo.FixtureSlugEN)
		hit := app.do(http.MethodPost, "/api/v1/articles/"+fx.ID+"/views", nil, "Origin: https://blog.example")
		if hit.Code != http.StatusAccepted || hit.Header().Get("Access-Control-Allow-Origin") != "https://blog.example" {
			t.Fatalf("beacon: %d, Allow-Origin %q", hit.Code, hit.Header().Get("Access-Control-Allow-Origin"))
		}
		pre = app.do(http.MethodOptions, "/api/v1/articles/"+fx.ID+"/views", nil, "Origin: https://blog.example", "Access-Control-Request-Method: POST")
		if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Origin") != "https://blog.example" {
			t.Fatalf("beacon preflight: %d, Allow-Origin %q", pre.Code, pre.Header().Get("Access-Control-Allow-Origin"))
		}
	})
}

func TestMediaDetailIsCacheable(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMediaApp(t, d, "disk", media.Config{})
			tok, _ := app.token(t, auth.RoleEditor)
			m := decode[api.AdminMediaDTO](t, app.upload(file{"p.jpg", "image/jpeg", photo(t, 400, 300)}, tok, "alt[en]", "A photo"), http.StatusCreated)
			p := "/api/v1/media/" + m.ID + "?locale=en"
			rec := app.get(p)
			tag := rec.Header().Get("ETag")
			if rec.Code != http.StatusOK || tag == "" || !strings.HasPrefix(rec.Header().Get("Cache-Control"), "public, max-age=60") {
				t.Fatalf("GET %s: %d, ETag %q, Cache-Control %q", p, rec.Code, tag, rec.Header().Get("Cache-Control"))
			}
			if r := app.get(p, "If-None-Match: "+tag); r.Code != http.StatusNotModified || r.Body.Len() != 0 {
				t.Fatalf("If-None-Match: %d, %d bytes", r.Code, r.Body.Len())
			}
		})
	}
}

// TestUncachedBodiesDoNotMix: the buffers of responses the cache does not keep are recycled;
// concurrent reads of different pages each get their own page, byte for byte.
func TestUncachedBodiesDoNotMix(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		paths := []string{"/api/v1/articles?locale=en&per_page=5", "/api/v1/articles?locale=ru&per_page=3",
			"/api/v1/categories?locale=az", "/api/v1/tags?locale=en"}
		want := make([]string, len(paths))
		for i, p := range paths {
			rec := app.get(p)
			if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
				t.Fatalf("%s: %d", p, rec.Code)
			}
			want[i] = rec.Body.String()
		}
		var wg sync.WaitGroup
		errs := make(chan string, 8)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range 25 {
					i := (g + n) % len(paths)
					if got := app.get(paths[i]).Body.String(); got != want[i] {
						errs <- fmt.Sprintf("%s: a body of %d bytes differs from the first %d", paths[i], len(got), len(want[i]))
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	})
}
