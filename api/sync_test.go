package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/testkit"
)

// syncClient is a mobile app's offline copy, rebuilt only from GET /api/v1/sync.
type syncClient struct {
	locales string
	token   string
	arts    map[string]api.ArticleDTO // id/locale
	cats    map[string]api.CategoryDTO
	tags    map[string]api.TagDTO
	// pages and tombstones count what the client received, for tests that need both.
	pages, tombstones int
	dropped           []api.SyncTombstone
}

func newSyncClient(locales string) *syncClient {
	return &syncClient{locales: locales, arts: map[string]api.ArticleDTO{}, cats: map[string]api.CategoryDTO{}, tags: map[string]api.TagDTO{}}
}

// syncOnce runs one sync to its end (every page) with pages of perPage and returns the
// pages it read. Failures are reported with Errorf, so it may run on any goroutine.
func (cl *syncClient) syncOnce(t *testing.T, a *testApp, perPage int) []api.SyncPage {
	var pages []api.SyncPage
	q := url.Values{"per_page": {fmt.Sprint(perPage)}}
	if cl.token == "" {
		q.Set("locale", cl.locales)
	} else {
		q.Set("sync_token", cl.token)
	}
	for range 10_000 {
		rec := a.get("/api/v1/sync?" + q.Encode())
		for retry := 0; rec.Code == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") != "" && retry < 5; retry++ {
			// The read timeout on a starved machine (-race, a loaded CI): an app retries.
			time.Sleep(100 * time.Millisecond)
			rec = a.get("/api/v1/sync?" + q.Encode())
		}
		if rec.Code != http.StatusOK {
			t.Errorf("sync %s: status %d; body %.400s", q.Encode(), rec.Code, rec.Body.String())
			return pages
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("sync: Cache-Control %q, want no-store", cc)
		}
		var p api.SyncPage
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Errorf("sync: decode %v", err)
			return pages
		}
		cl.apply(p)
		pages = append(pages, p)
		if n := len(p.Articles) + len(p.DeletedArticles); n > 3*perPage {
			t.Errorf("sync: a page of %d holds %d article items", perPage, n)
		}
		switch {
		case p.NextPageToken != "" && p.NextSyncToken == "":
			q = url.Values{"per_page": {fmt.Sprint(perPage)}, "sync_token": {p.NextPageToken}}
		case p.NextSyncToken != "" && p.NextPageToken == "":
			cl.token = p.NextSyncToken
			return pages
		default:
			t.Errorf("sync: page with next_page_token %q and next_sync_token %q", p.NextPageToken, p.NextSyncToken)
			return pages
		}
	}
	t.Errorf("sync: no end after 10000 pages")
	return pages
}

func (cl *syncClient) apply(p api.SyncPage) {
	cl.pages++
	for _, d := range p.DeletedArticles {
		delete(cl.arts, d.ID+"/"+d.Locale)
		cl.tombstones++
		cl.dropped = append(cl.dropped, d)
	}
	for _, a := range p.Articles {
		cl.arts[a.ID+"/"+a.Locale] = a
	}
	for _, d := range p.DeletedCategories {
		delete(cl.cats, d.ID)
	}
	for _, c := range p.Categories {
		cl.cats[c.ID] = c
	}
	for _, d := range p.DeletedTags {
		delete(cl.tags, d.ID)
	}
	for _, tg := range p.Tags {
		cl.tags[tg.ID] = tg
	}
}

// publicState is what the public list shows in each locale (no fallbacks), in the shape
// syncClient keeps: id/locale → the item.
func publicState(t *testing.T, a *testApp, locales string) map[string]api.ArticleDTO {
	t.Helper()
	out := map[string]api.ArticleDTO{}
	for _, l := range strings.Split(locales, ",") {
		target := "/api/v1/articles?fallback=false&per_page=100&locale=" + l + "&cursor="
		cursor := ""
		for {
			list := getJSON[api.ArticleList](t, a, target+url.QueryEscape(cursor), http.StatusOK)
			for _, d := range list.Data {
				out[d.ID+"/"+d.Locale] = d
			}
			if list.Meta.NextCursor == "" {
				break
			}
			cursor = list.Meta.NextCursor
		}
	}
	return out
}

