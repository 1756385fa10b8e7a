// Package archtest keeps the dependency arrows of ARCHITECTURE.md true: every import
// between the module's packages, tests' imports included, must be listed in arrows.txt
// (an allow-list: a new package or arrow is a conscious change), only internal/store
// imports GORM, and domains know no HTTP.
package archtest

import (
	"bufio"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const mod = "github.com/heraldcms/herald"

// domains know nothing of HTTP or SQL.
var domains = []string{"internal/content", "internal/auth", "internal/views", "internal/media", "internal/changes", "internal/audit", "internal/errs"}

// edge is one import: from imports to (paths relative to the module for the module's own).
type edge struct {
	from, to string
	test     bool // only a test file imports it
}

func (e edge) String() string {
	s := e.from + " -> " + e.to
	if e.test {
		s += " (test)"
	}
	return s
}

// readArrows parses arrows.txt into the set of allowed lines ("a -> b", "a -> b (test)",
// "package a").
func readArrows(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open("arrows.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	allowed := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		allowed[strings.Join(strings.Fields(line), " ")] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return allowed
}

// imports lists the module's packages and every import they make, production and test.
func imports(t *testing.T) (pkgs []string, edges []edge) {
	t.Helper()
	// Standard output only: go list warns on stderr about the symlinks npm workspaces put
	// in node_modules.
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{join .Imports " "}}|{{join .TestImports " "}} {{join .XTestImports " "}}`, mod+"/...")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		from := rel(parts[0])
		pkgs = append(pkgs, from)
		prod := map[string]bool{}
		for _, imp := range strings.Fields(parts[1]) {
			prod[imp] = true
			edges = append(edges, edge{from: from, to: rel(imp)})
		}
		for _, imp := range strings.Fields(parts[2]) {
			if !prod[imp] && imp != parts[0] {
				prod[imp] = true
				edges = append(edges, edge{from: from, to: rel(imp), test: true})
			}
		}
	}
	return pkgs, edges
}

// unlisted returns the packages arrows.txt does not name in any line: a new package must
// appear there, with its arrows or as "package <path>" when it has none.
func unlisted(pkgs []string, allowed map[string]bool) []string {
	named := map[string]bool{}
	for line := range allowed {
		f := strings.Fields(line)
		switch {
		case len(f) >= 3 && f[1] == "->":
			named[f[0]], named[f[2]] = true, true
		case len(f) == 2 && f[0] == "package":
			named[f[1]] = true
		}
	}
	var out []string
	for _, p := range pkgs {
		if !named[p] {
			out = append(out, "package "+p+": not in internal/archtest/arrows.txt")
		}
	}
	sort.Strings(out)
	return out
}

func rel(pkg string) string {
	if pkg == mod {
		return "."
	}
	if strings.HasPrefix(pkg, mod+"/") {
		return strings.TrimPrefix(pkg, mod+"/")
	}
	return pkg
}

// violations is every edge the picture does not allow.
func violations(edges []edge, allowed map[string]bool) []string {
	var bad []string
	for _, e := range edges {
		switch {
		case strings.HasPrefix(e.to, "gorm.io/") && e.from != "internal/store" && !e.test:
			bad = append(bad, e.String()+": only internal/store may use GORM")
		case inDomain(e.from) && !e.test && (strings.HasPrefix(e.to, "github.com/labstack/echo") || e.to == "net/http" && e.from != "internal/media"):
			bad = append(bad, e.String()+": domains know no HTTP")
		case isModulePkg(e.to) && !allowed[e.String()] && !(e.test && allowed[edge{from: e.from, to: e.to}.String()]):
			// A test may take an arrow production code takes; nothing may take an unlisted one.
			bad = append(bad, e.String()+": not in internal/archtest/arrows.txt")
		}
	}
	sort.Strings(bad)
	return bad
}

// isModulePkg tells the module's packages (api, cmd/…, internal/…, docs, migrations, bench/…)
// from the standard library's.
func isModulePkg(p string) bool {
	for _, root := range []string{"api", "cmd", "internal", "docs", "migrations", "bench", "."} {
		if p == root || strings.HasPrefix(p, root+"/") {
			return true
		}
	}
	return false
}

func inDomain(p string) bool {
	for _, d := range domains {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

// TestImportArrows: the module's imports are exactly what arrows.txt allows.
func TestImportArrows(t *testing.T) {
	pkgs, edges := imports(t)
	if len(edges) == 0 {
		t.Fatal("go list reported no imports")
	}
	allowed := readArrows(t)
	for _, v := range violations(edges, allowed) {
		t.Error(v)
	}
	for _, v := range unlisted(pkgs, allowed) {
		t.Error(v)
	}
	used := map[string]bool{}
	for _, e := range edges {
		used[e.String()] = true
		used[edge{from: e.from, to: e.to}.String()] = true
	}
	for a := range allowed {
		if !used[a] {
			t.Logf("arrows.txt lists %q, which no import takes any more; remove it", a)
		}
	}
}

// TestAnUnlistedArrowFails: the check refuses an import arrows.txt does not list, e.g. a
// domain reaching into the store, and one a test takes outside the picture.
func TestAnUnlistedArrowFails(t *testing.T) {
	allowed := readArrows(t)
	for _, e := range []edge{
		{from: "internal/content", to: "internal/store"},
		{from: "internal/content", to: "internal/auth"},
		{from: "internal/views", to: "api", test: true},
		{from: "internal/auth", to: "gorm.io/gorm"},
	} {
		if v := violations([]edge{e}, allowed); len(v) != 1 {
			t.Errorf("%s: violations %v, want one", e, v)
		}
	}
	if v := violations([]edge{{from: "api", to: "internal/content"}, {from: "api", to: "strings"}}, allowed); len(v) != 0 {
		t.Errorf("listed and standard imports refused: %v", v)
	}
	if v := unlisted([]string{"api", "internal/nosuchpkg"}, allowed); len(v) != 1 {
		t.Errorf("a new package: %v, want it refused", v)
	}
}
