package store_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
	"github.com/heraldcms/herald/internal/views"
)

// viewsDB is a migrated database of dialect with the demo content.
func viewsDB(t *testing.T, dialect string) (*store.DB, *store.Views) {
	t.Helper()
	db := testkit.OpenDB(t, dialect)
	if _, err := demo.Load(context.Background(), store.NewContent(db), time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	return db, store.NewViews(db)
}

func eachViewsDB(t *testing.T, fn func(t *testing.T, db *store.DB, vs *store.Views)) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db, vs := viewsDB(t, d)
			fn(t, db, vs)
		})
	}
}

// liveIDs returns n visible demo articles with their read counts.
func liveIDs(t *testing.T, vs *store.Views, n int) ([]uuid.UUID, map[uuid.UUID]int64) {
	t.Helper()
	ctx := context.Background()
	live, err := vs.LiveArticles(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var ids []uuid.UUID
	counts := map[uuid.UUID]int64{}
	for _, l := range live {
		if l.PublishedAt.After(time.Now()) {
			continue // the scheduled demo article
		}
		c, err := vs.ReadCount(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids, counts[l.ID] = append(ids, l.ID), c
		if len(ids) == n {
			return ids, counts
		}
	}
	t.Fatalf("only %d live articles", len(ids))
	return nil, nil
}

func dailySum(t *testing.T, db *store.DB, id uuid.UUID) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm().Raw("SELECT COALESCE(SUM(count), 0) FROM article_views_daily WHERE article_id = ?", id).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestConcurrentHitsAreExact: many goroutines hit several articles while the counter
// flushes every few milliseconds; after Close, read_count and the daily table agree with
// the number of hits exactly.
func TestConcurrentHitsAreExact(t *testing.T) {
	eachViewsDB(t, func(t *testing.T, db *store.DB, vs *store.Views) {
		ids, before := liveIDs(t, vs, 5)
		c := views.NewCounter(vs, views.Options{FlushInterval: 5 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		c.Start(context.Background())
		const workers, hits = 32, 300
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range hits {
					if i%50 == 49 {
						time.Sleep(2 * time.Millisecond) // let flushes run between hits
					}
					if err := c.Hit(context.Background(), ids[(w+i)%len(ids)], "", ""); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if err := c.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		var total int64
		for _, id := range ids {
			n, err := vs.ReadCount(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			added := n - before[id]
			if d := dailySum(t, db, id); d != added {
				t.Errorf("%s: read_count grew by %d, daily rows sum to %d", id, added, d)
			}
			total += added
		}
		if total != workers*hits {
			t.Fatalf("counted %d, want %d", total, workers*hits)
		}
		if s := c.Stats(); s.Flushes < 2 || s.FailedFlushes != 0 || s.Written != workers*hits {
			t.Errorf("stats %+v: want several flushes writing every hit", s)
		}
	})
}

// TestFlushSurvivesAnOutage: while the daily table is missing the flush fails as a whole
// (read_count is not half-written); once it is back, the next flush writes everything.
func TestFlushSurvivesAnOutage(t *testing.T) {
	eachViewsDB(t, func(t *testing.T, db *store.DB, vs *store.Views) {
		ids, before := liveIDs(t, vs, 1)
		id := ids[0]
		ctx := context.Background()
		c := views.NewCounter(vs, views.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		for range 3 {
			if err := c.Hit(ctx, id, "", ""); err != nil {
				t.Fatal(err)
			}
		}
		exec := func(q string) {
			t.Helper()
			if err := db.Gorm().Exec(q).Error; err != nil {
				t.Fatal(err)
			}
		}
		exec("ALTER TABLE article_views_daily RENAME TO article_views_daily_away")
		if err := c.Flush(ctx); err == nil {
			t.Fatal("flush succeeded without its table")
		}
		if n, _ := vs.ReadCount(ctx, id); n != before[id] {
			t.Fatalf("read_count %d after a failed flush, want %d untouched", n, before[id])
		}
		if err := c.Hit(ctx, id, "", ""); err != nil {
			t.Fatal(err)
		}
		exec("ALTER TABLE article_views_daily_away RENAME TO article_views_daily")
		if err := c.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := vs.ReadCount(ctx, id); n != before[id]+4 || dailySum(t, db, id) != 4 {
			t.Fatalf("read_count %d (want %d), daily %d (want 4)", n, before[id]+4, dailySum(t, db, id))
		}
	})
}

func TestAddViewsAcrossDaysAndDeletedArticles(t *testing.T) {
	eachViewsDB(t, func(t *testing.T, db *store.DB, vs *store.Views) {
		ctx := context.Background()
		ids, before := liveIDs(t, vs, 2)
		a, gone := ids[0], ids[1]
		d1 := time.Date(2024, 2, 28, 0, 0, 0, 0, time.UTC)
		d2 := d1.AddDate(0, 0, 1)
		if err := db.Gorm().Exec("DELETE FROM articles WHERE id = ?", gone).Error; err != nil {
			t.Fatal(err)
		}
		for range 2 { // the upsert adds to existing rows
			err := vs.AddViews(ctx, []views.Delta{{ArticleID: a, Day: d1, Count: 2}, {ArticleID: a, Day: d2, Count: 5}, {ArticleID: gone, Day: d1, Count: 7}})
			if err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := vs.ReadCount(ctx, a); n != before[a]+14 {
			t.Errorf("read_count %d, want %d", n, before[a]+14)
		}
		days, err := vs.DailyViews(ctx, a, d1, d2)
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 2 || !days[0].Day.Equal(d1) || days[0].Count != 4 || !days[1].Day.Equal(d2) || days[1].Count != 10 {
			t.Errorf("daily = %+v", days)
		}
		if days, _ := vs.DailyViews(ctx, a, d2, d2); len(days) != 1 || days[0].Count != 10 {
			t.Errorf("one-day range = %+v", days)
		}
		if _, err := vs.ReadCount(ctx, gone); !errors.Is(err, views.ErrNotFound) {
			t.Errorf("deleted article: %v", err)
		}

		// A flush larger than one statement's chunk still lands whole.
		var many []views.Delta
		for i := range 1200 {
			many = append(many, views.Delta{ArticleID: a, Day: d1.AddDate(0, 0, -i), Count: 1})
		}
		if err := vs.AddViews(ctx, many); err != nil {
			t.Fatal(err)
		}
		if n := dailySum(t, db, a); n != 14+1200 {
			t.Errorf("daily sum %d, want %d", n, 14+1200)
		}
	})
}

func TestTopArticles(t *testing.T) {
	eachViewsDB(t, func(t *testing.T, db *store.DB, vs *store.Views) {
		ctx := context.Background()
		now := time.Now().UTC()
		today := views.Day(now)
		ids, _ := liveIDs(t, vs, 3)
		err := vs.AddViews(ctx, []views.Delta{
			{ArticleID: ids[0], Day: today, Count: 5},
			{ArticleID: ids[1], Day: today, Count: 9},
			{ArticleID: ids[2], Day: today.AddDate(0, 0, -3), Count: 20},
		})
		if err != nil {
			t.Fatal(err)
		}
		top, err := vs.TopArticles(ctx, &today, now, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(top) != 2 || top[0].ArticleID != ids[1] || top[0].Views != 9 || top[1].ArticleID != ids[0] {
			t.Fatalf("today = %+v", top)
		}
		week := today.AddDate(0, 0, -6)
		top, _ = vs.TopArticles(ctx, &week, now, 2)
		if len(top) != 2 || top[0].ArticleID != ids[2] || top[0].Views != 20 {
			t.Fatalf("week = %+v", top)
		}
		// Hidden articles drop out of rankings.
		if err := db.Gorm().Exec("UPDATE articles SET status = 'draft' WHERE id = ?", ids[2]).Error; err != nil {
			t.Fatal(err)
		}
		top, _ = vs.TopArticles(ctx, &week, now, 10)
		if len(top) != 2 || top[0].ArticleID != ids[1] {
			t.Fatalf("week without the draft = %+v", top)
		}
		all, err := vs.TopArticles(ctx, nil, now, 100)
		if err != nil || len(all) < 10 {
			t.Fatalf("all time: %d, %v", len(all), err)
		}
		for i := 1; i < len(all); i++ {
			if all[i].Views > all[i-1].Views {
				t.Fatalf("all time not ordered at %d: %+v", i, all)
			}
		}
	})
}

func TestSetReadCountAndSlugs(t *testing.T) {
	eachViewsDB(t, func(t *testing.T, db *store.DB, vs *store.Views) {
		ctx := context.Background()
		id, err := vs.ArticleIDBySlug(ctx, "en", demo.FixtureSlugEN)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := vs.ReadCount(ctx, id); n != 310 {
			t.Fatalf("fixture read count %d", n)
		}
		if _, err := vs.ArticleIDBySlug(ctx, "az", demo.FixtureSlugEN); !errors.Is(err, views.ErrNotFound) {
			t.Errorf("slug in the wrong locale: %v", err)
		}
		if err := vs.SetReadCount(ctx, id, 1234); err != nil {
			t.Fatal(err)
		}
		if n, _ := vs.ReadCount(ctx, id); n != 1234 {
			t.Errorf("read count %d after set", n)
		}
		if err := vs.SetReadCount(ctx, uuid.Must(uuid.NewV7()), 1); !errors.Is(err, views.ErrNotFound) {
			t.Errorf("unknown id: %v", err)
		}
		// Live articles include the scheduled one with its future time, not drafts.
		live, err := vs.LiveArticles(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var future int
		for _, l := range live {
			if l.PublishedAt.After(time.Now()) {
				future++
			}
		}
		if future != 1 {
			t.Errorf("%d scheduled articles among %d live, want 1", future, len(live))
		}
		if l, err := vs.LiveArticle(ctx, id); err != nil || l.ID != id {
			t.Errorf("live fixture: %+v %v", l, err)
		}
	})
}

// TestViewBatchesAreIdempotent: a replayed batch (its commit had reached the database) adds
// nothing; batches that share an article and day in one replay are merged, not refused.
func TestViewBatchesAreIdempotent(t *testing.T) {
	eachViewsDB(t, func(t *testing.T, db *store.DB, vs *store.Views) {
		ctx := context.Background()
		ids, before := liveIDs(t, vs, 1)
		a := ids[0]
		day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
		b1 := views.Batch{ID: uuid.New(), Deltas: []views.Delta{{ArticleID: a, Day: day, Count: 3}}}
		b2 := views.Batch{ID: uuid.New(), Deltas: []views.Delta{{ArticleID: a, Day: day, Count: 4}}}
		if err := vs.AddViewBatches(ctx, []views.Batch{b1}); err != nil {
			t.Fatal(err)
		}
		if err := vs.AddViewBatches(ctx, []views.Batch{b1, b2}); err != nil { // b1 again: a replay
			t.Fatal(err)
		}
		if n, _ := vs.ReadCount(ctx, a); n != before[a]+7 {
			t.Errorf("read_count %d, want %d (3 once, plus 4)", n, before[a]+7)
		}
		if days, _ := vs.DailyViews(ctx, a, day, day); len(days) != 1 || days[0].Count != 7 {
			t.Errorf("daily %+v, want 7", days)
		}
	})
}