// sameAsPublic fails unless the client holds exactly what the public list shows, with the
// same text and dates.
func sameAsPublic(t *testing.T, a *testApp, cl *syncClient) {
	t.Helper()
	want := publicState(t, a, cl.locales)
	var missing, phantom, stale []string
	for k, w := range want {
		g, ok := cl.arts[k]
		switch {
		case !ok:
			missing = append(missing, k+" "+w.Title)
		case g.Title != w.Title || g.Slug != w.Slug || g.Summary != w.Summary || !g.PublishedAt.Equal(w.PublishedAt) ||
			!g.UpdatedAt.Equal(w.UpdatedAt) || g.Body == "":
			stale = append(stale, fmt.Sprintf("%s: got %q/%q %v, want %q/%q %v", k, g.Title, g.Slug, g.UpdatedAt, w.Title, w.Slug, w.UpdatedAt))
		}
	}
	for k, g := range cl.arts {
		if _, ok := want[k]; !ok {
			phantom = append(phantom, k+" "+g.Title)
		}
	}
	sort.Strings(missing)
	sort.Strings(phantom)
	if len(missing)+len(phantom)+len(stale) > 0 {
		t.Fatalf("client (%s) differs from the public list (%d items): missing %v; phantom %v; stale %v",
			cl.locales, len(want), missing, phantom, stale)
	}
}

// editor drives the Admin API for sync tests, remembering each article's version.
type editor struct {
	t       *testing.T
	a       *testApp
	as      string
	mu      sync.Mutex
	version map[string]int
	locales map[string][]string
	ids     []string
}

func newEditor(t *testing.T, a *testApp) *editor {
	tok, _ := a.token(t, auth.RoleEditor)
	return &editor{t: t, a: a, as: bearer(tok), version: map[string]int{}, locales: map[string][]string{}}
}

// write sends one admin request; a 4xx (a workflow step that does not apply) is fine, a 5xx
// is not. It returns the article written, when there is one.
func (e *editor) write(method, target string, body any, id string) *api.AdminArticleDTO {
	e.mu.Lock()
	v := e.version[id]
	e.mu.Unlock()
	headers := []string{e.as}
	if id != "" {
		headers = append(headers, ifMatch(v))
	}
	rec := e.a.send(method, target, body, headers...)
	if rec.Code >= 500 {
		e.t.Errorf("%s %s: %d %s", method, target, rec.Code, rec.Body.String())
		return nil
	}
	if rec.Code >= 300 {
		return nil
	}
	var d api.AdminArticleDTO
	if json.Unmarshal(rec.Body.Bytes(), &d) != nil || d.ID == "" {
		return nil
	}
	e.mu.Lock()
	e.version[d.ID] = d.Version
	ls := []string{}
	for _, tr := range d.Translations {
		ls = append(ls, tr.Locale)
	}
	e.locales[d.ID] = ls
	e.mu.Unlock()
	return &d
}

func (e *editor) create(locales ...string) string {
	var trs []api.TranslationRequest
	for _, l := range locales {
		trs = append(trs, api.TranslationRequest{Locale: l, Title: "Sync " + l + " " + uuid.NewString()[:8], Body: "<p>Text " + l + "</p>", Summary: "sum"})
	}
	d := e.write(http.MethodPost, adminArticles, api.CreateArticleRequest{Translations: trs}, "")
	if d == nil {
		e.t.Errorf("create failed")
		return ""
	}
	e.mu.Lock()
	e.ids = append(e.ids, d.ID)
	e.mu.Unlock()
	return d.ID
}

func (e *editor) publish(id string, at *time.Time) {
	e.write(http.MethodPost, adminArticles+"/"+id+"/publish", api.PublishRequest{PublishedAt: at}, id)
}

func (e *editor) retitle(id string) {
	e.mu.Lock()
	ls := e.locales[id]
	e.mu.Unlock()
	if len(ls) == 0 {
		return
	}
	l := ls[rand.IntN(len(ls))]
	e.write(http.MethodPatch, adminArticles+"/"+id, map[string]any{"translations": []map[string]any{{"locale": l, "title": "Edited " + l + " " + uuid.NewString()[:8]}}}, id)
}

