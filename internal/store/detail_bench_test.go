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

// BenchmarkDetailRelated is the detail read's statement with and without the related
// articles column (issue 17), on a 2,000-article archive (8 categories, 40 tags): the cost
// related articles add to an uncached detail.
func BenchmarkDetailRelated(b *testing.B) {
	for _, d := range testkit.Dialects {
		b.Run(d, func(b *testing.B) {
			ctx := context.Background()
			db := testkit.OpenDB(b, d)
			cs := store.NewContent(db)
			now := time.Now()
			if err := demo.Synthetic(ctx, cs, demo.SyntheticOptions{Articles: 2000, Now: now}); err != nil {
				b.Fatal(err)
			}
			var slug string
			if err := db.Gorm().Raw("SELECT slug FROM article_translations WHERE locale = 'en' ORDER BY slug LIMIT 1").Scan(&slug).Error; err != nil {
				b.Fatal(err)
			}
			chain := []string{"en", "az", "ru"}
			for _, mode := range []string{"without", "with-related"} {
				b.Run(mode, func(b *testing.B) {
					rctx := ctx
					if mode != "without" {
						rctx = content.WithDetail(ctx, content.DetailOptions{Related: content.MaxRelated, Chain: chain, Now: now})
					}
					for i := 0; i < b.N; i++ {
						a, err := cs.VisibleArticle(rctx, nil, slug, chain, now)
						if err != nil {
							b.Fatal(err)
						}
						if mode != "without" && len(a.Related) != content.MaxRelated {
							b.Fatalf("%d related", len(a.Related))
						}
					}
				})
			}
		})
	}
}
