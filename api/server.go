package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/delta"
	"github.com/heraldcms/herald/internal/locale"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/metrics"
	"github.com/heraldcms/herald/internal/permalink"
	"github.com/heraldcms/herald/internal/search"
	"github.com/heraldcms/herald/internal/views"
	"github.com/heraldcms/herald/internal/webhooks"
)

// Deps is what the HTTP layer needs; cmd/herald wires it.
type Deps struct {
	Content *content.Service
	Locales *locale.Set
	// Ready reports whether the database answers.
	Ready  func(ctx context.Context) error
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies (default 1 MiB).
	MaxBodyBytes int64
	// RequestTimeout bounds each request's context and so its database queries
	// (default DefaultRequestTimeout), and is HTTPServer's total read and write timeout.
	RequestTimeout time.Duration
	// TransferIdle and TransferMinRate replace those totals for media uploads and
	// downloads: each read or write within TransferIdle of the last, and at least
	// TransferMinRate bytes a second on average (defaults DefaultTransferIdle and
	// DefaultTransferMinRate; see transfer.go).
	TransferIdle    time.Duration
	TransferMinRate int64
	// Auth signs in users and verifies tokens for the Admin API.
	Auth *auth.Service
	// Audit serves GET /admin/audit (the services record entries; see internal/changes).
	Audit *audit.Log
	// LoginThrottle limits sign-in attempts per address, per account and address, and per
	// account (see auth.Throttle); nil means auth.DefaultThrottleLimits on the wall clock.
	LoginThrottle *auth.Throttle
	// TokenLimit limits requests per API token; nil means DefaultTokenRate and
	// DefaultTokenBurst on the wall clock.
	TokenLimit *auth.Limiter
	// Views counts reads; ViewStats answers rankings and stats. Without them the read
	// endpoints answer 503.
	Views     *views.Counter
	ViewStats *views.Service
	// Media stores uploads and serves their files; without it the media endpoints answer 503.
	Media *media.Service
	// Webhooks manages webhook endpoints and their deliveries; without it /admin/webhooks
	// answers 503.
	Webhooks *webhooks.Service
	// Imports runs archive imports (issue 20), each posted archive at most ImportMaxBytes;
	// without it the import endpoints answer 503.
	Imports        ImportJobs
	ImportMaxBytes int64
	// Metrics records requests and serves GET /metrics; nil makes a fresh registry.
	// MetricsToken, when set, is the bearer token /metrics requires.
	Metrics      *metrics.Metrics
	MetricsToken string
	// HideMetrics answers 404 at GET /metrics on this router: in production without a
	// metrics token, or when MetricsHandler serves it on its own address.
	HideMetrics bool
	// HideSwaggerUI answers 404 at /docs/ (Swagger UI); the OpenAPI JSON stays served.
	HideSwaggerUI bool
	// TrustedProxies are the peers whose X-Forwarded-For names the client (HERALD_TRUSTED_PROXIES);
	// from any other peer the connection's address is the client. Empty trusts no one.
	TrustedProxies []*net.IPNet
	// ViewsPerMinute bounds the read beacons of one client address (0: unbounded).
	ViewsPerMinute int
	// Cache configures HTTP caching, the in-process response cache and CORS; see cache.go.
	Cache CacheOptions
	// PublicURL (HERALD_PUBLIC_URL, no trailing slash) is the API's public origin: media
	// URLs and Link headers are absolute under it. Empty keeps them relative.
	PublicURL string

	// Search runs GET /search and /search/suggest (issue #14); without it they answer 503.
	Search *search.Service
	// Sync serves GET /api/v1/sync (sync.go); without it the endpoint answers 503.
	Sync *delta.Service
	// Links builds the public site's URLs of articles, categories and tags (the url fields,
	// feeds, sitemaps); nil leaves them out.
	Links *permalink.Links
	// SitemapURLsPerFile bounds the article URLs of one sitemap file (default and at most
	// 50,000).
	SitemapURLsPerFile int
	// PreviewURL (HERALD_PREVIEW_URL) is the frontend's preview entry point, a template
	// with {token}, {id}, {locale} and {slug} (issue 17).
	PreviewURL string
}

