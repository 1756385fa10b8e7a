package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// BenchmarkSitemaps builds sitemap files and feeds over a synthetic archive on each
// database (HERALD_BENCH_ARTICLES, default 100,000, each in az, en and ru, each with its
// own image cover; HERALD_BENCH_DIALECT=postgres or sqlite for one) without the response
// cache: the index, the first and the last file of HERALD_BENCH_PER_FILE URLs (default
// 5,000, HERALD_SITEMAP_URLS_PER_FILE's default; a comma-separated list measures several
// sizes over the same archive: "5000,10000,25000,50000"), the news sitemap, and the
// locale's RSS, Atom and JSON feeds (summaries and full content). Besides time and
// allocations it reports each response's bytes, the heap's peak during the request
// (sampled every millisecond) and the process's peak RSS (reset before each sub-benchmark
// through /proc/self/clear_refs).
//
// Seeding 100,000 articles × 3 locales takes minutes, so an archive can be kept:
// HERALD_BENCH_SQLITE (a file path) and HERALD_BENCH_POSTGRES (a database URL) name
// databases that are seeded only when they hold no article, and kept; `herald seed
// --articles 100000 --body-bytes 300` makes the same archive (plus its search index) from
// the command line (December 2026, 2 cores under a load of 17–31: 5 min 11 s on SQLite,
// 10 min 32 s on PostgreSQL, search index included). Covers are added when the articles
// have none.
//
//	HERALD_BENCH_SQLITE=/tmp/sitemaps/bench-100k.db \
//	HERALD_BENCH_POSTGRES='postgres://postgres@127.0.0.1:5432/herald_sitemaps_bench?sslmode=disable' \
//	HERALD_BENCH_PER_FILE=5000,50000 go test -run X -bench BenchmarkSitemaps -benchtime 3x -timeout 60m ./api
func BenchmarkSitemaps(b *testing.B) {
	n, perFiles := 100_000, []int{5_000}
	if v, err := strconv.Atoi(os.Getenv("HERALD_BENCH_ARTICLES")); err == nil && v > 0 {
		n = v
	}
	if v := os.Getenv("HERALD_BENCH_PER_FILE"); v != "" {
		perFiles = nil
		for _, f := range strings.Split(v, ",") {
			p, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || p < 1 {
				b.Fatalf("HERALD_BENCH_PER_FILE=%q: want numbers, comma-separated", v)
			}
			perFiles = append(perFiles, p)
		}
	}
	kept := map[string]string{"sqlite": os.Getenv("HERALD_BENCH_SQLITE"), "postgres": os.Getenv("HERALD_BENCH_POSTGRES")}
	if kept["sqlite"] != "" {
		kept["sqlite"] = "sqlite:" + strings.TrimPrefix(kept["sqlite"], "sqlite:")
	}
	for _, d := range testkit.Dialects {
		if only := os.Getenv("HERALD_BENCH_DIALECT"); only != "" && only != d {
			continue
		}
		url := kept[d]
		if url == "" {
			url = testkit.URL(b, d)
		}
		db := openURL(b, url)
		have := benchCount(b, db, "SELECT COUNT(*) FROM articles")
		if have == 0 {
			start := time.Now()
			if err := demo.Synthetic(context.Background(), store.NewContent(db), demo.SyntheticOptions{Articles: n, BodyBytes: 300, Now: time.Now()}); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: seeded %d articles in %s", d, n, time.Since(start).Round(time.Second))
			have = int64(n)
		}
		if benchCount(b, db, "SELECT COUNT(*) FROM articles WHERE cover_media_id IS NOT NULL") == 0 {
			benchCovers(b, db)
		}
		for _, perFile := range perFiles {
			// A minute per read: under load the default 5 s cut large files off (a 503).
			env := map[string]string{"HERALD_DEMO_CONTENT": "false", "HERALD_SITEMAP_URLS_PER_FILE": strconv.Itoa(perFile), "HERALD_PUBLIC_READ_TIMEOUT": "1m"}
			for k, v := range frontendEnv {
				env[k] = v
			}
			srv := wireApp(b, url, env, time.Now).Server
			pf := "/" + strconv.Itoa(perFile)
			last := strconv.FormatInt((have+int64(perFile)-1)/int64(perFile), 10)
			b.Run(d+pf+"/index", func(b *testing.B) { benchXML(b, srv, "/sitemap.xml") })
			b.Run(d+pf+"/file-1", func(b *testing.B) { benchXML(b, srv, "/sitemaps/en-1.xml") })
			b.Run(d+pf+"/file-1-gzip", func(b *testing.B) { benchXML(b, srv, "/sitemaps/en-1.xml", "Accept-Encoding", "gzip") })
			if last != "1" {
				b.Run(d+pf+"/file-"+last, func(b *testing.B) { benchXML(b, srv, "/sitemaps/en-"+last+".xml") })
			}
			if perFile != perFiles[0] {
				continue // the rest does not depend on the file size
			}
			b.Run(d+"/news", func(b *testing.B) { benchXML(b, srv, "/sitemaps/news.xml") })
			feeds := []string{"/feeds/en.rss", "/feeds/en.rss?content=full", "/feeds/en.atom", "/feeds/en.json",
				"/feeds/en/category/" + benchSlug(b, db, "category_translations") + ".rss", "/feeds/en/tag/" + benchSlug(b, db, "tag_translations") + ".rss"}
			for _, f := range feeds {
				name := f[len("/feeds/"):]
				if i := strings.LastIndexByte(name, '/'); i > 0 {
					name = name[:i] // en/category, en/tag
				}
				b.Run(d+"/feed-"+strings.ReplaceAll(name, "/", "-"), func(b *testing.B) { benchXML(b, srv, f) })
			}
		}
	}
}

