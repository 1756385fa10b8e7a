package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/locale"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// instance is one Herald process of a cluster: its own pool, cache and change listener on a
// PostgreSQL schema it shares with the others. changed receives a value each time its
// listener invalidates the cache.
type instance struct {
	*testApp
	changed chan struct{}
}

func newInstance(t *testing.T, dbURL string, clk *clock, first bool) *instance {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	cs := store.NewContent(db)
	if first {
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Load(ctx, cs, clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	changes, err := store.NewChanges(db, dbURL, quiet)
	if err != nil {
		t.Fatal(err)
	}
	authSvc, err := auth.NewService(store.NewAuth(db), testSecret, auth.WithClock(clk.Now),
		auth.WithPasswordParams(auth.PasswordParams{MemoryKiB: 64, Time: 1, Threads: 1}))
	if err != nil {
		t.Fatal(err)
	}
	srv := api.New(api.Deps{
		Content: content.NewService(cs, clk.Now), Ready: db.Ping, Logger: quiet,
		Locales: locale.NewSet([]string{"az", "en", "ru"}, "az", map[string][]string{"ru": {"en", "az"}, "en": {"az"}}),
		Auth:    authSvc, Audit: audit.NewLog(store.NewAudit(db), clk.Now),
		Cache: api.CacheOptions{MaxBytes: 64 << 20, NextPublish: cs.NextPublishAt, Notify: changes.Notify},
	})
	in := &instance{testApp: &testApp{t: t, srv: srv, db: db, store: cs, clock: clk, dialect: "postgres", auth: authSvc}, changed: make(chan struct{}, 16)}
	lctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		changes.Listen(lctx, func() { srv.Invalidate(); in.changed <- struct{}{} })
	}()
	t.Cleanup(func() { stop(); <-done })
	in.await(t, "the first LISTEN")
	return in
}

// await waits for the listener to invalidate.
func (in *instance) await(t *testing.T, what string) {
	t.Helper()
	select {
	case <-in.changed:
	case <-time.After(10 * time.Second):
		t.Fatalf("no invalidation after %s", what)
	}
}

func (in *instance) drain() {
	for {
		select {
		case <-in.changed:
		default:
			return
		}
	}
}

// TestWriteOnOneInstanceInvalidatesTheOthers runs two servers on one PostgreSQL schema: a
// write through one empties the other's cache via LISTEN/NOTIFY, also after the listener's
// connection was killed and came back.
func TestWriteOnOneInstanceInvalidatesTheOthers(t *testing.T) {
	t.Parallel()
	dbURL := testkit.URL(t, "postgres")
	clk := &clock{now: time.Now().UTC()}
	a := newInstance(t, dbURL, clk, true)
	b := newInstance(t, dbURL, clk, false)
	tok, _ := a.token(t, auth.RoleEditor)

	putName := func(name string) {
		t.Helper()
		rec := a.send(http.MethodPut, "/api/v1/admin/settings", api.PutSettingsRequest{Locale: "en", Settings: map[string]*string{"site_name": &name}}, bearer(tok))
		if rec.Code != http.StatusOK {
			t.Fatalf("put settings on a: %d %.300s", rec.Code, rec.Body.String())
		}
	}
	check := func(round string) {
		t.Helper()
		const p = "/api/v1/settings?locale=en"
		before := b.get(p).Body.String()
		if strings.Contains(before, round) {
			t.Fatalf("%s: b already shows it", round)
		}
		// b serves its cached copy until told otherwise, even though the database changed.
		b.drain()
		putName(round)
		if !strings.Contains(a.get(p).Body.String(), round) {
			t.Fatalf("%s: a does not see its own write", round)
		}
		b.await(t, round)
		if got := b.get(p).Body.String(); !strings.Contains(got, round) {
			t.Fatalf("%s: b still serves %.200s", round, got)
		}
	}
	check("Written on a")

	// Kill the listeners' connections; they reconnect, invalidating on the way (a change may
	// have slipped by), and keep hearing writes.
	schema, _ := url.Parse(dbURL)
	killed := a.db.Gorm().Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = ?`,
		`LISTEN "herald_content_`+schema.Query().Get("search_path")+`"`)
	if killed.Error != nil || killed.RowsAffected == 0 {
		t.Fatalf("terminate listeners: %v, %d rows", killed.Error, killed.RowsAffected)
	}
	b.await(t, "the reconnection")
	a.await(t, "the reconnection")
	check("Written after the reconnection")
}
