package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

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
