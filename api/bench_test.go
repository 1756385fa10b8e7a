package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
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
func benchServer(b *testing.B, dialect string, n int) (srv *api.Server, slug, category string) {
	b.Helper()
	url := testkit.URL(b, dialect)
	if err := demo.Synthetic(context.Background(), store.NewContent(openURL(b, url)), demo.SyntheticOptions{Articles: n, Now: time.Now()}); err != nil {
		b.Fatal(err)
	}
	w := wireApp(b, url, map[string]string{"HERALD_DEMO_CONTENT": "false"}, time.Now)
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
			b.Fatalf("%s: %d", target, rec.Code)
		}
	}
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
