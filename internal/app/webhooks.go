package app

import (
	"context"
	"time"

	"github.com/heraldcms/herald/internal/permalink"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/webhooks"
)

// WithWebhookConfig adjusts the webhook service's configuration after the Config's (tests,
// and the seam for a frontend path builder: webhooks.Config.Paths).
func WithWebhookConfig(fn func(*webhooks.Config)) Option { return func(o *options) { o.webhooks = fn } }

// newWebhooks builds the webhook service and hooks it into every write's transaction, so a
// committed write's deliveries are queued with it (internal/changes' OnWrite).
func (a *App) newWebhooks(o options) error {
	c := a.Config.Webhooks
	wc := webhooks.Config{Store: store.NewWebhooks(a.DB), DB: a.DB.SQL(), Dialect: a.DB.Dialect(), SQLTx: a.DB.SQLTx,
		Clock: o.clock, Log: a.Log, Locales: a.Config.Locales, AllowPrivate: c.AllowPrivate,
		AttemptTimeout: c.Timeout, RetryBase: c.RetryBase, RetryMax: c.RetryMax, RetryFor: c.RetryFor,
		DisableAfter: c.DisableAfter, PollInterval: c.PollInterval, RescueAfter: c.RescueAfter, Workers: c.Workers,
		Observe: a.Metrics.ObserveWebhook}
	// Payloads carry each page's frontend URL (its path when HERALD_SITE_URL is unset), so a
	// frontend revalidates exactly what changed.
	if links := a.Config.Links; links != nil {
		wc.Paths = func(l webhooks.Link) string {
			return links.URL(permalink.Kind(l.Entity), permalink.Target{Locale: l.Locale, Slug: l.Slug, ID: l.ID, Published: l.Published})
		}
	}
	if o.webhooks != nil {
		o.webhooks(&wc)
	}
	s, err := webhooks.New(wc)
	if err != nil {
		return err
	}
	a.Webhooks = s
	a.Changes.OnWrite(s.Hook())
	if o.metrics == nil {
		st := wc.Store
		return a.Metrics.WatchWebhooks(func() (int64, time.Duration) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, oldest, err := st.PendingDeliveries(ctx)
			if err != nil || oldest == nil {
				return n, 0
			}
			return n, time.Since(*oldest)
		})
	}
	return nil
}
