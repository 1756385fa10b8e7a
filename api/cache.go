package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/zeebo/xxh3"

	"github.com/heraldcms/herald/internal/cache"
)

// Public responses carry a strong ETag (a hash of the encoded body) and Cache-Control; a
// matching If-None-Match (or, for article detail, If-Modified-Since) gets 304 without a body.
// With the in-process cache on, a hit is served from memory, already encoded and compressed,
// and a conditional hit answers 304 without building anything.
//
// Invalidation is by generation (see internal/cache): a committed write that changes what
// the public sees calls Invalidate before its service returns (an after-commit effect of
// internal/changes, wired by internal/app), so an editor who publishes and then reads sees
// the new state; a draft's edits leave the cache alone. Entries also expire after the max-age, which bounds how
// stale read_count may get (read hits do not invalidate), and never outlive the next
// scheduled publication, so scheduled articles appear on time.

const (
	// DefaultCacheMaxAge is the max-age of public responses when Deps leaves it zero.
	DefaultCacheMaxAge = 60 * time.Second
	// gzipMinBytes is the smallest body worth compressing.
	gzipMinBytes = 1024
)

// CacheOptions configures caching; the zero value sends caching headers with the default
// max-age and keeps no in-process cache.
type CacheOptions struct {
	// MaxAge is the max-age of public responses and the lifetime of cached entries
	// (default 60 s).
	MaxAge time.Duration
	// MaxBytes bounds the in-process cache of public responses; 0 disables it.
	MaxBytes int64
	// NextPublish replaces the content service's NextPublishAt (tests of a failing store).
	NextPublish func(ctx context.Context, now time.Time) (time.Time, bool, error)
	// CORSOrigins may read the API from browsers ("*" for any); empty sends no CORS headers
	// beyond the read beacon's.
	CORSOrigins []string
	// ReadTimeout bounds the database work of one public read (default
	// DefaultPublicReadTimeout; negative: none).
	ReadTimeout time.Duration
}

// useCaching sets up the caching state and the CORS middleware.
func (s *Server) useCaching(o CacheOptions) {
	hc := &httpCache{maxAge: o.MaxAge, nextPublish: o.NextPublish, readTimeout: o.ReadTimeout}
	if hc.nextPublish == nil && s.content != nil {
		hc.nextPublish = s.content.NextPublishAt
	}
	if hc.maxAge <= 0 {
		hc.maxAge = DefaultCacheMaxAge
	}
	if hc.readTimeout == 0 {
		hc.readTimeout = DefaultPublicReadTimeout
	}
	params, err := publicQueryParams()
	if err != nil {
		panic("api: the embedded OpenAPI document does not parse: " + err.Error()) // a build defect
	}
	hc.queryParams = params
	if o.MaxBytes > 0 {
		if hc.nextPublish == nil {
			s.log.Warn("cache: no content service, so the in-process cache stays off (it could hide scheduled articles)")
		} else {
			hc.store = cache.New(o.MaxBytes)
		}
	}
	s.cache = hc
	if len(o.CORSOrigins) > 0 {
		s.use = append(s.use, cors(o.CORSOrigins))
	}
}

// httpCache is the caching state of a Server.
type httpCache struct {
	store  *cache.Cache // nil: no in-process cache, headers only
	maxAge time.Duration
	// nextPublish reports the earliest publication time after now of a scheduled article.
	nextPublish func(ctx context.Context, now time.Time) (time.Time, bool, error)
	// readTimeout bounds a public read's database work; queryParams lists what each
	// public route accepts (see publicread.go).
	readTimeout time.Duration
	queryParams map[string][]string

	dueMu    sync.Mutex
	dueKnown bool
	dueGen   uint64
	dueAt    time.Time
	dueHas   bool
}

// Invalidate drops every cached public response. internal/app calls it after a write that
// changed what the public sees commits, and when another instance reports one.
func (s *Server) Invalidate() {
	s.cache.store.Invalidate()
	s.cache.forgetDue()
}

// CachedEntries is the number of public responses in the in-process cache.
func (s *Server) CachedEntries() int { n, _ := s.cache.store.Stats(); return n }

// noStore marks responses that carry credentials or private data as uncacheable.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// publicGET registers a public GET (and so HEAD) route through cachedGET, which bounds
// its database work itself (requestContext skips the route's own bound).
func (s *Server) publicGET(g interface {
	GET(string, echo.HandlerFunc, ...echo.MiddlewareFunc) *echo.Route
}, path string, h echo.HandlerFunc) {
	r := g.GET(path, h, s.cachedGET)
	s.boundsItself[r.Path] = true
}

