// Package testkit gives tests a fresh, migrated database of each dialect: a temporary
// SQLite file, and a private schema in the PostgreSQL named by HERALD_TEST_DATABASE_URL.
// With CI=true an unreachable PostgreSQL fails the test instead of skipping it.
package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // admin connection for schema setup

	"github.com/heraldcms/herald/internal/store"
)

// DefaultPostgresURL is used when HERALD_TEST_DATABASE_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/herald_test?sslmode=disable"

// Dialects are the databases every storage-touching test runs on.
var Dialects = []string{"sqlite", "postgres"}

// PostgresURL is the base URL of the test PostgreSQL.
func PostgresURL() string {
	if u := os.Getenv("HERALD_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

var (
	pgOnce sync.Once
	pgErr  error
)

func requirePostgres(t testing.TB) {
	pgOnce.Do(func() {
		db, err := sql.Open("pgx", PostgresURL())
		if err == nil {
			err = db.Ping()
			_ = db.Close()
		}
		pgErr = err
	})
	if pgErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is required in CI: %v", PostgresURL(), pgErr)
		}
		t.Skipf("PostgreSQL not reachable at %s (%v); set HERALD_TEST_DATABASE_URL", PostgresURL(), pgErr)
	}
}

// URL returns a database URL of dialect that no other test uses, and drops it at cleanup.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	switch dialect {
	case "sqlite":
		return "sqlite:" + filepath.Join(t.TempDir(), "herald.db")
	case "postgres":
		requirePostgres(t)
		schema := "t_" + randomHex(8)
		admin, err := sql.Open("pgx", PostgresURL())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			_ = admin.Close()
			t.Fatalf("create schema: %v", err)
		}
		t.Cleanup(func() {
			_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
			_ = admin.Close()
		})
		u, err := url.Parse(PostgresURL())
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	t.Fatalf("unknown dialect %q", dialect)
	return ""
}

// OpenDB returns a fresh, migrated database of dialect, closed at cleanup.
func OpenDB(t testing.TB, dialect string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), URL(t, dialect))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
