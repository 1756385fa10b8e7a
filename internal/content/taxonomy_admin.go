package content

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/heraldcms/herald/internal/bidi"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// Limits on taxonomy and settings input.
const (
	MaxTermNameLen        = 200
	MaxTermDescriptionLen = 2000
	MaxSettingValueLen    = 10000
)

// TermInput is a category or tag name in one locale; an empty Slug is generated from Name
// for a new translation and kept for an existing one.
type TermInput struct {
	Locale      string
	Name        string
	Slug        string
	Description string // categories only
}

// TermPatch changes a category or tag: Position (categories only) if set, and the listed
// translations upserted per locale; RemoveLocales deletes translations.
type TermPatch struct {
	Position      *int
	Translations  []TermInput
	RemoveLocales []string
}

var settingKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// CreateCategory creates a category with at least one translation.
func (s *Service) CreateCategory(ctx context.Context, actor Actor, position int, in []TermInput) (Category, error) {
	return s.createCategory(ctx, actor, uuid.Nil, position, in)
}

// createCategory creates a category with the id given, or a new one when it is uuid.Nil.
func (s *Service) createCategory(ctx context.Context, actor Actor, id uuid.UUID, position int, in []TermInput) (Category, error) {
	if err := editorOnly(actor, Article{}); err != nil {
		return Category{}, err
	}
	if len(in) == 0 {
		return Category{}, errs.InvalidFields(errs.Field("translations", "at least one translation is required"))
	}
	id, err := newID(id)
	if err != nil {
		return Category{}, err
	}
	now := s.Now()
	var ts []CategoryTranslation
	if err := s.applyTerms(&ts, TermPatch{Translations: in}); err != nil {
		return Category{}, err
	}
	err = s.retrySlugs(ctx, func(ctx context.Context) error {
		return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
			c := Category{ID: id, Position: position, CreatedAt: now, UpdatedAt: now, Translations: append([]CategoryTranslation{}, ts...)}
			if err := s.slugTerms(ctx, SlugCategory, id, c.Translations); err != nil {
				return err
			}
			recordTerm(tx, "category", "create", id, changes.Upsert, c.Translations)
			return slugRace(s.store.CreateCategory(ctx, c), true)
		})
	})
	if err != nil {
		return Category{}, err
	}
	return s.store.Category(ctx, &id, "", nil)
}

// UpdateCategory applies p to a category.
func (s *Service) UpdateCategory(ctx context.Context, actor Actor, id uuid.UUID, p TermPatch) (Category, error) {
	if err := editorOnly(actor, Article{}); err != nil {
		return Category{}, err
	}
	err := s.retrySlugs(ctx, func(ctx context.Context) error {
		return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
			c, err := s.store.Category(ctx, &id, "", nil)
			if err != nil {
				return err
			}
			if p.Position != nil {
				c.Position = *p.Position
			}
			if err := s.applyTerms(&c.Translations, p); err != nil {
				return err
			}
			if err := s.slugTerms(ctx, SlugCategory, id, c.Translations); err != nil {
				return err
			}
			c.UpdatedAt = s.Now()
			recordTerm(tx, "category", "update", id, changes.Upsert, c.Translations)
			return slugRace(s.store.UpdateCategory(ctx, c), true)
		})
	})
	if err != nil {
		return Category{}, err
	}
	return s.store.Category(ctx, &id, "", nil)
}

// DeleteCategory deletes a category no live article uses; otherwise it is a conflict
// naming how many do.
func (s *Service) DeleteCategory(ctx context.Context, actor Actor, id uuid.UUID) error {
	if err := editorOnly(actor, Article{}); err != nil {
		return err
	}
	return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		c, err := s.store.Category(ctx, &id, "", nil)
		if err != nil {
			return err
		}
		n, err := s.store.CountCategoryArticles(ctx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			noun := "articles use"
			if n == 1 {
				noun = "article uses"
			}
			return errs.Wrap(ErrConflict, fmt.Sprintf("%d %s this category; move them to another category first", n, noun))
		}
		recordTerm(tx, "category", "delete", id, changes.Delete, c.Translations)
		return s.store.DeleteCategory(ctx, id)
	})
}

