package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heraldcms/herald/internal/content"
)

// The admin half of content.Store: writes with optimistic locking, revisions, taxonomy and
// settings changes.

type revisionRow struct {
	ArticleID uuid.UUID `gorm:"primaryKey"`
	Version   int       `gorm:"primaryKey"`
	Snapshot  string
	ActorID   *uuid.UUID
	CreatedAt time.Time
}

func (revisionRow) TableName() string { return "article_revisions" }

// snapshot is the stored JSON of a revision. Its field names are a storage format: change
// them only with a migration of the stored rows.
type snapshot struct {
	Status       string      `json:"status"`
	PublishedAt  *time.Time  `json:"published_at,omitempty"`
	AuthorID     *uuid.UUID  `json:"author_id,omitempty"`
	CategoryID   *uuid.UUID  `json:"category_id,omitempty"`
	CoverMediaID *uuid.UUID  `json:"cover_media_id,omitempty"`
	Featured     bool        `json:"featured"`
	TagIDs       []uuid.UUID `json:"tag_ids"`
	// GalleryMediaIDs appeared with media (migration 00005); older snapshots lack it.
	GalleryMediaIDs []uuid.UUID           `json:"gallery_media_ids,omitempty"`
	UpdatedAt       time.Time             `json:"updated_at"`
	Translations    []snapshotTranslation `json:"translations"`
}

