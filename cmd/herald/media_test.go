package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/testkit"
)

func TestMediaSweepCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := envOf(map[string]string{"HERALD_DATABASE_URL": testkit.URL(t, "sqlite"), "HERALD_MEDIA_DIR": dir})
	orphan := filepath.Join(dir, strings.Repeat("ab", 32), "original.jpg")
	if err := os.MkdirAll(filepath.Dir(orphan), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(orphan, []byte("left by a crash"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"media", "sweep", "--min-age", "1h"}, env, &out, &out); err != nil || !strings.Contains(out.String(), "0 leftover") {
		t.Fatalf("young file: %v %s", err, out.String())
	}
	twoMinutesAgo := time.Now().Add(-2 * time.Minute)
	if err := os.Chtimes(orphan, twoMinutesAgo, twoMinutesAgo); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"media", "sweep", "--min-age", "1m"}, env, &out, &out); err != nil || !strings.Contains(out.String(), "1 leftover") {
		t.Fatalf("old file: %v %s", err, out.String())
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Errorf("orphan still there: %v", err)
	}
	// A sweep that removed something is on record, like any other write.
	a, closeApp, err := openApp(ctx, env, app.WithoutMedia())
	if err != nil {
		t.Fatal(err)
	}
	defer closeApp()
	if es, _, err := a.Audit.List(ctx, audit.Query{Action: "media.sweep"}); err != nil || len(es) != 1 || es[0].Summary != "1 leftover file(s) removed" {
		t.Errorf("audit of the sweeps: %+v, %v; want the one that removed a file", es, err)
	}
	if err := run(ctx, []string{"media", "sweep", "--min-age", "1s"}, env, &out, &out); err == nil {
		t.Error("a min-age under a minute was accepted")
	}
	if err := run(ctx, []string{"media"}, env, &out, &out); err == nil {
		t.Error("media without a subcommand was accepted")
	}
}
