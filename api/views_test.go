package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/testkit"
	"github.com/heraldcms/herald/internal/views"
)

// viewsApp is the test app with read counting wired as in main; tests flush by hand.
type viewsApp struct {
	*testApp
	counter *views.Counter
	editor  string // Authorization header of an editor
}

func newViewsApp(t *testing.T, dialect string, opt views.Options) *viewsApp {
	t.Helper()
	return newViewsAppWith(t, dialect, opt, nil)
}

// newViewsAppWith is newViewsApp with Deps adjusted by tune; the counter runs with opt
// (flushed by hand unless opt says otherwise) and is closed at cleanup.
func newViewsAppWith(t *testing.T, dialect string, opt views.Options, tune func(*api.Deps)) *viewsApp {
	t.Helper()
	return newViewsAppOpts(t, dialect, opt, nil, app.WithDeps(tune))
}

// newViewsAppOpts is newViewsApp with the configuration env and more wiring options.
func newViewsAppOpts(t *testing.T, dialect string, opt views.Options, env map[string]string, opts ...app.Option) *viewsApp {
	t.Helper()
	if opt.Logger != nil {
		opts = append([]app.Option{app.WithLogger(opt.Logger)}, opts...)
	}
	ta := wire(t, testkit.URL(t, dialect), env, &clock{now: time.Now().UTC()}, append([]app.Option{app.WithViewsOptions(func(o *views.Options) {
		if opt.FlushInterval != 0 {
			o.FlushInterval = opt.FlushInterval
		}
		o.DedupeWindow, o.DedupeMaxEntries, o.RefreshInterval, o.LiveLimit = opt.DedupeWindow, opt.DedupeMaxEntries, opt.RefreshInterval, opt.LiveLimit
		if opt.FlushTimeout != 0 {
			o.FlushTimeout = opt.FlushTimeout
		}
		if opt.Logger != nil {
			o.Logger = opt.Logger
		}
		if opt.ObserveFlush != nil {
			o.ObserveFlush = opt.ObserveFlush
		}
	})}, opts...)...)
	counter := ta.app.Views
	counter.Start(context.Background())
	t.Cleanup(func() { _ = counter.Close(context.Background()) })
	va := &viewsApp{testApp: ta, counter: counter}
	tok, _ := ta.token(t, auth.RoleEditor)
	va.editor = bearer(tok)
	return va
}

// eachViewsDialectOpts is eachViewsDialect with wiring options.
func eachViewsDialectOpts(t *testing.T, opt views.Options, opts []app.Option, fn func(t *testing.T, app *viewsApp)) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newViewsAppOpts(t, d, opt, nil, opts...))
		})
	}
}

func eachViewsDialect(t *testing.T, opt views.Options, fn func(t *testing.T, app *viewsApp)) {
	for _, d := range []string{"sqlite", "postgres"} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newViewsApp(t, d, opt))
		})
	}
}

func (a *viewsApp) flush() {
	a.t.Helper()
	if err := a.counter.Flush(context.Background()); err != nil {
		a.t.Fatal(err)
	}
}

func (a *viewsApp) hit(id string, headers ...string) int {
	return a.do(http.MethodPost, "/api/v1/articles/"+id+"/views", nil, headers...).Code
}

func (a *viewsApp) article(ref string) api.ArticleDTO {
	a.t.Helper()
	return getJSON[api.ArticleDTO](a.t, a.testApp, "/api/v1/articles/"+ref+"?locale=en", http.StatusOK)
}

// hiddenIDs returns the ids of the draft and the scheduled demo article.
func hiddenIDs(t *testing.T, app *testApp) (draft, scheduled string) {
	t.Helper()
	type row struct{ ID, Status string }
	var rows []row
	if err := app.db.Gorm().Raw(`SELECT id, status FROM articles WHERE status IN ('draft', 'scheduled')`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Status == "draft" {
			draft = r.ID
		} else {
			scheduled = r.ID
		}
	}
	if draft == "" || scheduled == "" {
		t.Fatalf("demo content lacks a draft or a scheduled article: %+v", rows)
	}
	return draft, scheduled
}

