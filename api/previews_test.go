package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/testkit"
)

// newPreviewApp is a test app with the response cache on (previews must never reach it)
// and a frontend preview URL.
func newPreviewApp(t *testing.T, dialect string) *testApp {
	t.Helper()
	return wire(t, testkit.URL(t, dialect), map[string]string{
		"HERALD_CACHE_BYTES":     "64MiB",
		"HERALD_PREVIEW_URL":     "https://news.example/api/draft?token={token}&slug={slug}&locale={locale}",
		"HERALD_PREVIEW_MAX_TTL": "48h",
	}, &clock{now: time.Now().UTC()})
}

func eachPreviewDialect(t *testing.T, fn func(t *testing.T, app *testApp)) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newPreviewApp(t, d))
		})
	}
}

func previewsPath(id string) string { return adminArticles + "/" + id + "/previews" }

// createPreview posts a preview link for article id and expects 201.
func createPreview(t *testing.T, app *testApp, h, id string, body any) api.PreviewDTO {
	t.Helper()
	rec := app.send(http.MethodPost, previewsPath(id), body, h)
	p := decode[api.PreviewDTO](t, rec, http.StatusCreated)
	// url is absolute under HERALD_PUBLIC_URL when it is set.
	if !strings.HasPrefix(p.Token, "hpv1.") || !strings.HasSuffix(p.URL, "/api/v1/preview/"+p.Token) || rec.Header().Get("Location") != p.URL || !p.Active {
		t.Fatalf("created preview %+v, Location %q", p, rec.Header().Get("Location"))
	}
	return p
}

// TestPreviewLinks is the story: an editor shares a draft and a scheduled article
// with the frontend; the links show them as they will look, never enter the public site or
// its caches, and stop when revoked or expired.
func TestPreviewLinks(t *testing.T) {
	eachPreviewDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		h := bearer(tok)
		draft, scheduled := hiddenIDs(t, app)

		// Warm the public cache; previews must leave it as it is.
		list := getJSON[articleList](t, app, "/api/v1/articles?locale=en&per_page=100", http.StatusOK)
		cached := app.srv.CachedEntries()
		if cached == 0 {
			t.Fatal("the response cache is off")
		}

		p := createPreview(t, app, h, draft, api.CreatePreviewRequest{ExpiresIn: ptr(3600)})
		if got := p.ExpiresAt.Sub(p.CreatedAt); got != time.Hour {
			t.Errorf("lifetime %v, want 1h", got)
		}
		fu, err := url.Parse(p.FrontendURL)
		if err != nil || fu.Host != "news.example" || fu.Query().Get("token") != p.Token || fu.Query().Get("slug") == "" || fu.Query().Get("locale") != "az" {
			t.Errorf("frontend_url %q", p.FrontendURL)
		}

		for _, loc := range []string{"en", "az"} {
			rec := app.get(p.URL + "?locale=" + loc)
			d := decode[api.ArticleDTO](t, rec, http.StatusOK)
			if d.ID != draft || d.Locale != loc || d.Body == "" || len(d.Translations) == 0 {
				t.Fatalf("preview in %s = %+v", loc, d)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != "private, no-store" {
				t.Errorf("Cache-Control %q", cc)
			}
			if rec.Header().Get("X-Robots-Tag") != "noindex, nofollow" || rec.Header().Get("ETag") != "" {
				t.Errorf("X-Robots-Tag %q, ETag %q", rec.Header().Get("X-Robots-Tag"), rec.Header().Get("ETag"))
			}
		}
		// The default locale without ?locale=, and the Accept-Language of a reader.
		if d := decode[api.ArticleDTO](t, app.get(p.URL, "Accept-Language: ru"), http.StatusOK); d.RequestedLocale != "ru" {
			t.Errorf("Accept-Language: requested %q", d.RequestedLocale)
		}
		sp := createPreview(t, app, h, scheduled, nil)
		if got := sp.ExpiresAt.Sub(sp.CreatedAt); got != content.DefaultPreviewTTL {
			t.Errorf("default lifetime %v", got)
		}
		if d := decode[api.ArticleDTO](t, app.get(sp.URL+"?locale=en"), http.StatusOK); d.ID != scheduled {
			t.Fatalf("scheduled preview = %+v", d)
		}

		// Nothing public changed: the cache holds what it held, the articles stay hidden.
		if n := app.srv.CachedEntries(); n != cached {
			t.Errorf("cache entries %d after previews, want %d", n, cached)
		}
		again := getJSON[articleList](t, app, "/api/v1/articles?locale=en&per_page=100", http.StatusOK)
		for _, a := range append(list.Data, again.Data...) {
			if a.ID == draft || a.ID == scheduled {
				t.Errorf("list shows unpublished %s", a.ID)
			}
		}
		for _, id := range []string{draft, scheduled} {
			problem(t, app.get("/api/v1/articles/"+id), http.StatusNotFound)
		}

		// Listed without tokens; revoked at once; revoking twice is fine.
		ps := decode[api.PreviewList](t, app.get(previewsPath(draft), h), http.StatusOK)
		if len(ps.Data) != 1 || ps.Data[0].ID != p.ID || ps.Data[0].Token != "" || !ps.Data[0].Active {
			t.Fatalf("list %+v", ps)
		}
		for range 2 {
			if rec := app.do(http.MethodDelete, previewsPath(draft)+"/"+p.ID, nil, h); rec.Code != http.StatusNoContent {
				t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
			}
		}
		problem(t, app.get(p.URL), http.StatusGone)
		ps = decode[api.PreviewList](t, app.get(previewsPath(draft), h), http.StatusOK)
		if ps.Data[0].Active || ps.Data[0].RevokedAt == nil {
			t.Errorf("revoked link listed as %+v", ps.Data[0])
		}
		// A link id of another article is not found under this one.
		problem(t, app.do(http.MethodDelete, previewsPath(draft)+"/"+sp.ID, nil, h), http.StatusNotFound)

		// Expiry: a minute's link is gone after a minute, by the token's own clock.
		short := createPreview(t, app, h, scheduled, api.CreatePreviewRequest{ExpiresIn: ptr(60)})
		decode[api.ArticleDTO](t, app.get(short.URL), http.StatusOK)
		app.clock.Set(app.clock.Now().Add(61 * time.Second))
		problem(t, app.get(short.URL), http.StatusGone)
		decode[api.ArticleDTO](t, app.get(sp.URL), http.StatusOK) // the day-long one still opens

		// The writes are audited (and are not public: the cache is still whole).
		admin, _ := app.token(t, auth.RoleAdmin)
		for _, action := range []string{"article.preview.create", "article.preview.revoke"} {
			if l := decode[api.AuditList](t, app.get("/api/v1/admin/audit?action="+action, bearer(admin)), http.StatusOK); len(l.Data) == 0 {
				t.Errorf("no audit entry %s", action)
			}
		}
		if n := app.srv.CachedEntries(); n != cached {
			t.Errorf("cache entries %d after preview writes, want %d", n, cached)
		}

		// A deleted article's links are gone.
		vd := decode[api.AdminArticleDTO](t, app.get(adminArticles+"/"+scheduled, h), http.StatusOK)
		if rec := app.do(http.MethodDelete, adminArticles+"/"+scheduled, nil, h, ifMatch(vd.Version)); rec.Code != http.StatusNoContent {
			t.Fatalf("delete: %d %s", rec.Code, rec.Body)
		}
		problem(t, app.get(sp.URL), http.StatusGone)
		problem(t, app.send(http.MethodPost, previewsPath(scheduled), nil, h), http.StatusNotFound)
	})
}