// step makes one random write (or moves the clock).
func (e *editor) step(r *rand.Rand, clk *clock) {
	e.mu.Lock()
	ids := append([]string(nil), e.ids...)
	e.mu.Unlock()
	pick := func() string { return ids[r.IntN(len(ids))] }
	all := []string{"az", "en", "ru"}
	switch n := r.IntN(12); {
	case n < 2 || len(ids) == 0:
		r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		e.create(all[:1+r.IntN(3)]...)
	case n < 4:
		e.retitle(pick())
	case n < 6:
		e.publish(pick(), nil)
	case n < 7:
		at := clk.Now().Add(time.Duration(1+r.IntN(20)) * time.Second)
		e.publish(pick(), &at)
	case n < 8:
		id := pick()
		e.write(http.MethodPost, adminArticles+"/"+id+"/unpublish", nil, id)
	case n < 9:
		id := pick()
		e.write(http.MethodPost, adminArticles+"/"+id+"/archive", nil, id)
	case n < 10:
		id := pick()
		e.mu.Lock()
		ls := e.locales[id]
		e.mu.Unlock()
		if len(ls) > 1 {
			e.write(http.MethodDelete, adminArticles+"/"+id+"/translations/"+ls[r.IntN(len(ls))], nil, id)
		} else {
			e.write(http.MethodDelete, adminArticles+"/"+id, nil, id)
		}
	default:
		clk.Set(clk.Now().Add(time.Duration(r.IntN(8)) * time.Second))
	}
}

// TestSyncInitialThenDelta: an initial sync in small pages holds exactly the public list
// (the demo content was bulk-loaded and wrote no change rows); then a publish, an edit, an
// unpublish and a delete come as one upsert and tombstones with their slugs, and nothing of
// a draft ever appears.
func TestSyncInitialThenDelta(t *testing.T) {
	eachDialect(t, func(t *testing.T, a *testApp) {
		cl := newSyncClient("en,ru")
		pages := cl.syncOnce(t, a, 3)
		if len(pages) < 3 || len(cl.arts) == 0 || len(cl.cats) == 0 || len(pages[len(pages)-1].Settings) != 2 {
			t.Fatalf("initial sync: %d pages, %d articles, %d categories, settings %v", len(pages), len(cl.arts), len(cl.cats), pages[len(pages)-1].Settings)
		}
		sameAsPublic(t, a, cl)
		first := pages[0].Articles[0]
		detail := getJSON[api.ArticleDTO](t, a, "/api/v1/articles/"+first.ID+"?locale="+first.Locale, http.StatusOK)
		// Related articles are the detail's navigation, derived from other articles; the
		// change log cannot say when they change, so a sync does not carry them.
		detail.Related = nil
		if got, _ := json.Marshal(first); string(got) != mustJSON(t, detail) {
			t.Fatalf("upsert differs from the detail endpoint:\n%s\n%s", got, mustJSON(t, detail))
		}

		ed := newEditor(t, a)
		gone := ed.create("en", "az")
		ed.publish(gone, nil)
		cl.syncOnce(t, a, 50)
		gonePath := cl.arts[gone+"/en"].Slug
		if gonePath == "" {
			t.Fatalf("published article not synced: %v", cl.arts[gone+"/en"])
		}
		draftID := ed.create("en")
		ed.retitle(draftID)
		stays := ed.create("ru")
		ed.publish(stays, nil)
		ed.retitle(stays)
		ed.write(http.MethodPost, adminArticles+"/"+gone+"/unpublish", nil, gone)
		ed.write(http.MethodDelete, adminArticles+"/"+gone, nil, gone)
		before := cl.tombstones
		pages = cl.syncOnce(t, a, 50)
		if len(pages) != 1 || len(pages[0].Articles) != 1 || pages[0].Articles[0].ID != stays {
			t.Fatalf("delta: %+v", pages)
		}
		if cl.tombstones-before != 1 || cl.dropped[len(cl.dropped)-1].ID != gone || cl.dropped[len(cl.dropped)-1].Slugs[0] != gonePath {
			t.Fatalf("tombstones: %+v", cl.dropped)
		}
		for _, p := range pages {
			if strings.Contains(mustJSON(t, p), draftID) {
				t.Fatalf("a draft leaked: %s", mustJSON(t, p))
			}
		}
		sameAsPublic(t, a, cl)
		// Nothing changed: an empty delta with the same position.
		pages = cl.syncOnce(t, a, 50)
		if len(pages[0].Articles)+len(pages[0].DeletedArticles) != 0 {
			t.Fatalf("empty delta: %+v", pages[0])
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSyncScheduledAtItsTime: a scheduled article is not in a sync before its time and is
// in the first sync after it, with no background loop running (the sync records due
// publications itself).
func TestSyncScheduledAtItsTime(t *testing.T) {
	eachDialect(t, func(t *testing.T, a *testApp) {
		cl := newSyncClient("en")
		cl.syncOnce(t, a, 100)
		ed := newEditor(t, a)
		id := ed.create("en")
		at := a.clock.Now().Add(time.Minute)
		ed.publish(id, &at)
		cl.syncOnce(t, a, 100)
		if _, ok := cl.arts[id+"/en"]; ok {
			t.Fatal("scheduled article synced before its time")
		}
		a.clock.Set(at.Add(-time.Millisecond))
		cl.syncOnce(t, a, 100)
		if _, ok := cl.arts[id+"/en"]; ok {
			t.Fatal("scheduled article synced a millisecond before its time")
		}
		a.clock.Set(at)
		cl.syncOnce(t, a, 100)
		if _, ok := cl.arts[id+"/en"]; !ok {
			t.Fatal("scheduled article not synced at its time")
		}
		sameAsPublic(t, a, cl)
	})
}

// TestSyncRandomInterleavings: editors create, edit, publish, schedule, unpublish, archive
// and delete at random while two apps sync concurrently (one of them holding a write
// transaction open across its syncs); at the end each app's copy is exactly the public list.
func TestSyncRandomInterleavings(t *testing.T) {
	eachDialect(t, func(t *testing.T, a *testApp) {
		seed := uint64(time.Now().UnixNano())
		t.Logf("seed %d", seed)
		r := rand.New(rand.NewPCG(seed, 1))
		ed := newEditor(t, a)
		clients := []*syncClient{newSyncClient("en"), newSyncClient("az,ru")}
		for _, cl := range clients {
			cl.syncOnce(t, a, 5)
		}
		done := make(chan struct{})
		var wg sync.WaitGroup
		for i, cl := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-done:
						return
					default:
					}
					cl.syncOnce(t, a, 1+i*4)
				}
			}()
		}
		for range 120 {
			ed.step(r, a.clock)
		}
		close(done)
		wg.Wait()
		for _, cl := range clients {
			cl.syncOnce(t, a, 7)
			sameAsPublic(t, a, cl)
		}
	})
}

