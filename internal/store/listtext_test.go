package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestListTextsMatchGORM: a list page whose text is kept per shape (listtext.go) runs
// GORM's text with the arguments GORM gives it, for every shape kept: each filter, both
// category forms, each kept sort, cursors and offsets, on both databases. Every value is
// distinct, so arguments in the wrong order differ from GORM's; the pages read through the
// kept text, on its first and on a later request, are the pages GORM's statement reads.
func TestListTextsMatchGORM(t *testing.T) {
	for _, dialect := range testkit.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now().UTC()
			_, set, cs := syntheticArchive(t, dialect, demo.SyntheticOptions{Articles: 240, BodyBytes: 40, Seed: 11, Now: now})
			cats, err := cs.Categories(ctx, now)
			if err != nil || len(cats) == 0 {
				t.Fatalf("categories: %v", err)
			}
			var mu sync.Mutex
			var reports, refused []string
			store.ForgetListTexts(func(text string, gormVars, args []any, kept bool) {
				mu.Lock()
				defer mu.Unlock()
				reports = append(reports, text)
				if !kept {
					refused = append(refused, fmt.Sprintf("%s\n  GORM's %v\n  ours  %v", text, gormVars, args))
				}
			})
			t.Cleanup(func() { store.ForgetListTexts(nil); store.KeepListTexts(true) })

			yes := true
			after, before, since := now.Add(-90*24*time.Hour), now.Add(-24*time.Hour), now.Add(-30*24*time.Hour)
			filters := []func(*content.ListQuery){
				func(*content.ListQuery) {},
				func(q *content.ListQuery) { q.Featured = &yes },
				func(q *content.ListQuery) { q.PublishedAfter = &after },
				func(q *content.ListQuery) { q.PublishedBefore = &before },
				func(q *content.ListQuery) { q.UpdatedSince = &since },
				func(q *content.ListQuery) { q.OnlyLocale = "ru" },
				func(q *content.ListQuery) {
					q.PublishedAfter, q.PublishedBefore, q.UpdatedSince, q.OnlyLocale = &after, &before, &since, "en"
				},
			}
			categories := []string{"", cats[1].ID.String(), cats[2].Translations[1].Slug}
			read := func(q content.ListQuery) []string {
				t.Helper()
				arts, _, err := cs.ListVisibleArticles(ctx, q)
				if err != nil {
					t.Fatalf("%+v: %v", q, err)
				}
				ids := make([]string, len(arts))
				for i, a := range arts {
					ids[i] = a.ID.String()
				}
				return ids
			}
			shapes := 0
			// Twice, with other values the second time: a shape's text, kept from the first
			// pass, must serve them (a value rendered into the text belongs to its shape).
			for pass, v := range []struct{ limit, offset, from int }{{5, 3, 1}, {4, 7, 2}} {
				for _, cat := range categories {
					for _, sort := range []content.Sort{content.SortNewest, content.SortOldest, content.SortMostRead} {
						for fi, f := range filters {
							for _, offset := range []int{0, v.offset} {
								for _, cursor := range []bool{false, true} {
									q := content.ListQuery{Chain: set.Chain("en"), Category: cat, Sort: sort, Limit: v.limit, Offset: offset, Now: now.Add(-time.Duration(pass) * time.Minute)}
									f(&q)
									if cursor {
										first := read(q)
										if len(first) <= v.from {
											continue // nothing to walk from with this filter
										}
										arts, _, _ := cs.ListVisibleArticles(ctx, q)
										q.After = content.CursorAfter(arts[v.from], sort, q.Chain)
									}
									shapes++
									store.KeepListTexts(true)
									firstRead, laterRead := read(q), read(q)
									store.KeepListTexts(false)
									want := read(q)
									store.KeepListTexts(true)
									if !slices.Equal(firstRead, want) || !slices.Equal(laterRead, want) {
										t.Errorf("pass %d category %q sort %v filter %d offset %d cursor %v: kept text read %v then %v, GORM's %v",
											pass, cat, sort, fi, offset, cursor, firstRead, laterRead, want)
									}
								}
							}
						}
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for _, r := range refused {
				t.Errorf("arguments differ from GORM's, text not kept: %s", r)
			}
			// Each shape was rendered once (a cursor's first page is a shape of its own).
			if len(reports) < shapes/2 {
				t.Errorf("%d shapes rendered for %d queries: kept texts were not used", len(reports), shapes)
			}
		})
	}
}

// TestListTextsAreBounded: pages by offset are shapes without end (?page=N), so past
// maxListTexts a page is GORM's again: neither its text nor its whole statement is kept,
// and it still reads the right rows.
func TestListTextsAreBounded(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC()
	_, set, cs := syntheticArchive(t, "sqlite", demo.SyntheticOptions{Articles: 60, BodyBytes: 40, Seed: 5, Now: now})
	prev := store.SetMaxListTexts(3)
	store.ForgetListTexts(nil)
	t.Cleanup(func() { store.SetMaxListTexts(prev); store.ForgetListTexts(nil) })
	all, _, err := cs.ListVisibleArticles(ctx, content.ListQuery{Chain: set.Chain("en"), Limit: 60, Now: now})
	if err != nil || len(all) < 40 {
		t.Fatalf("%d articles, %v", len(all), err)
	}
	for offset := 1; offset <= 30; offset++ {
		page, _, err := cs.ListVisibleArticles(ctx, content.ListQuery{Chain: set.Chain("en"), Limit: 2, Offset: offset, Now: now})
		if err != nil || len(page) != 3 || page[0].ID != all[offset].ID || page[2].ID != all[offset+2].ID {
			t.Fatalf("offset %d: %d articles, %v", offset, len(page), err)
		}
	}
	if texts, statements := store.ListTexts(); texts > 3 || statements > 3 {
		t.Errorf("%d list texts and %d statements kept, want at most 3 of each", texts, statements)
	}
}
