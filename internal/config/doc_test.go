package config

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the module root, two levels above this package.
const repoRoot = "../.."

var varName = regexp.MustCompile(`\bHERALD_[A-Z0-9_]*[A-Z0-9]`)

// TestEveryVariableDocumented scans every non-test Go file of the module for HERALD_*
// names: each must be in Vars and in docs/configuration.md, so a variable the code reads
// cannot go undocumented.
func TestEveryVariableDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(repoRoot, "docs", "configuration.md"))
	if err != nil {
		t.Fatalf("read docs/configuration.md: %v (run make docs)", err)
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `(HERALD_[A-Z0-9_]+)` \\|").FindAllStringSubmatch(string(doc), -1) {
		documented[m[1]] = true
	}
	inVars := map[string]bool{}
	for _, v := range Vars {
		inVars[v.Name] = true
	}
	read := map[string][]string{}
	err = filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "testdata", "data", "bin":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, name := range varName.FindAllString(string(src), -1) {
			if !slices.Contains(read[name], path) {
				read[name] = append(read[name], path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(read) < len(Vars)/2 {
		t.Fatalf("the scan found only %d variables: is repoRoot right?", len(read))
	}
	for name, files := range read {
		if !inVars[name] {
			t.Errorf("%s (in %s) is missing from config.Vars", name, strings.Join(files, ", "))
		}
		if !documented[name] {
			t.Errorf("%s (in %s) is missing from docs/configuration.md (run make docs)", name, strings.Join(files, ", "))
		}
	}
}

// TestConfigurationDocCurrent keeps docs/configuration.md equal to what make docs writes.
func TestConfigurationDocCurrent(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(repoRoot, "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := WriteMarkdown(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, want.Bytes()) {
		t.Error("docs/configuration.md is stale: run make docs")
	}
	for _, v := range Vars {
		if v.Name == "" || v.Default == "" || v.Meaning == "" {
			t.Errorf("Vars entry %+v: name, default and meaning are all required", v)
		}
	}
}
