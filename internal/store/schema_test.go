package store_test

import (
	"context"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
	"github.com/heraldcms/herald/migrations"
)

// columns returns table → sorted column names of a migrated database.
func columns(t *testing.T, db *store.DB) map[string][]string {
	t.Helper()
	m := db.Gorm().Migrator()
	tables, err := m.GetTables()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, tbl := range tables {
		// River's tables (the job queue) are River's: rivermigrate keeps them, not goose.
		if strings.HasPrefix(tbl, "goose_") || strings.HasPrefix(tbl, "sqlite_") || strings.HasPrefix(tbl, "river_") || strings.HasPrefix(tbl, "search_fts") ||
			strings.HasPrefix(tbl, "search_titles") {
			continue // search_fts*, search_titles*: SQLite's FTS5 tables and their shadow tables
		}
		cts, err := m.ColumnTypes(tbl)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cts {
			if tbl == "search_docs" && c.Name() == "tsv" {
				continue // PostgreSQL's side of the search index (SQLite's is search_fts)
			}
			out[tbl] = append(out[tbl], c.Name())
		}
		sort.Strings(out[tbl])
	}
	return out
}

// TestSchemaMatchesCode: both dialects migrate to the same tables and columns, and every
// row struct maps exactly onto its table.
func TestSchemaMatchesCode(t *testing.T) {
	got := map[string]map[string][]string{}
	for _, d := range testkit.Dialects {
		got[d] = columns(t, testkit.OpenDB(t, d))
	}
	if !reflect.DeepEqual(got["sqlite"], got["postgres"]) {
		t.Errorf("dialects differ:\nsqlite   %v\npostgres %v", got["sqlite"], got["postgres"])
	}
	cache := &sync.Map{}
	for _, row := range store.Rows() {
		s, err := schema.Parse(row, cache, schema.NamingStrategy{})
		if err != nil {
			t.Fatal(err)
		}
		var fields []string
		for _, f := range s.Fields {
			if f.DBName != "" {
				fields = append(fields, f.DBName)
			}
		}
		sort.Strings(fields)
		for _, d := range testkit.Dialects {
			if cols := got[d][s.Table]; !reflect.DeepEqual(cols, fields) {
				t.Errorf("%s: table %s has columns %v, row struct %T maps %v", d, s.Table, cols, row, fields)
			}
		}
	}
}

// TestMigrationsComeInPairs: every change has a PostgreSQL and a SQLite file of one name.
func TestMigrationsComeInPairs(t *testing.T) {
	names := map[string][]string{}
	for _, d := range []string{"postgres", "sqlite"} {
		entries, err := fs.ReadDir(migrations.Files(), d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			names[d] = append(names[d], e.Name())
		}
	}
	if len(names["postgres"]) == 0 || !reflect.DeepEqual(names["postgres"], names["sqlite"]) {
		t.Errorf("migrations differ:\npostgres %v\nsqlite   %v", names["postgres"], names["sqlite"])
	}
}

// TestMigrateDownAndUp: every migration can be rolled back and re-applied.
func TestMigrateDownAndUp(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			db := testkit.OpenDB(t, d)
			before := columns(t, db)
			p, err := migrations.Provider(db.SQL(), d)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if _, err := p.DownTo(ctx, 0); err != nil {
				t.Fatal(err)
			}
			if left := columns(t, db); len(left) != 0 {
				t.Fatalf("tables left after down: %v", left)
			}
			if _, err := p.Up(ctx); err != nil {
				t.Fatal(err)
			}
			if after := columns(t, db); !reflect.DeepEqual(before, after) {
				t.Errorf("schema after down+up differs")
			}
		})
	}
}

// TestUpgradeAppliesLowerNumberedMigrations: a database that already has the newest
// migration still takes one numbered below it that a later release brings (the ranges are
// reserved per change, so releases land out of numeric order).
func TestUpgradeAppliesLowerNumberedMigrations(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			db := testkit.OpenDB(t, d)
			p, err := migrations.Provider(db.SQL(), d)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			srcs := p.ListSources()
			if len(srcs) < 3 {
				t.Skip("needs a migration between the first and the newest")
			}
			mid := srcs[len(srcs)-2].Version
			if _, err := p.ApplyVersion(ctx, mid, false); err != nil {
				t.Fatalf("roll back %d alone: %v", mid, err)
			}
			if err := migrations.Up(ctx, db.SQL(), d); err != nil {
				t.Fatalf("upgrade with %d missing below the newest: %v", mid, err)
			}
			st, err := p.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range st {
				if s.State != "applied" {
					t.Errorf("migration %d is %s after the upgrade", s.Source.Version, s.State)
				}
			}
		})
	}
}

// TestPostgresSessionDefaults: Herald's PostgreSQL sessions run with JIT off unless the URL
// says otherwise, and leave plan_cache_mode to the server (see sessionDefaults).
func TestPostgresSessionDefaults(t *testing.T) {
	db := testkit.OpenDB(t, "postgres")
	for name, want := range map[string]string{"jit": "off", "plan_cache_mode": "auto"} {
		var got string
		if err := db.SQL().QueryRow("SHOW " + name).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}