func TestCountViewIsAcceptedAndWritten(t *testing.T) {
	eachViewsDialect(t, views.Options{}, func(t *testing.T, app *viewsApp) {
		fx := app.article(demo.FixtureSlugEN)
		if fx.ReadCount != 310 {
			t.Fatalf("fixture read_count %d", fx.ReadCount)
		}
		path := "/api/v1/articles/" + fx.ID + "/views"
		for _, tc := range []struct {
			name, body string
			headers    []string
		}{
			{"empty body", "", nil},
			{"sendBeacon text", "ping", []string{"Content-Type: text/plain;charset=UTF-8", "Origin: https://news.example"}},
			{"JSON blob", `{"ref":"home"}`, []string{"Content-Type: application/json"}},
		} {
			rec := app.do(http.MethodPost, path, strings.NewReader(tc.body), tc.headers...)
			if rec.Code != http.StatusAccepted || rec.Body.Len() != 0 {
				t.Fatalf("%s: %d %q, want 202 with no body", tc.name, rec.Code, rec.Body.String())
			}
			wantOrigin := "*"
			if len(tc.headers) > 1 {
				wantOrigin = "https://news.example"
			}
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != wantOrigin {
				t.Errorf("%s: Access-Control-Allow-Origin %q, want %q", tc.name, got, wantOrigin)
			}
		}
		if got := app.article(fx.ID).ReadCount; got != 310 {
			t.Fatalf("read_count %d before the flush: hits must not touch the database", got)
		}
		app.flush()
		if got := app.article(demo.FixtureSlugEN).ReadCount; got != 313 {
			t.Fatalf("read_count %d after flush, want 313", got)
		}
		// Every article response carries it: lists too.
		l := getJSON[articleList](t, app.testApp, "/api/v1/articles?locale=en&sort=-read_count&per_page=100", http.StatusOK)
		for i, a := range l.Data {
			if i > 0 && a.ReadCount > l.Data[i-1].ReadCount {
				t.Fatalf("sort=-read_count not descending at %d", i)
			}
			if a.ID == fx.ID && a.ReadCount != 313 {
				t.Errorf("list read_count %d", a.ReadCount)
			}
		}
	})
}

func TestCountViewOnlyForVisibleArticles(t *testing.T) {
	eachViewsDialect(t, views.Options{}, func(t *testing.T, app *viewsApp) {
		draft, scheduled := hiddenIDs(t, app.testApp)
		for name, id := range map[string]string{
			"draft": draft, "scheduled": scheduled, "unknown": uuid.Must(uuid.NewV7()).String(),
			"not an id": "hello", "slug": demo.FixtureSlugEN, "bad utf-8": "%ff%fe",
		} {
			rec := app.do(http.MethodPost, "/api/v1/articles/"+id+"/views", nil)
			if rec.Code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", name, rec.Code)
				continue
			}
			problem(t, rec, http.StatusNotFound)
		}
		// The scheduled article counts once it is due, within the refresh cache's reach.
		app.clock.Set(app.clock.Now().Add(31 * 24 * time.Hour))
		if code := app.hit(scheduled); code != http.StatusAccepted {
			t.Fatalf("due scheduled article: %d", code)
		}
		rec := app.do(http.MethodGet, "/api/v1/articles/"+uuid.Must(uuid.NewV7()).String()+"/views", nil)
		problem(t, rec, http.StatusMethodNotAllowed)
	})
}

func TestCountViewPreflight(t *testing.T) {
	app := newViewsApp(t, "sqlite", views.Options{})
	fx := app.article(demo.FixtureSlugEN)
	rec := app.do(http.MethodOptions, "/api/v1/articles/"+fx.ID+"/views", nil,
		"Origin: https://news.example", "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type")
	if rec.Code != http.StatusNoContent {
		t.Fatalf("preflight %d", rec.Code)
	}
	h := rec.Header()
	if h.Get("Access-Control-Allow-Origin") != "https://news.example" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.EqualFold(h.Get("Access-Control-Allow-Headers"), "Content-Type") || h.Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("preflight headers %v", h)
	}
}

