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

// TestCategoriesReuseAGenericPlan: on PostgreSQL the categories' statement settles on a
// generic plan. With the visibility time visible to the planner, a custom plan (the time
// is past every row) always looked cheaper, and each read was planned again (liveCount).
func TestCategoriesReuseAGenericPlan(t *testing.T) {
	db := testkit.OpenDB(t, "postgres") // skips without PostgreSQL
	db.SetMaxConns(1)                   // the statement is prepared on the one connection the query below reads
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
	for range 8 {
		if _, err := c.Categories(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var plans struct{ Generic, Custom int64 }
	if err := db.Gorm().Raw("SELECT COALESCE(SUM(generic_plans), 0) AS generic, COALESCE(SUM(custom_plans), 0) AS custom" +
		" FROM pg_prepared_statements WHERE statement LIKE '%FROM category_counts%' AND statement NOT LIKE '%pg_prepared_statements%'").Scan(&plans).Error; err != nil {
		t.Fatal(err)
	}
	// PostgreSQL plans the first five executions for their arguments, then compares.
	if plans.Generic != 3 || plans.Custom != 5 {
		t.Errorf("categories: %d custom and %d generic plans in 8 reads, want 5 and 3: each read is planned again", plans.Custom, plans.Generic)
	}
}
