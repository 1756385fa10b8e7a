package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/views"
)

// Views implements views.Store.
type Views struct{ db *DB }

// NewViews returns the read-count repository over db.
func NewViews(db *DB) *Views { return &Views{db: db} }

var (
	_ views.Store      = (*Views)(nil)
	_ views.BatchStore = (*Views)(nil)
)

// viewsDailyRow mirrors article_views_daily; the queries below write it with raw SQL.
type viewsDailyRow struct {
	ArticleID uuid.UUID `gorm:"primaryKey"`
	Day       string    `gorm:"primaryKey"` // 'YYYY-MM-DD', a date in PostgreSQL
	Count     int64
}

func (viewsDailyRow) TableName() string { return "article_views_daily" }

// viewsChunk bounds the rows of one statement, well under both dialects' parameter limits.
const viewsChunk = 500

const dayLayout = "2006-01-02"

// InTx implements views.Store.
func (s *Views) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.InTx(ctx, fn)
}

// AddViews implements views.Store: per chunk of deltas, one UPDATE of articles.read_count
// and one upsert into article_views_daily, all in one transaction, each adding to what is
// there so concurrent instances stay exact. It runs on database/sql rather than GORM: the
// VALUES list changes length with every flush, and GORM's prepared-statement cache would
// keep one statement per length forever.
func (s *Views) AddViews(ctx context.Context, deltas []views.Delta) (err error) {
	if len(deltas) == 0 {
		return nil
	}
	tx, err := s.db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // the error that matters is err
		}
	}()
	for start := 0; start < len(deltas); start += viewsChunk {
		chunk := deltas[start:min(start+viewsChunk, len(deltas))]
		if err := s.addChunk(ctx, tx, chunk); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// viewsBatchesKept is how long applied batch ids are remembered: a spool older than this
// (a server down for a month) could add a batch twice.
const viewsBatchesKept = 30 * 24 * time.Hour

// AddViewBatches implements views.BatchStore: in one transaction it records each batch's
// id and adds the deltas of the batches whose id was not recorded before, so replaying a
// batch that already reached the database adds nothing.
func (s *Views) AddViewBatches(ctx context.Context, batches []views.Batch) (err error) {
	if len(batches) == 0 {
		return nil
	}
	tx, err := s.db.sql.BeginTx(ctx, nil)
	if err != nil {
		return markUnavailable(err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // the error that matters is err
			err = markUnavailable(err)
		}
	}()
	insert, prune := "INSERT INTO views_batches (id, applied_at) VALUES ($1::uuid, $2) ON CONFLICT (id) DO NOTHING",
		"DELETE FROM views_batches WHERE applied_at < $1"
	if s.db.dialect != "postgres" {
		insert, prune = "INSERT INTO views_batches (id, applied_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
			"DELETE FROM views_batches WHERE applied_at < ?"
	}
	now := time.Now().UTC()
	type dayKey struct {
		id  uuid.UUID
		day time.Time
	}
	sum := map[dayKey]int64{}
	for _, b := range batches {
		res, err := tx.ExecContext(ctx, insert, b.ID.String(), now)
		if err != nil {
			return fmt.Errorf("record views batch: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			continue // applied before
		}
		for _, d := range b.Deltas {
			sum[dayKey{d.ArticleID, d.Day.UTC()}] += d.Count
		}
	}
	// One row per article and day (an upsert may not touch a row twice), in one order for
	// every instance so concurrent flushes lock rows alike.
	deltas := make([]views.Delta, 0, len(sum))
	for k, n := range sum {
		deltas = append(deltas, views.Delta{ArticleID: k.id, Day: k.day, Count: n})
	}
	sort.Slice(deltas, func(i, j int) bool {
		if c := bytes.Compare(deltas[i].ArticleID[:], deltas[j].ArticleID[:]); c != 0 {
			return c < 0
		}
		return deltas[i].Day.Before(deltas[j].Day)
	})
	for start := 0; start < len(deltas); start += viewsChunk {
		if err := s.addChunk(ctx, tx, deltas[start:min(start+viewsChunk, len(deltas))]); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, prune, now.Add(-viewsBatchesKept)); err != nil {
		return fmt.Errorf("prune views batches: %w", err)
	}
	return tx.Commit()
}

func (s *Views) addChunk(ctx context.Context, tx *sql.Tx, deltas []views.Delta) error {
	pg := s.db.dialect == "postgres"
	// Totals per article: one article may have several days in a batch.
	var ids []uuid.UUID
	totals := map[uuid.UUID]int64{}
	for _, d := range deltas {
		if _, ok := totals[d.ArticleID]; !ok {
			ids = append(ids, d.ArticleID)
		}
		totals[d.ArticleID] += d.Count
	}
	var b strings.Builder
	args := make([]any, 0, 2*len(ids))
	b.WriteString("WITH v (id, n) AS (VALUES ")
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		if pg {
			fmt.Fprintf(&b, "($%d::uuid, $%d::bigint)", n+1, n+2)
		} else {
			b.WriteString("(?, ?)")
		}
		args = append(args, id.String(), totals[id])
	}
	b.WriteString(") UPDATE articles SET read_count = articles.read_count + v.n FROM v WHERE articles.id = v.id")
	if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("add read counts: %w", err)
	}

	b.Reset()
	args = args[:0]
	b.WriteString("WITH v (id, day, n) AS (VALUES ")
	for i, d := range deltas {
		if i > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		if pg {
			fmt.Fprintf(&b, "($%d::uuid, $%d::date, $%d::bigint)", n+1, n+2, n+3)
		} else {
			b.WriteString("(?, ?, ?)")
		}
		args = append(args, d.ArticleID.String(), d.Day.UTC().Format(dayLayout), d.Count)
	}
	// The join drops articles deleted since the hit; "WHERE true" settles SQLite's
	// INSERT … SELECT … ON CONFLICT parsing ambiguity.
	b.WriteString(`) INSERT INTO article_views_daily (article_id, day, count)
		SELECT v.id, v.day, v.n FROM v JOIN articles a ON a.id = v.id WHERE true
		ON CONFLICT (article_id, day) DO UPDATE SET count = article_views_daily.count + excluded.count`)
	if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("add daily views: %w", err)
	}
	return nil
}

