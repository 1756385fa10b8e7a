package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/store"
)

// TestBackupWhileServing backs up the SQLite database of a running server, then serves the
// copy and finds the same articles in it.
func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"HERALD_DATABASE_URL": "sqlite:" + filepath.Join(dir, "herald.db"), "HERALD_ADDR": freeAddr(t)}
	defer serveUntilReady(t, env)()
	ctx := context.Background()

	copyPath := filepath.Join(dir, "backup", "copy.db")
	if err := os.MkdirAll(filepath.Dir(copyPath), 0o750); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"backup", copyPath}, envOf(env), &out, &out); err != nil {
		t.Fatalf("backup: %v (%s)", err, out.String())
	}
	if !strings.Contains(out.String(), copyPath) {
		t.Errorf("backup output %q does not name the copy", out.String())
	}
	if err := run(ctx, []string{"backup", copyPath}, envOf(env), &out, &out); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a second backup over the copy: %v", err)
	}

	count := func(url string) int64 {
		db, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int64
		if err := db.SQL().QueryRow("SELECT count(*) FROM articles").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if src, cp := count(env["HERALD_DATABASE_URL"]), count("sqlite:"+copyPath); src == 0 || cp != src {
		t.Fatalf("articles: %d in the database, %d in the backup", src, cp)
	}
}

func TestBackupRefusals(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
		want string
	}{
		"no path":    {nil, nil, "usage"},
		"postgres":   {[]string{filepath.Join(dir, "x.db")}, map[string]string{"HERALD_DATABASE_URL": "postgres://u@127.0.0.1:1/db"}, "pg_dump"},
		"no such db": {[]string{filepath.Join(dir, "y.db")}, map[string]string{"HERALD_DATABASE_URL": "sqlite:" + filepath.Join(dir, "missing.db")}, "missing.db"},
	} {
		err := run(ctx, append([]string{"backup"}, tc.args...), envOf(tc.env), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %q", name, err, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("backup created the missing source database")
	}
}

// waitReady polls /readyz until the server answers.
func waitReady(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if err := healthcheck(context.Background(), nil, envOf(map[string]string{"HERALD_ADDR": addr}), io.Discard); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the server on %s did not become ready", addr)
}
