package testkit

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestEnsurePostgresCreatesAMissingDatabase: on a server without the test database (a
// fresh install), the first test creates it instead of skipping as "not reachable".
func TestEnsurePostgresCreatesAMissingDatabase(t *testing.T) {
	requirePostgres(t)
	u, err := url.Parse(PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	name := "herald_fresh_" + randomHex(6)
	u.Path = "/" + name
	maint := *u
	maint.Path = "/postgres"
	t.Cleanup(func() {
		db, err := sql.Open("pgx", maint.String())
		if err == nil {
			_, _ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			_ = db.Close()
		}
	})
	if err := ping(context.Background(), u.String()); err == nil {
		t.Fatalf("database %s exists before the test", name)
	}
	if err := EnsurePostgres(context.Background(), u.String()); err != nil {
		t.Fatalf("EnsurePostgres: %v", err)
	}
	if err := ping(context.Background(), u.String()); err != nil {
		t.Fatalf("database not usable after EnsurePostgres: %v", err)
	}
	// A second call (another package's test binary) finds it and is fine.
	if err := EnsurePostgres(context.Background(), u.String()); err != nil {
		t.Fatalf("EnsurePostgres again: %v", err)
	}
}

// TestNeedsPostgres is the inner test TestMakeTestSaysWhenPostgresDidNotRun runs through
// make; on its own it does nothing.
func TestNeedsPostgres(t *testing.T) {
	if os.Getenv("HERALD_TESTKIT_INNER") != "1" {
		t.Skip("run by TestMakeTestSaysWhenPostgresDidNotRun")
	}
	URL(t, "postgres")
}

// TestMakeTestSaysWhenPostgresDidNotRun: with no PostgreSQL and CI unset, make's test
// targets end with one loud line saying the PostgreSQL half did not run (and stay quiet
// when it did).
func TestMakeTestSaysWhenPostgresDidNotRun(t *testing.T) {
	if testing.Short() || os.Getenv("HERALD_TESTKIT_INNER") == "1" {
		t.Skip("runs go test through make")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	run := func(dbURL string) string {
		cmd := exec.Command("make", "-s", "-C", "../..", "test-short", "TEST_PKGS=./internal/testkit", "TEST_FLAGS=-run TestNeedsPostgres -v")
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "CI=") && !strings.HasPrefix(kv, "HERALD_TEST_DATABASE_URL=") && !strings.HasPrefix(kv, "MAKEFLAGS=") {
				env = append(env, kv)
			}
		}
		cmd.Env = append(env, "HERALD_TESTKIT_INNER=1", "HERALD_TEST_DATABASE_URL="+dbURL)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make test-short: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	out := run("postgres://postgres@127.0.0.1:1/herald_test?sslmode=disable&connect_timeout=2")
	lines := strings.Split(out, "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, "PostgreSQL half did NOT run") {
		t.Fatalf("last line %q does not say the PostgreSQL half was skipped:\n%s", last, out)
	}
	if requirePostgres(t); strings.Contains(run(PostgresURL()), "did NOT run") {
		t.Fatal("the loud line appeared although PostgreSQL ran")
	}
}

// TestURLIsMigratedAndPrivate: URL's databases are copies of one migrated template, each
// with its own schema name on PostgreSQL, and a write to one is not seen by another.
func TestURLIsMigratedAndPrivate(t *testing.T) {
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, b := OpenDB(t, d), OpenDB(t, d)
			if err := a.Exec(ctx, "INSERT INTO settings (key, locale, value, updated_at) VALUES ('k', 'en', 'v', CURRENT_TIMESTAMP)"); err != nil {
				t.Fatalf("write to a migrated copy: %v", err)
			}
			var n int64
			if err := b.Gorm().Raw("SELECT count(*) FROM settings").Scan(&n).Error; err != nil || n != 0 {
				t.Fatalf("the other copy has %d settings (%v), want 0", n, err)
			}
			// Each copy is its own install (sync tokens of one are foreign to the other).
			var ia, ib string
			if err := a.Gorm().Raw("SELECT install_id FROM sync_install").Scan(&ia).Error; err != nil {
				t.Fatal(err)
			}
			if err := b.Gorm().Raw("SELECT install_id FROM sync_install").Scan(&ib).Error; err != nil {
				t.Fatal(err)
			}
			if ia == "" || ia == ib {
				t.Fatalf("install ids %q and %q: want two different ones", ia, ib)
			}
			if d == "postgres" {
				var sa, sb string
				_ = a.Gorm().Raw("SELECT current_schema()").Scan(&sa).Error
				_ = b.Gorm().Raw("SELECT current_schema()").Scan(&sb).Error
				if sa == sb || !strings.HasPrefix(sa, "t_") {
					t.Fatalf("schemas %q and %q: want two private t_ schemas", sa, sb)
				}
			}
		})
	}
}
