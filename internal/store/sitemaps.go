package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/media"
)

// SitemapEntries implements content.Store in one statement: the page of live articles
// (the partial index articles_live_published, walked forwards or backwards, with a probe of
// the translations' primary key per candidate for OnlyLocale), then the page's translations
// (locale and slug) and image covers joined to it, one row per translation. No card is read
// or decoded: at 50,000 URLs a file that is most of the cost. When ctx asks for media
// preloading (media.WithPreload), the covers found are recorded there with what a URL needs
// (kind, key, type, size, dimensions): no variants or texts.
func (s *Content) SitemapEntries(ctx context.Context, q content.SitemapQuery) ([]content.SitemapEntry, error) {
	dir := "ASC"
	if q.Newest {
		dir = "DESC"
	}
	where, args := sitemapWhere(q)
	inner := "SELECT a.id, a.published_at, a.updated_at, a.cover_media_id FROM articles a WHERE " + where +
		" ORDER BY a.published_at " + dir + ", a.id " + dir + " LIMIT ? OFFSET ?"
	args = append(args, q.Limit, max(q.Skip, 0))
	title := "''"
	if q.Titles {
		title = "t.title"
	}
	stmt := "SELECT p.id, p.published_at, p.updated_at, p.cover_media_id, t.locale, t.slug, " + title + ", " +
		"m.kind, m.storage_key, m.mime, m.size, m.width, m.height, m.sha256 FROM (" + inner + ") p " +
		"JOIN article_translations t ON t.article_id = p.id " +
		"LEFT JOIN media m ON m.id = p.cover_media_id " +
		"ORDER BY p.published_at " + dir + ", p.id " + dir + ", t.locale"
	rows, err := s.db.conn(ctx).Raw(stmt, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	pre := media.PreloadFrom(ctx)
	var (
		out       = make([]content.SitemapEntry, 0, q.Limit)
		coverIDs  []uuid.UUID
		covers    []media.Media
		id        uuid.UUID
		published time.Time
		updated   time.Time
		cover     *uuid.UUID
		loc, slug string
		tt        string
		mKind     sql.NullString
		mKey      sql.NullString
		mMIME     sql.NullString
		mSize     sql.NullInt64
		mW, mH    sql.NullInt64
		mSHA      sql.NullString
	)
	for rows.Next() {
		if err := rows.Scan(&id, &published, &updated, &cover, &loc, &slug, &tt, &mKind, &mKey, &mMIME, &mSize, &mW, &mH, &mSHA); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != id {
			out = append(out, content.SitemapEntry{ID: id, PublishedAt: published.UTC(), UpdatedAt: updated.UTC(), CoverMediaID: cover,
				Translations: make([]content.SitemapTranslation, 0, 4)})
			if cover != nil {
				coverIDs = append(coverIDs, *cover)
				if mKind.Valid {
					covers = append(covers, media.Media{ID: *cover, Kind: media.Kind(mKind.String), Key: mKey.String, MIME: mMIME.String,
						Size: mSize.Int64, Width: int(mW.Int64), Height: int(mH.Int64), SHA256: mSHA.String})
				}
			}
			cover = nil
		}
		e := &out[len(out)-1]
		e.Translations = append(e.Translations, content.SitemapTranslation{Locale: loc, Slug: slug, Title: tt})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if pre != nil {
		pre.Add(coverIDs, covers)
	}
	return out, nil
}

// sitemapWhere is the condition on articles a of q: visible, translated into OnlyLocale,
// published since PublishedAfter, after After in q's order.
func sitemapWhere(q content.SitemapQuery) (string, []any) {
	op := ">"
	if q.Newest {
		op = "<"
	}
	where := "a.deleted_at IS NULL AND a.status IN " + liveStatusIn + " AND a.published_at <= ?"
	args := []any{q.Now.UTC()}
	if q.OnlyLocale != "" {
		where += " AND EXISTS (SELECT 1 FROM article_translations ol WHERE ol.article_id = a.id AND ol.locale = ?)"
		args = append(args, q.OnlyLocale)
	}
	if q.PublishedAfter != nil {
		where += " AND a.published_at >= ?"
		args = append(args, q.PublishedAfter.UTC())
	}
	if q.After != nil {
		// The leading bound starts the index walk at the cursor (see ListVisibleArticles).
		where += " AND a.published_at " + op + "= ? AND (a.published_at " + op + " ? OR (a.published_at = ? AND a.id " + op + " ?))"
		args = append(args, q.After.PublishedAt.UTC(), q.After.PublishedAt.UTC(), q.After.PublishedAt.UTC(), q.After.ID)
	}
	return where, args
}

// SitemapSkip implements content.Store: the keys of the q.Skip-th article q selects, read
// from the live index (published_at, id) and the translations' primary key alone, where
// SitemapEntries' OFFSET made PostgreSQL read every skipped row (cards included: a
// sequential scan of the table) and SQLite fetch each of them. At 100,000 articles × 3
// locales, skipping 95,000 took 0.8 s instead of 1.8 s on PostgreSQL, 0.8–1.3 s instead of
// 2.1–2.6 s on SQLite (a loaded 2-core machine).
func (s *Content) SitemapSkip(ctx context.Context, q content.SitemapQuery) (*content.SitemapEntry, error) {
	if q.Skip <= 0 {
		return nil, nil
	}
	dir := "ASC"
	if q.Newest {
		dir = "DESC"
	}
	where, args := sitemapWhere(q)
	var row struct {
		ID          uuid.UUID
		PublishedAt time.Time
	}
	res := s.db.conn(ctx).Raw("SELECT a.id, a.published_at FROM articles a WHERE "+where+
		" ORDER BY a.published_at "+dir+", a.id "+dir+" LIMIT 1 OFFSET ?", append(args, q.Skip-1)...).Scan(&row)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, nil
	}
	return &content.SitemapEntry{ID: row.ID, PublishedAt: row.PublishedAt.UTC()}, nil
}

// CountVisibleByLocale implements content.Store: one pass over the articles, probing the
// translations' primary key, grouped by locale. CROSS JOIN keeps SQLite's order (articles
// first): left to choose, it walked the translations and fetched each article row, 8 times
// slower (5,000 articles × 3 locales: 0.73–0.82 s against 0.05–0.19 s under a load of 25 on
// 2 cores; a single locale's count took 0.07–0.1 s). PostgreSQL reorders it as it likes.
func (s *Content) CountVisibleByLocale(ctx context.Context, now time.Time) (map[string]int64, error) {
	rows, err := s.db.conn(ctx).Raw("SELECT t.locale, COUNT(*) FROM articles a CROSS JOIN article_translations t WHERE t.article_id = a.id "+
		"AND a.deleted_at IS NULL AND a.status IN "+liveStatusIn+" AND a.published_at <= ? GROUP BY t.locale", now.UTC()).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var loc string
		var n int64
		if err := rows.Scan(&loc, &n); err != nil {
			return nil, err
		}
		out[loc] = n
	}
	return out, rows.Err()
}
