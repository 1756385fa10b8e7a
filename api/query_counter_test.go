package api_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/heraldcms/herald/internal/store"
)

// Statement taps: openURL registers one GORM callback per statement kind on each test
// database before the app starts its background goroutines, and tests attach hooks to it.
// Registering callbacks mid-test raced with those goroutines' queries (GORM recompiles its
// callback chain unlocked), and counted their statements too.
type statementTap struct {
	mu    sync.Mutex
	hooks map[int64]func(*gorm.DB)
	next  int64
}

var taps sync.Map // *gorm.DB → *statementTap

// requestMarker marks the contexts of requests a test sends (testApp.do): only their
// statements reach the hooks, not those of the app's background work.
type requestMarker struct{}

func markRequest(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), requestMarker{}, true))
}

func registerTap(t testing.TB, db *gorm.DB) {
	tap := &statementTap{hooks: map[int64]func(*gorm.DB){}}
	run := func(db *gorm.DB) {
		// A dry run only renders SQL (a subquery embedded in another statement): no round trip,
		// unless it is a public read that then runs on pgx (store.NativeRead).
		if _, native := db.Get(store.NativeRead); db.DryRun && !native {
			return
		}
		if db.Statement.Context == nil || db.Statement.Context.Value(requestMarker{}) == nil {
			return
		}
		tap.mu.Lock()
		defer tap.mu.Unlock()
		for _, h := range tap.hooks {
			h(db)
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("test:tap", run),
		cb.Row().After("gorm:row").Register("test:tap", run),
		cb.Raw().After("gorm:raw").Register("test:tap", run),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	taps.Store(db, tap)
}

// onStatement calls h for every statement a request sent by the test runs on app's
// database, until the test ends.
func onStatement(t *testing.T, app *testApp, h func(*gorm.DB)) {
	t.Helper()
	v, ok := taps.Load(app.db.Gorm())
	if !ok {
		t.Fatal("the test database has no statement tap (not opened by openURL)")
	}
	tap := v.(*statementTap)
	tap.mu.Lock()
	tap.next++
	id := tap.next
	tap.hooks[id] = h
	tap.mu.Unlock()
	t.Cleanup(func() {
		tap.mu.Lock()
		delete(tap.hooks, id)
		tap.mu.Unlock()
	})
}

// countQueries starts counting the SQL statements that the test's requests run on app's
// database and returns a function that reports the count so far.
func countQueries(t *testing.T, app *testApp) func() int {
	t.Helper()
	var n atomic.Int64
	onStatement(t, app, func(*gorm.DB) { n.Add(1) })
	return func() int { return int(n.Load()) }
}