// TestPreviewHostileTokens: whatever arrives in place of a token is a 404 problem (410 only
// for genuine links), never a 500, and junk never reaches the database.
func TestPreviewHostileTokens(t *testing.T) {
	eachPreviewDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		draft, _ := hiddenIDs(t, app)
		good := createPreview(t, app, bearer(tok), draft, nil).Token
		body, sig, _ := strings.Cut(strings.TrimPrefix(good, "hpv1."), ".")
		flip := func(s string, i int) string {
			b := []byte(s)
			if b[i] == 'A' {
				b[i] = 'B'
			} else {
				b[i] = 'A'
			}
			return string(b)
		}
		for _, bad := range []string{
			"x", "hpv1.", "hpv1..", "hpv1.a.b", "hpv2." + body + "." + sig,
			"hpv1." + flip(body, 3) + "." + sig, // another id, same signature
			"hpv1." + body + "." + flip(sig, 5),
			"hpv1." + body + "=." + sig, "hpv1." + body + "." + sig + ".x",
			"hpv1." + body + "." + sig + sig, strings.Repeat("A", 5000), good + "A",
			"%00", "..%2F..%2Fetc%2Fpasswd", "' OR '1'='1", "hpv1.%F0%9F%92%A9.x",
		} {
			rec := app.get("/api/v1/preview/" + url.PathEscape(bad))
			if rec.Code != http.StatusNotFound {
				t.Errorf("token %.40q: %d %s", bad, rec.Code, rec.Body)
				continue
			}
			problem(t, rec, http.StatusNotFound)
		}
		// Unknown query parameters are refused here too.
		problem(t, app.get("/api/v1/preview/"+good+"?draft=1"), http.StatusBadRequest)
		problem(t, app.get("/api/v1/preview/"+good+"?locale=xx"), http.StatusBadRequest)

		// A token signed by another server (another secret) opens nothing here.
		other := wire(t, testkit.URL(t, app.dialect), map[string]string{"HERALD_JWT_SECRET": strings.Repeat("k", 48)}, &clock{now: time.Now().UTC()})
		otok, _ := other.token(t, auth.RoleEditor)
		odraft, _ := hiddenIDs(t, other)
		foreign := createPreview(t, other, bearer(otok), odraft, nil).Token
		problem(t, app.get("/api/v1/preview/"+foreign), http.StatusNotFound)
	})
}

