package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestSeed generates a small archive on each dialect and reads it back through the
// public content rules: every article visible, three locales each, unique slugs.
func TestSeed(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			url := testkit.URL(t, d)
			env := envOf(map[string]string{"HERALD_DATABASE_URL": url})
			var out bytes.Buffer
			ctx := context.Background()
			if err := run(ctx, []string{"seed", "--articles", "250", "--batch", "100", "--body-bytes", "600"}, env, &out, &out); err != nil {
				t.Fatalf("seed: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "done: 250 articles") {
				t.Errorf("seed printed %q", out.String())
			}
			// A second run adds to the archive without slug collisions.
			if err := run(ctx, []string{"seed", "--articles", "10"}, env, &out, &out); err != nil {
				t.Fatalf("second seed: %v", err)
			}
			db, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			svc := content.NewService(store.NewContent(db), time.Now)
			p, err := svc.ListArticles(ctx, content.ListQuery{Chain: []string{"en", "az", "ru"}, Limit: 100, CountTotal: true, WithBody: true})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != 260 || len(p.Articles) != 100 {
				t.Fatalf("total %d, page %d", p.Total, len(p.Articles))
			}
			if es, _, err := audit.NewLog(store.NewAudit(db), nil).List(ctx, audit.Query{Action: "content.seed"}); err != nil || len(es) != 2 {
				t.Errorf("audit of the seeds: %+v, %v; want two", es, err)
			}
			for _, a := range p.Articles {
				if len(a.Translations) != 3 || len(a.Translations[0].Body) < 500 || a.CategoryID == nil {
					t.Fatalf("article %s: %d translations, body %d bytes", a.ID, len(a.Translations), len(a.Translations[0].Body))
				}
			}
		})
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"seed", "--articles", "0"}, envOf(nil), &out, &out); err == nil {
		t.Error("seed --articles 0 succeeded")
	}
}
