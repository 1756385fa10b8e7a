package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/heraldcms/herald/internal/content"
)

// CreateArticles writes many articles with their translations and tag links in one
// transaction: COPY on PostgreSQL, multi-row inserts on SQLite. It is the seeder's path to
// a large archive in seconds; editors' writes go through CreateArticle.
func (s *Content) CreateArticles(ctx context.Context, arts []content.Article) error {
	if len(arts) == 0 {
		return nil
	}
	rows := make([]articleRow, 0, len(arts))
	var trs []translationRow
	var tags []articleTagRow
	var keys []titleKeyRow
	for _, a := range arts {
		rows = append(rows, articleRowFrom(a))
		keys = append(keys, s.titleKeys(a.ID, a.Translations)...)
		for _, t := range a.Translations {
			trs = append(trs, translationRowFrom(a.ID, t))
		}
		for i, tid := range a.TagIDs {
			tags = append(tags, articleTagRow{ArticleID: a.ID, TagID: tid, Position: i})
		}
	}
	if s.db.dialect == "postgres" {
		return s.copyArticles(ctx, rows, trs, tags, keys)
	}
	// Small statements: the SQLite driver matches each bound parameter against every
	// argument, so a statement's binding cost grows with the square of its parameters.
	return s.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.conn(ctx)
		if err := conn.CreateInBatches(rows, 100).Error; err != nil {
			return mapErr(err)
		}
		if len(trs) > 0 {
			if err := conn.CreateInBatches(trs, 100).Error; err != nil {
				return mapErr(err)
			}
		}
		if len(tags) > 0 {
			if err := conn.CreateInBatches(tags, 300).Error; err != nil {
				return mapErr(err)
			}
		}
		if len(keys) > 0 {
			if err := conn.CreateInBatches(keys, 300).Error; err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

func (s *Content) copyArticles(ctx context.Context, rows []articleRow, trs []translationRow, tags []articleTagRow, keys []titleKeyRow) error {
	conn, err := s.db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }()
		// Generated data can be re-made: do not wait for the WAL flush of every batch.
		if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit TO OFF"); err != nil {
			return err
		}
		copyRows := func(table string, cols []string, n int, row func(i int) []any) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(n, func(i int) ([]any, error) { return row(i), nil }))
			if err != nil {
				return fmt.Errorf("copy %s: %w", table, mapErr(err))
			}
			return nil
		}
		if err := copyRows("articles", []string{"id", "status", "published_at", "first_published_at", "author_id", "category_id", "cover_media_id",
			"featured", "read_count", "version", "created_at", "updated_at", "deleted_at"}, len(rows), func(i int) []any {
			r := rows[i]
			return []any{r.ID, r.Status, r.PublishedAt, r.FirstPublishedAt, r.AuthorID, r.CategoryID, r.CoverMediaID, r.Featured, r.ReadCount,
				r.Version, r.CreatedAt, r.UpdatedAt, r.DeletedAt}
		}); err != nil {
			return err
		}
		if err := copyRows("article_translations", []string{"article_id", "locale", "title", "slug", "summary", "body",
			"meta_title", "meta_description", "reading_minutes", "created_at", "updated_at"}, len(trs), func(i int) []any {
			t := trs[i]
			return []any{t.ArticleID, t.Locale, t.Title, t.Slug, t.Summary, t.Body, t.MetaTitle, t.MetaDescription,
				t.ReadingMinutes, t.CreatedAt, t.UpdatedAt}
		}); err != nil {
			return err
		}
		if err := copyRows("article_tags", []string{"article_id", "tag_id", "position"}, len(tags), func(i int) []any {
			return []any{tags[i].ArticleID, tags[i].TagID, tags[i].Position}
		}); err != nil {
			return err
		}
		if err := copyRows("article_title_keys", []string{"article_id", "locale", "title_key"}, len(keys), func(i int) []any {
			return []any{keys[i].ArticleID, keys[i].Locale, keys[i].TitleKey}
		}); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

// Analyze refreshes the planner's statistics (and, on PostgreSQL, the visibility map that
// index-only counts need) after a bulk load; autovacuum would get there, later.
func (db *DB) Analyze(ctx context.Context) error {
	if db.dialect == "postgres" {
		return db.gorm.WithContext(ctx).Exec("VACUUM (ANALYZE) articles, article_translations, article_tags, article_title_keys").Error
	}
	return db.sqliteStats(ctx, true)
}

// sqliteStats runs ANALYZE when analyze is set and then drops SQLite's value samples
// (sqlite_stat4), keeping its per-index averages (sqlite_stat1). A prepared statement whose
// plan consulted a sample for a bound parameter is marked expired whenever that parameter
// is bound again, and every read binds a new clock and slug: each request parsed and
// planned its statement anew. At 100,000 articles that was a third of an uncached
// detail's CPU (550 req/s with samples, 2,459 without); the averages give the same plans
// (TestEveryPublicSortIsServedByAnIndex). One connection does it all, so it also reloads
// the statistics it uses (ANALYZE sqlite_schema); Open runs it before the pool grows.
func (db *DB) sqliteStats(ctx context.Context, analyze bool) error {
	c, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if analyze {
		if _, err := c.ExecContext(ctx, "ANALYZE"); err != nil {
			return err
		}
	}
	var n int
	if err := c.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'").Scan(&n); err != nil || n == 0 {
		return err
	}
	if err := c.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_stat4").Scan(&n); err != nil || n == 0 {
		return err
	}
	if _, err := c.ExecContext(ctx, "DELETE FROM sqlite_stat4"); err != nil {
		return err
	}
	_, err = c.ExecContext(ctx, "ANALYZE sqlite_schema")
	return err
}
