// Package config loads Herald's settings from environment variables and validates them, so a
// misconfigured server refuses to start with a message that names the variable at fault.
package config

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/heraldcms/herald/internal/permalink"
)

// Env is the deployment mode.
type Env string

const (
	Development Env = "development"
	Production  Env = "production"
)

// Config is every setting the binary reads. Each field names its variable in Vars.
type Config struct {
	// Import bounds archive imports over HTTP (imports.go).
	Import         Import
	Addr           string
	DatabaseURL    string
	Locales        []string
	DefaultLocale  string
	LocaleFallback map[string][]string
	Env            Env
	// DemoContent loads the demo articles into an empty database at start.
	DemoContent bool
	// ShutdownTimeout bounds how long in-flight requests may drain on SIGTERM.
	ShutdownTimeout time.Duration
	// ViewsFlushInterval is how often buffered read counts are written to the database.
	ViewsFlushInterval time.Duration
	// ViewsDedupeWindow, when positive, counts one visitor's repeated reads of an article
	// once per window.
	ViewsDedupeWindow time.Duration
	// ViewsPerMinute bounds the read beacons one client address may send (0: no bound).
	ViewsPerMinute int
	// CacheMaxAge is the max-age of public responses and the lifetime of cached ones;
	// CacheBytes bounds the in-process response cache (0 disables it).
	CacheMaxAge time.Duration
	CacheBytes  int64
	// PublicReadTimeout bounds the database work of one public read (503 past it).
	PublicReadTimeout time.Duration
	// ViewsSpool, when set, is the file where read counts wait while the database is away
	// (at most ViewsSpoolMaxBytes), so a crash loses at most one flush interval of them.
	ViewsSpool         string
	ViewsSpoolMaxBytes int64
	// CORSOrigins may read the API from browsers; empty sends no CORS headers.
	CORSOrigins []string

	// JWTSecret signs access tokens (HS256). In development an empty HERALD_JWT_SECRET gets
	// a random per-process secret and JWTSecretGenerated is set, so main can say so.
	JWTSecret          []byte
	JWTSecretGenerated bool
	AccessTokenTTL     time.Duration
	RefreshTokenTTL    time.Duration
	// BootstrapAdminEmail and BootstrapAdminPassword create that admin at start if absent.
	BootstrapAdminEmail    string
	BootstrapAdminPassword string
	// Media is upload storage and limits (media.go).
	Media Media
	// Images bounds on-demand renditions (images.go).
	Images Images
	// MetricsToken, when set, is the bearer token GET /metrics requires.
	MetricsToken string
	// ReplicaURLs are PostgreSQL read replicas that answer public reads.
	ReplicaURLs []string
	// DatabaseMaxConns bounds each PostgreSQL pool (the primary's and each replica's).
	DatabaseMaxConns int
	// LogLevel is the least severe record the server logs (request lines are info).
	LogLevel slog.Level
	// APITokens bounds personal and service API tokens (tokens.go).
	APITokens APITokens
	// TrustedProxies are the peers whose X-Forwarded-For is believed; from anyone else the
	// connection's address is the client.
	TrustedProxies []*net.IPNet
	// Access is who may reach what beyond the role matrix (access.go).
	Access Access
	// Previews bounds preview links (preview.go; issue 17).
	Previews Previews
	// PublicURL is the API's public origin (https://api.example.com), without a trailing
	// slash; when set, media URLs and Link headers are absolute URLs under it.
	PublicURL string

	// Sync configures delta sync (sync.go).
	Sync Sync
	// Webhooks configures webhook delivery (webhooks.go).
	Webhooks Webhooks
	// Frontend (frontend.go): the public site's URLs of articles, categories and tags
	// (HERALD_SITE_URL, HERALD_PERMALINK_ARTICLE, …), and the sitemap file size.
	Links              *permalink.Links
	SitemapURLsPerFile int
}

// MinMetricsTokenBytes is the shortest HERALD_METRICS_TOKEN accepted.
const MinMetricsTokenBytes = 16

// MinJWTSecretBytes is the shortest HERALD_JWT_SECRET accepted in production.
const MinJWTSecretBytes = 32

// Var documents one environment variable.
type Var struct {
	Name    string
	Default string
	Meaning string
}

