package app

import (
	"context"
	"fmt"
	"time"

	"github.com/heraldcms/herald/internal/search"
)

// newSearch builds full-text search (issue #14): the index is updated in every write's
// transaction (changes.Log.OnWrite), and filled here for what is missing — all of it after
// the migration that adds it or a change of the analysis version — before the first
// request.
func (a *App) newSearch(ctx context.Context) error {
	a.Search = search.NewService(a.Store, a.Config.Locales)
	a.Changes.OnWrite(a.Search.IndexWrites)
	started := time.Now()
	n, err := a.Search.Ensure(ctx, false, nil)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if n > 0 {
		a.Log.Info("search index filled", "articles", n, "took", time.Since(started).Round(time.Millisecond))
	}
	return nil
}