// TestSyncHeldTransaction: a write whose transaction is open while a client syncs (its
// change row not yet appended) is in the client's next delta once it commits, though a
// later write committed first.
func TestSyncHeldTransaction(t *testing.T) {
	eachDialect(t, func(t *testing.T, a *testApp) {
		ed := newEditor(t, a)
		slow, fast := ed.create("en"), ed.create("en")
		ed.publish(slow, nil)
		ed.publish(fast, nil)
		cl := newSyncClient("en")
		cl.syncOnce(t, a, 100)

		entered, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		a.app.Changes.OnWrite(func(ctx context.Context, cs []changes.Change) error {
			for _, c := range cs {
				if c.EntityID == slow {
					once.Do(func() { close(entered) })
					<-release
				}
			}
			return nil
		})
		held := make(chan struct{})
		go func() {
			defer close(held)
			ed.retitle(slow)
		}()
		<-entered
		if a.dialect == "postgres" {
			// SQLite has one writer: the other write would wait for the held one.
			ed.retitle(fast)
		}
		cl.syncOnce(t, a, 100)
		close(release)
		<-held
		cl.syncOnce(t, a, 100)
		sameAsPublic(t, a, cl)
	})
}

// fieldProblem asserts rec is a 400 naming field.
func fieldProblem(t *testing.T, rec interface{ Result() *http.Response }, field string) {
	t.Helper()
	res := rec.Result()
	var p api.Problem
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil || res.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d (%v), want 400 naming %s", res.StatusCode, err, field)
	}
	for _, e := range p.Errors {
		if e.Field == field {
			return
		}
	}
	t.Fatalf("problem %+v does not name %s", p, field)
}