// Vars lists every HERALD_* variable the code reads, with its default and meaning.
// docs/configuration.md is generated from it (make docs), and a test fails if a variable
// read anywhere in the source is missing from either.
var Vars = []Var{
	{"HERALD_ADDR", ":8080", "listen address of the HTTP server"},
	{"HERALD_DATABASE_URL", "sqlite:./data/herald.db", "database: sqlite:PATH (embedded) or postgres://user:pass@host:port/db"},
	{"HERALD_LOCALES", "az,en,ru", "supported content locales, comma-separated, in display order"},
	{"HERALD_DEFAULT_LOCALE", "az", "locale served when a request names none; must be in HERALD_LOCALES"},
	{"HERALD_LOCALE_FALLBACK", "(empty)", "fallback chains, e.g. ru:en,az;en:az; every chain ends with the default locale and then the rest"},
	{"HERALD_ENV", "development", "development or production"},
	{"HERALD_DEMO_CONTENT", "true in development, false in production", "load demo articles into an empty database at start"},
	{"HERALD_SHUTDOWN_TIMEOUT", "15s", "how long a graceful shutdown waits for in-flight requests"},
	{"HERALD_VIEWS_FLUSH_INTERVAL", "1s", "how often buffered read counts are written to the database (10ms to 1h)"},
	{"HERALD_VIEWS_DEDUPE_WINDOW", "0 (off)", "count repeated reads of an article by one visitor (IP + User-Agent hash) once per window, e.g. 30m; at most 24h"},
	{"HERALD_VIEWS_SPOOL", "(empty: off)", "file where read counts wait while the database is unreachable, synced every flush and replayed (idempotently) when it answers again or at the next start, so a crash loses at most one flush interval of reads; e.g. /var/lib/herald/views.spool on a local disk"},
	{"HERALD_VIEWS_SPOOL_MAX_BYTES", "64MiB", "bound of HERALD_VIEWS_SPOOL; past it new counts wait in memory (and a crash loses them)"},
	{"HERALD_VIEWS_RATE_LIMIT", "600", "read beacons (POST /api/v1/articles/{id}/views) one client address may send per minute, with a burst of as many; more get 429. IPv6 clients count per /64. 0 turns the limit off"},
	{"HERALD_CACHE_MAX_AGE", "60s", "max-age (and stale-while-revalidate) of public GET responses, and how long the in-process cache keeps one; also how far read_count in cached responses may lag (1s to 24h)"},
	{"HERALD_PUBLIC_READ_TIMEOUT", "5s", "how long one public read (a Content API GET) may spend in the database; past it the answer is 503 with Retry-After and the connection goes back to the pool (10ms to 1m)"},
	{"HERALD_CACHE_BYTES", "64MiB", "memory bound of the in-process cache of public responses, in bytes or with KiB, MiB or GiB; 0 disables the cache"},
	{"HERALD_CORS_ORIGINS", "(empty)", "browser origins allowed to call the API, comma-separated (https://news.example) or *; the read beacon accepts any origin regardless"},
	{"HERALD_JWT_SECRET", "(random per process in development; required in production)", "HS256 key for access tokens, at least 32 bytes (openssl rand -base64 48); in production a value from the repository's examples, one with a placeholder word (change-me, example, …) or with little entropy (aaaa…, 1234…) is refused"},
	{"HERALD_ACCESS_TOKEN_TTL", "15m", "lifetime of JWT access tokens"},
	{"HERALD_REFRESH_TOKEN_TTL", "720h", "lifetime of refresh tokens (each refresh rotates the token)"},
	{"HERALD_BOOTSTRAP_ADMIN_EMAIL", "(empty)", "create this admin at start if no user has this email (with HERALD_BOOTSTRAP_ADMIN_PASSWORD)"},
	{"HERALD_BOOTSTRAP_ADMIN_PASSWORD", "(empty)", "password of the bootstrap admin: at least 12 characters, not one of the 10,000 most common passwords; in production also no placeholder or value from the examples"},
	{"HERALD_LOG_LEVEL", "info", "least severe log records written: debug, info (a line per request), warn (no request lines: warnings and errors only) or error"},
	{"HERALD_DATABASE_MAX_CONNS", "8", "PostgreSQL connections per instance, to the primary and to each replica (1 to 1000). A pool much larger than the database's cores makes requests wait in PostgreSQL's scheduler rather than in Herald's queue: start from 4 × its cores (8 gave the best throughput and tail on a 2-core machine; docs/deployment.md). SQLite keeps its own 4"},
	{"HERALD_DATABASE_REPLICA_URLS", "(empty)", "PostgreSQL read replicas, comma-separated postgres:// URLs: public GETs read from them in turn; writes, admin and auth reads and transactions use HERALD_DATABASE_URL. Replication lag shows in public reads (and in responses cached meanwhile)"},
	{"HERALD_API_TOKEN_MAX_TTL", "8760h (a year)", "longest lifetime of an API token (hrld_pat_…, hrld_svc_…); tokens default to 90 days or this, if shorter (1h to 87600h)"},
	{"HERALD_API_TOKEN_ALLOW_NO_EXPIRY", "false", "allow API tokens created with never_expires: true"},
	{"HERALD_API_TOKEN_RATE", "20", "requests per second one API token may make on average; over it the answer is 429 with Retry-After (per instance)"},
	{"HERALD_API_TOKEN_BURST", "200", "requests one API token may make at once before HERALD_API_TOKEN_RATE applies"},
	{"HERALD_API_TOKEN_USAGE_FLUSH", "10s", "how often API tokens' last-used times and addresses, kept in memory, are written (100ms to 1h); they are also written at shutdown"},
	{"HERALD_TRUSTED_PROXIES", "(empty: no proxy is trusted)", "reverse proxies and load balancers whose X-Forwarded-For names the client, comma-separated CIDRs or addresses (10.0.0.0/8, 127.0.0.1); from any other peer forwarding headers are ignored and the connection's address is the client (login limits, read dedupe and rate limits, logs)"},
	{"HERALD_PUBLIC_URL", "(empty: URLs relative to the API's origin)", "the API's public origin as clients reach it, e.g. https://api.example.com (a path prefix is kept): media URLs and Link headers become absolute URLs under it, for apps and server-side renderers on another host"},
	{"HERALD_METRICS_TOKEN", "(empty: /metrics is open in development, not served in production)", "bearer token GET /metrics requires (Authorization: Bearer <token>), at least 16 bytes; in production /metrics on HERALD_ADDR is served only with it (or use HERALD_METRICS_ADDR)"},
	{"HERALD_METRICS_ADDR", "(empty: /metrics on HERALD_ADDR)", "a second listen address (127.0.0.1:9090) that serves only GET /metrics, for a private network; HERALD_ADDR then answers 404 there. In production /metrics on HERALD_ADDR needs HERALD_METRICS_TOKEN: without the token or this address it is not served"},
	{"HERALD_DOCS", "true in development, false in production", "serve Swagger UI at /docs/; the OpenAPI documents (/docs/openapi.json, /docs/doc.json) are served either way"},
	{"HERALD_AUTHORS_READ_ALL", "false", "let authors read other authors' drafts, scheduled articles and revisions in the Admin API; by default authors see only their own unpublished work (editors and admins see everything)"},
	// Issue 17: preview links.
	{"HERALD_PREVIEW_TTL", "24h", "lifetime of a preview link (POST /api/v1/admin/articles/{id}/previews) whose creator names none (1m to HERALD_PREVIEW_MAX_TTL)"},
	{"HERALD_PREVIEW_MAX_TTL", "168h (a week)", "longest lifetime of a preview link (1m to 8760h)"},
	{"HERALD_PREVIEW_URL", "(empty: no frontend URL)", "the frontend's preview entry point, e.g. https://news.example/api/draft?token={token}&slug={slug}&locale={locale} (Next.js draft mode); {token}, {id}, {locale} and {slug} are filled per link and it is returned as frontend_url. Must contain {token}"},
	{"HERALD_REFRESH_GRACE", "30s", "after a refresh token is rotated, presenting it again within this window returns the same new pair (two tabs refreshing at once) instead of revoking the login; later reuse still revokes it. 0 to 5m; 0 turns the grace off"},
	// Archive imports over HTTP (issue 20).
	{"HERALD_IMPORT_MAX_BYTES", "64MiB", "largest NDJSON archive POST /api/v1/admin/import accepts (1KiB to 16GiB); import bigger ones with herald import"},
	{"HERALD_IMPORT_MEDIA_DIR", "(empty: lines with images are refused)", "directory on the server that the image files of archives posted to POST /api/v1/admin/import are relative to"},
	{"HERALD_MEDIA_DIR", "./data/media", "directory of uploaded files when no S3 bucket is set; Herald serves them at /media/{hash}/{file}"},
	{"HERALD_MEDIA_MAX_BYTES", "26214400 (25 MiB)", "largest accepted upload in bytes (or with KiB/MiB suffix); larger ones get 413"},
	{"HERALD_MEDIA_MAX_PIXELS", "40000000", "largest accepted image, width × height as declared in its header, checked before decoding (decompression bombs get 422)"},
	{"HERALD_MEDIA_WORKERS", "GOMAXPROCS (the cores)", "images decoded and resized at once; more wait briefly in a short line, then get 503 with Retry-After"},
	{"HERALD_MEDIA_IDLE_TIMEOUT", "30s", "media uploads and file downloads, which have no total time limit (a slow link may take minutes), are cut when no byte moves for this long"},
	{"HERALD_MEDIA_MIN_RATE", "8KiB", "media uploads and file downloads are cut when their average falls below this many bytes per second (after a grace of HERALD_MEDIA_IDLE_TIMEOUT); other requests keep the 60 s totals"},
	{"HERALD_MEDIA_MAX_DECODED_BYTES", "256MiB", "memory all image processing in flight may take together, estimated from each header (pixels × bytes per pixel of the decoded form, plus resizing) before decoding; an image needing more alone gets 413, one that must wait for memory waits like a worker"},
	// On-demand renditions (issue 18).
	{"HERALD_MEDIA_WIDTHS", "160,320,480,640,768,1024,1280,1600,1920,2400", "widths (w) a rendition of an image may be asked for, comma-separated; others get 400 naming these. They are also the widths of the srcsets in API responses"},
	{"HERALD_MEDIA_HEIGHTS", "90,120,160,180,240,270,320,360,480,540,640,720,768,900,1024,1080,1280,1440,1600,1920,2400", "heights (h) a rendition may be asked for, comma-separated"},
	{"HERALD_MEDIA_QUALITIES", "40,50,60,70,75,80,85,90", "qualities (q) a rendition may be asked for; without q JPEG is 80, WebP 85, AVIF 60 (chosen for a PSNR within about 1 dB of JPEG at 80, make bench-media)"},
	{"HERALD_MEDIA_AVIF_MAX_PIXELS", "1600000", "largest AVIF rendition in pixels; a larger one is encoded as WebP (its Content-Type says so): libavif in WebAssembly needs about 130 bytes of memory per pixel"},
	{"HERALD_S3_ENDPOINT", "(empty)", "S3-compatible server URL, e.g. https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:9000; required with HERALD_S3_BUCKET"},
	{"HERALD_S3_BUCKET", "(empty: files on local disk)", "bucket for uploaded files; setting it switches media storage from HERALD_MEDIA_DIR to S3"},
	{"HERALD_S3_REGION", "us-east-1", "region of the bucket"},
	{"HERALD_S3_ACCESS_KEY", "(empty)", "access key id for the bucket"},
	{"HERALD_S3_SECRET_KEY", "(empty)", "secret access key for the bucket"},
	{"HERALD_S3_PUBLIC_URL", "(empty: Herald proxies files)", "base URL clients fetch files from (a CDN or a public bucket), keys appended; empty serves them through /media/{hash}/{file}"},
	// Delta sync (GET /api/v1/sync).
	{"HERALD_SYNC_RETENTION", "720h (30 days)", "how long the change log keeps its rows and a sync token stays valid (a Go duration or days, 30d; 1h to 5 years); an older token gets 410 Gone and the app starts over. A background job deletes older change rows"},
	{"HERALD_SYNC_MAX_WAITERS", "1000", "long-polling syncs (GET /api/v1/sync?wait=) one instance keeps waiting at once; more get 503 with Retry-After"},
	// Webhooks (internal/webhooks)
	{"HERALD_WEBHOOK_ALLOW_PRIVATE", "false", "let webhook endpoints reach loopback, private (RFC 1918, fc00::/7), link-local, metadata (169.254.169.254) and carrier-grade NAT addresses; refused by default, checked at each connection so DNS rebinding cannot get around it"},
	{"HERALD_WEBHOOK_TIMEOUT", "10s", "how long one webhook delivery attempt may take, connection to response (100ms to 1m)"},
	{"HERALD_WEBHOOK_RETRY_BASE", "5s", "delay before the first retry of a failed delivery (network error, timeout, 5xx, 429); it doubles per attempt up to HERALD_WEBHOOK_RETRY_MAX, with jitter; a Retry-After header wins"},
	{"HERALD_WEBHOOK_RETRY_MAX", "1h", "longest delay between two attempts of a delivery"},
	{"HERALD_WEBHOOK_RETRY_FOR", "24h", "how long a failing delivery is retried before it is marked failed (redeliver it from the Admin API)"},
	{"HERALD_WEBHOOK_DISABLE_AFTER", "24h", "an endpoint whose every attempt has failed for this long is disabled; the Admin API shows why"},
	{"HERALD_WEBHOOK_POLL_INTERVAL", "100ms", "how often each instance looks for webhook deliveries that are due: about the median delay from a write to its delivery (one small indexed query per interval per instance)"},
	{"HERALD_WEBHOOK_RESCUE_AFTER", "5m", "a delivery claimed by an instance that died is taken over by another after this long (at least twice HERALD_WEBHOOK_TIMEOUT)"},
	{"HERALD_WEBHOOK_WORKERS", "10", "webhook deliveries one instance sends at once"},
	// Frontend: permalinks, feeds and sitemaps (frontend.go).
	{"HERALD_SITE_URL", "http://localhost:3000 in development, (empty) in production", "the public site's origin (https://news.example, a path prefix is kept): every public article, category and tag carries its absolute url on it, and feeds and sitemaps link there. Empty makes url a site-relative path and feeds and sitemaps answer 404"},
	{"HERALD_PERMALINK_ARTICLE", "/{locale}/news/{slug}", "path of an article on the site: a pattern for every locale and locale=pattern overrides, comma-separated, e.g. /{locale}/news/{slug},az=/{slug}; placeholders {locale}, {slug}, {id}, {year}, {month}, {day} (publication date, UTC); each locale's paths must be told apart (its own {locale}, prefix or depth)"},
	{"HERALD_PERMALINK_CATEGORY", "/{locale}/category/{slug}", "path of a category's page, as HERALD_PERMALINK_ARTICLE; placeholders {locale}, {slug}, {id}"},
	{"HERALD_PERMALINK_TAG", "/{locale}/tag/{slug}", "path of a tag's page, as HERALD_PERMALINK_ARTICLE; placeholders {locale}, {slug}, {id}"},
	{"HERALD_PERMALINK_HOME", "/{locale}", "path of a locale's home page (the link of its feeds), e.g. /{locale},az=/; placeholder {locale}"},
	{"HERALD_SITEMAP_URLS_PER_FILE", "5000", "article URLs per sitemap file (1 to 50000, the protocol's limit); larger archives get more files, listed in /sitemap.xml"},
	// Issue 17: preview links.
	{"HERALD_PREVIEW_TTL", "24h", "lifetime of a preview link (POST /api/v1/admin/articles/{id}/previews) whose creator names none (1m to HERALD_PREVIEW_MAX_TTL)"},
	{"HERALD_PREVIEW_MAX_TTL", "168h (a week)", "longest lifetime of a preview link (1m to 8760h)"},
	{"HERALD_PREVIEW_URL", "(empty: no frontend URL)", "the frontend's preview entry point, e.g. https://news.example/api/draft?token={token}&slug={slug}&locale={locale} (Next.js draft mode); {token}, {id}, {locale} and {slug} are filled per link and it is returned as frontend_url. Must contain {token}"},
	{"HERALD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herald_test?sslmode=disable", "tests only (internal/testkit): the PostgreSQL the suite runs on; each test gets a private database beside it, copied from a migrated template <name>_tpl_<hash> kept for later runs (a private schema without the CREATEDB right); a missing database is created through the server's maintenance database; with CI=true an unreachable server fails the run instead of skipping"},
	{"HERALD_TEST_PG_SKIP_FILE", "(set by make test)", "tests only (internal/testkit): a file each test that skipped PostgreSQL appends its name to; make test then ends with one line saying the PostgreSQL half did not run"},
}

