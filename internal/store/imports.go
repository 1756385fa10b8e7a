package store

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/content"
)

// articleImportRow ties an archive's external id to an article (migration 00200).
type articleImportRow struct {
	ArticleID  uuid.UUID `gorm:"primaryKey"`
	ExternalID string
	Byline     string
}

func (articleImportRow) TableName() string { return "article_imports" }

// ImportRecord implements content.Store.
func (s *Content) ImportRecord(ctx context.Context, ext string) (content.ImportRecord, error) {
	var rows []articleImportRow
	if err := s.db.conn(ctx).Where("external_id = ?", ext).Limit(1).Find(&rows).Error; err != nil {
		return content.ImportRecord{}, err
	}
	if len(rows) == 0 {
		return content.ImportRecord{}, content.ErrNotFound
	}
	return importRecordFromRow(rows[0]), nil
}

// ImportRecordOf implements content.Store.
func (s *Content) ImportRecordOf(ctx context.Context, articleID uuid.UUID) (content.ImportRecord, error) {
	var rows []articleImportRow
	if err := s.db.conn(ctx).Where("article_id = ?", articleID).Limit(1).Find(&rows).Error; err != nil {
		return content.ImportRecord{}, err
	}
	if len(rows) == 0 {
		return content.ImportRecord{}, content.ErrNotFound
	}
	return importRecordFromRow(rows[0]), nil
}

// PutImportRecord implements content.Store.
func (s *Content) PutImportRecord(ctx context.Context, r content.ImportRecord) error {
	row := articleImportRow{ArticleID: r.ArticleID, ExternalID: r.ExternalID, Byline: r.Byline}
	return mapErr(s.db.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "article_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"external_id", "byline"}),
	}).Create(&row).Error)
}

// FormerSlugsOf implements content.Store.
func (s *Content) FormerSlugsOf(ctx context.Context, articleID uuid.UUID) ([]content.FormerSlug, error) {
	var rows []articleSlugRow
	if err := s.db.conn(ctx).Where("article_id = ?", articleID).Order("locale, slug").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]content.FormerSlug, len(rows))
	for i, r := range rows {
		out[i] = content.FormerSlug{Locale: r.Locale, Slug: r.Slug}
	}
	return out, nil
}

// ArticleIDsAfter implements content.Store.
func (s *Content) ArticleIDsAfter(ctx context.Context, after uuid.UUID, limit int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.conn(ctx).Model(&articleRow{}).Where("deleted_at IS NULL AND id > ?", after).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}

func importRecordFromRow(r articleImportRow) content.ImportRecord {
	return content.ImportRecord{ArticleID: r.ArticleID, ExternalID: r.ExternalID, Byline: r.Byline}
}

// Savepoint implements changes.Savepointer: fn runs under a savepoint of the transaction
// ctx carries (or in a transaction of its own), rolled back to when fn fails.
func (s *ChangeLog) Savepoint(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Savepoint(ctx, fn)
}

// Savepoint runs fn under a savepoint of the transaction ctx carries; outside one, in a
// transaction of its own. Savepoints nest, so one name does.
func (db *DB) Savepoint(ctx context.Context, fn func(ctx context.Context) error) error {
	tx, ok := ctx.Value(txKey{}).(*gorm.DB)
	if !ok {
		return db.InTx(ctx, fn)
	}
	if err := tx.Exec("SAVEPOINT herald_part").Error; err != nil {
		return markUnavailable(err)
	}
	if err := fn(ctx); err != nil {
		if rerr := tx.Exec("ROLLBACK TO SAVEPOINT herald_part").Error; rerr != nil {
			return errors.Join(err, markUnavailable(rerr))
		}
		// Rolling back keeps the savepoint; release it so the next one is the innermost.
		if rerr := tx.Exec("RELEASE SAVEPOINT herald_part").Error; rerr != nil {
			return errors.Join(err, markUnavailable(rerr))
		}
		return err
	}
	return markUnavailable(tx.Exec("RELEASE SAVEPOINT herald_part").Error)
}

var _ changes.Savepointer = (*ChangeLog)(nil)

// ImportRecords implements content.Store, in one statement.
func (s *Content) ImportRecords(ctx context.Context, exts []string) ([]content.ImportRecord, error) {
	var rows []articleImportRow
	if err := s.db.conn(ctx).Where("external_id IN ?", exts).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]content.ImportRecord, len(rows))
	for i, r := range rows {
		out[i] = importRecordFromRow(r)
	}
	return out, nil
}

