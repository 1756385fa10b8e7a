package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/search"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestSearchReindexCommand: seeding indexes the archive, reindex rebuilds it all, and the
// index then finds what it should.
func TestSearchReindexCommand(t *testing.T) {
	ctx := context.Background()
	env := envOf(map[string]string{"HERALD_DATABASE_URL": testkit.URL(t, "sqlite"), "HERALD_DEMO_CONTENT": "false"})
	var out bytes.Buffer
	if err := run(ctx, []string{"seed", "--articles", "30", "--body-bytes", "300"}, env, &out, &out); err != nil || !strings.Contains(out.String(), "search: indexed 30 articles") {
		t.Fatalf("seed: %v %s", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"search", "reindex"}, env, &out, &out); err != nil || !strings.Contains(out.String(), "done: 30 articles indexed") {
		t.Fatalf("reindex: %v %s", err, out.String())
	}
	a, closeApp, err := openApp(ctx, env, app.WithoutMedia())
	if err != nil {
		t.Fatal(err)
	}
	defer closeApp()
	q, _ := search.Parse("ombudsman", false)
	res, err := a.Search.Search(ctx, search.Request{Query: q, Locales: []string{"en"}, Limit: 50, Facets: true, Now: a.Clock()})
	if err != nil || res.Facets.Total == 0 {
		t.Fatalf("after reindex: %+v, %v", res.Facets, err)
	}
	if err := run(ctx, []string{"search"}, env, &out, &out); err == nil {
		t.Error("search without a subcommand was accepted")
	}
}