// Load reads the configuration through getenv (os.Getenv in main, a map in tests).
func Load(getenv func(string) string) (Config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	c := Config{
		Addr:        get("HERALD_ADDR", ":8080"),
		DatabaseURL: get("HERALD_DATABASE_URL", "sqlite:./data/herald.db"),
		Env:         Env(get("HERALD_ENV", string(Development))),
	}
	if c.Env != Development && c.Env != Production {
		errs = append(errs, fmt.Errorf("HERALD_ENV=%q: must be development or production", c.Env))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("HERALD_ADDR=%q: want host:port such as :8080 (%v)", c.Addr, err))
	}
	if _, _, err := ParseDatabaseURL(c.DatabaseURL); err != nil {
		errs = append(errs, fmt.Errorf("HERALD_DATABASE_URL: %w", err))
	}

	seen := map[string]bool{}
	for _, l := range strings.Split(get("HERALD_LOCALES", "az,en,ru"), ",") {
		l = strings.ToLower(strings.TrimSpace(l))
		if l == "" {
			continue
		}
		if !validLocale(l) {
			errs = append(errs, fmt.Errorf("HERALD_LOCALES: %q is not a locale code such as en or pt-br", l))
			continue
		}
		if !seen[l] {
			seen[l] = true
			c.Locales = append(c.Locales, l)
		}
	}
	if len(c.Locales) == 0 {
		errs = append(errs, errors.New("HERALD_LOCALES: at least one locale is required"))
	}
	c.DefaultLocale = strings.ToLower(get("HERALD_DEFAULT_LOCALE", "az"))
	if len(c.Locales) > 0 && !seen[c.DefaultLocale] {
		errs = append(errs, fmt.Errorf("HERALD_DEFAULT_LOCALE=%q is not one of HERALD_LOCALES (%s)", c.DefaultLocale, strings.Join(c.Locales, ",")))
	}
	fb, err := parseFallback(getenv("HERALD_LOCALE_FALLBACK"), seen)
	if err != nil {
		errs = append(errs, err)
	}
	c.LocaleFallback = fb

	demo := get("HERALD_DEMO_CONTENT", "")
	switch strings.ToLower(demo) {
	case "":
		c.DemoContent = c.Env == Development
	case "1", "true", "yes", "on":
		c.DemoContent = true
	case "0", "false", "no", "off":
	default:
		errs = append(errs, fmt.Errorf("HERALD_DEMO_CONTENT=%q: want true or false", demo))
	}
	c.ShutdownTimeout, err = time.ParseDuration(get("HERALD_SHUTDOWN_TIMEOUT", "15s"))
	if err != nil || c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("HERALD_SHUTDOWN_TIMEOUT=%q: want a positive duration such as 15s", getenv("HERALD_SHUTDOWN_TIMEOUT")))
	}
	errs = append(errs, c.loadAuth(getenv, get)...)
	errs = append(errs, c.loadAPITokens(getenv, get)...)
	c.ViewsFlushInterval, err = time.ParseDuration(get("HERALD_VIEWS_FLUSH_INTERVAL", "1s"))
	if err != nil || c.ViewsFlushInterval < 10*time.Millisecond || c.ViewsFlushInterval > time.Hour {
		errs = append(errs, fmt.Errorf("HERALD_VIEWS_FLUSH_INTERVAL=%q: want a duration from 10ms to 1h, such as 1s", getenv("HERALD_VIEWS_FLUSH_INTERVAL")))
	}
	c.ViewsDedupeWindow, err = time.ParseDuration(get("HERALD_VIEWS_DEDUPE_WINDOW", "0s"))
	if err != nil || c.ViewsDedupeWindow < 0 || c.ViewsDedupeWindow > 24*time.Hour {
		errs = append(errs, fmt.Errorf("HERALD_VIEWS_DEDUPE_WINDOW=%q: want 0 (off) or a duration up to 24h, such as 30m", getenv("HERALD_VIEWS_DEDUPE_WINDOW")))
	}
	rate := get("HERALD_VIEWS_RATE_LIMIT", "600")
	if c.ViewsPerMinute, err = strconv.Atoi(rate); err != nil || c.ViewsPerMinute < 0 || c.ViewsPerMinute > 1_000_000 {
		errs = append(errs, fmt.Errorf("HERALD_VIEWS_RATE_LIMIT=%q: want a number of reads per minute per address, 0 to turn it off", rate))
	}
	errs = append(errs, c.loadCache(getenv, get)...)
	errs = append(errs, c.loadLoad(getenv, get)...)
	c.MetricsToken = strings.TrimSpace(getenv("HERALD_METRICS_TOKEN"))
	for _, u := range strings.Split(getenv("HERALD_DATABASE_REPLICA_URLS"), ",") {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		if d, _, err := ParseDatabaseURL(u); err != nil || d != "postgres" {
			errs = append(errs, errors.New("HERALD_DATABASE_REPLICA_URLS: every replica must be a postgres:// URL"))
			break
		}
		c.ReplicaURLs = append(c.ReplicaURLs, u)
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("HERALD_LOG_LEVEL", "info"))); err != nil || !knownLogLevel(c.LogLevel) {
		errs = append(errs, fmt.Errorf("HERALD_LOG_LEVEL=%q: want debug, info, warn or error", getenv("HERALD_LOG_LEVEL")))
	}
	if c.DatabaseMaxConns, err = strconv.Atoi(get("HERALD_DATABASE_MAX_CONNS", "8")); err != nil || c.DatabaseMaxConns < 1 || c.DatabaseMaxConns > 1000 {
		errs = append(errs, fmt.Errorf("HERALD_DATABASE_MAX_CONNS=%q: want a whole number from 1 to 1000, such as 8", getenv("HERALD_DATABASE_MAX_CONNS")))
	}
	if d, _, _ := ParseDatabaseURL(c.DatabaseURL); len(c.ReplicaURLs) > 0 && d != "postgres" {
		errs = append(errs, errors.New("HERALD_DATABASE_REPLICA_URLS needs a PostgreSQL HERALD_DATABASE_URL"))
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < MinMetricsTokenBytes {
		errs = append(errs, fmt.Errorf("HERALD_METRICS_TOKEN is %d bytes: it must be at least %d (e.g. openssl rand -hex 24)", len(c.MetricsToken), MinMetricsTokenBytes))
	}
	errs = append(errs, c.loadMedia(getenv, get)...)
	errs = append(errs, c.loadImages(getenv, get)...)
	// Archive imports over HTTP (issue 20).
	errs = append(errs, c.loadImport(getenv, get)...)
	c.TrustedProxies, err = ParseTrustedProxies(getenv("HERALD_TRUSTED_PROXIES"))
	if err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.loadAccess(getenv, get)...)
	errs = append(errs, c.loadSync(getenv, get)...)
	if c.PublicURL, err = ParsePublicURL(getenv("HERALD_PUBLIC_URL")); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.loadWebhooks(getenv, get)...)
	errs = append(errs, c.loadFrontend(getenv, get)...)
	errs = append(errs, c.loadPreviews(getenv, get)...) // issue 17
	errs = append(errs, c.checkProductionSecrets(getenv)...)
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("invalid configuration:\n  %w", errors.Join(errs...))
	}
	return c, nil
}