// cachedGET wraps every public GET: conditional requests, Cache-Control, gzip and the
// in-process cache.
func (s *Server) cachedGET(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.checkQuery(c); err != nil {
			return err
		}
		dropCacheBusters(c)
		req := c.Request()
		gz := acceptsGzip(req.Header.Get(echo.HeaderAcceptEncoding))
		key := s.cacheKey(c)
		now := s.content.Now()
		if e, ok := s.cache.store.Get(key, now); ok {
			return s.serveEntry(c, e, gz, now)
		}
		gen := s.cache.store.Generation()

		orig := c.Response()
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		if b, ok := bodyPool.Get().(*bytes.Buffer); ok {
			rec.body = b
		} else {
			rec.body = new(bytes.Buffer)
		}
		stored := false
		defer func() {
			// A body the cache keeps is the cache's; any other goes back once written.
			if !stored && rec.body.Cap() <= maxPooledBody {
				rec.body.Reset()
				bodyPool.Put(rec.body)
			}
		}()
		c.SetResponse(echo.NewResponse(rec, c.Echo()))
		// The read and the lookup of the next publication below are the request's only
		// database work: requestContext leaves these routes to this bound (publicGET).
		ctx, cancel := context.WithTimeout(req.Context(), s.readBound())
		defer cancel()
		err := readWithin(ctx, c, next)
		c.SetResponse(orig)
		if err != nil {
			return err
		}
		if rec.status != http.StatusOK {
			copyHeader(orig.Header(), rec.header)
			orig.WriteHeader(rec.status)
			_, werr := orig.Write(rec.body.Bytes())
			return werr
		}

		e := &cache.Entry{Body: rec.body.Bytes(), Header: rec.header, Expires: now.Add(s.cache.maxAge)}
		e.ETag = bodyETag(e.Body)
		e.Header.Del(echo.HeaderContentLength)
		vary := "Accept-Encoding"
		if strings.Contains(e.Header.Get(echo.HeaderVary), "Accept-Language") {
			vary = "Accept-Language, Accept-Encoding"
		}
		e.Header.Set(echo.HeaderVary, vary)
		// Neither this process nor a downstream cache may serve the response, fresh or
		// stale, once a scheduled article is due. (Without the in-process cache the lookup
		// is skipped: public reads keep their fixed statement counts.)
		store := false
		if s.cache.store != nil {
			due, has, ok := s.nextDue(ctx, gen, now)
			if !ok {
				e.Expires = now // do not cache what we cannot bound
			} else if has {
				e.Due = due
				if due.Before(e.Expires) {
					e.Expires = due
				}
			}
			store = e.Expires.After(now)
		}
		// A stored entry keeps its gzip form for later clients; otherwise compress only for
		// a client that asked.
		if len(e.Body) >= gzipMinBytes && (gz || store) {
			e.Gzip = gzipBytes(e.Body)
		}
		if store {
			stored = true
			s.cache.store.Put(key, e, gen)
		}
		return s.serveEntry(c, e, gz, now)
	}
}

// serveEntry writes e, or 304 when the request's validators match it.
func (s *Server) serveEntry(c echo.Context, e *cache.Entry, gz bool, now time.Time) error {
	h := c.Response().Header()
	for k, vs := range e.Header {
		if k == echo.HeaderVary {
			h.Add(k, vs[0])
			continue
		}
		h[k] = append([]string(nil), vs...)
	}
	// Downstream caches keep the response no longer than this process would, and serve it
	// stale no later than the next scheduled publication (rounded down: not a second after).
	maxAge := s.cache.maxAge
	if s.cache.store != nil {
		maxAge = min(maxAge, e.Expires.Sub(now))
	}
	secs := int64((max(maxAge, 0) + time.Second - 1) / time.Second)
	swr := int64(s.cache.maxAge / time.Second)
	if !e.Due.IsZero() {
		untilDue := max(int64(e.Due.Sub(now)/time.Second), 0)
		secs = min(secs, untilDue)
		swr = max(min(swr, untilDue-secs), 0)
	}
	h.Set("Cache-Control", "public, max-age="+strconv.FormatInt(secs, 10)+", stale-while-revalidate="+strconv.FormatInt(swr, 10))
	body, etag := e.Body, e.ETag
	if gz && e.Gzip != nil {
		body, etag = e.Gzip, gzipETag(e.ETag)
		h.Set(echo.HeaderContentEncoding, "gzip")
	}
	h.Set("ETag", etag)
	if notModified(c.Request(), e, h.Get(echo.HeaderLastModified)) {
		h.Del(echo.HeaderContentType)
		h.Del(echo.HeaderContentEncoding)
		return c.NoContent(http.StatusNotModified)
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	if c.Request().Method == http.MethodHead {
		c.Response().WriteHeader(http.StatusOK)
		return nil
	}
	return writeHeld(c.Request(), c.Response(), http.StatusOK, body)
}

// notModified applies If-None-Match (weak comparison, RFC 9110 §13.1.2), else
// If-Modified-Since when the response has a Last-Modified.
func notModified(r *http.Request, e *cache.Entry, lastModified string) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == e.ETag || tag == gzipETag(e.ETag) {
				return true
			}
		}
		return false
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || lastModified == "" {
		return false
	}
	since, err1 := http.ParseTime(ims)
	mod, err2 := http.ParseTime(lastModified)
	return err1 == nil && err2 == nil && !mod.After(since)
}

