package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/locale"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestEnsureTitleKeysBackfills: articles written before the title keys existed (or by an
// older binary) get them at start, and a change of locales or fallbacks rebuilds them all.
func TestEnsureTitleKeysBackfills(t *testing.T) {
	for _, dialect := range testkit.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := testkit.OpenDB(t, dialect)
			set := locale.NewSet([]string{"az", "en", "ru"}, "az", nil)
			cs := store.NewContent(db, store.WithLocales(set))
			if err := demo.Synthetic(ctx, cs, demo.SyntheticOptions{Articles: 40, BodyBytes: 10, Seed: 3, Now: time.Now()}); err != nil {
				t.Fatal(err)
			}
			count := func() int64 {
				var n int64
				if err := db.Gorm().Table("article_title_keys").Count(&n).Error; err != nil {
					t.Fatal(err)
				}
				return n
			}
			if n := count(); n != 40*3 {
				t.Fatalf("bulk write made %d keys, want 120", n)
			}
			ensure := func(cs *store.Content, want int) {
				t.Helper()
				n, err := cs.EnsureTitleKeys(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n != want {
					t.Errorf("keyed %d articles, want %d", n, want)
				}
			}
			ensure(cs, 40) // no record of what the keys were made for: the migration's first start
			ensure(cs, 0)
			// An older binary wrote articles without keys.
			if err := db.Gorm().Exec("DELETE FROM article_title_keys WHERE article_id IN (SELECT id FROM articles ORDER BY id LIMIT 5)").Error; err != nil {
				t.Fatal(err)
			}
			ensure(cs, 5)
			if n := count(); n != 120 {
				t.Errorf("%d keys after the fill, want 120", n)
			}
			// Another fallback chain: every key is made again.
			other := store.NewContent(db, store.WithLocales(locale.NewSet([]string{"az", "en", "ru"}, "az", map[string][]string{"ru": {"en"}})))
			ensure(other, 40)
			ensure(other, 0)
		})
	}
}