// benchXML is benchGet reporting the response's size (bytes/resp), the heap's peak during
// the requests (peak-heap-MB: live and unswept objects, sampled every millisecond) and the
// process's peak RSS (peak-rss-MB, since the start of this sub-benchmark).
func benchXML(b *testing.B, srv *api.Server, target string, headers ...string) {
	b.Helper()
	runtime.GC()
	resetPeakRSS()
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	var size int
	cpu0 := processCPU()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, target, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %.300s", target, rec.Code, rec.Body.String())
		}
		size = rec.Body.Len()
	}
	b.StopTimer()
	cpu := processCPU() - cpu0
	close(stop)
	<-done
	// CPU time of this process (handler, driver, GC; with SQLite the database too), which
	// load on the machine inflates far less than the wall time.
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(size), "bytes/resp")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
	}
}

// resetPeakRSS starts the kernel's high-water mark of this process's RSS (VmHWM) again
// from the current RSS (Linux; elsewhere it does nothing and peakRSS reports 0).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is VmHWM in bytes, or 0 when unknown.
func peakRSS() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// benchSlug is the English slug of the first row of a category or tag translations table.
func benchSlug(b *testing.B, db *store.DB, table string) string {
	b.Helper()
	var slug string
	if err := db.Gorm().Raw("SELECT slug FROM " + table + " WHERE locale = 'en' ORDER BY slug LIMIT 1").Scan(&slug).Error; err != nil || slug == "" {
		b.Fatalf("%s: %v", table, err)
	}
	return slug
}

func benchCount(b *testing.B, db *store.DB, query string) int64 {
	b.Helper()
	var n int64
	if err := db.Gorm().Raw(query).Scan(&n).Error; err != nil {
		b.Fatal(err)
	}
	return n
}

// benchCovers gives every article an image cover of its own, as a news archive has (the
// media rows borrow the articles' ids; the hash is the id's hex twice).
func benchCovers(b *testing.B, db *store.DB) {
	b.Helper()
	hex := "replace(id, '-', '')"
	if db.Dialect() == "postgres" {
		hex = "replace(id::text, '-', '')"
	}
	ctx := context.Background()
	if err := db.Exec(ctx, `INSERT INTO media (id, kind, mime, size, width, height, sha256, storage_key, filename, variants, created_at, updated_at)
		SELECT id, 'image', 'image/jpeg', 250000, 1600, 900, `+hex+` || `+hex+`, `+hex+` || `+hex+` || '/original.jpg', 'cover.jpg', '[]', created_at, created_at
		FROM articles`); err != nil {
		b.Fatal(err)
	}
	if err := db.Exec(ctx, "UPDATE articles SET cover_media_id = id"); err != nil {
		b.Fatal(err)
	}
}
