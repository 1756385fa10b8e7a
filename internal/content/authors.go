package content

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/bidi"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"
)

// Author is a public byline profile: who a reader sees under a headline. It is not an
// editor's account, and nothing links it to one: no email or role can leak through it.
type Author struct {
	ID           uuid.UUID
	Slug         string
	Name         string
	PhotoMediaID *uuid.UUID
	// Bios are the author's biographies, one per locale, by locale.
	Bios      []AuthorBio
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AuthorBio is an author's biography in one locale.
type AuthorBio struct {
	Locale string
	Bio    string
}

// Bio returns the biography in the first locale of chain that has one.
func (a Author) Bio(chain []string) (AuthorBio, bool) {
	for _, l := range chain {
		for _, b := range a.Bios {
			if b.Locale == l {
				return b, true
			}
		}
	}
	return AuthorBio{}, false
}

// Limits on author input.
const (
	MaxAuthorNameLen = 200
	MaxAuthorBioLen  = 5000
	// MaxBylines bounds the authors of one article.
	MaxBylines = 10
)

// AuthorStore is what author profiles and bylines need from persistence (part of Store).
type AuthorStore interface {
	CreateAuthor(ctx context.Context, a Author) error
	// UpdateAuthor writes a's fields and replaces its bios.
	UpdateAuthor(ctx context.Context, a Author) error
	DeleteAuthor(ctx context.Context, id uuid.UUID) error
	// Author finds an author by id or by slug.
	Author(ctx context.Context, id *uuid.UUID, slug string) (Author, error)
	// Authors returns a page of authors by name and their number.
	Authors(ctx context.Context, limit, offset int) ([]Author, int64, error)
	// AuthorArticleCount counts the (not deleted) articles whose byline names the author.
	AuthorArticleCount(ctx context.Context, id uuid.UUID) (int64, error)
	// MissingAuthors returns the ids among ids that name no author.
	MissingAuthors(ctx context.Context, ids []uuid.UUID) ([]uuid.UUID, error)
}

// AuthorInput creates an author; an empty Slug is made from Name.
type AuthorInput struct {
	Slug         string
	Name         string
	PhotoMediaID *uuid.UUID
	Bios         []AuthorBio
}

// AuthorPatch changes an author (JSON Merge Patch): nil keeps a field; uuid.Nil clears
// PhotoMediaID; a bio of "" removes that locale's.
type AuthorPatch struct {
	Slug, Name   *string
	PhotoMediaID *uuid.UUID
	Bios         []AuthorBio
}

// PublicAuthor finds an author by id or slug for the Content API.
func (s *Service) PublicAuthor(ctx context.Context, ref string) (Author, error) {
	id, slug := splitRef(ref)
	if id == nil && slug == "" {
		return Author{}, ErrNotFound
	}
	return s.store.Author(ctx, id, slug)
}

// AdminAuthor finds an author by id.
func (s *Service) AdminAuthor(ctx context.Context, id uuid.UUID) (Author, error) {
	return s.store.Author(ctx, &id, "")
}

// Authors lists authors by name, a page at a time, and their number.
func (s *Service) Authors(ctx context.Context, limit, offset int) ([]Author, int64, error) {
	if limit <= 0 || limit > MaxPerPage {
		limit = DefaultPerPage
	}
	return s.store.Authors(ctx, limit, max(offset, 0))
}

// CreateAuthor creates an author profile (editors only).
func (s *Service) CreateAuthor(ctx context.Context, actor Actor, in AuthorInput) (Author, error) {
	if err := editorOnly(actor, Article{}); err != nil {
		return Author{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Author{}, err
	}
	now := s.Now()
	a := Author{ID: id, PhotoMediaID: nilIfZero(in.PhotoMediaID), CreatedAt: now, UpdatedAt: now}
	name, slug := in.Name, in.Slug
	if err := s.applyAuthor(&a, AuthorPatch{Name: &name, Slug: &slug, Bios: in.Bios}); err != nil {
		return Author{}, err
	}
	err = s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		if err := s.checkAuthorRefs(ctx, a); err != nil {
			return err
		}
		if err := s.store.CreateAuthor(ctx, a); err != nil {
			return authorSlugTaken(err, a.Slug)
		}
		tx.Audit("author.create", "author", id.String(), "")
		tx.Change(authorChange(a, changes.Upsert))
		return nil
	})
	if err != nil {
		return Author{}, err
	}
	return s.store.Author(ctx, &id, "")
}

// UpdateAuthor applies p to an author (editors only).
func (s *Service) UpdateAuthor(ctx context.Context, actor Actor, id uuid.UUID, p AuthorPatch) (Author, error) {
	if err := editorOnly(actor, Article{}); err != nil {
		return Author{}, err
	}
	err := s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		a, err := s.store.Author(ctx, &id, "")
		if err != nil {
			return err
		}
		if p.PhotoMediaID != nil {
			a.PhotoMediaID = nilIfZero(p.PhotoMediaID)
		}
		if err := s.applyAuthor(&a, p); err != nil {
			return err
		}
		if err := s.checkAuthorRefs(ctx, a); err != nil {
			return err
		}
		a.UpdatedAt = s.Now()
		if err := s.store.UpdateAuthor(ctx, a); err != nil {
			return authorSlugTaken(err, a.Slug)
		}
		tx.Audit("author.update", "author", id.String(), "")
		tx.Change(authorChange(a, changes.Upsert))
		return nil
	})
	if err != nil {
		return Author{}, err
	}
	return s.store.Author(ctx, &id, "")
}