type liveRow struct {
	ID          uuid.UUID
	PublishedAt time.Time
}

func live(q *liveRow) views.Live { return views.Live{ID: q.ID, PublishedAt: q.PublishedAt.UTC()} }

// live selects published or scheduled articles that are not deleted, due or not.
func (s *Views) live(ctx context.Context) *gorm.DB {
	return s.db.conn(ctx).Table("articles AS a").Select("a.id, a.published_at").
		Where("a.deleted_at IS NULL AND a.status IN " + liveStatusIn + " AND a.published_at IS NOT NULL")
}

// LiveArticles implements views.Store.
func (s *Views) LiveArticles(ctx context.Context, limit int) ([]views.Live, error) {
	var rows []liveRow
	if err := s.live(ctx).Order("a.published_at DESC, a.id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]views.Live, len(rows))
	for i := range rows {
		out[i] = live(&rows[i])
	}
	return out, nil
}

// LiveArticle implements views.Store.
func (s *Views) LiveArticle(ctx context.Context, id uuid.UUID) (views.Live, error) {
	var rows []liveRow
	if err := s.live(ctx).Where("a.id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return views.Live{}, err
	}
	if len(rows) == 0 {
		return views.Live{}, views.ErrNotFound
	}
	return live(&rows[0]), nil
}

// ReadCount implements views.Store.
func (s *Views) ReadCount(ctx context.Context, id uuid.UUID) (int64, error) {
	var counts []int64
	if err := s.db.conn(ctx).Model(&articleRow{}).Where("id = ? AND deleted_at IS NULL", id).
		Limit(1).Pluck("read_count", &counts).Error; err != nil {
		return 0, err
	}
	if len(counts) == 0 {
		return 0, views.ErrNotFound
	}
	return counts[0], nil
}

// SetReadCount implements views.Store. It leaves version and updated_at alone: a counter
// is not an editorial change.
func (s *Views) SetReadCount(ctx context.Context, id uuid.UUID, n int64) error {
	res := s.db.conn(ctx).Model(&articleRow{}).Where("id = ? AND deleted_at IS NULL", id).
		UpdateColumn("read_count", n)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return views.ErrNotFound
	}
	return nil
}

// ArticleIDBySlug implements views.Store.
func (s *Views) ArticleIDBySlug(ctx context.Context, locale, slug string) (uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.conn(ctx).Table("article_translations AS t").Joins("JOIN articles a ON a.id = t.article_id").
		Where("t.locale = ? AND t.slug = ? AND a.deleted_at IS NULL", locale, slug).
		Limit(1).Pluck("t.article_id", &ids).Error
	if err != nil {
		return uuid.Nil, err
	}
	if len(ids) == 0 {
		return uuid.Nil, views.ErrNotFound
	}
	return ids[0], nil
}

// dayText selects a day column as 'YYYY-MM-DD' in both dialects.
func (s *Views) dayText(col string) string {
	if s.db.dialect == "postgres" {
		return "to_char(" + col + ", 'YYYY-MM-DD')"
	}
	// The SQLite driver turns a DATE column into a time; the text is what was stored.
	return "CAST(" + col + " AS TEXT)"
}

// dayParam is a day as a query parameter comparable with the day column.
func (s *Views) dayParam(t time.Time) any {
	return t.UTC().Format(dayLayout)
}