// gzipETag is the ETag of the gzip form: another representation, so another strong tag.
func gzipETag(etag string) string { return strings.TrimSuffix(etag, `"`) + `-gz"` }

// cacheKey normalizes a request: path, sorted query without cache busters, and the ranked
// locales Accept-Language asks for when the query names none (the whole ranking decides
// fallback). Encoding is not part of it: an entry holds both forms.
func (s *Server) cacheKey(c echo.Context) string {
	q := c.QueryParams() // without the cache busters (dropCacheBusters)
	lang := ""
	if strings.TrimSpace(q.Get("locale")) == "" {
		lang = strings.Join(s.locales.Ranked(c.Request().Header.Get("Accept-Language")), ",")
	}
	return c.Request().URL.Path + "?" + q.Encode() + "#" + lang
}

// nextDue returns the next scheduled publication after now, asking the store once per
// generation and again once that time has passed. ok is false when the store failed.
func (s *Server) nextDue(ctx context.Context, gen uint64, now time.Time) (due time.Time, has, ok bool) {
	hc := s.cache
	if hc.nextPublish == nil {
		return time.Time{}, false, true
	}
	hc.dueMu.Lock()
	defer hc.dueMu.Unlock()
	if hc.dueKnown && hc.dueGen == gen && (!hc.dueHas || now.Before(hc.dueAt)) {
		return hc.dueAt, hc.dueHas, true
	}
	at, has, err := hc.nextPublish(ctx, now)
	if err != nil {
		s.log.Warn("cache: next scheduled publication", "error", err)
		return time.Time{}, false, false
	}
	hc.dueKnown, hc.dueGen, hc.dueAt, hc.dueHas = true, gen, at, has
	return at, has, true
}

// forgetDue makes the next response ask for the next scheduled publication again (a write
// may have scheduled an earlier one).
func (hc *httpCache) forgetDue() {
	hc.dueMu.Lock()
	hc.dueKnown = false
	hc.dueMu.Unlock()
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip (q > 0).
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		q := 1.0
		if _, v, found := strings.Cut(strings.ReplaceAll(params, " ", ""), "q="); found {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}

// gzipWriters compress with klauspost/compress at the default level: on this API's JSON
// (an 8 KB detail, a 22 KB list) it took a third of the time of compress/gzip's default
// level for 1–4 % more bytes (a 22 KB list: 252 -> 76 µs), and an uncached gzip response
// pays it on every request.
var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := gzipWriters.Get().(*gzip.Writer)
	w.Reset(&buf)
	_, _ = w.Write(b) // writes to a bytes.Buffer cannot fail
	_ = w.Close()
	gzipWriters.Put(w)
	return buf.Bytes()
}

// cors lets browsers on origins read the API and see its pagination and cache headers.
// The read beacon answers any origin itself, so it is left alone.
func cors(origins []string) echo.MiddlewareFunc {
	return middleware.CORSWithConfig(middleware.CORSConfig{
		Skipper:      func(c echo.Context) bool { return strings.HasSuffix(c.Path(), "/views") },
		AllowOrigins: origins,
		AllowMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete},
		AllowHeaders: []string{echo.HeaderAuthorization, echo.HeaderContentType, "If-Match", "If-None-Match", "If-Modified-Since", "Accept-Language"},
		ExposeHeaders: []string{"Link", "X-Total-Count", "ETag", "Last-Modified", "Content-Language", "Cache-Control",
			"Retry-After", "WWW-Authenticate"},
		MaxAge: 86400,
	})
}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		dst[k] = vs
	}
}

// recorder buffers a handler's response so it can be hashed, compressed and cached.
type recorder struct {
	header http.Header
	status int
	body   *bytes.Buffer
}

// bodyPool recycles the buffers of responses the cache does not keep: an uncached latest-20
// page allocated its 23 KB body afresh (11 % of its bytes allocated), growing it as it went.
// Buffers past maxPooledBody (sitemaps, feeds) are left to the collector.
var bodyPool sync.Pool

const maxPooledBody = 256 << 10

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(status int)      { r.status = status }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// bodyETag is the strong validator of a response body: a 128-bit XXH3 of it. An ETag only
// has to tell one version of a URL from another, not resist forgery; SHA-256 took 15 µs of
// a 24 KB list page (3.6 % of an uncached list's CPU), XXH3 0.4 µs.
func bodyETag(body []byte) string {
	sum := xxh3.Hash128(body).Bytes()
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:]) + `"`
}