// DeleteAuthor deletes an author no article's byline names; otherwise it is a conflict
// naming how many do.
func (s *Service) DeleteAuthor(ctx context.Context, actor Actor, id uuid.UUID) error {
	if err := editorOnly(actor, Article{}); err != nil {
		return err
	}
	return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		a, err := s.store.Author(ctx, &id, "")
		if err != nil {
			return err
		}
		n, err := s.store.AuthorArticleCount(ctx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.Wrap(ErrConflict, fmt.Sprintf("%d article bylines name this author; change them first", n))
		}
		tx.Audit("author.delete", "author", id.String(), "")
		tx.Change(authorChange(a, changes.Delete))
		return s.store.DeleteAuthor(ctx, id)
	})
}

// SetBylines replaces the article's byline with authors, in order (an empty list clears
// it). Whoever may edit the article may set its byline.
func (s *Service) SetBylines(ctx context.Context, actor Actor, id uuid.UUID, version int, authors []uuid.UUID) (Article, error) {
	if len(authors) > MaxBylines {
		return Article{}, errs.Invalidf("author_ids", "must have at most %d authors", MaxBylines)
	}
	seen := map[uuid.UUID]bool{}
	for _, a := range authors {
		if seen[a] || a == uuid.Nil {
			return Article{}, errs.Invalidf("author_ids", "must be distinct author ids")
		}
		seen[a] = true
	}
	return s.write(ctx, "article.bylines", actor, id, version, canEdit, func(a *Article) error {
		missing, err := s.store.MissingAuthors(ctx, authors)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			return errs.Invalidf("author_ids", "no such author: %s", missing[0])
		}
		a.BylineIDs = append([]uuid.UUID{}, authors...)
		return nil
	})
}

// applyAuthor validates and applies the name, slug and bios of p to a.
func (s *Service) applyAuthor(a *Author, p AuthorPatch) error {
	var ve validation
	if p.Name != nil {
		a.Name = bidi.Strip(strings.TrimSpace(*p.Name))
		if a.Name == "" {
			ve.add("name", "is required")
		}
		checkText(&ve, "name", a.Name, MaxAuthorNameLen)
	}
	if p.Slug != nil {
		a.Slug = strings.TrimSpace(*p.Slug)
		if a.Slug != "" && !ValidSlug(a.Slug) {
			ve.add("slug", fmt.Sprintf("must be lower-case letters a-z, digits and single hyphens, at most %d characters", maxSlugInput))
		}
	}
	for _, b := range p.Bios {
		field := "bios." + b.Locale
		if err := s.checkLocale(field, b.Locale); err != nil {
			ve.fields = append(ve.fields, errs.FieldsOf(err)...)
			continue
		}
		bio := strings.TrimSpace(b.Bio)
		checkText(&ve, field, bio, MaxAuthorBioLen)
		kept := a.Bios[:0]
		for _, old := range a.Bios {
			if old.Locale != b.Locale {
				kept = append(kept, old)
			}
		}
		a.Bios = kept
		if bio != "" {
			a.Bios = append(a.Bios, AuthorBio{Locale: b.Locale, Bio: bio})
		}
	}
	sort.Slice(a.Bios, func(i, j int) bool { return a.Bios[i].Locale < a.Bios[j].Locale })
	if err := ve.err(); err != nil {
		return err
	}
	if a.Slug == "" {
		a.Slug = Slugify(a.Name)
		if a.Slug == "" {
			a.Slug = "author-" + a.ID.String()[:8]
		}
	}
	return nil
}

// checkAuthorRefs reports a photo that names no media item.
func (s *Service) checkAuthorRefs(ctx context.Context, a Author) error {
	if a.PhotoMediaID == nil {
		return nil
	}
	missing, err := s.store.MissingMedia(ctx, []uuid.UUID{*a.PhotoMediaID})
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return errs.Invalidf("photo_media_id", "no such media: %s", missing[0])
	}
	return nil
}

// authorSlugTaken sharpens a unique violation into the slug that caused it.
func authorSlugTaken(err error, slug string) error {
	if errs.CodeOf(err) == errs.Conflict {
		return errs.Wrap(ErrConflict, fmt.Sprintf("slug %q is already used by another author", slug))
	}
	return err
}

// authorChange is public: profiles and the bylines of articles show authors.
func authorChange(a Author, kind changes.Kind) changes.Change {
	c := changes.Change{EntityType: "author", EntityID: a.ID.String(), Kind: kind, Public: true, Locales: []string{}, Slugs: map[string]string{}}
	for _, b := range a.Bios {
		c.Locales = append(c.Locales, b.Locale)
	}
	return c
}