type snapshotTranslation struct {
	Locale          string    `json:"locale"`
	Title           string    `json:"title"`
	Slug            string    `json:"slug"`
	Summary         string    `json:"summary"`
	Body            string    `json:"body"`
	MetaTitle       string    `json:"meta_title"`
	MetaDescription string    `json:"meta_description"`
	ReadingMinutes  int       `json:"reading_minutes"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// ArticleByID implements content.Store.
func (s *Content) ArticleByID(ctx context.Context, id uuid.UUID) (content.Article, error) {
	var rows []articleRow
	if err := s.db.conn(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return content.Article{}, err
	}
	if len(rows) == 0 {
		return content.Article{}, content.ErrNotFound
	}
	arts, err := s.assemble(ctx, rows, true)
	if err != nil {
		return content.Article{}, err
	}
	if err := s.loadBylines(ctx, &arts[0]); err != nil {
		return content.Article{}, err
	}
	return arts[0], s.loadGallery(ctx, &arts[0])
}

// ListArticles implements content.Store in a fixed number of queries: count, page, then
// translations, tags and categories of the page.
func (s *Content) ListArticles(ctx context.Context, q content.AdminQuery) ([]content.Article, int64, error) {
	filter := func() *gorm.DB {
		db := s.db.conn(ctx).Table("articles AS a").Where("a.deleted_at IS NULL")
		if len(q.Statuses) > 0 {
			st := make([]string, len(q.Statuses))
			for i, v := range q.Statuses {
				st[i] = string(v)
			}
			db = db.Where("a.status IN ?", st)
		}
		if q.AuthorID != nil {
			db = db.Where("a.author_id = ?", *q.AuthorID)
		}
		if q.Category != nil {
			db = db.Where("a.category_id = ?", *q.Category)
		}
		if q.MissingLocale != "" {
			db = db.Where("NOT EXISTS (SELECT 1 FROM article_translations t WHERE t.article_id = a.id AND t.locale = ?)", q.MissingLocale)
		}
		if q.Q != "" {
			db = s.whereText(db, q.Q) // #14
		}
		return db
	}
	var total int64
	if err := filter().Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []articleRow
	if err := filter().Select("a.*").Order("a.updated_at DESC, a.id DESC").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	arts, err := s.assemble(ctx, rows, false)
	return arts, total, err
}

// SaveArticle implements content.Store. The UPDATE is the compare-and-set: it matches only
// while the stored version is expectVersion, so of two writers that read the same version
// exactly one succeeds. It leaves read_count alone (the view counter owns it).
func (s *Content) SaveArticle(ctx context.Context, a content.Article, expectVersion int) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.conn(ctx)
		res := conn.Model(&articleRow{}).Where("id = ? AND version = ?", a.ID, expectVersion).
			Updates(map[string]any{
				"status": string(a.Status), "published_at": utcPtr(a.PublishedAt), "first_published_at": utcPtr(a.FirstPublishedAt),
				"category_id": a.CategoryID, "cover_media_id": a.CoverMediaID, "featured": a.Featured,
				"updated_at": utc(a.UpdatedAt), "deleted_at": utcPtr(a.DeletedAt),
				"version": gorm.Expr("version + 1"),
			})
		if res.Error != nil {
			return mapErr(res.Error)
		}
		if res.RowsAffected == 0 {
			var cur []int
			if err := conn.Model(&articleRow{}).Where("id = ?", a.ID).Limit(1).Pluck("version", &cur).Error; err != nil {
				return err
			}
			if len(cur) == 0 {
				return content.ErrNotFound
			}
			return &content.VersionConflictError{Current: cur[0]}
		}
		// Translations and tag links are replaced wholesale: few rows, and the slug
		// constraint is checked against the final set.
		if err := conn.Where("article_id = ?", a.ID).Delete(&translationRow{}).Error; err != nil {
			return err
		}
		for _, t := range a.Translations {
			tr := translationRowFrom(a.ID, t)
			if err := conn.Create(&tr).Error; err != nil {
				return mapErr(err)
			}
		}
		if err := s.putTitleKeys(ctx, a.ID, a.Translations); err != nil {
			return err
		}
		if err := s.saveTagLinks(ctx, a.ID, a.TagIDs); err != nil {
			return err
		}
		if err := s.saveBylines(ctx, a); err != nil {
			return err
		}
		return s.saveGallery(ctx, a)
	})
}

// MissingRefs implements content.Store, in one statement.
func (s *Content) MissingRefs(ctx context.Context, categoryID *uuid.UUID, tagIDs []uuid.UUID) (bool, []uuid.UUID, error) {
	if categoryID == nil && len(tagIDs) == 0 {
		return false, nil, nil
	}
	var parts []string
	var args []any
	if categoryID != nil {
		parts, args = append(parts, "SELECT 'c' AS kind, id FROM categories WHERE id = ?"), append(args, *categoryID)
	}
	if len(tagIDs) > 0 {
		parts, args = append(parts, "SELECT 't' AS kind, id FROM tags WHERE id IN ?"), append(args, tagIDs)
	}
	var found []struct {
		Kind string
		ID   uuid.UUID
	}
	if err := s.db.conn(ctx).Raw(strings.Join(parts, " UNION ALL "), args...).Scan(&found).Error; err != nil {
		return false, nil, err
	}
	catMissing := categoryID != nil
	have := map[uuid.UUID]bool{}
	for _, f := range found {
		if f.Kind == "c" {
			catMissing = false
		} else {
			have[f.ID] = true
		}
	}
	var missing []uuid.UUID
	for _, id := range tagIDs {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	return catMissing, missing, nil
}

// TakenExactSlugs implements content.Store, in one statement.
func (s *Content) TakenExactSlugs(ctx context.Context, except uuid.UUID, slugs []content.FormerSlug) ([]content.FormerSlug, error) {
	if len(slugs) == 0 {
		return nil, nil
	}
	conds := make([]string, len(slugs))
	args := []any{except}
	for i, sl := range slugs {
		conds[i] = "(locale = ? AND slug = ?)"
		args = append(args, sl.Locale, sl.Slug)
	}
	var taken []content.FormerSlug
	err := s.db.conn(ctx).Raw("SELECT locale, slug FROM article_translations WHERE article_id <> ? AND ("+strings.Join(conds, " OR ")+")", args...).
		Scan(&taken).Error
	return taken, err
}

// TakenSlugs implements content.Store.
func (s *Content) TakenSlugs(ctx context.Context, kind content.SlugKind, locale, base string, except uuid.UUID, exact bool) ([]string, error) {
	var table, owner string
	switch kind {
	case content.SlugArticle:
		table, owner = "article_translations", "article_id"
	case content.SlugCategory:
		table, owner = "category_translations", "category_id"
	case content.SlugTag:
		table, owner = "tag_translations", "tag_id"
	default:
		return nil, fmt.Errorf("store: unknown slug kind %q", kind)
	}
	db := s.db.conn(ctx).Table(table).Where("locale = ? AND "+owner+" <> ?", locale, except)
	if exact {
		db = db.Where("slug = ?", base)
	} else {
		// base is [a-z0-9-] only (content.Slugify), so it holds no LIKE wildcards.
		db = db.Where("(slug = ? OR slug LIKE ?)", base, base+"-%")
	}
	var slugs []string
	err := db.Limit(10000).Pluck("slug", &slugs).Error
	return slugs, err
}

// AddRevision implements content.Store.
func (s *Content) AddRevision(ctx context.Context, r content.Revision) error {
	row, err := revisionRowFrom(r)
	if err != nil {
		return err
	}
	return mapErr(s.db.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error)
}

// revisionRowFrom is the row of r, its article as a JSON snapshot.
func revisionRowFrom(r content.Revision) (revisionRow, error) {
	a := r.Article
	snap := snapshot{
		Status: string(a.Status), PublishedAt: utcPtr(a.PublishedAt), AuthorID: a.AuthorID,
		CategoryID: a.CategoryID, CoverMediaID: a.CoverMediaID, Featured: a.Featured,
		TagIDs: append([]uuid.UUID{}, a.TagIDs...), UpdatedAt: utc(a.UpdatedAt), GalleryMediaIDs: a.GalleryMediaIDs,
		Translations: make([]snapshotTranslation, len(a.Translations)),
	}
	for i, t := range a.Translations {
		snap.Translations[i] = snapshotTranslation{
			Locale: t.Locale, Title: t.Title, Slug: t.Slug, Summary: t.Summary, Body: t.Body,
			MetaTitle: t.MetaTitle, MetaDescription: t.MetaDescription, ReadingMinutes: t.ReadingMinutes,
			CreatedAt: utc(t.CreatedAt), UpdatedAt: utc(t.UpdatedAt),
		}
	}
	b, err := json.Marshal(snap)
	if err != nil {
		return revisionRow{}, err
	}
	return revisionRow{ArticleID: r.ArticleID, Version: r.Version, Snapshot: string(b), ActorID: r.ActorID, CreatedAt: utc(r.CreatedAt)}, nil
}

// Revisions implements content.Store.
func (s *Content) Revisions(ctx context.Context, articleID uuid.UUID, limit, offset int) ([]content.Revision, int64, error) {
	conn := s.db.conn(ctx)
	var total int64
	if err := conn.Model(&revisionRow{}).Where("article_id = ?", articleID).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []revisionWithArticle
	if err := s.revisionQuery(ctx).Where("r.article_id = ?", articleID).Order("r.version DESC").Limit(limit).Offset(offset).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]content.Revision, len(rows))
	for i, r := range rows {
		rev, err := revisionFromRow(r)
		if err != nil {
			return nil, 0, err
		}
		out[i] = rev
	}
	return out, total, nil
}

// Revision implements content.Store.
func (s *Content) Revision(ctx context.Context, articleID uuid.UUID, version int) (content.Revision, error) {
	var rows []revisionWithArticle
	if err := s.revisionQuery(ctx).Where("r.article_id = ? AND r.version = ?", articleID, version).Limit(1).Find(&rows).Error; err != nil {
		return content.Revision{}, err
	}
	if len(rows) == 0 {
		return content.Revision{}, content.ErrNotFound
	}
	return revisionFromRow(rows[0])
}

// revisionWithArticle is a revision with what its snapshot does not hold because it never
// changes: the article's creation time.
type revisionWithArticle struct {
	Row              revisionRow `gorm:"embedded"`
	ArticleCreatedAt time.Time
}

// revisionQuery selects revisions (aliased r) with their article's creation time.
func (s *Content) revisionQuery(ctx context.Context) *gorm.DB {
	return s.db.conn(ctx).Table("article_revisions AS r").Select("r.*, a.created_at AS article_created_at").
		Joins("JOIN articles a ON a.id = r.article_id")
}

func revisionFromRow(rw revisionWithArticle) (content.Revision, error) {
	r := rw.Row
	var snap snapshot
	if err := json.Unmarshal([]byte(r.Snapshot), &snap); err != nil {
		return content.Revision{}, fmt.Errorf("store: revision %s/%d: %w", r.ArticleID, r.Version, err)
	}
	a := content.Article{
		ID: r.ArticleID, Status: content.Status(snap.Status), PublishedAt: utcPtr(snap.PublishedAt),
		AuthorID: snap.AuthorID, CategoryID: snap.CategoryID, CoverMediaID: snap.CoverMediaID,
		Featured: snap.Featured, Version: r.Version, CreatedAt: utc(rw.ArticleCreatedAt), UpdatedAt: utc(snap.UpdatedAt),
		TagIDs: snap.TagIDs, Translations: make([]content.Translation, len(snap.Translations)),
		GalleryMediaIDs: snap.GalleryMediaIDs,
	}
	if a.TagIDs == nil {
		a.TagIDs = []uuid.UUID{}
	}
	for i, t := range snap.Translations {
		a.Translations[i] = content.Translation{
			Locale: t.Locale, Title: t.Title, Slug: t.Slug, Summary: t.Summary, Body: t.Body,
			MetaTitle: t.MetaTitle, MetaDescription: t.MetaDescription, ReadingMinutes: t.ReadingMinutes,
			CreatedAt: utc(t.CreatedAt), UpdatedAt: utc(t.UpdatedAt),
		}
	}
	return content.Revision{ArticleID: r.ArticleID, Version: r.Version, Article: a, ActorID: r.ActorID, CreatedAt: utc(r.CreatedAt)}, nil
}

// UpdateCategory implements content.Store: position and the full set of translations.
func (s *Content) UpdateCategory(ctx context.Context, c content.Category) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.conn(ctx)
		res := conn.Model(&categoryRow{}).Where("id = ?", c.ID).Updates(map[string]any{"position": c.Position, "updated_at": utc(c.UpdatedAt)})
		if res.Error != nil {
			return mapErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return content.ErrNotFound
		}
		if err := conn.Where("category_id = ?", c.ID).Delete(&categoryTranslationRow{}).Error; err != nil {
			return err
		}
		for _, t := range c.Translations {
			if err := conn.Create(&categoryTranslationRow{CategoryID: c.ID, Locale: t.Locale, Name: t.Name, Slug: t.Slug, Description: t.Description}).Error; err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// DeleteCategory implements content.Store. Tombstoned articles that still point at the
// category let go of it; live ones are checked by the service first.
func (s *Content) DeleteCategory(ctx context.Context, id uuid.UUID) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.conn(ctx)
		if err := conn.Model(&articleRow{}).Where("category_id = ? AND deleted_at IS NOT NULL", id).
			Update("category_id", nil).Error; err != nil {
			return err
		}
		res := conn.Where("id = ?", id).Delete(&categoryRow{})
		if res.Error != nil {
			return mapErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return content.ErrNotFound
		}
		return nil
	})
}

// CountCategoryArticles implements content.Store.
func (s *Content) CountCategoryArticles(ctx context.Context, id uuid.UUID) (int64, error) {
	var n int64
	err := s.db.conn(ctx).Model(&articleRow{}).Where("category_id = ? AND deleted_at IS NULL", id).Count(&n).Error
	return n, err
}

// UpdateTag implements content.Store: the full set of translations.
func (s *Content) UpdateTag(ctx context.Context, t content.Tag) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		conn := s.db.conn(ctx)
		res := conn.Model(&tagRow{}).Where("id = ?", t.ID).Update("updated_at", utc(t.UpdatedAt))
		if res.Error != nil {
			return mapErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return content.ErrNotFound
		}
		// Only the translations that changed are written: each write to tag_translations
		// rewrites the cards of every article with the tag (migration 00051).
		var have []tagTranslationRow
		if err := conn.Where("tag_id = ?", t.ID).Find(&have).Error; err != nil {
			return err
		}
		want := make(map[string]content.TagTranslation, len(t.Translations))
		for _, tr := range t.Translations {
			want[tr.Locale] = tr
		}
		for _, h := range have {
			w, keep := want[h.Locale]
			switch {
			case !keep:
				if err := conn.Where("tag_id = ? AND locale = ?", t.ID, h.Locale).Delete(&tagTranslationRow{}).Error; err != nil {
					return err
				}
			case w.Name != h.Name || w.Slug != h.Slug:
				if err := conn.Model(&tagTranslationRow{}).Where("tag_id = ? AND locale = ?", t.ID, h.Locale).
					Updates(map[string]any{"name": w.Name, "slug": w.Slug}).Error; err != nil {
					return mapErr(err)
				}
			}
			delete(want, h.Locale)
		}
		for _, tr := range t.Translations {
			if _, add := want[tr.Locale]; !add {
				continue
			}
			if err := conn.Create(&tagTranslationRow{TagID: t.ID, Locale: tr.Locale, Name: tr.Name, Slug: tr.Slug}).Error; err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// DeleteTag implements content.Store; article links go with it (ON DELETE CASCADE).
func (s *Content) DeleteTag(ctx context.Context, id uuid.UUID) error {
	res := s.db.conn(ctx).Where("id = ?", id).Delete(&tagRow{})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return content.ErrNotFound
	}
	return nil
}

// ArticlesWithTag implements content.Store.
func (s *Content) ArticlesWithTag(ctx context.Context, tagID uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := s.db.conn(ctx).Table("article_tags at").Joins("JOIN articles a ON a.id = at.article_id").
		Where("at.tag_id = ? AND a.deleted_at IS NULL", tagID).Order("at.article_id").Pluck("at.article_id", &ids).Error
	return ids, err
}

// DeleteSetting implements content.Store; deleting a missing key is not an error.
func (s *Content) DeleteSetting(ctx context.Context, key, locale string) error {
	return mapErr(s.db.conn(ctx).Where("key = ? AND locale = ?", key, locale).Delete(&settingRow{}).Error)
}

// saveTagLinks makes the article's tag links ids (in the editor's order, which positions
// keep) by changing only the links that differ, one tag at a time in tag order: a live
// article's link changes lock its tags' tag_counts rows (migration 00310), so a save that
// keeps its tags locks none of them, and writers sharing tags take the locks in one order
// and cannot deadlock (TestTagLinksWrittenInTagOrder).
func (s *Content) saveTagLinks(ctx context.Context, id uuid.UUID, ids []uuid.UUID) error {
	conn := s.db.conn(ctx)
	var have []articleTagRow
	if err := conn.Where("article_id = ?", id).Find(&have).Error; err != nil {
		return err
	}
	old := make(map[uuid.UUID]int, len(have))
	for _, r := range have {
		old[r.TagID] = r.Position
	}
	want := make(map[uuid.UUID]int, len(ids))
	all := make([]uuid.UUID, 0, len(ids)+len(have))
	for i, t := range ids {
		if _, dup := want[t]; !dup {
			want[t] = i
			all = append(all, t)
		}
	}
	for _, r := range have {
		if _, kept := want[r.TagID]; !kept {
			all = append(all, r.TagID)
		}
	}
	slices.SortFunc(all, func(x, y uuid.UUID) int { return bytes.Compare(x[:], y[:]) })
	for _, t := range all {
		was, had := old[t]
		pos, has := want[t]
		var err error
		switch {
		case had && !has:
			err = conn.Where("article_id = ? AND tag_id = ?", id, t).Delete(&articleTagRow{}).Error
		case has && !had:
			err = conn.Create(&articleTagRow{ArticleID: id, TagID: t, Position: pos}).Error
		case was != pos:
			err = conn.Model(&articleTagRow{}).Where("article_id = ? AND tag_id = ?", id, t).Update("position", pos).Error
		}
		if err != nil {
			return mapErr(err)
		}
	}
	return nil
}