// CreateTag creates a tag with at least one translation.
func (s *Service) CreateTag(ctx context.Context, actor Actor, in []TermInput) (Tag, error) {
	return s.createTag(ctx, actor, uuid.Nil, in)
}

// createTag creates a tag with the id given, or a new one when it is uuid.Nil.
func (s *Service) createTag(ctx context.Context, actor Actor, id uuid.UUID, in []TermInput) (Tag, error) {
	if err := editorOnly(actor, Article{}); err != nil {
		return Tag{}, err
	}
	if len(in) == 0 {
		return Tag{}, errs.InvalidFields(errs.Field("translations", "at least one translation is required"))
	}
	id, err := newID(id)
	if err != nil {
		return Tag{}, err
	}
	now := s.Now()
	var ts []CategoryTranslation
	if err := s.applyTerms(&ts, TermPatch{Translations: in}); err != nil {
		return Tag{}, err
	}
	err = s.retrySlugs(ctx, func(ctx context.Context) error {
		return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
			ct := append([]CategoryTranslation{}, ts...)
			if err := s.slugTerms(ctx, SlugTag, id, ct); err != nil {
				return err
			}
			recordTerm(tx, "tag", "create", id, changes.Upsert, ct)
			return slugRace(s.store.CreateTag(ctx, Tag{ID: id, CreatedAt: now, UpdatedAt: now, Translations: tagTerms(ct)}), true)
		})
	})
	if err != nil {
		return Tag{}, err
	}
	return s.store.Tag(ctx, &id, "", nil)
}

// UpdateTag applies p to a tag (Position is ignored).
func (s *Service) UpdateTag(ctx context.Context, actor Actor, id uuid.UUID, p TermPatch) (Tag, error) {
	if err := editorOnly(actor, Article{}); err != nil {
		return Tag{}, err
	}
	err := s.retrySlugs(ctx, func(ctx context.Context) error {
		return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
			t, err := s.store.Tag(ctx, &id, "", nil)
			if err != nil {
				return err
			}
			ts := termsOfTag(t.Translations)
			if err := s.applyTerms(&ts, p); err != nil {
				return err
			}
			if err := s.slugTerms(ctx, SlugTag, id, ts); err != nil {
				return err
			}
			t.Translations = tagTerms(ts)
			t.UpdatedAt = s.Now()
			recordTerm(tx, "tag", "update", id, changes.Upsert, ts)
			return slugRace(s.store.UpdateTag(ctx, t), true)
		})
	})
	if err != nil {
		return Tag{}, err
	}
	return s.store.Tag(ctx, &id, "", nil)
}

// DeleteTag deletes a tag and unlinks it from every article.
func (s *Service) DeleteTag(ctx context.Context, actor Actor, id uuid.UUID) error {
	if err := editorOnly(actor, Article{}); err != nil {
		return err
	}
	// The articles that carry the tag change: each loses it as a write of its own (a new
	// version, a revision), so their validators and history say so.
	return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		t, err := s.store.Tag(ctx, &id, "", nil)
		if err != nil {
			return err
		}
		recordTerm(tx, "tag", "delete", id, changes.Delete, termsOfTag(t.Translations))
		ids, err := s.store.ArticlesWithTag(ctx, id)
		if err != nil {
			return err
		}
		for _, aid := range ids {
			a, err := s.store.ArticleByID(ctx, aid)
			if err != nil {
				return err
			}
			if _, err := s.write(ctx, "article.update", actor, aid, a.Version, editorOnly, func(a *Article) error {
				kept := a.TagIDs[:0]
				for _, t := range a.TagIDs {
					if t != id {
						kept = append(kept, t)
					}
				}
				a.TagIDs = kept
				return nil
			}); err != nil {
				return fmt.Errorf("remove tag %s from article %s: %w", id, aid, err)
			}
		}
		return s.store.DeleteTag(ctx, id)
	})
}