// TestSyncBadInput: garbage, tampered and foreign tokens and bad parameters are 400
// problems naming the parameter, never a 500 or another database's data.
func TestSyncBadInput(t *testing.T) {
	eachDialect(t, func(t *testing.T, a *testApp) {
		cl := newSyncClient("en")
		cl.syncOnce(t, a, 200)
		good := cl.token
		tampered := []byte(good)
		tampered[len(tampered)/2] ^= 1
		if tampered[len(tampered)/2] == '/' || tampered[len(tampered)/2] == '+' {
			tampered[len(tampered)/2] = 'A'
		}
		// Another database, same secret: its tokens are well signed but not ours.
		other := wire(t, testkit.URL(t, a.dialect), map[string]string{"HERALD_DEMO_CONTENT": "false"}, a.clock)
		foreign := newSyncClient("en")
		foreign.syncOnce(t, other, 10)
		for name, tok := range map[string]string{"garbage": "abc", "tampered": string(tampered), "foreign": foreign.token,
			"long": strings.Repeat("A", 5000), "empty-base64": "____", "not-base64": "%%%"} {
			t.Run(name, func(t *testing.T) {
				fieldProblem(t, a.get("/api/v1/sync?sync_token="+url.QueryEscape(tok)), "sync_token")
			})
		}
		for q, field := range map[string]string{
			"wait=5":                            "wait",
			"locale=xx":                         "locale",
			"locale=en,xx":                      "locale",
			"per_page=0":                        "per_page",
			"per_page=201":                      "per_page",
			"sync_token=" + good + "&wait=31":   "wait",
			"sync_token=" + good + "&locale=ru": "locale",
			"since=1":                           "since",
		} {
			fieldProblem(t, a.get("/api/v1/sync?"+q), field)
		}
		// The same locale as the token's is fine.
		if rec := a.get("/api/v1/sync?locale=en&sync_token=" + good); rec.Code != http.StatusOK {
			t.Fatalf("same locale: %d %s", rec.Code, rec.Body.String())
		}
	})
}

// TestSyncRetention: a token older than HERALD_SYNC_RETENTION is 410 Gone with a problem
// telling the app to start over; so is one whose changes the retention job has pruned.
func TestSyncRetention(t *testing.T) {
	eachDialect(t, func(t *testing.T, a *testApp) {
		cl := newSyncClient("en")
		cl.syncOnce(t, a, 200)
		ed := newEditor(t, a)
		id := ed.create("en")
		ed.publish(id, nil)
		start := a.clock.Now()
		a.clock.Set(start.Add(30*24*time.Hour + time.Second))
		p := problem(t, a.get("/api/v1/sync?sync_token="+cl.token), http.StatusGone)
		if p.Type != "urn:herald:problem:sync-token-expired" || !strings.Contains(p.Detail, "start over") {
			t.Fatalf("410 problem %+v", p)
		}
		// Within the retention the token works, until the rows it needs are pruned.
		a.clock.Set(start.Add(29 * 24 * time.Hour))
		n, err := a.app.Sync.Prune(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("prune within the retention: %d, %v", n, err)
		}
		a.clock.Set(start.Add(30*24*time.Hour + 2*time.Hour))
		fresh := newSyncClient("en")
		fresh.syncOnce(t, a, 200)
		if n, err = a.app.Sync.Prune(context.Background()); err != nil || n < 2 {
			t.Fatalf("prune past the retention: %d, %v", n, err)
		}
		recs, _ := a.app.Changes.After(context.Background(), 0, 100)
		for _, r := range recs {
			if r.CreatedAt.Before(start.Add(time.Hour)) {
				t.Fatalf("an old row left after pruning: %+v", r)
			}
		}
		// A token from before the prune, still young enough: 410 all the same.
		a.clock.Set(start.Add(time.Hour))
		problem(t, a.get("/api/v1/sync?sync_token="+cl.token), http.StatusGone)
		a.clock.Set(start.Add(30*24*time.Hour + 2*time.Hour))
		// The fresh token carries on.
		fresh.syncOnce(t, a, 200)
		sameAsPublic(t, a, fresh)
	})
}

