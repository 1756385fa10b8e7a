// Package app is Herald's one wiring: New builds every service and the router from a
// Config and an open database, the same way for `herald serve`, for the CLI commands that
// write data, and for the tests, so the options production runs with (locales, totals TTL,
// cache, limits) are the ones the tests exercise. Start runs the background work of a
// serving process; Close drains it.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/archive"
	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/config"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/delta"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/locale"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/media/disk"
	"github.com/heraldcms/herald/internal/media/s3"
	"github.com/heraldcms/herald/internal/metrics"
	"github.com/heraldcms/herald/internal/search"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/views"
	"github.com/heraldcms/herald/internal/webhooks"
)

// App is a wired Herald.
type App struct {
	Config config.Config
	DB     *store.DB
	Log    *slog.Logger
	Clock  func() time.Time

	Locales   *locale.Set
	Store     *store.Content
	Content   *content.Service
	Auth      *auth.Service
	Audit     *audit.Log
	Views     *views.Counter
	ViewStats *views.Service
	Media     *media.Service
	Metrics   *metrics.Metrics
	// Changes is the write seam every service writes through, and the change log's reader.
	Changes *changes.Log
	// Notifier tells other instances on one PostgreSQL about writes and hears theirs; nil
	// on SQLite or when the configured database URL is not PostgreSQL.
	Notifier *store.Notifier
	Server   *api.Server
	// Webhooks delivers events to registered endpoints (its jobs run after Start).
	Webhooks *webhooks.Service

	// Search is full-text search and its index (#14).
	Search *search.Service
	// Sync serves delta sync from the change log (sync.go).
	Sync *delta.Service
	// Imports runs the HTTP API's archive imports in the background (issue 20).
	Imports *archive.Jobs

	// DemoLoaded is true when New loaded the demo content into an empty database.
	DemoLoaded bool
}

type options struct {
	clock     func() time.Time
	log       *slog.Logger
	authOpts  []auth.Option
	blobs     media.Blobs
	mediaCfg  func(*media.Config)
	viewsOpts func(*views.Options)
	metrics   *metrics.Metrics
	deps      func(*api.Deps)
	content   []content.Option
	noMedia   bool
	webhooks  func(*webhooks.Config)
}

// Option adjusts what New builds; production passes none beyond a logger.
type Option func(*options)

