package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// TestTagCountsFollowRawWrites: the writes no service makes — a hard delete (whose links
// go by cascade after the article row), links moved by UPDATE, a bulk load, a tag's
// deletion — keep tag_counts equal to a recount, and a count written behind the
// triggers' back is caught.
func TestTagCountsFollowRawWrites(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		exec := func(q string, args ...any) {
			t.Helper()
			if err := e.db.Exec(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		tag := func(name string) uuid.UUID {
			g, err := e.svc.CreateTag(ctx, e.editor, []content.TermInput{{Locale: "en", Name: name}})
			if err != nil {
				t.Fatal(err)
			}
			return g.ID
		}
		x, y, z := tag("Raw X"), tag("Raw Y"), tag("Raw Z")
		article := func(publish bool, tags ...uuid.UUID) uuid.UUID {
			a, err := e.svc.CreateArticle(ctx, e.editor, content.NewArticle{TagIDs: tags,
				Translations: []content.TranslationInput{{Locale: "en", Title: "Raw"}}})
			if err != nil {
				t.Fatal(err)
			}
			if publish {
				if _, err := e.svc.Publish(ctx, e.editor, a.ID, a.Version, nil); err != nil {
					t.Fatal(err)
				}
			}
			return a.ID
		}
		want := func(step string, counts map[uuid.UUID]int64) {
			t.Helper()
			if ids, err := e.db.StaleTagCounts(ctx); err != nil || len(ids) > 0 {
				t.Fatalf("%s: stale tag counts %v, %v", step, ids, err)
			}
			tags, _, err := e.store.Tags(ctx, content.TagQuery{Chain: []string{"en"}, Limit: 100, Now: e.now})
			if err != nil {
				t.Fatal(err)
			}
			got := map[uuid.UUID]int64{}
			for _, g := range tags {
				got[g.ID] = g.ArticleCount
			}
			for id, n := range counts {
				if got[id] != n {
					t.Errorf("%s: tag %s counts %d, want %d", step, id, got[id], n)
				}
			}
		}
		both := article(true, x, y)
		onlyX := article(true, x)
		drafted := article(false, x)
		want("published", map[uuid.UUID]int64{x: 2, y: 1, z: 0})
		exec("DELETE FROM articles WHERE id = ?", both)
		want("hard delete", map[uuid.UUID]int64{x: 1, y: 0, z: 0})
		exec("DELETE FROM articles WHERE id = ?", drafted)
		want("hard delete of a draft", map[uuid.UUID]int64{x: 1, y: 0, z: 0})
		exec("UPDATE article_tags SET tag_id = ? WHERE article_id = ?", z, onlyX)
		want("link moved to another tag", map[uuid.UUID]int64{x: 0, y: 0, z: 1})
		other := article(false, y)
		exec("UPDATE article_tags SET article_id = ? WHERE article_id = ?", other, onlyX)
		want("link moved to a draft", map[uuid.UUID]int64{x: 0, y: 0, z: 0})
		// The card triggers (00051) refresh only the link's new article.
		exec("UPDATE articles SET card = (SELECT c.card FROM article_cards c WHERE c.id = articles.id) WHERE id = ?", onlyX)

		// The seeder's bulk path: COPY on PostgreSQL, multi-row inserts on SQLite.
		pub := e.now.Add(-time.Hour)
		ahead := e.now.Add(time.Hour)
		bulk := func(status content.Status, at *time.Time, tags ...uuid.UUID) content.Article {
			id := uuid.New()
			return content.Article{ID: id, Status: status, PublishedAt: at, Version: 1, CreatedAt: e.now, UpdatedAt: e.now, TagIDs: tags,
				Translations: []content.Translation{{Locale: "en", Title: "Bulk", Slug: "bulk-" + id.String()}}}
		}
		if err := e.store.CreateArticles(ctx, []content.Article{bulk(content.Published, &pub, x, y), bulk(content.Published, &pub, y),
			bulk(content.Scheduled, &ahead, x, z), bulk(content.Draft, nil, z)}); err != nil {
			t.Fatal(err)
		}
		want("bulk load, one scheduled ahead", map[uuid.UUID]int64{x: 1, y: 2, z: 0})
		if err := e.svc.DeleteTag(ctx, e.editor, y); err != nil {
			t.Fatal(err)
		}
		want("tag deleted", map[uuid.UUID]int64{x: 1, z: 0})

		exec("UPDATE tag_counts SET live = live + 5 WHERE tag_id = ?", x)
		if ids, err := e.db.StaleTagCounts(ctx); err != nil || len(ids) != 1 || ids[0] != x.String() {
			t.Fatalf("tampered count not found: %v %v", ids, err)
		}
		exec("UPDATE tag_counts SET live = live - 5 WHERE tag_id = ?", x)
	})
}

// TestTagLinksWrittenInTagOrder: two editors retagging two live articles with the same tags
// in opposite orders, at once, never deadlock on the tags' counts (links are written in
// tag order whatever the editor's order, which positions keep), and the counts stay exact.
func TestTagLinksWrittenInTagOrder(t *testing.T) {
	eachDB(t, func(t *testing.T, e *adminEnv) {
		ctx := context.Background()
		var tags []uuid.UUID
		for _, n := range []string{"Order A", "Order B", "Order C", "Order D"} {
			g, err := e.svc.CreateTag(ctx, e.editor, []content.TermInput{{Locale: "en", Name: n}})
			if err != nil {
				t.Fatal(err)
			}
			tags = append(tags, g.ID)
		}
		reversed := []uuid.UUID{tags[3], tags[2], tags[1], tags[0]}
		errs := make(chan error, 2)
		for _, order := range [][]uuid.UUID{tags, reversed} {
			a, err := e.svc.CreateArticle(ctx, e.editor, content.NewArticle{TagIDs: order,
				Translations: []content.TranslationInput{{Locale: "en", Title: "Ordered"}}})
			if err != nil {
				t.Fatal(err)
			}
			if a, err = e.svc.Publish(ctx, e.editor, a.ID, a.Version, nil); err != nil {
				t.Fatal(err)
			}
			go func() {
				for i := range 15 {
					ids := order[:2+i%3]
					if a, err = e.svc.UpdateArticle(ctx, e.editor, a.ID, a.Version, content.ArticlePatch{TagIDs: &ids}); err != nil {
						errs <- err
						return
					}
					if a.TagIDs[0] != order[0] {
						errs <- fmt.Errorf("tags %v lost the editor's order %v", a.TagIDs, ids)
						return
					}
				}
				errs <- nil
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if ids, err := e.db.StaleTagCounts(ctx); err != nil || len(ids) > 0 {
			t.Fatalf("stale tag counts %v, %v", ids, err)
		}
	})
}
