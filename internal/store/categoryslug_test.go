package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/locale"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestCategorySlugListWalksEachCategory: a list filtered by a category slug pages exactly
// as the articles of every category with that slug merged in the list's sort, each sort
// (two categories may share a slug in different locales, and one may have it in several),
// by offset and by cursor. (That each category's live index is walked is
// TestEveryPublicSortIsServedByAnIndex's, on a larger archive.)
func TestCategorySlugListWalksEachCategory(t *testing.T) {
	for _, dialect := range testkit.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := testkit.OpenDB(t, dialect)
			set := locale.NewSet([]string{"az", "en", "ru"}, "az", nil)
			cs := store.NewContent(db, store.WithLocales(set))
			now := time.Now()
			if err := demo.Synthetic(ctx, cs, demo.SyntheticOptions{Articles: 240, BodyBytes: 40, Seed: 11, Now: now, Categories: 6}); err != nil {
				t.Fatal(err)
			}
			if err := db.Analyze(ctx); err != nil {
				t.Fatal(err)
			}
			svc := content.NewService(cs, time.Now)
			cats, err := cs.Categories(ctx, now)
			if err != nil || len(cats) < 2 {
				t.Fatalf("categories: %v (%d)", err, len(cats))
			}
			a, b := cats[0].ID, cats[1].ID
			// a's English and Russian slugs and b's Azerbaijani one become the same word: a is
			// named twice, and its articles must still come once.
			if err := db.Exec(ctx, "UPDATE category_translations SET slug = 'shared-slug' WHERE (category_id = ? AND locale IN ('en', 'ru')) OR (category_id = ? AND locale = 'az')", a, b); err != nil {
				t.Fatal(err)
			}

			// The pages of each sort are the archive's own pages in that sort, less the
			// articles of other categories: sorts walked in the category index's order merge
			// the walks as they go, the others sort each walk's page first.
			in := map[uuid.UUID]bool{}
			for _, id := range []uuid.UUID{a, b} {
				p, err := svc.ListArticles(ctx, content.ListQuery{Chain: set.Chain("en"), Category: id.String(), Limit: content.MaxPerPage})
				if err != nil {
					t.Fatal(err)
				}
				if p.Next != nil {
					t.Fatal("a category holds more than a page: raise the page or lower the archive")
				}
				for _, x := range p.Articles {
					in[x.ID] = true
				}
			}
			if len(in) < 45 {
				t.Fatalf("only %d articles in the two categories", len(in))
			}
			ids := func(as []content.Article) string {
				var b strings.Builder
				for _, x := range as {
					b.WriteString(x.ID.String() + " ")
				}
				return b.String()
			}
			const per = 20
			for _, sort := range []content.Sort{content.SortNewest, content.SortOldest, content.SortMostRead, content.SortTitle} {
				var want []content.Article
				q := content.ListQuery{Chain: set.Chain("en"), Sort: sort, Limit: content.MaxPerPage}
				for {
					p, err := svc.ListArticles(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					for _, x := range p.Articles {
						if in[x.ID] {
							want = append(want, x)
						}
					}
					if p.Next == nil {
						break
					}
					q.After = p.Next
				}
				if len(want) != len(in) {
					t.Fatalf("%s: the archive lists %d of the categories' %d articles", sort, len(want), len(in))
				}

				var byCursor []content.Article
				q = content.ListQuery{Chain: set.Chain("en"), Sort: sort, Category: "shared-slug", Limit: per, CountTotal: true}
				for i := 0; ; i++ {
					p, err := svc.ListArticles(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					if i == 0 && p.Total != int64(len(want)) {
						t.Errorf("%s: total %d, want %d", sort, p.Total, len(want))
					}
					byCursor = append(byCursor, p.Articles...)
					if p.Next == nil {
						break
					}
					q.After, q.CountTotal = p.Next, false
				}
				if ids(byCursor) != ids(want) {
					t.Errorf("%s by cursor:\n got %s\nwant %s", sort, ids(byCursor), ids(want))
				}
				var byOffset []content.Article
				for off := 0; off < len(want)+per; off += per {
					p, err := svc.ListArticles(ctx, content.ListQuery{Chain: set.Chain("en"), Sort: sort, Category: "shared-slug", Limit: per, Offset: off})
					if err != nil {
						t.Fatal(err)
					}
					byOffset = append(byOffset, p.Articles...)
				}
				if ids(byOffset) != ids(want) {
					t.Errorf("%s by offset:\n got %s\nwant %s", sort, ids(byOffset), ids(want))
				}
			}
		})
	}
}
