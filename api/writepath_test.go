package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestAuditFailureRollsBackTheWrite: the audit entry is part of the write's transaction, so
// a write whose entry cannot be stored does not happen at all (no article, no change row).
func TestAuditFailureRollsBackTheWrite(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		ctx := context.Background()
		tok, _ := app.token(t, auth.RoleEditor)
		articles, err := app.store.CountArticles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		last, err := app.app.Changes.LastPosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := app.db.Exec(ctx, "ALTER TABLE audit_log RENAME TO audit_log_away"); err != nil {
			t.Fatal(err)
		}
		rec := app.send(http.MethodPost, "/api/v1/admin/articles", map[string]any{
			"translations": []map[string]string{{"locale": "en", "title": "Never written"}}}, bearer(tok))
		if err := app.db.Exec(ctx, "ALTER TABLE audit_log_away RENAME TO audit_log"); err != nil {
			t.Fatal(err)
		}
		problem(t, rec, http.StatusInternalServerError)
		if n, _ := app.store.CountArticles(ctx); n != articles {
			t.Errorf("articles: %d after a failed audit, %d before: the write was not rolled back", n, articles)
		}
		if p, _ := app.app.Changes.LastPosition(ctx); p != last {
			t.Errorf("change log at %d, was %d: a change row outlived its write", p, last)
		}
		// With the table back, the same write goes through with its entry and change.
		decode[api.AdminArticleDTO](t, app.send(http.MethodPost, "/api/v1/admin/articles", map[string]any{
			"translations": []map[string]string{{"locale": "en", "title": "Written"}}}, bearer(tok)), http.StatusCreated)
		recs, err := app.app.Changes.After(ctx, last, 10)
		if err != nil || len(recs) != 1 || recs[0].EntityType != "article" || recs[0].Kind != changes.Upsert {
			t.Fatalf("changes after the write: %+v, %v", recs, err)
		}
	})
}

