package store_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestRememberedTotals: list totals are reused, yet a write (ForgetTotals) or a scheduled
// article falling due shows in the very next total.
func TestRememberedTotals(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			db := testkit.OpenDB(t, d)
			cs := store.NewContent(db)
			var mu sync.Mutex
			now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
			clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			svc := content.NewService(cs, clock, content.WithTotalsTTL(time.Hour))
			article := func(at time.Time, status content.Status) {
				id := uuid.Must(uuid.NewV7())
				err := cs.CreateArticle(ctx, content.Article{ID: id, Status: status, PublishedAt: &at, Version: 1,
					CreatedAt: at, UpdatedAt: at, Translations: []content.Translation{{Locale: "en", Title: "T " + id.String(), Slug: "t-" + id.String()}}})
				if err != nil {
					t.Fatal(err)
				}
			}
			totalNow := func() int64 {
				p, err := svc.ListArticles(ctx, content.ListQuery{Chain: []string{"en"}, Limit: 5, CountTotal: true})
				if err != nil {
					t.Fatal(err)
				}
				return p.Total
			}
			article(now.Add(-time.Hour), content.Published)
			article(now.Add(-2*time.Hour), content.Published)
			if n := totalNow(); n != 2 {
				t.Fatalf("total %d, want 2", n)
			}
			article(now.Add(-3*time.Hour), content.Published) // behind the service's back
			if n := totalNow(); n != 2 {
				t.Fatalf("total %d: not remembered", n)
			}
			svc.ForgetTotals()
			if n := totalNow(); n != 3 {
				t.Fatalf("total %d after a write, want 3", n)
			}
			// A scheduled article bounds how long the total may be reused.
			article(now.Add(10*time.Minute), content.Scheduled)
			svc.ForgetTotals()
			if n := totalNow(); n != 3 {
				t.Fatalf("total %d before the scheduled time, want 3", n)
			}
			mu.Lock()
			now = now.Add(10*time.Minute + time.Second)
			mu.Unlock()
			if n := totalNow(); n != 4 {
				t.Fatalf("total %d once the scheduled article is due, want 4", n)
			}
			// A burst on a cold total runs one COUNT(*), not one per request.
			var counts atomic.Int64
			cb := db.Gorm().Callback().Query()
			if err := cb.After("gorm:query").Register("test:counts", func(tx *gorm.DB) {
				if strings.Contains(strings.ToLower(tx.Statement.SQL.String()), "count(") {
					counts.Add(1)
				}
			}); err != nil {
				t.Fatal(err)
			}
			defer func() { _ = cb.Remove("test:counts") }()
			svc.ForgetTotals()
			var wg sync.WaitGroup
			for i := 0; i < 16; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if n := totalNow(); n != 4 {
						t.Errorf("concurrent total %d, want 4", n)
					}
				}()
			}
			wg.Wait()
			if n := counts.Load(); n != 1 {
				t.Errorf("%d COUNT queries for 16 concurrent lists, want 1", n)
			}
			// Filters are remembered apart.
			featured := true
			p, err := svc.ListArticles(ctx, content.ListQuery{Chain: []string{"en"}, Limit: 5, CountTotal: true, Featured: &featured})
			if err != nil || p.Total != 0 {
				t.Fatalf("filtered total %d, %v", p.Total, err)
			}
		})
	}
}
