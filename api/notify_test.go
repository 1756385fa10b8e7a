package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
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
	ta := wire(t, dbURL, map[string]string{"HERALD_CACHE_BYTES": "64MiB"}, clk)
	if ta.app.Notifier == nil {
		t.Fatal("no notifier on PostgreSQL")
	}
	in := &instance{testApp: ta, changed: make(chan struct{}, 16)}
	lctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		ta.app.Notifier.Listen(lctx, func() { ta.app.Invalidate(); in.changed <- struct{}{} })
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
