package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// benchServer is the real router over a seeded archive of n articles, without a response
// cache, so the numbers show the cost of building each response; list totals are
// remembered as in production.
func benchServer(b *testing.B, dialect string, n int, env ...string) (srv *api.Server, slug, category string) {
	b.Helper()
	url := testkit.URL(b, dialect)
	seeded := openURL(b, url)
	if err := demo.Synthetic(context.Background(), store.NewContent(seeded), demo.SyntheticOptions{Articles: n, Now: time.Now()}); err != nil {
		b.Fatal(err)
	}
	// As herald seed does: without statistics PostgreSQL plans the detail's slug lookup as
	// a hash join over every live article (70 ms instead of well under one).
	if err := seeded.Analyze(context.Background()); err != nil {
		b.Fatal(err)
	}
	vars := map[string]string{"HERALD_DEMO_CONTENT": "false"}
	for i := 0; i+1 < len(env); i += 2 {
		vars[env[i]] = env[i+1]
	}
	w := wireApp(b, url, vars, time.Now)
	db := w.DB
	srv = w.Server
	if err := db.Gorm().Raw("SELECT slug FROM article_translations WHERE locale = 'en' LIMIT 1").Scan(&slug).Error; err != nil {
		b.Fatal(err)
	}
	if err := db.Gorm().Raw("SELECT slug FROM category_translations WHERE locale = 'en' LIMIT 1").Scan(&category).Error; err != nil {
		b.Fatal(err)
	}
	return srv, slug, category
}

func benchGet(b *testing.B, srv *api.Server, target string, headers ...string) {
	b.Helper()
	benchStatus(b, srv, http.StatusOK, target, headers...)
}

func benchStatus(b *testing.B, srv *api.Server, status int, target string, headers ...string) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, target, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		srv.ServeHTTP(rec, req)
		if rec.Code != status {
			b.Fatalf("%s: %d", target, rec.Code)
		}
	}
	// CPU of this process (handler, driver, GC) per request, not the database's: on a
	// shared machine it moves less than ns/op.
	b.ReportMetric(float64(processCPU()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
}

// processCPU is this process's user and system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkPublicReads(b *testing.B) {
	for _, d := range testkit.Dialects {
		srv, slug, cat := benchServer(b, d, 2000)
		b.Run(d+"/detail", func(b *testing.B) { benchGet(b, srv, "/api/v1/articles/"+slug+"?locale=en") })
		b.Run(d+"/detail-gzip", func(b *testing.B) {
			benchGet(b, srv, "/api/v1/articles/"+slug+"?locale=en", "Accept-Encoding", "gzip")
		})
		b.Run(d+"/list20", func(b *testing.B) { benchGet(b, srv, "/api/v1/articles?locale=en&per_page=20") })
		b.Run(d+"/list20-category", func(b *testing.B) { benchGet(b, srv, "/api/v1/articles?locale=en&per_page=20&category="+cat) })
		b.Run(d+"/list20-translations", func(b *testing.B) {
			benchGet(b, srv, "/api/v1/articles?locale=en&per_page=20&include=translations")
		})
	}
}

// BenchmarkCachedReads is the in-process cache's path: a hit, and a revalidation that
// answers 304 (the middleware every request crosses is most of its cost).
func BenchmarkCachedReads(b *testing.B) {
	srv, slug, _ := benchServer(b, "sqlite", 200, "HERALD_CACHE_BYTES", "67108864")
	target := "/api/v1/articles/" + slug + "?locale=en"
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	etag := rec.Header().Get("ETag")
	b.Run("detail", func(b *testing.B) { benchGet(b, srv, target) })
	b.Run("detail-304", func(b *testing.B) { benchStatus(b, srv, http.StatusNotModified, target, "If-None-Match", etag) })
}