// TestSyncLongPoll: a waiting sync answers as soon as a visible change commits, not later;
// with nothing to tell it answers when wait is over; a draft save wakes no one's answer.
func TestSyncLongPoll(t *testing.T) {
	eachDialect(t, func(t *testing.T, a *testApp) {
		cl := newSyncClient("en")
		cl.syncOnce(t, a, 200)
		ed := newEditor(t, a)
		id := ed.create("en")

		started := time.Now()
		rec := a.get("/api/v1/sync?wait=1&sync_token=" + cl.token)
		if took := time.Since(started); rec.Code != http.StatusOK || took < time.Second || took > 3*time.Second {
			t.Fatalf("idle long-poll: %d after %v", rec.Code, took)
		}

		type answer struct {
			page api.SyncPage
			took time.Duration
		}
		got := make(chan answer, 1)
		go func() {
			start := time.Now()
			rec := a.get("/api/v1/sync?wait=20&sync_token=" + cl.token)
			var p api.SyncPage
			_ = json.Unmarshal(rec.Body.Bytes(), &p)
			got <- answer{p, time.Since(start)}
		}()
		waitFor(t, 5*time.Second, "the condition", func() bool { return a.app.Sync.Hub().Waiting() == 1 })
		ed.retitle(id) // a draft: nothing the client can see
		time.Sleep(200 * time.Millisecond)
		ed.publish(id, nil)
		published := time.Now() // the commit's after-commit effects have run
		select {
		case ans := <-got:
			if len(ans.page.Articles) != 1 || ans.page.Articles[0].ID != id {
				t.Fatalf("long-poll answer: %+v", ans.page)
			}
			if lag := time.Since(published); lag > time.Second {
				t.Fatalf("answered %v after the publish", lag)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("long-poll not answered after a publish")
		}
	})
}

// waitFor polls cond for up to 5 s.

// TestSyncWaiterLimit: past HERALD_SYNC_MAX_WAITERS waiting syncs on an instance, one more
// that would wait gets 503 with Retry-After; one with something to tell is answered.
func TestSyncWaiterLimit(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a := wire(t, testkit.URL(t, d), map[string]string{"HERALD_SYNC_MAX_WAITERS": "2", "HERALD_DEMO_CONTENT": "false"}, &clock{now: time.Now().UTC()})
			cl := newSyncClient("en")
			cl.syncOnce(t, a, 200)
			var wg sync.WaitGroup
			codes := make(chan int, 2)
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes <- a.get("/api/v1/sync?wait=20&sync_token=" + cl.token).Code
				}()
			}
			waitFor(t, 5*time.Second, "the condition", func() bool { return a.app.Sync.Hub().Waiting() == 2 })
			rec := a.get("/api/v1/sync?wait=20&sync_token=" + cl.token)
			problem(t, rec, http.StatusServiceUnavailable)
			if rec.Header().Get("Retry-After") == "" {
				t.Fatal("503 without Retry-After")
			}
			if rec := a.get("/api/v1/sync?sync_token=" + cl.token); rec.Code != http.StatusOK {
				t.Fatalf("a sync without wait over the limit: %d", rec.Code)
			}
			ed := newEditor(t, a)
			id := ed.create("en")
			ed.publish(id, nil)
			wg.Wait()
			close(codes)
			for c := range codes {
				if c != http.StatusOK {
					t.Fatalf("waiter answered %d", c)
				}
			}
			if n := a.app.Sync.Hub().Waiting(); n != 0 {
				t.Fatalf("%d waiters left", n)
			}
		})
	}
}

// TestSyncTwoInstances: two instances on one PostgreSQL schema: tokens from one work on the
// other, a long-poll on one is answered by a write on the other (NOTIFY), and a client
// syncing against both while editors write to both ends with exactly the public list.
func TestSyncTwoInstances(t *testing.T) {
	url := testkit.URL(t, "postgres")
	clk := &clock{now: time.Now().UTC()}
	a := wire(t, url, nil, clk)
	b := wire(t, url, map[string]string{"HERALD_DEMO_CONTENT": "false"}, clk)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	for _, in := range []*testApp{a, b} {
		if err := in.app.Start(ctx, 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	cl := newSyncClient("en,az")
	cl.syncOnce(t, a, 20)
	cl.syncOnce(t, b, 20)
	sameAsPublic(t, b, cl)

	edA := newEditor(t, a)
	id := edA.create("en")
	got := make(chan api.SyncPage, 1)
	go func() {
		var p api.SyncPage
		_ = json.Unmarshal(b.get("/api/v1/sync?wait=20&sync_token="+cl.token).Body.Bytes(), &p)
		got <- p
	}()
	waitFor(t, 5*time.Second, "the condition", func() bool { return b.app.Sync.Hub().Waiting() == 1 })
	published := time.Now()
	edA.publish(id, nil)
	select {
	case p := <-got:
		if len(p.Articles) != 1 || p.Articles[0].ID != id || time.Since(published) > 2*time.Second {
			t.Fatalf("cross-instance long-poll: %+v after %v", p, time.Since(published))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a write on one instance did not answer a long-poll on the other")
	}

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 2))
	edB := newEditor(t, b)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			cl.syncOnce(t, []*testApp{a, b}[i%2], 3)
		}
	}()
	for i := range 60 {
		[]*editor{edA, edB}[i%2].step(r, clk)
	}
	close(done)
	wg.Wait()
	cl.syncOnce(t, a, 50)
	sameAsPublic(t, b, cl)
}

