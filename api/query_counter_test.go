package api_test

import (
	"sync/atomic"
	"testing"

	"gorm.io/gorm"
)

// countQueries starts counting the SQL statements GORM runs on app's database and returns a
// function that reports the count so far.
func countQueries(t *testing.T, app *testApp) func() int {
	t.Helper()
	var n atomic.Int64
	name := "test:count:" + t.Name()
	inc := func(db *gorm.DB) {
		// A dry run only renders SQL (a subquery embedded in another statement): no round trip.
		if !db.DryRun {
			n.Add(1)
		}
	}
	cb := app.db.Gorm().Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register(name, inc),
		cb.Row().After("gorm:row").Register(name, inc),
		cb.Raw().After("gorm:raw").Register(name, inc),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		_ = cb.Query().Remove(name)
		_ = cb.Row().Remove(name)
		_ = cb.Raw().Remove(name)
	})
	return func() int { return int(n.Load()) }
}