// PutSettings sets site settings in locale ("" for values shared by every locale); a nil
// value deletes the key.
func (s *Service) PutSettings(ctx context.Context, actor Actor, locale string, values map[string]*string) error {
	if err := editorOnly(actor, Article{}); err != nil {
		return err
	}
	var ve validation
	if locale != "" {
		if err := s.checkLocale("locale", locale); err != nil {
			return err
		}
	}
	if len(values) == 0 {
		ve.add("settings", "must name at least one key")
	}
	if len(values) > 100 {
		ve.add("settings", "must have at most 100 keys")
	}
	for k, v := range values {
		if !settingKey.MatchString(k) {
			ve.add("settings."+k, "key must be lower-case letters, digits and underscores, starting with a letter, at most 64")
		}
		if v != nil {
			checkText(&ve, "settings."+k, *v, MaxSettingValueLen)
		}
	}
	if err := ve.err(); err != nil {
		return err
	}
	now := s.Now()
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		tx.Audit("settings.put", "settings", locale, "keys: "+strings.Join(keys, ", "))
		c := changes.Change{EntityType: "settings", EntityID: locale, Kind: changes.Upsert, Public: true, PrevVisible: true, Locales: []string{}}
		if locale != "" {
			c.Locales = []string{locale}
		}
		tx.Change(c)
		for k, v := range values {
			var err error
			if v == nil {
				err = s.store.DeleteSetting(ctx, k, locale)
			} else {
				err = s.store.PutSetting(ctx, Setting{Key: k, Locale: locale, Value: *v, UpdatedAt: now})
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// applyTerms validates p's translations and upserts them into ts, then removes
// p.RemoveLocales (the last translation stays). Slugs are assigned later, in the
// transaction, by slugTerms. Tags use the same shape without descriptions.
func (s *Service) applyTerms(ts *[]CategoryTranslation, p TermPatch) error {
	var ve validation
	seen := map[string]bool{}
	for i, in := range p.Translations {
		f := fmt.Sprintf("translations[%d]", i)
		if err := s.checkLocale(f+".locale", in.Locale); err != nil {
			ve.fields = append(ve.fields, errs.FieldsOf(err)...)
			continue
		}
		if seen[in.Locale] {
			ve.add(f+".locale", "is given twice")
		}
		seen[in.Locale] = true
		name := bidi.Strip(strings.TrimSpace(in.Name))
		if name == "" {
			ve.add(f+".name", "is required")
		}
		checkText(&ve, f+".name", name, MaxTermNameLen)
		checkText(&ve, f+".description", in.Description, MaxTermDescriptionLen)
		slug := strings.TrimSpace(in.Slug)
		if slug != "" && !ValidSlug(slug) {
			ve.add(f+".slug", fmt.Sprintf("must be lower-case letters a-z, digits and single hyphens, at most %d characters", maxSlugInput))
		}
		if !utf8.ValidString(in.Name) {
			continue
		}
		t := CategoryTranslation{Locale: in.Locale, Name: name, Slug: slug, Description: strings.TrimSpace(in.Description)}
		replaced := false
		for j := range *ts {
			if (*ts)[j].Locale == in.Locale {
				if t.Slug == "" {
					t.Slug = (*ts)[j].Slug
				}
				(*ts)[j] = t
				replaced = true
			}
		}
		if !replaced {
			*ts = append(*ts, t)
		}
	}
	for _, l := range p.RemoveLocales {
		out := (*ts)[:0]
		for _, t := range *ts {
			if t.Locale != l {
				out = append(out, t)
			}
		}
		*ts = out
	}
	if len(*ts) == 0 && len(ve.fields) == 0 {
		ve.add("remove_locales", "cannot remove every translation")
	}
	return ve.err()
}

// slugTerms assigns missing slugs and checks explicit ones, per locale.
func (s *Service) slugTerms(ctx context.Context, kind SlugKind, id uuid.UUID, ts []CategoryTranslation) error {
	for i := range ts {
		slug, _, err := s.claimSlug(ctx, kind, id, ts[i].Locale, ts[i].Slug, ts[i].Name)
		if err != nil {
			return err
		}
		ts[i].Slug = slug
	}
	return nil
}

func termsOfTag(ts []TagTranslation) []CategoryTranslation {
	out := make([]CategoryTranslation, len(ts))
	for i, t := range ts {
		out[i] = CategoryTranslation{Locale: t.Locale, Name: t.Name, Slug: t.Slug}
	}
	return out
}

func tagTerms(ts []CategoryTranslation) []TagTranslation {
	out := make([]TagTranslation, len(ts))
	for i, t := range ts {
		out[i] = TagTranslation{Locale: t.Locale, Name: t.Name, Slug: t.Slug}
	}
	return out
}
