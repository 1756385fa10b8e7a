package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestImportExportCommands: herald import reports each bad line and a summary, exits 1
// when a line failed, changes nothing the second time; herald export writes what imports
// back; both are audited like every write.
func TestImportExportCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := envOf(map[string]string{"HERALD_DATABASE_URL": testkit.URL(t, "sqlite"), "HERALD_MEDIA_DIR": filepath.Join(dir, "media")})
	example, err := os.ReadFile("../../testdata/import/example.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "archive.ndjson")
	if err := os.WriteFile(file, append(example, []byte(`{"external_id":"broken","translations":{"en":{"title":"T"}},"published_at":"19-02-2021"}`+"\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	media := "../../testdata/import/media"
	var out, errOut bytes.Buffer
	err = run(ctx, []string{"import", "--dry-run", "--media-dir", media, file}, env, &out, &errOut)
	if err == nil || !strings.Contains(out.String(), "checked (dry run, nothing written) 4 lines: 3 created, 0 updated, 0 unchanged, 1 failed") {
		t.Fatalf("dry run: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	out.Reset()
	errOut.Reset()
	// Flags after the file are read too.
	err = run(ctx, []string{"import", file, "--media-dir", media, "--batch", "2"}, env, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "1 of 4 lines failed") {
		t.Errorf("import: %v", err)
	}
	if !strings.Contains(out.String(), "imported 4 lines: 3 created, 0 updated, 0 unchanged, 1 failed") ||
		!strings.Contains(errOut.String(), `line 4 (broken): failed: published_at: "19-02-2021" is not an RFC 3339 time`) ||
		!strings.Contains(errOut.String(), "4/4 lines, ETA 0s") {
		t.Errorf("import output:\n%s\n%s", out.String(), errOut.String())
	}
	exported := filepath.Join(dir, "export")
	if err := run(ctx, []string{"export", "--media-dir", filepath.Join(exported, "media"), "--out", filepath.Join(exported, "archive.ndjson")}, env, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "exported 3 articles and 2 files") {
		t.Errorf("export output: %s", errOut.String())
	}
	out.Reset()
	if err := run(ctx, []string{"import", "--media-dir", filepath.Join(exported, "media"), filepath.Join(exported, "archive.ndjson")}, env, &out, &errOut); err != nil ||
		!strings.Contains(out.String(), "imported 3 lines: 0 created, 0 updated, 3 unchanged, 0 failed") {
		t.Errorf("the export imported over its source: %v %s", err, out.String())
	}
	a, closeApp, err := openApp(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	defer closeApp()
	if es, _, err := a.Audit.List(ctx, audit.Query{Action: "article.import"}); err != nil || len(es) != 3 {
		t.Errorf("audit entries of the imports: %d, %v; want one per created article", len(es), err)
	}
	if err := run(ctx, []string{"import"}, env, &out, &errOut); err == nil {
		t.Error("import without a file was accepted")
	}
	if err := run(ctx, []string{"import", "--media-dir", filepath.Join(dir, "nope"), file}, env, &out, &errOut); err == nil {
		t.Error("a missing media directory was accepted")
	}
}