// Server is the Echo application.
type Server struct {
	echo *echo.Echo
	// pre and use are the middleware around every request, before and after routing
	// (Echo's Pre and Use); handle is their chain, composed once (ServeHTTP).
	pre, use []echo.MiddlewareFunc
	handle   echo.HandlerFunc
	content  *content.Service
	locales  *locale.Set
	ready    func(ctx context.Context) error
	log      *slog.Logger

	auth          *auth.Service
	views         *views.Counter
	viewStats     *views.Service
	auditLog      *audit.Log
	loginThrottle *auth.Throttle
	// passwordChecks limits current-password checks per user (PUT /auth/me/password).
	passwordChecks *auth.Limiter
	tokenLimit     *auth.Limiter
	// viewsByIP limits read beacons per client address; nil when unbounded.
	viewsByIP    *auth.Limiter
	media        *media.Service
	webhooks     *webhooks.Service
	metrics      *metrics.Metrics
	metricsToken string
	hideMetrics  bool
	swaggerUI    bool
	cache        *httpCache
	publicURL    string
	// links and sitemapPerFile: the public site's URLs (see feeds.go, sitemaps.go).
	links          *permalink.Links
	sitemapPerFile int
	// imports and importMaxBytes: archive imports (import.go).
	imports        ImportJobs
	importMaxBytes int64
	// requestTimeout is the total of ordinary requests; media transfers run under
	// progress deadlines of transferIdle and transferRate instead.
	requestTimeout time.Duration
	transferIdle   time.Duration
	transferRate   int64
	// boundsItself holds the paths of routes that bound their database work themselves
	// (publicGET); written while routes are registered, read only after.
	boundsItself map[string]bool

	searcher *search.Service // #14
	sync     *delta.Service
	// previewURL is Deps.PreviewURL (issue 17).
	previewURL string
}

// New builds the router with every route and middleware.
func New(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.MaxBodyBytes <= 0 {
		d.MaxBodyBytes = 1 << 20
	}
	e := echo.New()
	e.HideBanner = true
	e.JSONSerializer = jsonSerializer{}
	e.HidePort = true
	e.IPExtractor = clientIPExtractor(d.TrustedProxies)
	s := &Server{echo: e, content: d.Content, locales: d.Locales, ready: d.Ready, log: d.Logger}
	s.auth, s.auditLog, s.loginThrottle = d.Auth, d.Audit, d.LoginThrottle
	s.views, s.viewStats = d.Views, d.ViewStats
	s.media = d.Media
	s.searcher = d.Search
	s.sync = d.Sync
	s.media, s.webhooks = d.Media, d.Webhooks
	s.imports, s.importMaxBytes = d.Imports, d.ImportMaxBytes
	if s.importMaxBytes <= 0 {
		s.importMaxBytes = 64 << 20
	}
	s.hideMetrics, s.swaggerUI = d.HideMetrics, !d.HideSwaggerUI
	s.publicURL = strings.TrimRight(d.PublicURL, "/")
	s.links, s.sitemapPerFile = d.Links, d.SitemapURLsPerFile
	if s.sitemapPerFile <= 0 || s.sitemapPerFile > maxSitemapURLs {
		s.sitemapPerFile = maxSitemapURLs
	}
	s.previewURL = d.PreviewURL
	if d.ViewsPerMinute > 0 {
		s.viewsByIP = auth.NewLimiter(d.ViewsPerMinute, time.Minute/time.Duration(d.ViewsPerMinute), limiterMaxKeys, time.Now)
	}
	if s.loginThrottle == nil {
		s.loginThrottle = auth.NewThrottle(auth.DefaultThrottleLimits, time.Now)
	}
	s.tokenLimit = d.TokenLimit
	if s.tokenLimit == nil {
		s.tokenLimit = auth.NewLimiter(DefaultTokenBurst, time.Second/DefaultTokenRate, limiterMaxKeys, time.Now)
	}
	s.passwordChecks = auth.NewLimiter(passwordCheckBurst, passwordCheckEvery, limiterMaxKeys, time.Now)
	e.HTTPErrorHandler = s.errorHandler
	s.pre = append(s.pre, routeHeadAsGet)
	s.use = append(s.use, restoreHead)
	s.use = append(s.use, requestID())
	s.useMetrics(d.Metrics, d.MetricsToken)
	s.use = append(s.use, s.requestLog())
	s.use = append(s.use, middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		s.log.Error("panic", "path", c.Request().URL.Path, "error", err, "stack", string(stack))
		return err
	}}))
	s.use = append(s.use, bodyLimit(d.MaxBodyBytes, func(c echo.Context) bool { return isMediaUpload(c) || isImport(c) }))
	if d.RequestTimeout <= 0 {
		d.RequestTimeout = DefaultRequestTimeout
	}
	s.requestTimeout, s.transferIdle, s.transferRate = d.RequestTimeout, d.TransferIdle, d.TransferMinRate
	if s.transferIdle <= 0 {
		s.transferIdle = DefaultTransferIdle
	}
	if s.transferRate <= 0 {
		s.transferRate = DefaultTransferMinRate
	}
	s.use = append(s.use, s.transferDeadlines)
	s.boundsItself = map[string]bool{}
	s.use = append(s.use, requestContext(d.RequestTimeout, func(c echo.Context) bool { return s.boundsItself[c.Path()] || isMediaTransfer(c) }))
	if s.publicURL != "" {
		s.use = append(s.use, publicBase(s.publicURL))
	}
	s.useCaching(d.Cache)
	s.routes()
	s.wrongMethodsAre405()
	routed := chain(func(c echo.Context) error { return c.Handler()(c) }, s.use)
	s.handle = chain(func(c echo.Context) error {
		s.echo.Router().Find(c.Request().Method, echo.GetPath(c.Request()), c)
		return routed(c)
	}, s.pre)
	return s
}

