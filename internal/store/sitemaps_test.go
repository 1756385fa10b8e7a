package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestSitemapEntriesKeyset: walking a locale's sitemap entries in small batches, each
// continuing from the last row of the one before, gives the same rows in the same order as
// one statement, both ways, with ties on published_at and articles lacking the locale; and
// SitemapSkip names the row a file after the first continues from.
func TestSitemapEntriesKeyset(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := testkit.OpenDB(t, d)
			cs := store.NewContent(db)
			now := time.Now()
			if err := demo.Synthetic(ctx, cs, demo.SyntheticOptions{Articles: 120, BodyBytes: 40, Seed: 3, Now: now}); err != nil {
				t.Fatal(err)
			}
			// Ties: a fifth of the articles share one publication time; some lack ru.
			for _, stmt := range []string{
				"UPDATE articles SET published_at = (SELECT MIN(published_at) FROM articles) WHERE id IN (SELECT id FROM articles ORDER BY id LIMIT 24)",
				"DELETE FROM article_translations WHERE locale = 'ru' AND article_id IN (SELECT id FROM articles ORDER BY id DESC LIMIT 30)",
			} {
				if err := db.Exec(ctx, stmt); err != nil {
					t.Fatal(err)
				}
			}
			for _, newest := range []bool{false, true} {
				q := content.SitemapQuery{Now: now.Add(time.Minute), OnlyLocale: "ru", Newest: newest, Limit: 1000}
				all, err := cs.SitemapEntries(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if len(all) != 90 {
					t.Fatalf("newest=%v: %d entries in ru, want 90", newest, len(all))
				}
				for i, e := range all {
					if len(e.Translations) < 2 || e.UpdatedAt.IsZero() {
						t.Fatalf("entry %d: %+v", i, e)
					}
					if _, ok := e.Translation("ru"); !ok {
						t.Fatalf("entry %d lacks ru: %+v", i, e)
					}
				}
				// SitemapSkip finds the k-th row's keys, ties included; nothing past the end.
				for _, k := range []int{1, 2, 23, 24, 25, 60, 90, 91, 500} {
					sq := q
					sq.Skip = k
					got, err := cs.SitemapSkip(ctx, sq)
					if err != nil {
						t.Fatal(err)
					}
					if k > len(all) {
						if got != nil {
							t.Fatalf("newest=%v: skip %d of %d gave %+v", newest, k, len(all), got)
						}
						continue
					}
					if got == nil || got.ID != all[k-1].ID || !got.PublishedAt.Equal(all[k-1].PublishedAt) {
						t.Fatalf("newest=%v: skip %d gave %+v, want %s %v", newest, k, got, all[k-1].ID, all[k-1].PublishedAt)
					}
				}
				if got, err := cs.SitemapSkip(ctx, q); err != nil || got != nil {
					t.Fatalf("skip 0: %+v %v", got, err)
				}
				var walked []content.SitemapEntry
				q.Limit, q.Skip = 7, 2
				for {
					es, err := cs.SitemapEntries(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					walked = append(walked, es...)
					if len(es) < q.Limit {
						break
					}
					last := es[len(es)-1]
					q.Skip, q.After = 0, &content.SitemapEntry{ID: last.ID, PublishedAt: last.PublishedAt}
				}
				if len(walked) != len(all)-2 {
					t.Fatalf("newest=%v: walked %d entries, want %d", newest, len(walked), len(all)-2)
				}
				for i := range walked {
					if walked[i].ID != all[i+2].ID || len(walked[i].Translations) != len(all[i+2].Translations) {
						t.Fatalf("newest=%v: entry %d is %s, want %s", newest, i, walked[i].ID, all[i+2].ID)
					}
				}
			}
			counts, err := cs.CountVisibleByLocale(ctx, now.Add(time.Minute))
			if err != nil || counts["ru"] != 90 || counts["en"] != 120 {
				t.Fatalf("counts %v %v", counts, err)
			}
		})
	}
}
