package testkit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/migrations"
)

// sqliteTemplate is the bytes of a migrated SQLite database, made once per process; every
// URL("sqlite") writes a copy.
var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "herald-testkit-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	if err := migrateAt(context.Background(), "sqlite:"+path, ""); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		return nil, errors.New("the write-ahead log outlived the last connection")
	}
	return os.ReadFile(path)
})

// migrateAt opens url, creates schema first if given, migrates and closes: closing the
// last connection checkpoints SQLite's write-ahead log into the file.
func migrateAt(ctx context.Context, dbURL, schema string) error {
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	if schema != "" {
		if err := db.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
			_ = db.Close()
			return err
		}
	}
	if err := db.Migrate(ctx); err != nil {
		_ = db.Close()
		return err
	}
	if db.Dialect() == "sqlite" {
		if err := db.Exec(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			_ = db.Close()
			return err
		}
	}
	return db.Close()
}

// templateSchema is the schema the PostgreSQL template holds Herald's tables in; each copy
// renames it to a schema name no other test uses (the change notifications' channel is
// named after it, and tests find listeners by it across the server).
const templateSchema = "herald_template"

var pg struct {
	once  sync.Once
	admin *sql.DB // the test database, where CREATE and DROP DATABASE are sent
	tpl   string  // the template database's name; "" when copies are not possible
	err   error
}

// pgCopy makes a private database, a copy of the migrated template, and returns its URL;
// false when PostgreSQL cannot copy (no CREATEDB right): URL then migrates a schema.
func pgCopy(t testing.TB) (string, bool) {
	t.Helper()
	pg.once.Do(func() { pg.tpl, pg.err = pgTemplate(context.Background()) })
	if pg.err != nil {
		t.Logf("testkit: no PostgreSQL template (%v); migrating a schema instead", pg.err)
		return "", false
	}
	base, err := baseName()
	if err != nil {
		t.Fatal(err)
	}
	name, schema := base+"_t_"+randomHex(8), "t_"+randomHex(8)
	if err := createFrom(pg.admin, name, pg.tpl); err != nil {
		t.Fatalf("testkit: copy the template database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = pg.admin.Exec("DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)")
	})
	u, err := withPath(PostgresURL(), name, schema)
	if err != nil {
		t.Fatal(err)
	}
	u = noSyncCommit(t, u)
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("ALTER SCHEMA " + templateSchema + " RENAME TO " + schema); err != nil {
		t.Fatalf("testkit: rename the template's schema: %v", err)
	}
	if err := newInstall(db); err != nil {
		t.Fatalf("testkit: %v", err)
	}
	return u, true
}

// newInstall gives a copy of the template its own install id (migration 00120 draws one at
// random): each test database is a separate install, so a sync token minted against one is
// foreign to every other, as between two real deployments.
func newInstall(db *sql.DB) error {
	if _, err := db.Exec("UPDATE sync_install SET install_id = '" + randomHex(16) + "'"); err != nil {
		return fmt.Errorf("draw the copy's install id: %w", err)
	}
	return nil
}

// pgTemplate returns the name of a migrated template database, made by the first test
// process that needs it and kept for the next runs: "<test database>_tpl_<key>", the key a
// hash of the migrations and of River's version, so a changed migration gets a new one.
func pgTemplate(ctx context.Context) (string, error) {
	admin, err := sql.Open("pgx", PostgresURL())
	if err != nil {
		return "", err
	}
	admin.SetMaxIdleConns(4)
	pg.admin = admin
	base, err := baseName()
	if err != nil {
		return "", err
	}
	key, err := templateKey()
	if err != nil {
		return "", err
	}
	tpl := base + "_tpl_" + key
	var n int
	if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", tpl).Scan(&n); err != nil {
		return "", err
	}
	if n == 1 {
		return tpl, nil
	}
	// Build under a private name and rename: test processes starting together race here.
	build := base + "_tplb_" + randomHex(4)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pgx.Identifier{build}.Sanitize()); err != nil {
		return "", err
	}
	drop := func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + pgx.Identifier{build}.Sanitize() + " WITH (FORCE)")
	}
	u, err := withPath(PostgresURL(), build, templateSchema)
	if err == nil {
		err = migrateAt(ctx, u, templateSchema)
	}
	if err != nil {
		drop()
		return "", fmt.Errorf("migrate the template: %w", err)
	}
	err = retryInUse(func() error {
		_, err := admin.ExecContext(ctx, "ALTER DATABASE "+pgx.Identifier{build}.Sanitize()+" RENAME TO "+pgx.Identifier{tpl}.Sanitize())
		return err
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P04" { // duplicate_database: another process made it first
		drop()
		return tpl, nil
	}
	if err != nil {
		drop()
		return "", err
	}
	return tpl, nil
}

// createFrom creates database name as a copy of tpl.
func createFrom(admin *sql.DB, name, tpl string) error {
	return retryInUse(func() error {
		_, err := admin.Exec("CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE " + pgx.Identifier{tpl}.Sanitize())
		return err
	})
}

// retryInUse retries fn while PostgreSQL says the database is still in use: a closed pool's
// sessions end a moment after Close returns.
func retryInUse(fn func() error) error {
	for i := 0; ; i++ {
		err := fn()
		var pe *pgconn.PgError
		if i == 50 || !errors.As(err, &pe) || pe.Code != "55006" { // object_in_use
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func baseName() (string, error) {
	u, err := url.Parse(PostgresURL())
	if err != nil {
		return "", err
	}
	base := strings.TrimPrefix(u.Path, "/")
	if base == "" || len(base) > 40 {
		return "", fmt.Errorf("test database name %q: want 1 to 40 characters", base)
	}
	return base, nil
}

// templateKey hashes what the migrated schema is made of: Herald's migrations and the
// version of River, whose migrations come with it.
func templateKey() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.Files(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.Files(), path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", errors.New("no build info: River's version is unknown")
	}
	for _, m := range bi.Deps {
		// River's modules are released together; which of them a test binary links varies
		// by package, so only the main one is hashed (one template for every package).
		if m.Path == "github.com/riverqueue/river" {
			fmt.Fprintf(h, "%s %s\n", m.Path, m.Version)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// noSyncCommit turns synchronous_commit off for the sessions of a test's database: a commit
// then returns without waiting for its WAL flush, which on the shared test machine cost
// more than most statements. Visibility is unchanged; only a server crash could lose the
// last commits, of a database the test drops anyway. Benchmarks keep the server's setting.
func noSyncCommit(t testing.TB, dbURL string) string {
	if _, bench := t.(*testing.B); bench {
		return dbURL
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return dbURL
	}
	q := u.Query()
	if !q.Has("synchronous_commit") {
		q.Set("synchronous_commit", "off")
	}
	u.RawQuery = q.Encode()
	return u.String()
}
