package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestListUsesLiveIndex: the public list reads the partial index of live articles instead
// of scanning and sorting the table (a bound status list once hid the index's predicate).
func TestListUsesLiveIndex(t *testing.T) {
	db := testkit.OpenDB(t, "sqlite")
	type captured struct {
		sql  string
		vars []any
	}
	var got []captured
	cb := db.Gorm().Callback().Query()
	if err := cb.After("gorm:query").Register("test:capture", func(tx *gorm.DB) {
		got = append(got, captured{tx.Statement.SQL.String(), tx.Statement.Vars})
	}); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cb.Remove("test:capture") }()
	svc := content.NewService(store.NewContent(db), time.Now)
	for _, sort := range []content.Sort{content.SortNewest, content.SortMostRead} {
		got = nil
		if _, err := svc.ListArticles(context.Background(), content.ListQuery{Chain: []string{"az"}, Sort: sort, Limit: 20}); err != nil {
			t.Fatal(err)
		}
		var page *captured
		for i := range got {
			if strings.Contains(got[i].sql, "ORDER BY") && strings.Contains(got[i].sql, "FROM articles AS a") {
				page = &got[i]
			}
		}
		if page == nil {
			t.Fatalf("no page query captured: %v", got)
		}
		var plan []struct {
			ID, Parent, Notused int
			Detail              string
		}
		if err := db.Gorm().Raw("EXPLAIN QUERY PLAN "+page.sql, page.vars...).Scan(&plan).Error; err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, p := range plan {
			steps = append(steps, p.Detail)
		}
		joined := strings.Join(steps, "; ")
		// (A temporary B-tree for json_group_array(ORDER BY) sorts one article's few relations.)
		if !strings.Contains(joined, "articles_live_") || strings.Contains(joined, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("sort %s: plan %q does not walk a live-articles index in order", sort, joined)
		}
	}
}

// TestPublicReadsReuseGenericPlans: on PostgreSQL the categories' statement and a cursor
// page's settle on generic plans. With the visibility time or the cursor's time visible to
// the planner, a custom plan (the time past every row, or a short range before it) always
// looked cheaper, and each read was planned again (liveCount, ListArticles' cursor).
func TestPublicReadsReuseGenericPlans(t *testing.T) {
	db := testkit.OpenDB(t, "postgres") // skips without PostgreSQL
	db.SetMaxConns(1)                   // statements are prepared on the one connection the checks below read
	ctx := context.Background()
	c := store.NewContent(db)
	now := time.Now().UTC()
	cat := content.Category{ID: uuid.New(), Position: 1, CreatedAt: now, UpdatedAt: now,
		Translations: []content.CategoryTranslation{{Locale: "en", Name: "News", Slug: "news"}}}
	if err := c.CreateCategory(ctx, cat); err != nil {
		t.Fatal(err)
	}
	// An archive to cost: 2,000 published articles, a few scheduled.
	if err := db.Exec(ctx, "INSERT INTO articles (id, status, published_at, category_id, created_at, updated_at)"+
		" SELECT gen_random_uuid(), CASE WHEN g % 500 = 0 THEN 'scheduled' ELSE 'published' END,"+
		" CAST(? AS timestamptz) + (g - 1990) * interval '1 hour', ?, CAST(? AS timestamptz), CAST(? AS timestamptz) FROM generate_series(1, 2000) g",
		now, cat.ID, now, now); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	plans := func(like string) (custom, generic int64) {
		t.Helper()
		var p struct{ Generic, Custom int64 }
		if err := db.Gorm().Raw("SELECT COALESCE(SUM(generic_plans), 0) AS generic, COALESCE(SUM(custom_plans), 0) AS custom"+
			" FROM pg_prepared_statements WHERE statement LIKE ? AND statement NOT LIKE '%pg_prepared_statements%'", like).Scan(&p).Error; err != nil {
			t.Fatal(err)
		}
		return p.Custom, p.Generic
	}
	for range 8 {
		if _, err := c.Categories(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// PostgreSQL plans the first five executions for their arguments, then compares.
	if custom, generic := plans("%FROM category_counts%"); custom != 5 || generic != 3 {
		t.Errorf("categories: %d custom and %d generic plans in 8 reads, want 5 and 3: each read is planned again", custom, generic)
	}
	for i := range 8 {
		after := &content.Cursor{Sort: content.SortNewest, Key: now.Add(-time.Duration(100+i) * time.Hour).Format(time.RFC3339Nano), ID: uuid.New()}
		arts, _, err := c.ListVisibleArticles(ctx, content.ListQuery{Chain: []string{"en"}, Sort: content.SortNewest, Limit: 20, After: after, Now: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if len(arts) != 21 {
			t.Fatalf("cursor page: %d articles, want 21 (the page and one more)", len(arts))
		}
	}
	if custom, generic := plans("%AS sort_key%"); custom != 5 || generic != 3 {
		t.Errorf("cursor pages: %d custom and %d generic plans in 8 reads, want 5 and 3: each page is planned again", custom, generic)
	}
}
