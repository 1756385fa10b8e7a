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
// database, and the store's tap of the public reads that bypass GORM, before the app starts
// its background goroutines; tests attach hooks to them.
// Registering callbacks mid-test raced with those goroutines' queries (GORM recompiles its
// callback chain unlocked), and counted their statements too.
type statementTap struct {
	mu    sync.Mutex
	hooks map[int64]func(sql string)
	next  int64
}

var taps sync.Map // *gorm.DB → *statementTap

// requestMarker marks the contexts of requests a test sends (testApp.do): only their
// statements reach the hooks, not those of the app's background work.
type requestMarker struct{}

func markRequest(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), requestMarker{}, true))
}

func registerTap(t testing.TB, sdb *store.DB) {
	db := sdb.Gorm()
	tap := &statementTap{hooks: map[int64]func(string){}}
	see := func(ctx context.Context, sql string) {
		if ctx == nil || ctx.Value(requestMarker{}) == nil {
			return
		}
		tap.mu.Lock()
		defer tap.mu.Unlock()
		for _, h := range tap.hooks {
			h(sql)
		}
	}
	run := func(db *gorm.DB) {
		// A dry run only renders SQL (a subquery embedded in another statement): no round trip,
		// unless it is a public read that then runs on pgx (store.NativeRead).
		if _, native := db.Get(store.NativeRead); db.DryRun && !native {
			return
		}
		see(db.Statement.Context, db.Statement.SQL.String())
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
	// Public reads that skip GORM on PostgreSQL (store.TapNativeReads).
	sdb.TapNativeReads(func(ctx context.Context, sql string, _ []any) { see(ctx, sql) })
	taps.Store(db, tap)
}

// onStatement calls h for every statement a request sent by the test runs on app's
// database, until the test ends.
func onStatement(t *testing.T, app *testApp, h func(sql string)) {
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
	onStatement(t, app, func(string) { n.Add(1) })
	return func() int { return int(n.Load()) }
}