func TestCountViewDedupe(t *testing.T) {
	eachViewsDialect(t, views.Options{DedupeWindow: time.Hour}, func(t *testing.T, app *viewsApp) {
		fx := app.article(demo.FixtureSlugEN)
		// A visitor is the connection's address: X-Real-IP and X-Forwarded-For from a peer
		// that is not a trusted proxy do not make a new visitor.
		for i := range 3 {
			app.hit(fx.ID, "User-Agent: Firefox", "Peer: 198.51.100.1", fmt.Sprintf("X-Real-IP: 203.0.113.%d", i), fmt.Sprintf("X-Forwarded-For: 203.0.113.%d", i))
		}
		app.hit(fx.ID, "User-Agent: Firefox", "Peer: 198.51.100.2")
		app.hit(fx.ID, "User-Agent: Chrome", "Peer: 198.51.100.1")
		app.clock.Set(app.clock.Now().Add(time.Hour))
		if code := app.hit(fx.ID, "User-Agent: Firefox", "Peer: 198.51.100.1"); code != http.StatusAccepted {
			t.Fatalf("hit %d", code)
		}
		app.flush()
		if got := app.article(fx.ID).ReadCount; got != 314 {
			t.Fatalf("read_count %d, want 310 + 4", got)
		}
	})
}

func TestCountViewConcurrentThroughRouter(t *testing.T) {
	eachViewsDialect(t, views.Options{FlushInterval: 2 * time.Millisecond}, func(t *testing.T, app *viewsApp) {
		l := getJSON[articleList](t, app.testApp, "/api/v1/articles?locale=en&per_page=4", http.StatusOK)
		before := map[string]int64{}
		for _, a := range l.Data {
			before[a.ID] = a.ReadCount
		}
		const workers, hits = 16, 100
		var wg sync.WaitGroup
		var bad sync.Map
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range hits {
					if code := app.hit(l.Data[(w+i)%len(l.Data)].ID); code != http.StatusAccepted {
						bad.Store(code, true)
					}
				}
			}()
		}
		wg.Wait()
		bad.Range(func(k, _ any) bool { t.Fatalf("hit answered %v", k); return false })
		if err := app.counter.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		var added int64
		for _, a := range l.Data {
			added += app.article(a.ID).ReadCount - before[a.ID]
		}
		if added != workers*hits {
			t.Fatalf("counted %d, want %d", added, workers*hits)
		}
		// After Close the counter refuses hits rather than losing them.
		problem(t, app.do(http.MethodPost, "/api/v1/articles/"+l.Data[0].ID+"/views", nil), http.StatusServiceUnavailable)
	})
}

type popularList struct {
	Data []struct {
		api.ArticleDTO
		Views int64 `json:"views"`
	} `json:"data"`
	Meta api.PopularMeta `json:"meta"`
}

