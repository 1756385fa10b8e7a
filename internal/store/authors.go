package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// Author profiles and bylines (issue 17, migration 00171).

type authorRow struct {
	ID           uuid.UUID `gorm:"primaryKey"`
	Slug         string
	Name         string
	PhotoMediaID *uuid.UUID
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (authorRow) TableName() string { return "authors" }

type authorTranslationRow struct {
	AuthorID uuid.UUID `gorm:"primaryKey"`
	Locale   string    `gorm:"primaryKey"`
	Bio      string
}

func (authorTranslationRow) TableName() string { return "author_translations" }

type articleAuthorRow struct {
	ArticleID uuid.UUID `gorm:"primaryKey"`
	AuthorID  uuid.UUID `gorm:"primaryKey"`
	Position  int
}

func (articleAuthorRow) TableName() string { return "article_authors" }

// authorJSON is an author as the JSON columns of reads carry it.
type authorJSON struct {
	ID           uuid.UUID  `json:"id"`
	Slug         string     `json:"slug"`
	Name         string     `json:"name"`
	PhotoMediaID *uuid.UUID `json:"photo_media_id"`
	UpdatedAt    jsonTime   `json:"updated_at"`
	Bios         []struct {
		Locale string `json:"locale"`
		Bio    string `json:"bio"`
	} `json:"bios"`
}

func (a authorJSON) domain() content.Author {
	out := content.Author{ID: a.ID, Slug: a.Slug, Name: a.Name, PhotoMediaID: a.PhotoMediaID, UpdatedAt: time.Time(a.UpdatedAt)}
	for _, b := range a.Bios {
		out.Bios = append(out.Bios, content.AuthorBio{Locale: b.Locale, Bio: b.Bio})
	}
	return out
}

// bylinesCol aggregates the byline of the article whose id is the SQL expression article,
// in order, each author with its bios.
func (j jsonSQL) bylinesCol(article string) string {
	bios := j.array(j.object("locale", "bt.locale", "bio", "bt.bio"), "author_translations bt WHERE bt.author_id = au.id", "bt.locale")
	return j.array(j.object("id", "au.id", "slug", "au.slug", "name", "au.name", "photo_media_id", "au.photo_media_id", "updated_at", "au.updated_at", "bios", j.nest(bios)),
		"article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = "+article, "aa.position, au.id")
}

func decodeBylines(b []byte) ([]uuid.UUID, []content.Author, error) {
	var as []authorJSON
	if err := decodeJSON(b, &as); err != nil {
		return nil, nil, err
	}
	ids, out := make([]uuid.UUID, len(as)), make([]content.Author, len(as))
	for i, a := range as {
		ids[i], out[i] = a.ID, a.domain()
	}
	return ids, out, nil
}

// loadBylines fills a's byline (admin and preview reads) in one query.
func (s *Content) loadBylines(ctx context.Context, a *content.Article) error {
	var raw []byte
	if err := s.db.conn(ctx).Raw("SELECT "+s.json().bylinesCol("?"), a.ID).Row().Scan(&raw); err != nil {
		return err
	}
	ids, authors, err := decodeBylines(raw)
	if err != nil {
		return fmt.Errorf("article %s: bylines: %w", a.ID, err)
	}
	a.BylineIDs, a.Bylines = ids, authors
	return nil
}

// saveBylines replaces the stored byline with a.BylineIDs; nil leaves it alone.
func (s *Content) saveBylines(ctx context.Context, a content.Article) error {
	if a.BylineIDs == nil {
		return nil
	}
	conn := s.db.conn(ctx)
	if err := conn.Where("article_id = ?", a.ID).Delete(&articleAuthorRow{}).Error; err != nil {
		return err
	}
	for i, id := range a.BylineIDs {
		if err := conn.Create(&articleAuthorRow{ArticleID: a.ID, AuthorID: id, Position: i}).Error; err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// readAuthors runs page — a query over "authors AS au" selecting its columns — with each
// author's bios in the same statement.
func (s *Content) readAuthors(ctx context.Context, page any, order string) ([]content.Author, error) {
	j := s.json()
	q := "SELECT p.*, " + j.array(j.object("locale", "bt.locale", "bio", "bt.bio"), "author_translations bt WHERE bt.author_id = p.id", "bt.locale") +
		" AS bios_json FROM (?) p"
	if order != "" {
		q += " ORDER BY " + order
	}
	var rows []struct {
		Row      authorRow `gorm:"embedded"`
		BiosJSON []byte
	}
	if err := s.db.conn(ctx).Raw(q, page).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]content.Author, len(rows))
	for i, r := range rows {
		var bios []content.AuthorBio
		var bj []struct {
			Locale string `json:"locale"`
			Bio    string `json:"bio"`
		}
		if err := decodeJSON(r.BiosJSON, &bj); err != nil {
			return nil, fmt.Errorf("author %s: bios: %w", r.Row.ID, err)
		}
		for _, b := range bj {
			bios = append(bios, content.AuthorBio{Locale: b.Locale, Bio: b.Bio})
		}
		out[i] = content.Author{ID: r.Row.ID, Slug: r.Row.Slug, Name: r.Row.Name, PhotoMediaID: r.Row.PhotoMediaID,
			Bios: bios, CreatedAt: utc(r.Row.CreatedAt), UpdatedAt: utc(r.Row.UpdatedAt)}
	}
	return out, nil
}

const authorCols = "au.id, au.slug, au.name, au.photo_media_id, au.created_at, au.updated_at"

// Author implements content.AuthorStore in one query.
func (s *Content) Author(ctx context.Context, id *uuid.UUID, slug string) (content.Author, error) {
	db := s.db.conn(ctx).Table("authors AS au").Select(authorCols)
	if id != nil {
		db = db.Where("au.id = ?", *id)
	} else {
		db = db.Where("au.slug = ?", slug)
	}
	as, err := s.readAuthors(ctx, db.Limit(1), "")
	if err != nil {
		return content.Author{}, err
	}
	if len(as) == 0 {
		return content.Author{}, content.ErrNotFound
	}
	return as[0], nil
}

// Authors implements content.AuthorStore: the count and the page.
func (s *Content) Authors(ctx context.Context, limit, offset int) ([]content.Author, int64, error) {
	var total int64
	if err := s.db.conn(ctx).Model(&authorRow{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	page := s.db.conn(ctx).Table("authors AS au").Select(authorCols).Order("au.name, au.id").Limit(limit).Offset(offset)
	as, err := s.readAuthors(ctx, page, "p.name, p.id")
	return as, total, err
}

// CreateAuthor implements content.AuthorStore.
func (s *Content) CreateAuthor(ctx context.Context, a content.Author) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		r := authorRow{ID: a.ID, Slug: a.Slug, Name: a.Name, PhotoMediaID: a.PhotoMediaID, CreatedAt: utc(a.CreatedAt), UpdatedAt: utc(a.UpdatedAt)}
		if err := s.db.conn(ctx).Create(&r).Error; err != nil {
			return mapErr(err)
		}
		return s.putBios(ctx, a)
	})
}

