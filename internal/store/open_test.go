package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/heraldcms/herald/internal/store"
)

// TestSQLitePathWithHash: a '#' in a database's path (a directory named after subtest
// "x#01", a file "news#2.db") is part of the name, not the end of SQLite's file: URI.
func TestSQLitePathWithHash(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run#01")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "news#2.db")
	db, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not at %s: %v", path, err)
	}
}
