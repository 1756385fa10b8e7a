package content

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/bidi"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// Errors of the write rules; api maps them to HTTP (412, 428, 403).
var (
	// ErrVersionConflict is wrapped by *VersionConflictError: the article changed since the
	// writer read it.
	ErrVersionConflict = errs.New(errs.VersionConflict, "version conflict")
	// ErrVersionRequired means a write did not say which version it read.
	ErrVersionRequired = errs.New(errs.VersionRequired, "this write must say which version of the article it is based on")
	// ErrForbidden means the actor may not do this to this record.
	ErrForbidden = errs.New(errs.Forbidden, "forbidden")
)

// VersionConflictError carries the article's current version, so a client can re-read it.
type VersionConflictError struct{ Current int }

func (e *VersionConflictError) Error() string {
	return fmt.Sprintf("version conflict: the article is at version %d", e.Current)
}

// Is makes errors.Is(err, ErrVersionConflict) true.
func (e *VersionConflictError) Is(target error) bool { return target == ErrVersionConflict }

// ErrorCode implements errs.Coder.
func (e *VersionConflictError) ErrorCode() errs.Code { return errs.VersionConflict }

// Limits on article input; larger values are validation errors, never truncated.
const (
	MaxTitleLen           = 300
	MaxSummaryLen         = 2000
	MaxMetaTitleLen       = 300
	MaxMetaDescriptionLen = 1000
	MaxBodyLen            = 512 << 10
	MaxTags               = 50
	MaxGallery            = 100
)

// TranslationInput is an article's text in one locale as a writer sends it. An empty Slug
// is generated from the title on creation and kept as it was on later edits.
type TranslationInput struct {
	Locale          string
	Title           string
	Slug            string
	Summary         string
	Body            string
	BodyFormat      BodyFormat
	MetaTitle       string
	MetaDescription string
}

// TranslationPatch merges into one translation (RFC 7396): a nil field keeps the current
// value, a pointer to "" removes it (a required title cannot be removed; a removed slug is
// generated again from the title). A field not sent is never rewritten: fixing a title
// leaves the body byte for byte.
type TranslationPatch struct {
	Locale                                                 string
	Title, Slug, Summary, Body, MetaTitle, MetaDescription *string
	// BodyFormat is the format of Body, when Body is set.
	BodyFormat BodyFormat
}

// NewArticle is the input of CreateArticle. It always creates a draft.
type NewArticle struct {
	CategoryID   *uuid.UUID
	CoverMediaID *uuid.UUID
	Featured     bool
	TagIDs       []uuid.UUID
	Translations []TranslationInput
	// GalleryMediaIDs is the ordered gallery.
	GalleryMediaIDs []uuid.UUID
}

// ArticlePatch changes an article's fields (JSON Merge Patch, RFC 7396); nil leaves a field
// as it is. uuid.Nil clears CategoryID or CoverMediaID. Each translation named is merged
// into the article's translation in its locale (created if there is none); others are
// untouched.
type ArticlePatch struct {
	CategoryID   *uuid.UUID
	CoverMediaID *uuid.UUID
	Featured     *bool
	TagIDs       *[]uuid.UUID
	Translations []TranslationPatch
	// GalleryMediaIDs replaces the gallery when not nil (an empty list clears it).
	GalleryMediaIDs *[]uuid.UUID
}

// AdminQuery selects articles in any status for the admin list; deleted ones are left out.
type AdminQuery struct {
	Statuses []Status
	AuthorID *uuid.UUID
	Category *uuid.UUID
	// MissingLocale keeps only articles without a translation in that locale.
	MissingLocale string
	// Q: as ListQuery.Q, over drafts too.
	Q      string
	Limit  int
	Offset int
}

// SlugKind names the table whose slugs must be unique per locale.
type SlugKind string

const (
	SlugArticle  SlugKind = "article"
	SlugCategory SlugKind = "category"
	SlugTag      SlugKind = "tag"
)

