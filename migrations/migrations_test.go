package migrations_test

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/heraldcms/herald/migrations"
)

// TestLowerNumberedMigrationLandsLater: a database migrated by a release that had 00060 but
// not yet 00030 (numbers are reserved per line of work and land in any order) takes 00030
// at its next start instead of refusing to serve ("missing (out-of-order) migration").
func TestLowerNumberedMigrationLandsLater(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all, err := fs.Sub(migrations.Files(), "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(all, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	older := fstest.MapFS{} // the earlier release: everything but 00030
	for _, n := range names {
		if strings.HasPrefix(n, "00030_") {
			continue
		}
		b, err := fs.ReadFile(all, n)
		if err != nil {
			t.Fatal(err)
		}
		older[n] = &fstest.MapFile{Data: b}
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, older)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if err := migrations.Up(ctx, db, "sqlite"); err != nil {
		t.Fatalf("the next release does not start on that database: %v", err)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM article_title_keys").Scan(&n); err != nil {
		t.Fatalf("00030 was not applied: %v", err)
	}
}