func TestPopularArticles(t *testing.T) {
	eachViewsDialect(t, views.Options{}, func(t *testing.T, app *viewsApp) {
		l := getJSON[articleList](t, app.testApp, "/api/v1/articles?locale=en&per_page=3&sort=published_at", http.StatusOK)
		// Three old articles read 1, 3 and 2 times today.
		for i, n := range []int{1, 3, 2} {
			for range n {
				if code := app.hit(l.Data[i].ID); code != http.StatusAccepted {
					t.Fatalf("hit %d", code)
				}
			}
		}
		app.flush()
		p := getJSON[popularList](t, app.testApp, "/api/v1/articles/popular?period=day&locale=ru&limit=5", http.StatusOK)
		if len(p.Data) != 3 || p.Data[0].ID != l.Data[1].ID || p.Data[0].Views != 3 || p.Data[1].ID != l.Data[2].ID || p.Data[2].Views != 1 {
			t.Fatalf("popular today = %+v", p.Data)
		}
		today := views.Day(app.clock.Now()).Format("2006-01-02")
		if p.Meta.Period != "day" || p.Meta.Since != today || p.Meta.Limit != 5 || p.Meta.Locale != "ru" || p.Data[0].RequestedLocale != "ru" || p.Data[0].Body != "" {
			t.Errorf("meta %+v, item %+v", p.Meta, p.Data[0].ArticleDTO)
		}
		// Default period is week; tomorrow the same reads still rank the week, not the day.
		app.clock.Set(app.clock.Now().Add(24 * time.Hour))
		if w := getJSON[popularList](t, app.testApp, "/api/v1/articles/popular", http.StatusOK); len(w.Data) != 3 || w.Meta.Period != "week" {
			t.Errorf("week = %d items, meta %+v", len(w.Data), w.Meta)
		}
		if d := getJSON[popularList](t, app.testApp, "/api/v1/articles/popular?period=day", http.StatusOK); len(d.Data) != 0 {
			t.Errorf("tomorrow's day ranking has %d items", len(d.Data))
		}
		all := getJSON[popularList](t, app.testApp, "/api/v1/articles/popular?period=all&limit=50&locale=en", http.StatusOK)
		if len(all.Data) < 10 || all.Meta.Since != "" {
			t.Fatalf("all time: %d items, meta %+v", len(all.Data), all.Meta)
		}
		for i, a := range all.Data {
			if a.Views != a.ReadCount || (i > 0 && a.Views > all.Data[i-1].Views) {
				t.Fatalf("all time item %d: views %d, read_count %d", i, a.Views, a.ReadCount)
			}
		}
		for _, q := range []string{"period=year", "limit=0", "limit=51", "locale=xx"} {
			problem(t, app.get("/api/v1/articles/popular?"+q), http.StatusBadRequest)
		}
	})
}