// loadAuth reads the token and bootstrap-admin settings.
func (c *Config) loadAuth(getenv func(string) string, get func(name, def string) string) []error {
	var errs []error
	// The secret is taken verbatim: leading or trailing spaces are part of it.
	secret := getenv("HERALD_JWT_SECRET")
	switch {
	case secret == "" && c.Env == Production:
		errs = append(errs, fmt.Errorf("HERALD_JWT_SECRET is required in production (at least %d bytes, e.g. openssl rand -base64 48)", MinJWTSecretBytes))
	case secret == "":
		b := make([]byte, 48)
		if _, err := rand.Read(b); err != nil {
			errs = append(errs, fmt.Errorf("generate a JWT secret: %w", err))
		}
		c.JWTSecret, c.JWTSecretGenerated = b, true
	case len(secret) < MinJWTSecretBytes:
		errs = append(errs, fmt.Errorf("HERALD_JWT_SECRET is %d bytes: it must be at least %d (e.g. openssl rand -base64 48)", len(secret), MinJWTSecretBytes))
	default:
		c.JWTSecret = []byte(secret)
	}
	var err error
	c.AccessTokenTTL, err = time.ParseDuration(get("HERALD_ACCESS_TOKEN_TTL", "15m"))
	if err != nil || c.AccessTokenTTL <= 0 || c.AccessTokenTTL > 24*time.Hour {
		errs = append(errs, fmt.Errorf("HERALD_ACCESS_TOKEN_TTL=%q: want a positive duration up to 24h such as 15m", getenv("HERALD_ACCESS_TOKEN_TTL")))
	}
	c.RefreshTokenTTL, err = time.ParseDuration(get("HERALD_REFRESH_TOKEN_TTL", "720h"))
	if err != nil || c.RefreshTokenTTL <= 0 {
		errs = append(errs, fmt.Errorf("HERALD_REFRESH_TOKEN_TTL=%q: want a positive duration such as 720h", getenv("HERALD_REFRESH_TOKEN_TTL")))
	} else if c.RefreshTokenTTL < c.AccessTokenTTL {
		errs = append(errs, fmt.Errorf("HERALD_REFRESH_TOKEN_TTL (%s) must not be shorter than HERALD_ACCESS_TOKEN_TTL (%s)", c.RefreshTokenTTL, c.AccessTokenTTL))
	}
	c.BootstrapAdminEmail = get("HERALD_BOOTSTRAP_ADMIN_EMAIL", "")
	c.BootstrapAdminPassword = getenv("HERALD_BOOTSTRAP_ADMIN_PASSWORD")
	if (c.BootstrapAdminEmail == "") != (c.BootstrapAdminPassword == "") {
		errs = append(errs, errors.New("HERALD_BOOTSTRAP_ADMIN_EMAIL and HERALD_BOOTSTRAP_ADMIN_PASSWORD go together: set both or neither"))
	}
	return errs
}