// TestUpdatedSince: the article list's updated_since keeps articles edited or published at
// or after it, a scheduled one included once its time has come; a bad value is a 400.
func TestUpdatedSince(t *testing.T) {
	eachDialect(t, func(t *testing.T, a *testApp) {
		ed := newEditor(t, a)
		old, edited, scheduled := ed.create("en"), ed.create("en"), ed.create("en")
		ed.publish(old, nil)
		ed.publish(edited, nil)
		t0 := a.clock.Now()
		at := t0.Add(2 * time.Minute)
		ed.publish(scheduled, &at)
		a.clock.Set(t0.Add(time.Minute))
		ed.retitle(edited)
		ids := func(since time.Time) []string {
			list := getJSON[api.ArticleList](t, a, "/api/v1/articles?locale=en&per_page=100&updated_since="+url.QueryEscape(since.Format(time.RFC3339Nano)), http.StatusOK)
			var out []string
			for _, d := range list.Data {
				out = append(out, d.ID)
			}
			sort.Strings(out)
			return out
		}
		if got := ids(t0.Add(30 * time.Second)); strings.Join(got, ",") != edited {
			t.Fatalf("updated_since after the publish: %v, want only %s", got, edited)
		}
		a.clock.Set(at)
		want := []string{edited, scheduled}
		sort.Strings(want)
		if got := ids(t0.Add(30 * time.Second)); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("updated_since once the scheduled one is out: %v, want %v", got, want)
		}
		if got := ids(t0.Add(-time.Hour)); len(got) < 3 {
			t.Fatalf("updated_since before everything: %v", got)
		}
		fieldProblem(t, a.get("/api/v1/articles?updated_since=yesterday"), "updated_since")
	})
}

// BenchmarkSyncPage: one initial-sync page of 100 articles (bodies, galleries, covers), to
// profile what a sync costs per article (make bench-sync measures it over HTTP).
func BenchmarkSyncPage(b *testing.B) {
	for _, d := range testkit.Dialects {
		srv, _, _ := benchServer(b, d, 1000)
		b.Run(d, func(b *testing.B) { benchGet(b, srv, "/api/v1/sync?locale=en&per_page=100") })
	}
}

// TestSyncMedia: covers come embedded in the articles; a changed media item comes as a media
// upsert only when a visible article shows it (a draft's new cover stays private).
func TestSyncMedia(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a := newMediaApp(t, d, "disk", media.Config{})
			tok, _ := a.token(t, auth.RoleEditor)
			upload := func(name string) string {
				m := decode[api.MediaDTO](t, a.upload(file{name, "image/jpeg", photo(t, 64, 48)}, tok, "alt[en]", "before"), http.StatusCreated)
				return m.ID
			}
			shown, private := upload("shown.jpg"), upload("private.jpg")
			ed := newEditor(t, a.testApp)
			pub := ed.write(http.MethodPost, adminArticles, api.CreateArticleRequest{CoverMediaID: &shown,
				Translations: []api.TranslationRequest{{Locale: "en", Title: "With a cover", Body: "<p>x</p>"}}}, "")
			ed.publish(pub.ID, nil)
			ed.write(http.MethodPost, adminArticles, api.CreateArticleRequest{CoverMediaID: &private,
				Translations: []api.TranslationRequest{{Locale: "en", Title: "Draft with a cover", Body: "<p>x</p>"}}}, "")
			cl := newSyncClient("en")
			cl.syncOnce(t, a.testApp, 200)
			if c := cl.arts[pub.ID+"/en"].Cover; c == nil || c.ID != shown {
				t.Fatalf("cover not embedded: %+v", cl.arts[pub.ID+"/en"])
			}
			for _, id := range []string{shown, private} {
				decode[api.MediaDTO](t, a.send(http.MethodPatch, "/api/v1/admin/media/"+id,
					api.UpdateMediaRequest{Translations: []api.MediaTranslationPatch{{Locale: "en", Alt: ptr("after")}}}, bearer(tok)), http.StatusOK)
			}
			pages := cl.syncOnce(t, a.testApp, 200)
			if len(pages) != 1 || len(pages[0].Media) != 1 || pages[0].Media[0].ID != shown || pages[0].Media[0].Alt != "after" {
				t.Fatalf("media delta: %s", mustJSON(t, pages))
			}
		})
	}
}