func TestAdminReadCount(t *testing.T) {
	eachViewsDialect(t, views.Options{}, func(t *testing.T, app *viewsApp) {
		fx := app.article(demo.FixtureSlugEN)
		put := func(id, body string, headers ...string) int {
			if len(headers) == 0 {
				headers = []string{"Content-Type: application/json"}
			}
			return app.do(http.MethodPut, "/api/v1/admin/articles/"+id+"/read-count", strings.NewReader(body), append(headers, app.editor)...).Code
		}
		rec := app.do(http.MethodPut, "/api/v1/admin/articles/"+fx.ID+"/read-count", strings.NewReader(`{"read_count": 5000}`), "Content-Type: application/json", app.editor)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"read_count":5000`) {
			t.Fatalf("set: %d %s", rec.Code, rec.Body.String())
		}
		app.hit(fx.ID)
		app.flush()
		if got := app.article(fx.ID).ReadCount; got != 5001 {
			t.Fatalf("read_count %d, want 5001", got)
		}
		for body, want := range map[string]int{
			`{"read_count": -1}`:          http.StatusBadRequest,
			`{}`:                          http.StatusBadRequest,
			`{"read_count": "x"}`:         http.StatusBadRequest,
			`{"read_count": 1, "x": 2}`:   http.StatusBadRequest,
			`{"read_count": 1} {}`:        http.StatusBadRequest,
			`not json`:                    http.StatusBadRequest,
			`{"read_count": 1e30}`:        http.StatusBadRequest,
			`{"read_count": 10000000000}`: http.StatusOK,
		} {
			if code := put(fx.ID, body); code != want {
				t.Errorf("PUT %s: %d, want %d", body, code, want)
			}
		}
		if code := put(fx.ID, `{"read_count": 1}`, "Content-Type: text/plain"); code != http.StatusUnsupportedMediaType {
			t.Errorf("text/plain body: %d", code)
		}
		problem(t, app.do(http.MethodPut, "/api/v1/admin/articles/"+uuid.Must(uuid.NewV7()).String()+"/read-count", strings.NewReader(`{"read_count": 1}`), "Content-Type: application/json", app.editor), http.StatusNotFound)
		problem(t, app.do(http.MethodPut, "/api/v1/admin/articles/nope/read-count", strings.NewReader(`{"read_count": 1}`), "Content-Type: application/json", app.editor), http.StatusNotFound)
		// Signed in as staff only.
		problem(t, app.do(http.MethodPut, "/api/v1/admin/articles/"+fx.ID+"/read-count", strings.NewReader(`{"read_count": 1}`), "Content-Type: application/json"), http.StatusUnauthorized)
		author, _ := app.token(t, auth.RoleAuthor)
		problem(t, app.do(http.MethodPut, "/api/v1/admin/articles/"+fx.ID+"/read-count", strings.NewReader(`{"read_count": 1}`), "Content-Type: application/json", bearer(author)), http.StatusForbidden)
		problem(t, app.get("/api/v1/admin/articles/"+fx.ID+"/stats", bearer(author)), http.StatusForbidden)
		problem(t, app.do(http.MethodPost, "/api/v1/admin/read-counts/import", strings.NewReader(`{"items": []}`), "Content-Type: application/json"), http.StatusUnauthorized)
		var audited int64
		if err := app.db.Gorm().Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'article.read_count' AND entity_id = ?", fx.ID).Scan(&audited).Error; err != nil || audited == 0 {
			t.Errorf("read count change not audited (%d, %v)", audited, err)
		}
		// Editors may set the count of a draft too.
		draft, _ := hiddenIDs(t, app.testApp)
		if code := put(draft, `{"read_count": 7}`); code != http.StatusOK {
			t.Errorf("draft: %d", code)
		}
	})
}

func TestAdminStats(t *testing.T) {
	eachViewsDialect(t, views.Options{}, func(t *testing.T, app *viewsApp) {
		fx := app.article(demo.FixtureSlugEN)
		yesterday := app.clock.Now()
		for range 2 {
			app.hit(fx.ID)
		}
		app.flush()
		app.clock.Set(yesterday.Add(24 * time.Hour))
		tok, _ := app.token(t, auth.RoleEditor) // yesterday's token has expired
		app.editor = bearer(tok)
		for range 5 {
			app.hit(fx.ID)
		}
		app.flush()
		st := getJSON[api.ArticleStatsDTO](t, app.testApp, "/api/v1/admin/articles/"+fx.ID+"/stats", http.StatusOK, app.editor)
		if len(st.Days) != 30 || st.Total != 7 || st.ReadCount != 317 || st.To != views.Day(app.clock.Now()).Format("2006-01-02") {
			t.Fatalf("stats = %+v", st)
		}
		if last := st.Days[29]; last.Count != 5 || st.Days[28].Count != 2 || st.Days[0].Count != 0 {
			t.Fatalf("last days = %+v", st.Days[27:])
		}
		from := views.Day(yesterday).Format("2006-01-02")
		one := getJSON[api.ArticleStatsDTO](t, app.testApp, "/api/v1/admin/articles/"+fx.ID+"/stats?from="+from+"&to="+from, http.StatusOK, app.editor)
		if len(one.Days) != 1 || one.Total != 2 || one.From != from {
			t.Fatalf("one day = %+v", one)
		}
		for _, q := range []string{"from=2024-05-10&to=2024-05-01", "from=2020-01-01&to=2024-01-01", "from=yesterday"} {
			problem(t, app.get("/api/v1/admin/articles/"+fx.ID+"/stats?"+q, app.editor), http.StatusBadRequest)
		}
		problem(t, app.get("/api/v1/admin/articles/"+uuid.Must(uuid.NewV7()).String()+"/stats", app.editor), http.StatusNotFound)
	})
}

func TestAdminImportReadCounts(t *testing.T) {
	eachViewsDialect(t, views.Options{}, func(t *testing.T, app *viewsApp) {
		fx := app.article(demo.FixtureSlugEN)
		l := getJSON[articleList](t, app.testApp, "/api/v1/articles?locale=az&per_page=3&sort=published_at", http.StatusOK)
		post := func(body string) *api.Problem {
			rec := app.do(http.MethodPost, "/api/v1/admin/read-counts/import", strings.NewReader(body), "Content-Type: application/json", app.editor)
			if rec.Code == http.StatusOK {
				if !strings.Contains(rec.Body.String(), `"updated":`) {
					t.Fatalf("import answer %s", rec.Body.String())
				}
				return nil
			}
			p := problem(t, rec, rec.Code)
			return &p
		}
		body := fmt.Sprintf(`{"items": [{"id": %q, "count": 11}, {"slug": %q, "locale": "az", "count": 22}, {"slug": %q, "locale": "en", "count": 33}]}`,
			l.Data[0].ID, l.Data[1].Slug, demo.FixtureSlugEN)
		if p := post(body); p != nil {
			t.Fatalf("import: %+v", p)
		}
		if a, b, c := app.article(l.Data[0].ID).ReadCount, app.article(l.Data[1].ID).ReadCount, app.article(fx.ID).ReadCount; a != 11 || b != 22 || c != 33 {
			t.Fatalf("after import: %d %d %d", a, b, c)
		}
		// All or nothing: one unknown slug leaves every count as it was.
		body = fmt.Sprintf(`{"items": [{"id": %q, "count": 99}, {"slug": "no-such-story", "locale": "en", "count": 1}]}`, fx.ID)
		p := post(body)
		if p == nil || p.Status != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Field != "items[1]" {
			t.Fatalf("unknown slug: %+v", p)
		}
		if c := app.article(fx.ID).ReadCount; c != 33 {
			t.Fatalf("a failed import changed a count to %d", c)
		}
		for _, bad := range []string{
			`{"items": []}`,
			`{"items": [{"count": 1}]}`,
			`{"items": [{"id": "x", "count": 1}]}`,
			fmt.Sprintf(`{"items": [{"id": %q}]}`, fx.ID),
			fmt.Sprintf(`{"items": [{"id": %q, "slug": "a", "locale": "en", "count": 1}]}`, fx.ID),
			fmt.Sprintf(`{"items": [{"id": %q, "count": -5}]}`, fx.ID),
			fmt.Sprintf(`{"items": [{"id": %q, "count": 1}, {"slug": %q, "locale": "en", "count": 2}]}`, fx.ID, demo.FixtureSlugEN),
			`{"items": [{"id": "` + uuid.Must(uuid.NewV7()).String() + `", "count": 1}]}`,
			`{"rows": []}`,
		} {
			if p := post(bad); p == nil || p.Status != http.StatusBadRequest {
				t.Errorf("%s: %+v, want 400", bad, p)
			}
		}
		var many strings.Builder
		many.WriteString(`{"items": [`)
		for i := range views.MaxImport + 1 {
			if i > 0 {
				many.WriteString(",")
			}
			fmt.Fprintf(&many, `{"id": %q, "count": 1}`, fx.ID)
		}
		many.WriteString("]}")
		if p := post(many.String()); p == nil || p.Status != http.StatusBadRequest {
			t.Errorf("%d items: %+v", views.MaxImport+1, p)
		}
	})
}

// TestCountedHitsAreNotLogged: at thousands of beacons a second the request log would cost
// more than the hit, so counted hits are left out; refused ones are still logged.
func TestCountedHitsAreNotLogged(t *testing.T) {
	var buf syncBuffer
	app := newViewsApp(t, "sqlite", views.Options{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	fx := app.article(demo.FixtureSlugEN)
	if code := app.hit(fx.ID); code != http.StatusAccepted {
		t.Fatalf("hit %d", code)
	}
	app.hit(uuid.Must(uuid.NewV7()).String())
	log := buf.String()
	if strings.Count(log, "route=/api/v1/articles/:id/views") != 1 || !strings.Contains(log, "status=404") {
		t.Fatalf("want only the refused hit in the log:\n%s", log)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