// TestDraftSaveKeepsPublicCaches: two instances on one PostgreSQL, each with its response
// cache full. An author's draft edits leave both caches as they are; publishing empties
// both, the writer's at once and the other's through NOTIFY.
func TestDraftSaveKeepsPublicCaches(t *testing.T) {
	t.Parallel()
	dbURL := testkit.URL(t, "postgres")
	clk := &clock{now: time.Now().UTC()}
	a := newInstance(t, dbURL, clk, true)
	b := newInstance(t, dbURL, clk, false)
	authorTok, _ := a.token(t, auth.RoleAuthor)
	editorTok, _ := a.token(t, auth.RoleEditor)
	warm := func() {
		t.Helper()
		for _, in := range []*instance{a, b} {
			for _, p := range []string{"/api/v1/articles?locale=en", "/api/v1/articles?locale=az", "/api/v1/categories?locale=en", "/api/v1/settings?locale=en"} {
				if rec := in.get(p); rec.Code != http.StatusOK {
					t.Fatalf("GET %s: %d", p, rec.Code)
				}
			}
		}
	}
	warm()
	a.drain()
	b.drain()
	na, nb := a.srv.CachedEntries(), b.srv.CachedEntries()
	if na < 4 || nb < 4 {
		t.Fatalf("cache entries %d and %d after warming, want at least 4 each", na, nb)
	}

	draft := decode[api.AdminArticleDTO](t, a.send(http.MethodPost, "/api/v1/admin/articles", map[string]any{
		"translations": []map[string]string{{"locale": "en", "title": "A draft"}}}, bearer(authorTok)), http.StatusCreated)
	decode[api.AdminArticleDTO](t, a.send(http.MethodPatch, "/api/v1/admin/articles/"+draft.ID, map[string]any{
		"translations": []map[string]string{{"locale": "en", "title": "A draft, saved again"}}}, bearer(authorTok), ifMatch(1)), http.StatusOK)
	select {
	case <-b.changed:
		t.Fatal("b was told to empty its cache by a draft save")
	case <-time.After(500 * time.Millisecond):
	}
	if ga, gb := a.srv.CachedEntries(), b.srv.CachedEntries(); ga != na || gb != nb {
		t.Fatalf("draft saves changed the public caches: a %d → %d, b %d → %d entries", na, ga, nb, gb)
	}

	decode[api.AdminArticleDTO](t, a.send(http.MethodPost, "/api/v1/admin/articles/"+draft.ID+"/publish", nil, bearer(editorTok), ifMatch(2)), http.StatusOK)
	if n := a.srv.CachedEntries(); n != 0 {
		t.Errorf("a keeps %d cached responses after a publish", n)
	}
	b.await(t, "the publish")
	if n := b.srv.CachedEntries(); n != 0 {
		t.Errorf("b keeps %d cached responses after the publish", n)
	}
	recs, err := a.app.Changes.After(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []changes.Kind
	for _, r := range recs {
		if r.EntityID == draft.ID {
			kinds = append(kinds, r.Kind)
		}
	}
	if len(kinds) != 3 || kinds[0] != changes.Upsert || kinds[1] != changes.Upsert || kinds[2] != changes.Publish {
		t.Errorf("changes of the article: %v, want upsert, upsert, publish", kinds)
	}
}

// TestScheduledPublicationRecordedOnce: an article scheduled for later becomes one publish
// change when its time comes, however many instances look for due publications at once (two
// instances on one database, four concurrent runs each).
func TestScheduledPublicationRecordedOnce(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			dbURL := testkit.URL(t, d)
			clk := &clock{now: time.Now().UTC()}
			a := wire(t, dbURL, nil, clk)
			b := wire(t, dbURL, nil, clk)
			tok, _ := a.token(t, auth.RoleEditor)
			ctx := context.Background()
			art := decode[api.AdminArticleDTO](t, a.send(http.MethodPost, "/api/v1/admin/articles", map[string]any{
				"translations": []map[string]string{{"locale": "en", "title": "Later"}}}, bearer(tok)), http.StatusCreated)
			at := clk.Now().Add(time.Hour)
			decode[api.AdminArticleDTO](t, a.send(http.MethodPost, "/api/v1/admin/articles/"+art.ID+"/publish",
				map[string]any{"published_at": at}, bearer(tok), ifMatch(1)), http.StatusOK)
			if n, err := a.app.Content.PublishDue(ctx); err != nil || n != 0 {
				t.Fatalf("before its time: %d recorded, %v", n, err)
			}
			clk.Set(at.Add(time.Second))
			got := make(chan int, 8)
			for range 4 {
				for _, in := range []*testApp{a, b} {
					go func() {
						n, err := in.app.Content.PublishDue(ctx)
						if err != nil {
							t.Error(err)
						}
						got <- n
					}()
				}
			}
			total := 0
			for range 8 {
				total += <-got
			}
			if total != 1 {
				t.Errorf("%d publish changes recorded by 8 concurrent runs on two instances, want 1", total)
			}
			recs, _ := a.app.Changes.After(ctx, 0, 100)
			var kinds []changes.Kind
			for _, r := range recs {
				if r.EntityID == art.ID {
					kinds = append(kinds, r.Kind)
				}
			}
			if len(kinds) != 3 || kinds[2] != changes.Publish {
				t.Errorf("changes of the article: %v, want upsert (create), upsert (schedule), publish", kinds)
			}

			// The claim stays while a run could consult it (a new instance looks back a week)
			// and goes once it is older than that.
			claims := func() (n int) {
				if err := a.db.SQL().QueryRow("SELECT count(*) FROM publish_claims WHERE article_id = $1", art.ID).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			fresh := wire(t, dbURL, nil, clk) // a new instance: its first run looks back a week
			clk.Set(at.Add(6 * 24 * time.Hour))
			if n, err := fresh.app.Content.PublishDue(ctx); err != nil || n != 0 {
				t.Fatalf("six days on: %d recorded, %v; want 0 (claimed)", n, err)
			}
			day := 24 * time.Hour
			clk.Set(at.Add(8*day - 10*time.Minute))
			if err := fresh.app.Content.PruneClaims(ctx); err != nil || claims() != 1 {
				t.Fatalf("just inside eight days, a prune: %d claims, %v; want the claim kept", claims(), err)
			}
			clk.Set(at.Add(8*day + 10*time.Minute))
			if err := fresh.app.Content.PruneClaims(ctx); err != nil || claims() != 1 {
				t.Fatalf("20 minutes after its last prune, an instance pruned again: %d claims, %v", claims(), err)
			}
			if err := b.app.Content.PruneClaims(ctx); err != nil || claims() != 0 {
				t.Fatalf("past eight days, a prune: %d claims, %v; want the claim pruned", claims(), err)
			}
			if n, err := wire(t, dbURL, nil, clk).app.Content.PublishDue(ctx); err != nil || n != 0 {
				t.Errorf("a new instance after the prune recorded the publication again: %d, %v", n, err)
			}
		})
	}
}
