package store_test

import (
	"context"
	"testing"

	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/locale"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// syntheticArchive is a fresh database of dialect holding the synthetic archive o describes
// (az, en and ru; ru falls back to en, then az), analyzed so the planners choose as they
// would in production.
func syntheticArchive(t *testing.T, dialect string, o demo.SyntheticOptions) (*store.DB, *locale.Set, *store.Content) {
	t.Helper()
	ctx := context.Background()
	db := testkit.OpenDB(t, dialect)
	set := locale.NewSet([]string{"az", "en", "ru"}, "az", map[string][]string{"ru": {"en", "az"}})
	cs := store.NewContent(db, store.WithLocales(set))
	if err := demo.Synthetic(ctx, cs, o); err != nil {
		t.Fatal(err)
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	return db, set, cs
}