// DailyViews implements views.Store.
func (s *Views) DailyViews(ctx context.Context, id uuid.UUID, from, to time.Time) ([]views.DayCount, error) {
	type row struct {
		Day   string
		Count int64
	}
	var rows []row
	cast := "?"
	if s.db.dialect == "postgres" {
		cast = "CAST(? AS date)"
	}
	err := s.db.conn(ctx).Table("article_views_daily").
		Select(s.dayText("day")+" AS day, count").
		Where("article_id = ? AND day >= "+cast+" AND day <= "+cast, id, s.dayParam(from), s.dayParam(to)).
		Order("day").Limit(views.MaxStatsDays + 1).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]views.DayCount, 0, len(rows))
	for _, r := range rows {
		d, err := time.Parse(dayLayout, r.Day)
		if err != nil {
			return nil, fmt.Errorf("article_views_daily.day %q: %w", r.Day, err)
		}
		out = append(out, views.DayCount{Day: d, Count: r.Count})
	}
	return out, nil
}

// TopArticles implements views.Store.
func (s *Views) TopArticles(ctx context.Context, from *time.Time, now time.Time, limit int) ([]views.Ranked, error) {
	type row struct {
		ID    uuid.UUID
		Views int64
	}
	var rows []row
	var err error
	if from == nil {
		err = visible(s.db.conn(ctx).Table("articles AS a"), now).
			Select("a.id, a.read_count AS views").
			Order("a.read_count DESC, a.id DESC").Limit(limit).Find(&rows).Error
	} else {
		cast := "?"
		if s.db.dialect == "postgres" {
			cast = "CAST(? AS date)"
		}
		err = visible(s.db.conn(ctx).Table("article_views_daily AS d").Joins("JOIN articles a ON a.id = d.article_id"), now).
			Select("d.article_id AS id, SUM(d.count) AS views").
			Where("d.day >= "+cast, s.dayParam(*from)).
			Group("d.article_id").
			Order("views DESC, d.article_id DESC").Limit(limit).Find(&rows).Error
	}
	if err != nil {
		return nil, err
	}
	out := make([]views.Ranked, len(rows))
	for i, r := range rows {
		out[i] = views.Ranked{ArticleID: r.ID, Views: r.Views}
	}
	return out, nil
}

// VisibleArticlesByID implements content.Store: the visible articles among ids, in the
// order of ids, in a fixed number of queries (rankings list articles this way).
func (s *Content) VisibleArticlesByID(ctx context.Context, ids []uuid.UUID, now time.Time) ([]content.Article, error) {
	if len(ids) == 0 {
		return []content.Article{}, nil
	}
	rows, err := s.readPublic(ctx, visible(s.db.conn(ctx).Table("articles AS a"), now).Select(articleCols(s.db.dialect, false)).
		Where("a.id IN ?", ids).Limit(len(ids)), "", readShape{})
	if err != nil {
		return nil, err
	}
	pos := make(map[uuid.UUID]int, len(ids))
	for i, id := range ids {
		if _, ok := pos[id]; !ok {
			pos[id] = i
		}
	}
	ordered := make([]content.Article, 0, len(rows))
	byID := make(map[uuid.UUID]content.Article, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	for _, id := range ids {
		if r, ok := byID[id]; ok && pos[id] >= 0 {
			ordered = append(ordered, r)
			pos[id] = -1
		}
	}
	return ordered, nil
}

// AllDailyViews implements views.Store.
func (s *Views) AllDailyViews(ctx context.Context, id uuid.UUID) ([]views.DayCount, error) {
	var rows []struct {
		Day   string
		Count int64
	}
	err := s.db.conn(ctx).Table("article_views_daily").Select(s.dayText("day")+" AS day, count").
		Where("article_id = ? AND count > 0", id).Order("day").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]views.DayCount, 0, len(rows))
	for _, r := range rows {
		d, err := time.Parse(dayLayout, r.Day)
		if err != nil {
			return nil, fmt.Errorf("article_views_daily.day %q: %w", r.Day, err)
		}
		out = append(out, views.DayCount{Day: d, Count: r.Count})
	}
	return out, nil
}

// PutDailyViews implements views.Store: one statement per day (imports carry few), so
// the prepared statement is one.
func (s *Views) PutDailyViews(ctx context.Context, id uuid.UUID, days []views.DayCount) error {
	day := "?"
	if s.db.dialect == "postgres" {
		day = "CAST(? AS date)"
	}
	q := "INSERT INTO article_views_daily (article_id, day, count) VALUES (?, " + day + ", ?) " +
		"ON CONFLICT (article_id, day) DO UPDATE SET count = excluded.count"
	for _, d := range days {
		if err := s.db.conn(ctx).Exec(q, id, s.dayParam(d.Day), d.Count).Error; err != nil {
			return fmt.Errorf("put daily views: %w", err)
		}
	}
	return nil
}

var _ views.ImportStore = (*Views)(nil)
