package app

import (
	"context"
	"time"

	"github.com/heraldcms/herald/internal/delta"
	"github.com/heraldcms/herald/internal/store"
)

// pruneEvery is how often the change log's rows past the sync retention are deleted.
const pruneEvery = time.Hour

// newSync builds delta sync over the change log: tokens signed with a key derived from the
// JWT secret and bound to this database's install id.
func (a *App) newSync(ctx context.Context) error {
	var err error
	a.Sync, err = delta.NewService(ctx, a.Changes, store.NewSyncLog(a.DB), a.Config.JWTSecret, delta.Options{
		Retention: a.Config.Sync.Retention, MaxWaiters: a.Config.Sync.MaxWaiters, Clock: a.Clock})
	return err
}

// runSyncPrune deletes change rows older than the sync retention, hourly.
func (a *App) runSyncPrune(ctx context.Context) {
	go a.Sync.RunPrune(ctx, pruneEvery, func(err error) {
		a.Log.Warn("sync: pruning old change rows failed; retrying", "error", err)
	})
}
