package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
	"github.com/heraldcms/herald/internal/webhooks"
)

// TestQueueMigrationsConcurrent: instances starting together on one PostgreSQL schema all
// migrate River's tables without tripping over each other, and again is a no-op.
func TestQueueMigrationsConcurrent(t *testing.T) {
	url := testkit.URL(t, "postgres")
	var dbs []*store.DB
	for range 3 {
		db, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		dbs = append(dbs, db)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(dbs))
	for i, db := range dbs {
		wg.Go(func() { errs[i] = webhooks.MigrateQueue(context.Background(), db.SQL(), db.Dialect()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	if err := webhooks.MigrateQueue(context.Background(), dbs[0].SQL(), "postgres"); err != nil {
		t.Errorf("again: %v", err)
	}
	var n int
	if err := dbs[0].SQL().QueryRow("SELECT count(*) FROM river_job").Scan(&n); err != nil {
		t.Errorf("river_job in the test's schema: %v", err)
	}
}