// ParseTrustedProxies reads HERALD_TRUSTED_PROXIES: CIDRs or single addresses,
// comma-separated.
func ParseTrustedProxies(v string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			ip := net.ParseIP(part)
			if ip == nil {
				return nil, fmt.Errorf("HERALD_TRUSTED_PROXIES: %q is not an address or CIDR such as 10.0.0.0/8", part)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("HERALD_TRUSTED_PROXIES: %q is not an address or CIDR such as 10.0.0.0/8", part)
		}
		out = append(out, n)
	}
	return out, nil
}

// ParsePublicURL reads HERALD_PUBLIC_URL: an http(s) URL with a host, no query, fragment or
// credentials; the result has no trailing slash, so paths append to it.
func ParsePublicURL(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(v, "?") || strings.HasSuffix(v, "#") {
		return "", fmt.Errorf("HERALD_PUBLIC_URL=%q: want the API's public origin, such as https://api.example.com", v)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

// ParseDatabaseURL splits a database URL into a dialect ("sqlite" or "postgres") and the DSN
// its driver takes.
func ParseDatabaseURL(u string) (dialect, dsn string, err error) {
	switch {
	case strings.HasPrefix(u, "sqlite:"):
		dsn = strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "//")
		if dsn == "" {
			return "", "", errors.New("sqlite: needs a file path, e.g. sqlite:./data/herald.db")
		}
		return "sqlite", dsn, nil
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		return "postgres", u, nil
	}
	return "", "", fmt.Errorf("%q: want sqlite:PATH or postgres://…", u)
}

func validLocale(l string) bool {
	if len(l) < 2 || len(l) > 10 {
		return false
	}
	for i, r := range l {
		if (r < 'a' || r > 'z') && !(r == '-' && i >= 2) && !(r >= '0' && r <= '9' && i > 2) {
			return false
		}
	}
	return true
}

// parseFallback reads "ru:en,az;en:az".
func parseFallback(s string, known map[string]bool) (map[string][]string, error) {
	out := map[string][]string{}
	s = strings.TrimSpace(s)
	if s == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		from, to, ok := strings.Cut(part, ":")
		from = strings.ToLower(strings.TrimSpace(from))
		if !ok || from == "" {
			return nil, fmt.Errorf("HERALD_LOCALE_FALLBACK: %q: want locale:fallback1,fallback2", part)
		}
		if !known[from] {
			return nil, fmt.Errorf("HERALD_LOCALE_FALLBACK: %q is not one of HERALD_LOCALES", from)
		}
		for _, t := range strings.Split(to, ",") {
			t = strings.ToLower(strings.TrimSpace(t))
			if t == "" {
				continue
			}
			if !known[t] {
				return nil, fmt.Errorf("HERALD_LOCALE_FALLBACK: %q (fallback of %s) is not one of HERALD_LOCALES", t, from)
			}
			if t != from {
				out[from] = append(out[from], t)
			}
		}
	}
	return out, nil
}

// knownLogLevel refuses slog's offsets (info+2): a level is one of the four names.
func knownLogLevel(l slog.Level) bool {
	return l == slog.LevelDebug || l == slog.LevelInfo || l == slog.LevelWarn || l == slog.LevelError
}
