// Package archtest keeps the dependency arrows of DESIGN.md §2 true: domains import no
// framework, store, api or other domain; only internal/store imports GORM; api has no SQL.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/heraldcms/herald"

// domains may import each other only through these shared, pure packages.
var domains = []string{"content", "auth", "views", "media", "webhooks"}

func TestImportArrows(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{join .Imports " "}}`, mod+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, "|")
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, mod), "/")
		for _, imp := range strings.Fields(imports) {
			checked++
			if strings.HasPrefix(imp, "gorm.io/") && rel != "internal/store" {
				t.Errorf("%s imports %s: only internal/store may use GORM", rel, imp)
			}
			if imp == mod+"/internal/store" && rel != "cmd/herald" && rel != "internal/app" && rel != "internal/testkit" {
				t.Errorf("%s imports internal/store: only internal/app wires it", rel)
			}
			if imp == mod+"/api" && rel != "cmd/herald" && rel != "internal/app" {
				t.Errorf("%s imports api", rel)
			}
			for _, d := range domains {
				if rel != "internal/"+d && !strings.HasPrefix(rel, "internal/"+d+"/") {
					continue
				}
				if strings.HasPrefix(imp, "github.com/labstack/echo") || strings.HasPrefix(imp, "net/http") && d != "media" {
					t.Errorf("domain %s imports %s: domains know no HTTP", rel, imp)
				}
				for _, other := range domains {
					if other != d && (imp == mod+"/internal/"+other || strings.HasPrefix(imp, mod+"/internal/"+other+"/")) {
						t.Errorf("domain %s imports domain %s: compose in api instead", rel, other)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("go list reported no imports")
	}
}