// UpdateAuthor implements content.AuthorStore.
func (s *Content) UpdateAuthor(ctx context.Context, a content.Author) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		res := s.db.conn(ctx).Model(&authorRow{}).Where("id = ?", a.ID).Updates(map[string]any{
			"slug": a.Slug, "name": a.Name, "photo_media_id": a.PhotoMediaID, "updated_at": utc(a.UpdatedAt)})
		if res.Error != nil {
			return mapErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return content.ErrNotFound
		}
		if err := s.db.conn(ctx).Where("author_id = ?", a.ID).Delete(&authorTranslationRow{}).Error; err != nil {
			return err
		}
		return s.putBios(ctx, a)
	})
}

func (s *Content) putBios(ctx context.Context, a content.Author) error {
	for _, b := range a.Bios {
		if err := s.db.conn(ctx).Create(&authorTranslationRow{AuthorID: a.ID, Locale: b.Locale, Bio: b.Bio}).Error; err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// DeleteAuthor implements content.AuthorStore.
func (s *Content) DeleteAuthor(ctx context.Context, id uuid.UUID) error {
	res := s.db.conn(ctx).Where("id = ?", id).Delete(&authorRow{})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return content.ErrNotFound
	}
	return nil
}

// AuthorArticleCount implements content.AuthorStore.
func (s *Content) AuthorArticleCount(ctx context.Context, id uuid.UUID) (int64, error) {
	var n int64
	err := s.db.conn(ctx).Table("article_authors aa").Joins("JOIN articles a ON a.id = aa.article_id").
		Where("aa.author_id = ? AND a.deleted_at IS NULL", id).Count(&n).Error
	return n, err
}

// MissingAuthors implements content.AuthorStore.
func (s *Content) MissingAuthors(ctx context.Context, ids []uuid.UUID) ([]uuid.UUID, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var found []uuid.UUID
	if err := s.db.conn(ctx).Model(&authorRow{}).Where("id IN ?", ids).Pluck("id", &found).Error; err != nil {
		return nil, err
	}
	have := map[uuid.UUID]bool{}
	for _, id := range found {
		have[id] = true
	}
	var missing []uuid.UUID
	for _, id := range ids {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}