// ServeHTTP makes Server an http.Handler. It is Echo's ServeHTTP with the middleware chain
// composed once: Echo composes it on every request, a closure per middleware (a cached
// 304: 50 -> 40 allocations and 15.3-15.9 -> 13.9-14.2 µs of CPU, go test -bench
// CachedReads).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := s.echo.AcquireContext()
	c.Reset(r, w)
	if err := s.handle(c); err != nil {
		s.echo.HTTPErrorHandler(err, c)
	}
	s.echo.ReleaseContext(c)
}

// chain wraps h in mw, the first outermost, as Echo applies middleware.
func chain(h echo.HandlerFunc, mw []echo.MiddlewareFunc) echo.HandlerFunc {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// Echo exposes the router to tests that list routes.
func (s *Server) Echo() *echo.Echo { return s.echo }

func (s *Server) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogRoutePath: true,
		LogResponseSize: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			if !s.log.Enabled(c.Request().Context(), slog.LevelInfo) {
				return nil // HERALD_LOG_LEVEL=warn or error: not even the attributes are built
			}
			if v.RoutePath == viewsRoute && (v.Status == http.StatusAccepted || v.Status == http.StatusTooManyRequests) {
				// A read beacon is not worth a log line at thousands a second, nor is a
				// refused flood of them (metrics count both).
				return nil
			}
			attrs := []slog.Attr{slog.String("request_id", v.RequestID), slog.String("method", v.Method),
				slog.String("route", v.RoutePath), slog.String("path", v.URIPath), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.Int64("bytes", v.ResponseSize),
				slog.String("client_ip", c.RealIP())}
			if p := principalOf(c); p.UserID != [16]byte{} {
				attrs = append(attrs, slog.String("user_id", p.UserID.String()))
				if p.Token != nil {
					attrs = append(attrs, slog.String("api_token_id", p.Token.ID.String()))
				}
			}
			// The record is built here, not by LogAttrs, which captures the caller's program
			// counter for a source the handlers do not print: a sixth of the line's cost, 1 %
			// of a cached response's CPU. Its time is when the response was done.
			r := slog.NewRecord(v.StartTime.Add(v.Latency), slog.LevelInfo, "request", 0)
			r.AddAttrs(attrs...)
			_ = s.log.Handler().Handle(c.Request().Context(), r) // as LogAttrs: a failed write is not the request's error
			return nil
		},
	})
}

// bodyLimit refuses bodies over max with 413, whether declared or streamed. Requests for
// which own is true bound their bodies themselves (uploads, by HERALD_MEDIA_MAX_BYTES).
func bodyLimit(max int64, own func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if own(c) {
				return next(c)
			}
			r := c.Request()
			if r.ContentLength > max {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
			}
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = http.MaxBytesReader(c.Response(), r.Body, max)
			}
			return next(c)
		}
	}
}

// HTTPServer returns an http.Server with timeouts, so a slow client cannot pin a goroutine.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.requestTimeout,
		WriteTimeout:      s.requestTimeout,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ConnContext:       connContext, // see Listener
	}
}