// TestPreviewLimitsAndRoles: every limit of preview links is hit, and who may share what.
func TestPreviewLimitsAndRoles(t *testing.T) {
	eachPreviewDialect(t, func(t *testing.T, app *testApp) {
		editor, _ := app.token(t, auth.RoleEditor)
		h := bearer(editor)
		draft, _ := hiddenIDs(t, app)
		for _, bad := range []int{-5, 0, 59, 48*3600 + 1, 1 << 40} {
			p := problem(t, app.send(http.MethodPost, previewsPath(draft), api.CreatePreviewRequest{ExpiresIn: ptr(bad)}, h), http.StatusBadRequest)
			if len(p.Errors) != 1 || p.Errors[0].Field != "expires_in" {
				t.Errorf("expires_in %d: %+v", bad, p)
			}
		}
		problem(t, app.send(http.MethodPost, previewsPath(draft), `{"expires_in":"1h"}`, h), http.StatusBadRequest)
		problem(t, app.send(http.MethodPost, previewsPath(draft), `{"ttl":60}`, h), http.StatusBadRequest)
		createPreview(t, app, h, draft, api.CreatePreviewRequest{ExpiresIn: ptr(48 * 3600)}) // the maximum is allowed

		// At most MaxLivePreviews live links per article; revoking one makes room.
		var last api.PreviewDTO
		for i := 1; i < content.MaxLivePreviews; i++ {
			last = createPreview(t, app, h, draft, nil)
		}
		p := problem(t, app.send(http.MethodPost, previewsPath(draft), nil, h), http.StatusConflict)
		if !strings.Contains(p.Detail, strconv.Itoa(content.MaxLivePreviews)) {
			t.Errorf("detail %q", p.Detail)
		}
		if rec := app.do(http.MethodDelete, previewsPath(draft)+"/"+last.ID, nil, h); rec.Code != http.StatusNoContent {
			t.Fatal(rec.Code)
		}
		createPreview(t, app, h, draft, nil)

		// An author cannot see an editor's draft (404) and may share only their own drafts.
		author, _ := app.token(t, auth.RoleAuthor)
		ah := bearer(author)
		problem(t, app.send(http.MethodPost, previewsPath(draft), nil, ah), http.StatusNotFound)
		problem(t, app.get(previewsPath(draft), ah), http.StatusNotFound)
		own := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, api.CreateArticleRequest{
			Translations: []api.TranslationRequest{{Locale: "en", Title: "An author's own draft", Body: "<p>Text</p>"}}}, ah), http.StatusCreated)
		op := createPreview(t, app, ah, own.ID, nil)
		if d := decode[api.ArticleDTO](t, app.get(op.URL), http.StatusOK); d.Title != "An author's own draft" {
			t.Errorf("author's preview %+v", d)
		}
		// Once an editor schedules it, the author may no longer edit it, nor share it.
		at := app.clock.Now().Add(time.Hour)
		decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+own.ID+"/publish", api.PublishRequest{PublishedAt: &at}, h, ifMatch(own.Version)), http.StatusOK)
		problem(t, app.send(http.MethodPost, previewsPath(own.ID), nil, ah), http.StatusForbidden)
		decode[api.ArticleDTO](t, app.get(op.URL), http.StatusOK) // its link still shows it
		// The list shows the newest MaxPreviewsListed links, live or not.
		for i := range content.MaxPreviewsListed + 5 {
			at := app.clock.Now().Add(-time.Duration(i+1) * time.Hour).UTC()
			if err := app.db.Gorm().Exec("INSERT INTO article_previews (id, article_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
				uuid.New(), uuid.MustParse(draft), "old-"+strconv.Itoa(i), at, at.Add(time.Minute)).Error; err != nil {
				t.Fatal(err)
			}
		}
		ps := decode[api.PreviewList](t, app.get(previewsPath(draft), h), http.StatusOK)
		if len(ps.Data) != content.MaxPreviewsListed || !ps.Data[0].Active || ps.Data[len(ps.Data)-1].Active {
			t.Errorf("listed %d links (first active %v)", len(ps.Data), ps.Data[0].Active)
		}
		problem(t, app.send(http.MethodPost, previewsPath("not-a-uuid"), nil, h), http.StatusNotFound)
		problem(t, app.do(http.MethodDelete, previewsPath(draft)+"/not-a-uuid", nil, h), http.StatusNotFound)
	})
}