// WithClock sets the clock of every service (tests move time).
func WithClock(clock func() time.Time) Option { return func(o *options) { o.clock = clock } }

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithAuthOptions adds options to the auth service after those from the Config (tests:
// cheap password hashing).
func WithAuthOptions(opts ...auth.Option) Option {
	return func(o *options) { o.authOpts = append(o.authOpts, opts...) }
}

// WithBlobs stores media in b instead of the configured disk directory or bucket.
func WithBlobs(b media.Blobs) Option { return func(o *options) { o.blobs = b } }

// WithMediaConfig adjusts the media service's configuration after the Config's.
func WithMediaConfig(fn func(*media.Config)) Option { return func(o *options) { o.mediaCfg = fn } }

// WithViewsOptions adjusts the read counter's options after the Config's.
func WithViewsOptions(fn func(*views.Options)) Option { return func(o *options) { o.viewsOpts = fn } }

// WithMetrics records into m instead of a fresh registry.
func WithMetrics(m *metrics.Metrics) Option { return func(o *options) { o.metrics = m } }

// WithContentOptions adds options to the content service after those from the Config.
func WithContentOptions(opts ...content.Option) Option {
	return func(o *options) { o.content = append(o.content, opts...) }
}

// WithoutMedia builds no media service (a.Media is nil; the media endpoints answer 503): for
// CLI commands that never touch media, so they need no reachable bucket.
func WithoutMedia() Option { return func(o *options) { o.noMedia = true } }

// WithDeps adjusts the router's dependencies last (tests: a recording logger, a throttle on
// the test clock).
func WithDeps(fn func(*api.Deps)) Option { return func(o *options) { o.deps = fn } }

// New wires every service and the router over db, which must be migrated. With
// cfg.DemoContent it loads the demo content into an empty database.
func New(ctx context.Context, cfg config.Config, db *store.DB, opts ...Option) (*App, error) {
	o := options{clock: time.Now}
	for _, fn := range opts {
		fn(&o)
	}
	if o.log == nil {
		o.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a := &App{Config: cfg, DB: db, Log: o.log, Clock: o.clock}
	a.Locales = locale.NewSet(cfg.Locales, cfg.DefaultLocale, cfg.LocaleFallback)
	a.Store = store.NewContent(db, store.WithLocales(a.Locales))
	// Title order needs every article's keys for these locales before the first request.
	started := time.Now()
	if n, err := a.Store.EnsureTitleKeys(ctx); err != nil {
		return nil, fmt.Errorf("title keys: %w", err)
	} else if n > 0 {
		o.log.Info("title keys made", "articles", n, "took", time.Since(started).Round(time.Millisecond))
	}
	a.Audit = audit.NewLog(store.NewAudit(db), o.clock)
	a.Changes = changes.NewLog(store.NewChangeLog(db), a.Audit, o.clock)
	a.Content = content.NewService(a.Store, o.clock, append([]content.Option{content.WithLocales(cfg.Locales),
		content.WithTotalsTTL(cfg.CacheMaxAge), content.WithChanges(a.Changes), content.WithAuthorsReadAll(cfg.Access.AuthorsReadAll),
		// Issue 17: preview links, signed with a key derived from the JWT secret.
		content.WithPreviews(content.PreviewPolicy{Key: content.PreviewKey(cfg.JWTSecret), DefaultTTL: cfg.Previews.TTL, MaxTTL: cfg.Previews.MaxTTL}),
	}, o.content...)...)
	if cfg.DemoContent {
		loaded, err := demo.Load(ctx, a.Store, o.clock().UTC())
		if err != nil {
			return nil, fmt.Errorf("load demo content: %w", err)
		}
		a.DemoLoaded = loaded
	}
	if err := a.newSearch(ctx); err != nil { // #14: after the demo content, which it indexes
		return nil, err
	}
	var err error
	a.Auth, err = auth.NewService(store.NewAuth(db), cfg.JWTSecret, append([]auth.Option{
		auth.WithClock(o.clock), auth.WithChanges(a.Changes),
		auth.WithAccessTTL(cfg.AccessTokenTTL), auth.WithRefreshTTL(cfg.RefreshTokenTTL), auth.WithRefreshGrace(cfg.Access.RefreshGrace),
		auth.WithTokenPolicy(auth.TokenPolicy{MaxTTL: cfg.APITokens.MaxTTL, AllowNoExpiry: cfg.APITokens.AllowNoExpiry}),
	}, o.authOpts...)...)
	if err != nil {
		return nil, err
	}
	a.Metrics = o.metrics
	if a.Metrics == nil {
		a.Metrics = metrics.New()
		if err := a.Metrics.WatchDB(db.SQL(), db.Dialect()); err != nil {
			return nil, err
		}
	}
	viewStore := store.NewViews(db)
	vo := views.Options{FlushInterval: cfg.ViewsFlushInterval, DedupeWindow: cfg.ViewsDedupeWindow, Logger: o.log,
		Clock: o.clock, ObserveFlush: a.Metrics.ObserveViewsFlush}
	if o.viewsOpts != nil {
		o.viewsOpts(&vo)
	}
	a.Views = views.NewCounter(viewStore, vo)
	if cfg.ViewsSpool != "" {
		if err := a.Views.UseSpool(cfg.ViewsSpool, cfg.ViewsSpoolMaxBytes); err != nil {
			return nil, err
		}
	}
	if o.metrics == nil {
		if err := a.Metrics.WatchViews(a.Views); err != nil {
			return nil, err
		}
	}
	a.ViewStats = views.NewService(viewStore, o.clock, views.WithChanges(a.Changes))
	if !o.noMedia {
		if a.Media, err = newMedia(ctx, cfg, db, a.Changes, o); err != nil {
			return nil, err
		}
	}
	if db.Dialect() == "postgres" {
		if dialect, _, err := config.ParseDatabaseURL(cfg.DatabaseURL); err == nil && dialect == "postgres" {
			if a.Notifier, err = store.NewNotifier(db, cfg.DatabaseURL, o.log); err != nil {
				return nil, err
			}
		}
	}
	a.Changes.OnCommit(a.afterCommit)
	if err := a.newSync(ctx); err != nil {
		return nil, err
	}
	if err := a.newWebhooks(o); err != nil {
		return nil, err
	}
	a.Imports = archive.NewJobs(a.Archive(), store.NewImportJobs(db), o.clock, cfg.Import.MediaDir)
	deps := api.Deps{Content: a.Content, Locales: a.Locales, Ready: db.Ping, Logger: o.log,
		Auth: a.Auth, Audit: a.Audit, Metrics: a.Metrics, MetricsToken: cfg.MetricsToken,
		LoginThrottle: auth.NewThrottle(auth.DefaultThrottleLimits, o.clock),
		TokenLimit:    auth.NewLimiter(cfg.APITokens.Burst, time.Second/time.Duration(max(cfg.APITokens.Rate, 1)), 50_000, o.clock),
		Views:         a.Views, ViewStats: a.ViewStats, Media: a.Media, Search: a.Search, Webhooks: a.Webhooks,
		Imports: a.Imports, ImportMaxBytes: cfg.Import.MaxBytes,
		TrustedProxies: cfg.TrustedProxies, ViewsPerMinute: cfg.ViewsPerMinute, PublicURL: cfg.PublicURL,
		TransferIdle: cfg.Media.IdleTimeout, TransferMinRate: cfg.Media.MinRate,
		HideMetrics: !cfg.MetricsOnMain(), HideSwaggerUI: !cfg.Access.SwaggerUI,
		Cache: api.CacheOptions{MaxAge: cfg.CacheMaxAge, MaxBytes: cfg.CacheBytes, CORSOrigins: cfg.CORSOrigins,
			ReadTimeout: cfg.PublicReadTimeout},
		PreviewURL: cfg.Previews.URL, // issue 17
	}
	deps.Sync = a.Sync
	// Frontend: permalinks, feeds and sitemaps.
	deps.Links, deps.SitemapURLsPerFile = cfg.Links, cfg.SitemapURLsPerFile
	if o.deps != nil {
		o.deps(&deps)
	}
	a.Server = api.New(deps)
	return a, nil
}

// newMedia builds the media service over the configured storage: an S3 bucket, else a
// directory on disk.
func newMedia(ctx context.Context, cfg config.Config, db *store.DB, log *changes.Log, o options) (*media.Service, error) {
	blobs := o.blobs
	if blobs == nil {
		if c := cfg.Media.S3; c.Bucket != "" {
			b, err := s3.New(ctx, s3.Config{Endpoint: c.Endpoint, Bucket: c.Bucket, Region: c.Region,
				AccessKey: c.AccessKey, SecretKey: c.SecretKey, PublicURL: c.PublicURL})
			if err != nil {
				return nil, err
			}
			blobs = b
			o.log.Info("media: files in S3", "endpoint", c.Endpoint, "bucket", c.Bucket, "public_url", c.PublicURL)
		} else {
			b, err := disk.New(cfg.Media.Dir)
			if err != nil {
				return nil, err
			}
			blobs = b
			o.log.Info("media: files on disk", "dir", b.Root())
		}
	}
	mc := media.Config{MaxBytes: cfg.Media.MaxBytes, MaxPixels: cfg.Media.MaxPixels, Locales: cfg.Locales, Clock: o.clock,
		Changes: log, Pool: media.NewPool(cfg.Media.Workers, cfg.Media.MaxDecodedBytes, 0),
		// On-demand renditions (issue 18).
		Renditions: media.Renditions{Widths: cfg.Images.Widths, Heights: cfg.Images.Heights,
			Qualities: cfg.Images.Qualities, AVIFMaxPixels: cfg.Images.AVIFMaxPixels}}
	if o.mediaCfg != nil {
		o.mediaCfg(&mc)
	}
	return media.NewService(store.NewMedia(db), blobs, mc), nil
}

// afterCommit is the effect of every committed write (internal/changes): when it changed
// what the public sees, empty this instance's response cache and remembered list totals, and
// tell the other instances to do the same. Drafts, users and tokens touch none of it.
func (a *App) afterCommit(ctx context.Context, recs []changes.Record) {
	public := false
	for _, r := range recs {
		public = public || r.Public
	}
	if !public {
		return
	}
	a.Invalidate()
	if a.Notifier != nil {
		if err := a.Notifier.Notify(ctx); err != nil {
			a.Log.Warn("cache: notify other instances", "error", err)
		}
	}
}

// Invalidate forgets what this instance remembers of public content: cached responses, list
// totals and the read counter's set of live articles. The listener calls it when another instance wrote.
func (a *App) Invalidate() {
	a.Server.Invalidate()
	a.Content.ForgetTotals()
	// Long-polling syncs (this instance's writes and, through the listener, the others').
	a.Sync.Hub().Notify()
	if a.Views != nil {
		a.Views.Changed() // which articles may count reads
	}
}

// Start runs what a serving process does in the background until ctx ends: the read
// counter's flushes, the API tokens' last-used records, the recording of scheduled
// publications as they come due, and, with PostgreSQL, the listener
// for other instances' writes. It returns once that listener is connected (or after wait,
// with a warning; it keeps retrying).
func (a *App) Start(ctx context.Context, wait time.Duration) error {
	a.Views.Start(ctx)
	go a.Auth.RunTokenUsageFlush(ctx, a.Config.APITokens.UsageFlush, func(err error) {
		a.Log.Warn("api tokens: last-used flush failed", "error", err)
	})
	// Scheduled articles become visible by the clock alone; this records each as one publish
	// change (once across instances) within a second of its time.
	go a.Content.RunPublishDue(ctx, time.Second, func(err error) {
		a.Log.Warn("scheduled publications: recording failed; retrying", "error", err)
	})
	a.runSyncPrune(ctx)
	go func() {
		if err := a.Search.Tidy(ctx); err != nil && ctx.Err() == nil {
			a.Log.Warn("search index: housekeeping failed; searches still work, slower", "error", err)
		}
	}()
	if err := a.Webhooks.Start(ctx); err != nil {
		return fmt.Errorf("webhook deliveries: %w", err)
	}
	if a.Notifier == nil {
		return nil
	}
	go a.Notifier.Listen(ctx, a.Invalidate)
	select {
	case <-a.Notifier.Ready():
	case <-time.After(wait):
		a.Log.Warn("cache: change listener not connected yet; serving anyway, it keeps retrying", "after", wait)
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// Close writes what is still buffered (read counts, API tokens' last use), each within
// timeout; the HTTP server must have drained first.
func (a *App) Close(timeout time.Duration) error {
	// Running imports stop and record where (their rows say failed; the lines before are in).
	a.Imports.Close(timeout)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var first error
	err := a.Views.Close(ctx)
	st := a.Views.Stats()
	if err != nil {
		a.Log.Error("views: read counts lost", "error", err)
		first = err
	}
	a.Log.Info("views: counter closed", "accepted", st.Accepted, "deduped", st.Deduped, "rejected", st.Rejected,
		"written", st.Written, "flushes", st.Flushes, "failed_flushes", st.FailedFlushes, "rows", st.RowsWritten)
	tctx, tcancel := context.WithTimeout(context.Background(), timeout)
	defer tcancel()
	if err := a.Auth.FlushTokenUsage(tctx); err != nil {
		a.Log.Error("api tokens: last-used records lost", "error", err)
		if first == nil {
			first = err
		}
	}
	// Deliveries in flight finish (or are cut and retried later by whichever instance runs).
	wctx, wcancel := context.WithTimeout(context.Background(), timeout)
	defer wcancel()
	if err := a.Webhooks.Stop(wctx); err != nil {
		a.Log.Warn("webhooks: stop", "error", err)
	}
	return first
}