// CreateImported implements content.Store: what CreateArticle, AddFormerSlugs,
// PutImportRecord and AddRevision write for each article, as one multi-row insert per
// table for all of them (in statements of at most 100 rows of many columns: the SQLite
// driver's binding cost grows with the square of a statement's parameters).
func (s *Content) CreateImported(ctx context.Context, cs []content.ImportedCreate) error {
	if len(cs) == 0 {
		return nil
	}
	var (
		arts    = make([]articleRow, 0, len(cs))
		trs     []translationRow
		keys    []titleKeyRow
		tags    []articleTagRow
		gallery []articleMediaRow
		recs    = make([]articleImportRow, 0, len(cs))
		revs    = make([]revisionRow, 0, len(cs))
		slugs   []articleSlugRow
		slugAt  = map[content.FormerSlug]int{}
	)
	for _, c := range cs {
		a := c.Article
		arts = append(arts, articleRowFrom(a))
		for _, t := range a.Translations {
			trs = append(trs, translationRowFrom(a.ID, t))
		}
		keys = append(keys, s.titleKeys(a.ID, a.Translations)...)
		for i, id := range a.TagIDs {
			tags = append(tags, articleTagRow{ArticleID: a.ID, TagID: id, Position: i})
		}
		for i, id := range a.GalleryMediaIDs {
			gallery = append(gallery, articleMediaRow{ArticleID: a.ID, MediaID: id, Position: i})
		}
		for _, f := range c.OldSlugs {
			// A later article takes over an old slug an earlier one had, as AddFormerSlugs
			// one after the other would (one statement cannot update a row twice).
			row := articleSlugRow{Locale: f.Locale, Slug: f.Slug, ArticleID: a.ID, CreatedAt: utc(c.Revision.CreatedAt)}
			if i, ok := slugAt[f]; ok {
				slugs[i] = row
				continue
			}
			slugAt[f] = len(slugs)
			slugs = append(slugs, row)
		}
		recs = append(recs, articleImportRow{ArticleID: c.Record.ArticleID, ExternalID: c.Record.ExternalID, Byline: c.Record.Byline})
		rev, err := revisionRowFrom(c.Revision)
		if err != nil {
			return err
		}
		revs = append(revs, rev)
	}
	conn := s.db.conn(ctx)
	upsert := func(cols []string, update ...string) func() *gorm.DB {
		return func() *gorm.DB {
			c := clause.OnConflict{DoNothing: len(update) == 0, DoUpdates: clause.AssignmentColumns(update)}
			for _, col := range cols {
				c.Columns = append(c.Columns, clause.Column{Name: col})
			}
			return conn.Clauses(c)
		}
	}
	plain := func() *gorm.DB { return conn }
	pg := s.db.dialect == "postgres"
	if pg { // the batch's cards and details are refreshed once each, below (migrations 00270, 00340)
		if err := conn.Exec("SELECT set_config('herald.cards_deferred', 'on', true)").Error; err != nil {
			return mapErr(err)
		}
	}
	for _, insert := range []func() error{
		func() error { return createChunks(plain, arts, 100) },
		func() error { return createChunks(plain, trs, 100) },
		func() error { return createChunks(plain, keys, 300) },
		func() error { return createChunks(plain, tags, 300) },
		func() error { return createChunks(plain, gallery, 300) },
		func() error {
			return createChunks(upsert([]string{"locale", "slug"}, "article_id", "created_at"), slugs, 300)
		},
		func() error { return createChunks(upsert([]string{"article_id"}, "external_id", "byline"), recs, 300) },
		func() error { return createChunks(upsert(nil), revs, 100) },
	} {
		if err := insert(); err != nil { // the first error ends the write (PostgreSQL aborts the transaction)
			return err
		}
	}
	if pg {
		if err := conn.Exec("SELECT set_config('herald.cards_deferred', 'off', true)").Error; err != nil {
			return mapErr(err)
		}
		ids := make([]uuid.UUID, len(arts))
		for i, a := range arts {
			ids[i] = a.ID
		}
		if err := conn.Exec("UPDATE articles a SET card = c.card, detail = d.detail, tag_ids = d.tag_ids FROM article_cards c, article_details d"+
			" WHERE a.id IN ? AND c.id = a.id AND d.id = a.id", ids).Error; err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// createChunks inserts rows n at a time, each chunk one statement on a fresh db(): unlike
// GORM's CreateInBatches, no savepoint around them.
func createChunks[T any](db func() *gorm.DB, rows []T, n int) error {
	for len(rows) > 0 {
		chunk := rows[:min(n, len(rows))]
		rows = rows[len(chunk):]
		if err := db().Create(&chunk).Error; err != nil {
			return mapErr(err)
		}
	}
	return nil
}
