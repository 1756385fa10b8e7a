// Package testkit gives tests a fresh, migrated database of each dialect: a temporary
// SQLite file, and on the PostgreSQL named by HERALD_TEST_DATABASE_URL (created on first use
// when the server answers but the database is missing) a private database beside it, copied
// from a migrated template "<name>_tpl_<hash>" that later runs reuse. With CI=true an
// unreachable PostgreSQL fails the test instead of skipping it.
package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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

// SkipFileEnv names a file that a test skipped for want of PostgreSQL appends a line to;
// `make test` sets it and prints one loud line at the end when the file is not empty.
const SkipFileEnv = "HERALD_TEST_PG_SKIP_FILE"

func requirePostgres(t testing.TB) {
	pgOnce.Do(func() { pgErr = EnsurePostgres(context.Background(), PostgresURL()) })
	if pgErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is required in CI: %v", redact(PostgresURL()), pgErr)
		}
		noteSkip(t.Name())
		t.Skipf("PostgreSQL not usable at %s (%v); set HERALD_TEST_DATABASE_URL", redact(PostgresURL()), pgErr)
	}
}

// EnsurePostgres checks that the database of dbURL answers and, when the server answers
// but the database does not exist (a fresh server), creates it through the server's
// maintenance database ("postgres", else "template1").
func EnsurePostgres(ctx context.Context, dbURL string) error {
	err := ping(ctx, dbURL)
	var pe *pgconn.PgError
	if err == nil || !errors.As(err, &pe) || pe.Code != "3D000" { // invalid_catalog_name
		return err
	}
	u, perr := url.Parse(dbURL)
	if perr != nil {
		return perr
	}
	name := strings.TrimPrefix(u.Path, "/")
	var last error
	for _, maint := range []string{"postgres", "template1"} {
		m := *u
		m.Path = "/" + maint
		db, oerr := sql.Open("pgx", m.String())
		if oerr != nil {
			return oerr
		}
		_, last = db.ExecContext(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
		_ = db.Close()
		if last == nil || errors.As(last, &pe) && pe.Code == "42P04" { // duplicate_database: a parallel package made it
			return ping(ctx, dbURL)
		}
	}
	return fmt.Errorf("database %q does not exist and could not be created: %w", name, last)
}

func ping(ctx context.Context, dbURL string) error {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// noteSkip records a PostgreSQL skip in the file SkipFileEnv names, if any.
func noteSkip(test string) {
	path := os.Getenv(SkipFileEnv)
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	_, _ = fmt.Fprintln(f, test)
	_ = f.Close()
}

// redact hides a password in a database URL.
func redact(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// URL returns a database URL of dialect that no other test uses, already migrated, and
// drops it at cleanup. The migrations run once per test process, into a template that each
// URL copies (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL): under the
// race detector migrating took 8-14 s per SQLite database and 2 s per PostgreSQL schema,
// the largest share of most tests. Callers still run Migrate, which finds nothing to do
// (or applies what the template lacks).
func URL(t testing.TB, dialect string) string {
	t.Helper()
	switch dialect {
	case "sqlite":
		tpl, err := sqliteTemplate()
		if err != nil {
			t.Fatalf("testkit: SQLite template: %v", err)
		}
		path := filepath.Join(t.TempDir(), "herald.db")
		if err := os.WriteFile(path, tpl, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := store.Open(context.Background(), "sqlite:"+path)
		if err != nil {
			t.Fatal(err)
		}
		err = newInstall(db.SQL())
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatalf("testkit: %v", err)
		}
		return "sqlite:" + path
	case "postgres":
		requirePostgres(t)
		if u, ok := pgCopy(t); ok {
			return u
		}
	}
	return EmptyURL(t, dialect)
}

// EmptyURL is URL without the migrations: an empty SQLite file, or an empty private schema
// in the test PostgreSQL database. Tests of the migrations themselves use it.
func EmptyURL(t testing.TB, dialect string) string {
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
		u, err := withPath(PostgresURL(), "", schema)
		if err != nil {
			t.Fatal(err)
		}
		return noSyncCommit(t, u)
	}
	t.Fatalf("unknown dialect %q", dialect)
	return ""
}

// withPath returns dbURL with its database replaced by db (unless empty) and search_path set
// to schema.
func withPath(dbURL, db, schema string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", err
	}
	if db != "" {
		u.Path = "/" + db
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
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
	// Whatever the test wrote, every article's stored card and detail, every translation's
	// related card and every category's card must equal its definition, and every
	// category's and tag's stored count a recount: a write path or migration that bypasses
	// the triggers fails the test that used it.
	t.Cleanup(func() {
		if t.Failed() {
			return
		}
		if ids, err := db.StaleCards(context.Background()); err == nil && len(ids) > 0 {
			t.Errorf("testkit: %d article cards differ from the view article_cards after the test (first %s): a write bypassed the card triggers", len(ids), ids[0])
		}
		if ids, err := db.StaleDetails(context.Background()); err == nil && len(ids) > 0 {
			t.Errorf("testkit: %d article details differ from the view article_details after the test (first %s): a write bypassed the detail triggers", len(ids), ids[0])
		}
		if keys, err := db.StaleRelatedCards(context.Background()); err == nil && len(keys) > 0 {
			t.Errorf("testkit: related cards differ from the view article_related_card_view after the test (first %s): a write bypassed the related card triggers", keys[0])
		}
		if ids, err := db.StaleCategoryCards(context.Background()); err == nil && len(ids) > 0 {
			t.Errorf("testkit: %d category cards differ from the view category_cards after the test (first %s): a write bypassed the card triggers", len(ids), ids[0])
		}
		if ids, err := db.StaleCategoryCounts(context.Background()); err == nil && len(ids) > 0 {
			t.Errorf("testkit: %d category counts differ from a recount after the test (first %s): a write bypassed the count triggers", len(ids), ids[0])
		}
		if ids, err := db.StaleTagCounts(context.Background()); err == nil && len(ids) > 0 {
			t.Errorf("testkit: %d tag counts differ from a recount after the test (first %s): a write bypassed the count triggers", len(ids), ids[0])
		}
	})
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
