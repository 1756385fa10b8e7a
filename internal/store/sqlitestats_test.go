package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/heraldcms/herald/internal/store"
)

// TestSQLiteKeepsNoValueSamples: ANALYZE leaves SQLite's per-index averages but no value
// samples, and a file an earlier release analysed loses its samples when it is opened
// (store's sqliteStats says why: samples made every read re-plan its statement).
func TestSQLiteKeepsNoValueSamples(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "herald.db")
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE t (x INTEGER)",
		"CREATE INDEX t_x ON t (x)",
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO t SELECT i % 37 FROM n",
		"ANALYZE", // what an earlier release's seed left behind
	} {
		if err := db.Exec(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	counts := func() (stat1, stat4 int) {
		t.Helper()
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if err := raw.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM sqlite_stat1), (SELECT COUNT(*) FROM sqlite_stat4)").Scan(&stat1, &stat4); err != nil {
			t.Fatal(err)
		}
		return stat1, stat4
	}
	if _, s4 := counts(); s4 == 0 {
		t.Fatal("the build keeps no value samples: this test no longer tests anything")
	}

	db, err = store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if s1, s4 := counts(); s1 == 0 || s4 != 0 {
		t.Fatalf("after Open: %d averages, %d samples; want averages and no samples", s1, s4)
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	if s1, s4 := counts(); s1 == 0 || s4 != 0 {
		t.Fatalf("after Analyze: %d averages, %d samples; want averages and no samples", s1, s4)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}
