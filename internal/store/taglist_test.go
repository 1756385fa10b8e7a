package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestTagListReadsEitherWay: a list filtered by tags pages the same whether it walks its
// sort's index and tests each article (tags on many articles) or reads the tags' articles
// and sorts them (tags on few), for every sort, by offset and by cursor, with tags named by
// slug and by id, alone and with a category. On PostgreSQL a tag on few articles no longer
// reads the archive: its plan reads only its articles.
func TestTagListReadsEitherWay(t *testing.T) {
	for _, dialect := range testkit.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			db, set, cs := syntheticArchive(t, dialect, demo.SyntheticOptions{Articles: 300, BodyBytes: 40, Seed: 5, Now: now, Categories: 3, Tags: 12})
			svc := content.NewService(cs, time.Now)
			tags, _, err := cs.Tags(ctx, content.TagQuery{Chain: set.Chain("en"), Limit: 100, Now: now})
			if err != nil || len(tags) < 2 {
				t.Fatalf("tags: %v (%d)", err, len(tags))
			}
			cats, err := cs.Categories(ctx, now)
			if err != nil || len(cats) == 0 {
				t.Fatalf("categories: %v", err)
			}
			filters := []struct {
				name     string
				tags     []string
				category string
			}{
				{"one slug", []string{tags[0].Translations[0].Slug}, ""},
				{"slug and id", []string{tags[0].Translations[0].Slug, tags[1].ID.String()}, ""},
				{"with a category", []string{tags[1].ID.String()}, cats[0].Translations[0].Slug},
			}
			sorts := []content.Sort{content.SortNewest, content.SortOldest, content.SortMostRead, content.SortTitle}
			pages := func(q content.ListQuery) (byCursor, byOffset string) {
				const per = 7
				q.Limit = per
				for {
					p, err := svc.ListArticles(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					for _, a := range p.Articles {
						byCursor += a.ID.String() + " "
					}
					if p.Next == nil {
						break
					}
					q.After = p.Next
				}
				q.After = nil
				for q.Offset = 0; q.Offset < 400; q.Offset += per {
					p, err := svc.ListArticles(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					if len(p.Articles) == 0 {
						break
					}
					for _, a := range p.Articles {
						byOffset += a.ID.String() + " "
					}
				}
				return byCursor, byOffset
			}
			for _, f := range filters {
				for _, s := range sorts {
					q := content.ListQuery{Chain: set.Chain("en"), Sort: s, Tags: f.tags, Category: f.category}
					store.SetFewTags(cs, 0) // walk the sort's index
					walkC, walkO := pages(q)
					store.SetFewTags(cs, 1<<30) // read the tags' articles
					readC, readO := pages(q)
					name := fmt.Sprintf("%s, sort %s", f.name, s)
					if walkC == "" || strings.Count(walkC, " ") < 8 {
						t.Fatalf("%s: too few articles to page (%d)", name, strings.Count(walkC, " "))
					}
					if walkC != walkO || readC != walkC || readO != walkC {
						t.Errorf("%s:\nwalk by cursor %s\nwalk by offset %s\nread by cursor %s\nread by offset %s", name, walkC, walkO, readC, readO)
					}
				}
			}

			if dialect != "postgres" {
				return
			}
			// A tag on two of the 300 articles, the oldest: the walk would read every live
			// article to find them.
			rare := tags[len(tags)-1]
			if err := db.Exec(ctx, "DELETE FROM article_tags WHERE tag_id = ?", rare.ID); err != nil {
				t.Fatal(err)
			}
			if err := db.Exec(ctx, "INSERT INTO article_tags (article_id, tag_id) SELECT id, ? FROM articles ORDER BY published_at LIMIT 2", rare.ID); err != nil {
				t.Fatal(err)
			}
			store.SetFewTags(cs, 2000)
			page := capturePage(t, db)
			p, err := svc.ListArticles(ctx, content.ListQuery{Chain: set.Chain("en"), Tags: []string{rare.ID.String()}, Limit: 20})
			if err != nil || len(p.Articles) != 2 {
				t.Fatalf("rare tag: %v, %d articles", err, len(p.Articles))
			}
			sql, vars := page()
			raw, plan := pgPlan(t, db, "EXPLAIN (ANALYZE, FORMAT JSON) ", sql, vars)
			if read := pgRowsRead(plan, "articles"); read > 10 {
				t.Errorf("a tag on two articles: the plan read %d articles\n%s", read, raw)
			}
		})
	}
}