var localePattern = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})?$`)

// ParseStatus checks s against the workflow statuses.
func ParseStatus(s string) (Status, bool) {
	switch st := Status(s); st {
	case Draft, Scheduled, Published, Archived:
		return st, true
	}
	return "", false
}

// AdminArticles lists articles in every status (not deleted), most recently updated first,
// that viewer may read (see mayRead).
func (s *Service) AdminArticles(ctx context.Context, viewer Actor, q AdminQuery) ([]Article, int64, error) {
	if q.Limit <= 0 || q.Limit > MaxPerPage {
		q.Limit = DefaultPerPage
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	if q.MissingLocale != "" {
		if err := s.checkLocale("missing_locale", q.MissingLocale); err != nil {
			return nil, 0, err
		}
	}
	if !s.readsOthers(viewer) {
		if q.AuthorID != nil && *q.AuthorID != viewer.UserID {
			return []Article{}, 0, nil
		}
		q.AuthorID = &viewer.UserID
	}
	return s.store.ListArticles(ctx, q)
}

// AdminArticle returns an article in any status that viewer may read; deleted ones, and
// others' articles an author may not read, are not found.
func (s *Service) AdminArticle(ctx context.Context, viewer Actor, id uuid.UUID) (Article, error) {
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return Article{}, err
	}
	if a.DeletedAt != nil || !s.mayRead(viewer, a) {
		return Article{}, ErrNotFound
	}
	return a, nil
}

// CreateArticle creates a draft owned by actor with at least one translation, and records
// it as revision 1.
func (s *Service) CreateArticle(ctx context.Context, actor Actor, in NewArticle) (Article, error) {
	var ve validation
	if len(in.Translations) == 0 {
		ve.add("translations", "at least one translation is required")
	}
	s.checkTags(&ve, in.TagIDs)
	checkGallery(&ve, in.GalleryMediaIDs)
	seen := map[string]bool{}
	for i, t := range in.Translations {
		if seen[t.Locale] {
			ve.add(fmt.Sprintf("translations[%d].locale", i), "is given twice")
		}
		seen[t.Locale] = true
	}
	now := s.Now()
	a := Article{
		Status: Draft, CategoryID: nilIfZero(in.CategoryID), CoverMediaID: nilIfZero(in.CoverMediaID),
		Featured: in.Featured, TagIDs: append([]uuid.UUID{}, in.TagIDs...), Version: 1,
		GalleryMediaIDs: append([]uuid.UUID{}, in.GalleryMediaIDs...),
		CreatedAt:       now, UpdatedAt: now,
	}
	if actor.UserID != uuid.Nil {
		uid := actor.UserID
		a.AuthorID = &uid
	}
	for i, t := range in.Translations {
		tr, ok := s.translation(&ve, fmt.Sprintf("translations[%d]", i), t, nil, now)
		if ok {
			a.Translations = append(a.Translations, tr)
		}
	}
	if err := ve.err(); err != nil {
		return Article{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Article{}, err
	}
	a.ID = id
	err = s.retrySlugs(ctx, func(ctx context.Context) error {
		return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
			if err := s.checkRefs(ctx, a); err != nil {
				return err
			}
			generated, err := s.assignSlugs(ctx, &a)
			if err != nil {
				return err
			}
			if err := s.store.CreateArticle(ctx, a); err != nil {
				return slugRace(err, generated)
			}
			tx.Audit("article.create", "article", a.ID.String(), audit.Summary(audit.Change{Field: "status", From: "", To: a.Status}))
			tx.Change(articleChange(Article{}, a, now))
			return s.store.AddRevision(ctx, Revision{ArticleID: a.ID, Version: 1, Article: a, ActorID: actorID(actor), CreatedAt: now})
		})
	})
	if err != nil {
		return Article{}, err
	}
	return s.store.ArticleByID(ctx, a.ID)
}

// UpdateArticle applies patch to the article at version.
func (s *Service) UpdateArticle(ctx context.Context, actor Actor, id uuid.UUID, version int, p ArticlePatch) (Article, error) {
	var ve validation
	if p.TagIDs != nil {
		s.checkTags(&ve, *p.TagIDs)
	}
	if p.GalleryMediaIDs != nil {
		checkGallery(&ve, *p.GalleryMediaIDs)
	}
	seen := map[string]bool{}
	for i, t := range p.Translations {
		if seen[t.Locale] {
			ve.add(fmt.Sprintf("translations[%d].locale", i), "is given twice")
		}
		seen[t.Locale] = true
	}
	if err := ve.err(); err != nil {
		return Article{}, err
	}
	return s.write(ctx, "article.update", actor, id, version, canEdit, func(a *Article) error {
		if p.CategoryID != nil {
			a.CategoryID = nilIfZero(p.CategoryID)
		}
		if p.CoverMediaID != nil {
			a.CoverMediaID = nilIfZero(p.CoverMediaID)
		}
		if p.Featured != nil {
			a.Featured = *p.Featured
		}
		if p.TagIDs != nil {
			a.TagIDs = append([]uuid.UUID{}, (*p.TagIDs)...)
		}
		if p.GalleryMediaIDs != nil {
			a.GalleryMediaIDs = append([]uuid.UUID{}, (*p.GalleryMediaIDs)...)
		}
		var ve validation
		for i, t := range p.Translations {
			s.patchTranslation(&ve, fmt.Sprintf("translations[%d]", i), a, t)
		}
		return ve.err()
	})
}

// patchTranslation merges p into a's translation in p.Locale, or creates it from p.
func (s *Service) patchTranslation(ve *validation, field string, a *Article, p TranslationPatch) {
	var old *Translation
	for i := range a.Translations {
		if a.Translations[i].Locale == p.Locale {
			old = &a.Translations[i]
		}
	}
	in := TranslationInput{Locale: p.Locale, BodyFormat: p.BodyFormat}
	if old != nil {
		// The stored body is already rendered: it is kept as it is, not rendered again.
		in = TranslationInput{Locale: p.Locale, Title: old.Title, Slug: old.Slug, Summary: old.Summary,
			BodyFormat: p.BodyFormat, MetaTitle: old.MetaTitle, MetaDescription: old.MetaDescription}
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&in.Title, p.Title)
	set(&in.Slug, p.Slug)
	set(&in.Summary, p.Summary)
	set(&in.Body, p.Body)
	set(&in.MetaTitle, p.MetaTitle)
	set(&in.MetaDescription, p.MetaDescription)
	tr, ok := s.translation(ve, field, in, old, s.Now())
	if !ok {
		return
	}
	if old == nil {
		a.Translations = append(a.Translations, tr)
		return
	}
	if p.Body == nil {
		tr.Body, tr.ReadingMinutes = old.Body, old.ReadingMinutes
	}
	if p.Slug != nil && *p.Slug == "" {
		tr.Slug = "" // removed: assignSlugs makes one from the title
	}
	*old = tr
}

// PutTranslation creates or replaces the article's translation in in.Locale.
func (s *Service) PutTranslation(ctx context.Context, actor Actor, id uuid.UUID, version int, in TranslationInput) (Article, error) {
	return s.write(ctx, "article.translation.put", actor, id, version, canEdit, func(a *Article) error {
		var ve validation
		s.putTranslation(&ve, "", a, in)
		return ve.err()
	})
}

// DeleteTranslation removes the article's translation in locale; the last one stays.
func (s *Service) DeleteTranslation(ctx context.Context, actor Actor, id uuid.UUID, version int, locale string) (Article, error) {
	return s.write(ctx, "article.translation.delete", actor, id, version, canEdit, func(a *Article) error {
		i := -1
		for j, t := range a.Translations {
			if t.Locale == locale {
				i = j
			}
		}
		if i < 0 {
			return ErrNotFound
		}
		if len(a.Translations) == 1 {
			return errs.Wrap(ErrConflict, "the last translation of an article cannot be deleted")
		}
		a.Translations = append(a.Translations[:i], a.Translations[i+1:]...)
		return nil
	})
}

// PublishOptions say when a publication takes effect.
type PublishOptions struct {
	// At publishes at that time; a future one schedules the article.
	At *time.Time
	// ResetDate, without At, dates the publication now. By default an article that was
	// public before (published, archived, or unpublished since) keeps its date.
	ResetDate bool
}

// Publish makes the article public now, or at a future time (scheduled); an article public
// before keeps its date (see PublishWith).
func (s *Service) Publish(ctx context.Context, actor Actor, id uuid.UUID, version int, at *time.Time) (Article, error) {
	return s.PublishWith(ctx, actor, id, version, PublishOptions{At: at})
}

// PublishWith publishes as o says. FirstPublishedAt is set by the first publication and
// follows a pending schedule until the article has been public; after that it never
// changes.
func (s *Service) PublishWith(ctx context.Context, actor Actor, id uuid.UUID, version int, o PublishOptions) (Article, error) {
	return s.write(ctx, "article.publish", actor, id, version, editorOnly, func(a *Article) error {
		now := s.Now()
		switch {
		case o.At != nil && o.At.After(now):
			t := o.At.UTC().Truncate(time.Microsecond)
			a.Status, a.PublishedAt = Scheduled, &t
		case o.At != nil:
			t := o.At.UTC().Truncate(time.Microsecond)
			a.Status, a.PublishedAt = Published, &t
		case o.ResetDate:
			a.Status, a.PublishedAt = Published, &now
		case a.PublishedAt != nil && !a.PublishedAt.After(now):
			// Public before: publishing again keeps the date.
			a.Status = Published
		default:
			a.Status, a.PublishedAt = Published, &now
		}
		if f := a.FirstPublishedAt; f == nil || f.After(now) {
			first := *a.PublishedAt
			a.FirstPublishedAt = &first
		}
		return nil
	})
}

// Unpublish takes the article back to draft, cancelling a schedule. The dates of a
// publication that happened stay, so publishing again can keep them; a cancelled schedule
// leaves none.
func (s *Service) Unpublish(ctx context.Context, actor Actor, id uuid.UUID, version int) (Article, error) {
	return s.write(ctx, "article.unpublish", actor, id, version, editorOnly, func(a *Article) error {
		now := s.Now()
		a.Status = Draft
		if a.PublishedAt != nil && a.PublishedAt.After(now) {
			a.PublishedAt = nil
		}
		if a.FirstPublishedAt != nil && a.FirstPublishedAt.After(now) {
			a.FirstPublishedAt = nil
		}
		return nil
	})
}

// Archive takes the article off the public site but keeps its publication date.
func (s *Service) Archive(ctx context.Context, actor Actor, id uuid.UUID, version int) (Article, error) {
	return s.write(ctx, "article.archive", actor, id, version, editorOnly, func(a *Article) error {
		a.Status = Archived
		return nil
	})
}

// DeleteArticle soft-deletes the article: the row stays as a tombstone for delta sync.
func (s *Service) DeleteArticle(ctx context.Context, actor Actor, id uuid.UUID, version int) error {
	_, err := s.write(ctx, "article.delete", actor, id, version, editorOnly, func(a *Article) error {
		now := s.Now()
		a.DeletedAt = &now
		return nil
	})
	return err
}

// formerSlugs are the slugs of before that the translations after no longer have.
func formerSlugs(before []FormerSlug, after []Translation) []FormerSlug {
	var out []FormerSlug
	for _, b := range before {
		gone := true
		for _, t := range after {
			if t.Locale == b.Locale && t.Slug == b.Slug {
				gone = false
			}
		}
		if gone && b.Slug != "" {
			out = append(out, b)
		}
	}
	return out
}

// permission decides whether actor may write to a as it is now.
type permission func(actor Actor, a Article) error

// canEdit: editors edit anything; an author edits only their own drafts.
func canEdit(actor Actor, a Article) error {
	if actor.Editor {
		return nil
	}
	if a.AuthorID == nil || *a.AuthorID != actor.UserID {
		return errs.Wrap(ErrForbidden, "authors may edit only their own articles")
	}
	if a.Status != Draft {
		return errs.Wrap(ErrForbidden, fmt.Sprintf("authors may edit only drafts; this article is %s", a.Status))
	}
	return nil
}

// editorOnly: publishing, unpublishing, archiving and deleting are editors' work.
func editorOnly(actor Actor, _ Article) error {
	if !actor.Editor {
		return errs.Wrap(ErrForbidden, "only editors may do this")
	}
	return nil
}

// write is every change to an existing article: check the version was sent, load, check
// permission and version, apply change, save with an atomic compare-and-set on the version
// and record the new version as a revision — all in one transaction.
func (s *Service) write(ctx context.Context, action string, actor Actor, id uuid.UUID, version int, may permission, change func(a *Article) error) (Article, error) {
	if version <= 0 {
		return Article{}, ErrVersionRequired
	}
	var out Article
	err := s.retrySlugs(ctx, func(ctx context.Context) error {
		return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
			a, err := s.store.ArticleByID(ctx, id)
			if err != nil {
				return err
			}
			if a.DeletedAt != nil {
				return ErrNotFound
			}
			if err := may(actor, a); err != nil {
				return err
			}
			if a.Version != version {
				return &VersionConflictError{Current: a.Version}
			}
			// Articles written before revisions existed (imports, the demo) get theirs now,
			// so the history is whole; AddRevision keeps an existing one.
			if err := s.store.AddRevision(ctx, Revision{ArticleID: a.ID, Version: a.Version, Article: a, CreatedAt: a.UpdatedAt}); err != nil {
				return err
			}
			prev := a
			prev.Translations = append([]Translation(nil), a.Translations...)
			before := make([]FormerSlug, len(a.Translations))
			for i, t := range a.Translations {
				before[i] = FormerSlug{Locale: t.Locale, Slug: t.Slug}
			}
			if err := change(&a); err != nil {
				return err
			}
			if err := s.checkRefs(ctx, a); err != nil {
				return err
			}
			generated, err := s.assignSlugs(ctx, &a)
			if err != nil {
				return err
			}
			a.UpdatedAt = s.Now()
			a.Version = version + 1
			if err := s.store.SaveArticle(ctx, a, version); err != nil {
				return slugRace(err, generated)
			}
			// Slugs that changed or left stay as redirects to the current ones.
			if err := s.store.AddFormerSlugs(ctx, a.ID, formerSlugs(before, a.Translations), a.UpdatedAt); err != nil {
				return err
			}
			if err := s.store.AddRevision(ctx, Revision{ArticleID: a.ID, Version: a.Version, Article: a, ActorID: actorID(actor), CreatedAt: a.UpdatedAt}); err != nil {
				return err
			}
			if out, err = s.store.ArticleByID(ctx, id); err != nil {
				return err
			}
			tx.Audit(action, "article", id.String(), articleSummary(action, version, out))
			tx.Change(articleChange(prev, out, s.Now()))
			return nil
		})
	})
	return out, err
}

// retrySlugs runs fn again when a generated slug lost a race with a concurrent writer
// (the per-locale unique constraint fired); fn re-reads everything each time.
func (s *Service) retrySlugs(ctx context.Context, fn func(ctx context.Context) error) error {
	var err error
	for range 3 {
		err = fn(ctx)
		if !errors.Is(err, errSlugRace) {
			return err
		}
	}
	return errs.Wrap(ErrConflict, "could not find a free slug; try again")
}

// errSlugRace marks a unique-slug violation on a slug this attempt generated.
var errSlugRace = errors.New("generated slug taken concurrently")

func slugRace(err error, generated bool) error {
	if generated && errors.Is(err, ErrConflict) {
		return errSlugRace
	}
	return err
}

// putTranslation validates in and creates or replaces a's translation in its locale.
func (s *Service) putTranslation(ve *validation, field string, a *Article, in TranslationInput) {
	var old *Translation
	for i := range a.Translations {
		if a.Translations[i].Locale == in.Locale {
			old = &a.Translations[i]
		}
	}
	tr, ok := s.translation(ve, field, in, old, s.Now())
	if !ok {
		return
	}
	if old != nil {
		*old = tr
		return
	}
	a.Translations = append(a.Translations, tr)
}

// translation validates and renders in; old is the translation it replaces, if any.
func (s *Service) translation(ve *validation, field string, in TranslationInput, old *Translation, now time.Time) (Translation, bool) {
	pre := field
	if pre != "" {
		pre += "."
	}
	n := len(ve.fields)
	if err := s.checkLocale(pre+"locale", in.Locale); err != nil {
		ve.fields = append(ve.fields, errs.FieldsOf(err)...)
	}
	// Bidirectional overrides only make a title read other than it is.
	title := bidi.Strip(strings.TrimSpace(in.Title))
	if title == "" {
		ve.add(pre+"title", "is required")
	}
	checkText(ve, pre+"title", title, MaxTitleLen)
	checkText(ve, pre+"summary", in.Summary, MaxSummaryLen)
	checkText(ve, pre+"meta_title", in.MetaTitle, MaxMetaTitleLen)
	checkText(ve, pre+"meta_description", in.MetaDescription, MaxMetaDescriptionLen)
	if len(in.Body) > MaxBodyLen {
		ve.add(pre+"body", fmt.Sprintf("must be at most %d bytes", MaxBodyLen))
	} else if !utf8.ValidString(in.Body) || strings.ContainsRune(in.Body, 0) {
		ve.add(pre+"body", "must be valid UTF-8 text without NUL characters")
	}
	format := in.BodyFormat
	if format == "" {
		format = FormatHTML
	}
	if format != FormatHTML && format != FormatMarkdown {
		ve.add(pre+"body_format", "must be html or markdown")
	}
	slug := strings.TrimSpace(in.Slug)
	if slug != "" && !ValidSlug(slug) {
		ve.add(pre+"slug", fmt.Sprintf("must be lower-case letters a-z, digits and single hyphens, at most %d characters", maxSlugInput))
	}
	if len(ve.fields) > n {
		return Translation{}, false
	}
	body, err := s.render.body(in.Body, format)
	if err != nil {
		ve.add(pre+"body", "could not be converted: "+err.Error())
		return Translation{}, false
	}
	tr := Translation{
		Locale: in.Locale, Title: title, Slug: slug, Summary: strings.TrimSpace(in.Summary), Body: body,
		MetaTitle: bidi.Strip(strings.TrimSpace(in.MetaTitle)), MetaDescription: strings.TrimSpace(in.MetaDescription),
		ReadingMinutes: ReadingMinutes(body), CreatedAt: now, UpdatedAt: now,
	}
	if old != nil {
		tr.CreatedAt = old.CreatedAt
		if tr.Slug == "" {
			tr.Slug = old.Slug // URLs stay stable when a title is corrected
		}
	}
	return tr, true
}

// assignSlugs gives every translation without a slug one made from its title, unique in
// its locale (numeric suffix on collision), and checks chosen slugs are free. It reports
// whether it generated any.
func (s *Service) assignSlugs(ctx context.Context, a *Article) (bool, error) {
	// The explicit slugs are checked together, in one statement (an import's articles
	// come with three or more); the missing ones are generated one by one.
	var explicit []FormerSlug
	for _, t := range a.Translations {
		if t.Slug != "" {
			explicit = append(explicit, FormerSlug{Locale: t.Locale, Slug: t.Slug})
		}
	}
	taken, err := s.store.TakenExactSlugs(ctx, a.ID, explicit)
	if err != nil {
		return false, err
	}
	b := importBatchOf(ctx)      // an import batch's kept articles are not rows yet
	for _, t := range explicit { // in the translations' order: the first taken is reported
		if slices.Contains(taken, t) || b != nil && b.claimedByOther(t, a.ID) {
			return false, errs.Wrap(ErrConflict, fmt.Sprintf("slug %q is already used by another %s in locale %s", t.Slug, SlugArticle, t.Locale))
		}
	}
	generated := false
	for i := range a.Translations {
		t := &a.Translations[i]
		if t.Slug != "" {
			continue
		}
		slug, gen, err := s.claimSlug(ctx, SlugArticle, a.ID, t.Locale, t.Slug, t.Title)
		if err != nil {
			return false, err
		}
		t.Slug = slug
		generated = generated || gen
	}
	return generated, nil
}

// claimSlug checks an explicit slug is free in locale for record id, or generates one from
// name with a numeric suffix on collision.
func (s *Service) claimSlug(ctx context.Context, kind SlugKind, id uuid.UUID, locale, slug, name string) (string, bool, error) {
	if slug != "" {
		taken, err := s.store.TakenSlugs(ctx, kind, locale, slug, id, true)
		if err != nil {
			return "", false, err
		}
		if len(taken) > 0 {
			return "", false, errs.Wrap(ErrConflict, fmt.Sprintf("slug %q is already used by another %s in locale %s", slug, kind, locale))
		}
		return slug, false, nil
	}
	base := Slugify(name)
	if base == "" {
		base = string(kind)
	}
	taken, err := s.store.TakenSlugs(ctx, kind, locale, base, id, false)
	if err != nil {
		return "", false, err
	}
	return uniqueSlug(base, taken), true, nil
}

// checkRefs reports a category or tags that do not exist as validation errors.
func (s *Service) checkRefs(ctx context.Context, a Article) error {
	var ve validation
	if err := s.checkMedia(ctx, &ve, a); err != nil {
		return err
	}
	if a.CategoryID == nil && len(a.TagIDs) == 0 {
		return ve.err()
	}
	catMissing, tags, err := s.store.MissingRefs(ctx, a.CategoryID, a.TagIDs)
	if err != nil {
		return err
	}
	if catMissing {
		ve.add("category_id", "no such category")
	}
	for _, id := range tags {
		ve.add("tag_ids", "no such tag: "+id.String())
	}
	return ve.err()
}

// checkMedia reports a cover or gallery item that does not exist.
func (s *Service) checkMedia(ctx context.Context, ve *validation, a Article) error {
	ids := append([]uuid.UUID{}, a.GalleryMediaIDs...)
	if a.CoverMediaID != nil {
		ids = append(ids, *a.CoverMediaID)
	}
	missing, err := s.store.MissingMedia(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range missing {
		field := "gallery_media_ids"
		if a.CoverMediaID != nil && id == *a.CoverMediaID {
			field = "cover_media_id"
		}
		ve.add(field, "no such media: "+id.String())
	}
	return nil
}

func checkGallery(ve *validation, ids []uuid.UUID) {
	if len(ids) > MaxGallery {
		ve.add("gallery_media_ids", fmt.Sprintf("must have at most %d items", MaxGallery))
	}
	seen := map[uuid.UUID]bool{}
	for _, id := range ids {
		if seen[id] || id == uuid.Nil {
			ve.add("gallery_media_ids", "must be distinct media ids")
			return
		}
		seen[id] = true
	}
}

func (s *Service) checkLocale(field, l string) error {
	ok := localePattern.MatchString(l)
	if ok && s.locales != nil {
		ok = s.locales[l]
	}
	if ok {
		return nil
	}
	msg := "must be a locale code such as az"
	if s.locales != nil {
		msg = "must be one of the site's locales: " + strings.Join(s.localeList, ", ")
	}
	return errs.InvalidFields(errs.Field(field, msg))
}

func (s *Service) checkTags(ve *validation, ids []uuid.UUID) {
	if len(ids) > MaxTags {
		ve.add("tag_ids", fmt.Sprintf("must have at most %d tags", MaxTags))
	}
	seen := map[uuid.UUID]bool{}
	for _, id := range ids {
		if seen[id] || id == uuid.Nil {
			ve.add("tag_ids", "must be distinct tag ids")
			return
		}
		seen[id] = true
	}
}

func checkText(ve *validation, field, v string, max int) {
	switch {
	case utf8.RuneCountInString(v) > max:
		ve.add(field, fmt.Sprintf("must be at most %d characters", max))
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		ve.add(field, "must be valid UTF-8 text without NUL characters")
	}
}

func nilIfZero(id *uuid.UUID) *uuid.UUID {
	if id == nil || *id == uuid.Nil {
		return nil
	}
	v := *id
	return &v
}

func actorID(a Actor) *uuid.UUID {
	if a.UserID == uuid.Nil {
		return nil
	}
	id := a.UserID
	return &id
}

// validation collects field errors.
type validation struct{ fields []errs.FieldError }

func (v *validation) add(field, msg string) {
	v.fields = append(v.fields, errs.Field(field, msg))
}

func (v *validation) err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return errs.InvalidFields(v.fields...)
}