// pgRowsRead sums the rows an ANALYZE plan's scans of relation rel returned, over all loops.
func pgRowsRead(node map[string]any, rel string) int {
	sum := 0
	if r, _ := node["Relation Name"].(string); r == rel {
		rows, _ := node["Actual Rows"].(float64)
		loops, _ := node["Actual Loops"].(float64)
		sum += int(rows * loops)
	}
	kids, _ := node["Plans"].([]any)
	for _, k := range kids {
		if m, ok := k.(map[string]any); ok {
			sum += pgRowsRead(m, rel)
		}
	}
	return sum
}

// TestTagSlugFilterReadsAnIndex: a list filtered by a tag slug, among thousands of tags,
// looks the slug up in an index (migration 00320 on PostgreSQL; SQLite skips through the
// unique key's locales) rather than reading every translation of every tag.
func TestTagSlugFilterReadsAnIndex(t *testing.T) {
	for _, dialect := range testkit.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			db, set, cs := syntheticArchive(t, dialect, demo.SyntheticOptions{Articles: 40, BodyBytes: 40, Seed: 3, Now: now, Categories: 2, Tags: 4})
			const many = 1500
			err := cs.InTx(ctx, func(ctx context.Context) error {
				for i := range many {
					tg := content.Tag{ID: uuid.New(), CreatedAt: now, UpdatedAt: now}
					for _, l := range set.Codes() {
						tg.Translations = append(tg.Translations, content.TagTranslation{Locale: l, Name: fmt.Sprint("Tag ", i), Slug: fmt.Sprintf("tag-%d-%s", i, l)})
					}
					if err := cs.CreateTag(ctx, tg); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Analyze(ctx); err != nil {
				t.Fatal(err)
			}
			readsAll := func(sql string, vars []any, table, alias string) string {
				if dialect == "postgres" {
					// Pages read per lookup: an index that does not lead with the slug can still
					// be read whole (an index scan with the slug as its condition).
					raw, plan := pgPlan(t, db, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ", sql, vars)
					if pgPagesPerLoop(plan, table) > 8 {
						return raw
					}
					return ""
				}
				// A full scan, or an automatic index built by reading the whole table.
				steps := sqlitePlan(t, db, sql, vars)
				for _, s := range steps {
					if (strings.HasPrefix(s, "SCAN "+alias) || strings.HasPrefix(s, "SEARCH "+alias)) &&
						(strings.HasPrefix(s, "SCAN") || strings.Contains(s, "AUTOMATIC")) {
						return strings.Join(steps, "\n")
					}
				}
				return ""
			}

			page := capturePage(t, db)
			svc := content.NewService(cs, time.Now)
			if _, err := svc.ListArticles(ctx, content.ListQuery{Chain: set.Chain("en"), Tags: []string{"tag-700-en"}, Limit: 20}); err != nil {
				t.Fatal(err)
			}
			sql, vars := page()
			if plan := readsAll(sql, vars, "tag_translations", "tt"); plan != "" {
				t.Errorf("a list by tag slug reads every tag translation:\n%s", plan)
			}
		})
	}
}

// pgPagesPerLoop is the most pages a node of an ANALYZE plan read from relation rel (its
// table or an index of it) per loop.
func pgPagesPerLoop(node map[string]any, rel string) float64 {
	most := 0.0
	if r, _ := node["Relation Name"].(string); r == rel {
		hit, _ := node["Shared Hit Blocks"].(float64)
		read, _ := node["Shared Read Blocks"].(float64)
		loops, _ := node["Actual Loops"].(float64)
		most = (hit + read) / max(loops, 1)
	}
	kids, _ := node["Plans"].([]any)
	for _, k := range kids {
		if m, ok := k.(map[string]any); ok {
			most = max(most, pgPagesPerLoop(m, rel))
		}
	}
	return most
}
