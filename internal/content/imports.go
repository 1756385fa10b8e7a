package content

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"
)

// Imports bring an archive's articles in with their own dates and status, keyed by the
// archive's external id: importing the same article again changes nothing, an article that
// changed is written as a new version. They are writes like an editor's (ImportArticle runs
// through the write seam: audit entry, change row, revision).

// ImportRecord ties an external id to the article it became, with the source's byline.
type ImportRecord struct {
	ArticleID  uuid.UUID
	ExternalID string
	// Byline is the source's author line, plain text (articles have no author profile).
	Byline string
}

// ImportStore is what imports and exports need from persistence (part of Store).
type ImportStore interface {
	// ImportRecord returns the record of external id ext, or ErrNotFound.
	ImportRecord(ctx context.Context, ext string) (ImportRecord, error)
	// ImportRecords returns the records of those of exts that have one, in any order.
	ImportRecords(ctx context.Context, exts []string) ([]ImportRecord, error)
	// CreateImported inserts new articles and their former slugs, import records and
	// first revisions in few statements (multi-row inserts), in the transaction ctx
	// carries.
	CreateImported(ctx context.Context, cs []ImportedCreate) error
	// ImportRecordOf returns the record of an article, or ErrNotFound.
	ImportRecordOf(ctx context.Context, articleID uuid.UUID) (ImportRecord, error)
	// PutImportRecord stores r, replacing the article's record.
	PutImportRecord(ctx context.Context, r ImportRecord) error
	// FormerSlugsOf returns every former slug (and old path) of an article, by locale and slug.
	FormerSlugsOf(ctx context.Context, articleID uuid.UUID) ([]FormerSlug, error)
	// ArticleIDsAfter returns up to limit ids of articles that are not deleted, in id order,
	// after after.
	ArticleIDsAfter(ctx context.Context, after uuid.UUID, limit int) ([]uuid.UUID, error)
}

// Limits on imported articles.
const (
	MaxExternalIDLen = 200
	MaxBylineLen     = 300
	MaxOldSlugs      = 50
	MaxOldSlugLen    = 300
)

// ImportedArticle is an article as an archive has it. Times are kept as given (UTC, to the
// microsecond); a nil CreatedAt is the publication date or now, a nil UpdatedAt the
// creation date on creation and now on an update.
type ImportedArticle struct {
	ExternalID string
	// ID, when set, is the id a new article gets (exports carry it); it is ignored when
	// the external id is already imported.
	ID          uuid.UUID
	Status      Status
	PublishedAt *time.Time
	// FirstPublishedAt is when the article first became public; nil: PublishedAt unless
	// the article is a draft.
	FirstPublishedAt *time.Time
	CreatedAt        *time.Time
	UpdatedAt        *time.Time
	Featured         bool
	Byline           string
	CategoryID       *uuid.UUID
	TagIDs           []uuid.UUID
	// CoverMediaID and GalleryMediaIDs name media items already stored.
	CoverMediaID    *uuid.UUID
	GalleryMediaIDs []uuid.UUID
	// Translations are rendered and sanitised as an editor's are; an empty slug is made
	// from the title on creation and kept on an update.
	Translations []TranslationInput
	// ReadCount is the all-time count a new article starts with (updates leave counts to
	// views.ImportCounts).
	ReadCount int64
	// OldSlugs become redirects to the translation in their locale: former slugs, or the
	// paths of the old site's URLs ("/en/news/123").
	OldSlugs []FormerSlug
}

// ImportOutcome says what an import did to its article.
type ImportOutcome string

// The outcomes of an import.
const (
	ImportCreated   ImportOutcome = "created"
	ImportUpdated   ImportOutcome = "updated"
	ImportUnchanged ImportOutcome = "unchanged"
)

// ImportArticle creates the article of in.ExternalID (and returns it as written, without
// its category and tags read back), or updates it to in when something
// differs (a new version and revision, like an editor's save), or leaves it as it is: then
// it writes nothing, not even an audit entry. Translations the article has in locales in
// does not name are kept. Only editors import.
func (s *Service) ImportArticle(ctx context.Context, actor Actor, in ImportedArticle) (Article, ImportOutcome, error) {
	if err := editorOnly(actor, Article{}); err != nil {
		return Article{}, "", err
	}
	now := s.Now()
	in, trs, err := s.checkImport(in, now)
	if err != nil {
		return Article{}, "", err
	}
	var out Article
	var outcome ImportOutcome
	err = s.retrySlugs(ctx, func(ctx context.Context) error {
		return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
			rec, err := s.importRecord(ctx, in.ExternalID)
			switch {
			case errors.Is(err, ErrNotFound):
				outcome = ImportCreated
				out, err = s.createImported(ctx, tx, actor, in, trs, now)
				return err
			case err != nil:
				return err
			}
			out, outcome, err = s.updateImported(ctx, tx, actor, rec, in, trs, now)
			return err
		})
	})
	if err != nil {
		return Article{}, "", err
	}
	return out, outcome, nil
}

// checkImport validates in and renders its translations. Times are kept to the
// nanosecond (SQLite keeps them so; PostgreSQL keeps microseconds): imports compare them
// to the microsecond (sameMicro).
func (s *Service) checkImport(in ImportedArticle, now time.Time) (ImportedArticle, []Translation, error) {
	var ve validation
	in.ExternalID = strings.TrimSpace(in.ExternalID)
	switch {
	case in.ExternalID == "":
		ve.add("external_id", "is required")
	case len(in.ExternalID) > MaxExternalIDLen || !utf8.ValidString(in.ExternalID) || strings.ContainsRune(in.ExternalID, 0):
		ve.add("external_id", fmt.Sprintf("must be valid UTF-8 of at most %d bytes", MaxExternalIDLen))
	}
	in.Byline = strings.TrimSpace(in.Byline)
	checkText(&ve, "byline", in.Byline, MaxBylineLen)
	if _, ok := ParseStatus(string(in.Status)); !ok {
		ve.add("status", "must be one of draft, scheduled, published, archived")
	}
	if in.Status != Draft && in.PublishedAt == nil {
		ve.add("published_at", "is required unless the status is draft")
	}
	for _, t := range []**time.Time{&in.PublishedAt, &in.FirstPublishedAt, &in.CreatedAt, &in.UpdatedAt} {
		if *t != nil {
			v := (*t).UTC()
			*t = &v
		}
	}
	if len(in.Translations) == 0 {
		ve.add("translations", "at least one translation is required")
	}
	s.checkTags(&ve, in.TagIDs)
	checkGallery(&ve, in.GalleryMediaIDs)
	seen := map[string]bool{}
	var trs []Translation
	for _, t := range in.Translations {
		field := "translations." + t.Locale
		if seen[t.Locale] {
			ve.add(field, "is given twice")
			continue
		}
		seen[t.Locale] = true
		if tr, ok := s.translation(&ve, field, t, nil, now); ok {
			trs = append(trs, tr)
		}
	}
	if len(in.OldSlugs) > MaxOldSlugs {
		ve.add("old_urls", fmt.Sprintf("must have at most %d entries", MaxOldSlugs))
	}
	for _, o := range in.OldSlugs {
		field := "old_urls." + o.Locale
		if err := s.checkLocale(field, o.Locale); err != nil {
			ve.fields = append(ve.fields, errs.FieldsOf(err)...)
		} else if !seen[o.Locale] {
			ve.add(field, "has no translation in this locale to redirect to")
		}
		if o.Slug == "" || len(o.Slug) > MaxOldSlugLen || !utf8.ValidString(o.Slug) || strings.ContainsAny(o.Slug, "\x00\r\n") {
			ve.add(field, fmt.Sprintf("must be a slug or URL path of at most %d bytes", MaxOldSlugLen))
		}
	}
	return in, trs, ve.err()
}

// createImported inserts the article of in with the given id (or a new one) as version 1.
func (s *Service) createImported(ctx context.Context, tx *changes.Tx, actor Actor, in ImportedArticle, trs []Translation, now time.Time) (Article, error) {
	b := importBatchOf(ctx)
	id := in.ID
	if id != uuid.Nil {
		if b != nil && b.ids[id] {
			return Article{}, errs.Wrap(ErrConflict, fmt.Sprintf("id %s belongs to another article", id))
		}
		if _, err := s.store.ArticleByID(ctx, id); err == nil {
			return Article{}, errs.Wrap(ErrConflict, fmt.Sprintf("id %s belongs to another article", id))
		} else if !errors.Is(err, ErrNotFound) {
			return Article{}, err
		}
	}
	id, err := newID(id)
	if err != nil {
		return Article{}, err
	}
	created := now
	switch {
	case in.CreatedAt != nil:
		created = *in.CreatedAt
	case in.PublishedAt != nil && in.PublishedAt.Before(now):
		created = *in.PublishedAt
	}
	updated := created
	if in.UpdatedAt != nil {
		updated = *in.UpdatedAt
	}
	a := Article{ID: id, Status: in.Status, PublishedAt: in.PublishedAt, Featured: in.Featured,
		CategoryID: nilIfZero(in.CategoryID), CoverMediaID: nilIfZero(in.CoverMediaID),
		TagIDs: append([]uuid.UUID{}, in.TagIDs...), GalleryMediaIDs: append([]uuid.UUID{}, in.GalleryMediaIDs...),
		Version: 1, CreatedAt: created, UpdatedAt: updated, ReadCount: max(in.ReadCount, 0)}
	if a.FirstPublishedAt = in.FirstPublishedAt; a.FirstPublishedAt == nil && a.Status != Draft {
		a.FirstPublishedAt = a.PublishedAt
	}
	for _, t := range trs {
		t.CreatedAt, t.UpdatedAt = created, updated
		a.Translations = append(a.Translations, t)
	}
	rec := ImportRecord{ArticleID: a.ID, ExternalID: in.ExternalID, Byline: in.Byline}
	rev := Revision{ArticleID: a.ID, Version: 1, Article: a, ActorID: actorID(actor), CreatedAt: updated}
	deferred := false
	if b != nil {
		if deferred, err = s.deferCreate(ctx, b, ImportedCreate{Article: a, OldSlugs: in.OldSlugs, Record: rec, Revision: rev}); err != nil {
			return Article{}, err
		}
	}
	if !deferred && b != nil && b.strict {
		return Article{}, ErrImportWrites
	}
	if !deferred {
		if err := s.checkRefs(ctx, a); err != nil {
			return Article{}, err
		}
		generated, err := s.assignSlugs(ctx, &a)
		if err != nil {
			return Article{}, err
		}
		if err := s.store.CreateArticle(ctx, a); err != nil {
			return Article{}, slugRace(err, generated)
		}
		if err := s.store.AddFormerSlugs(ctx, a.ID, in.OldSlugs, updated); err != nil {
			return Article{}, err
		}
		if err := s.store.PutImportRecord(ctx, rec); err != nil {
			return Article{}, err
		}
		rev.Article = a // with the slugs it was given
		if err := s.store.AddRevision(ctx, rev); err != nil {
			return Article{}, err
		}
		if b != nil {
			b.setRecord(rec)
			b.claim(a)
		}
	}
	tx.Audit("article.import", "article", a.ID.String(), "created from external id "+in.ExternalID)
	tx.Change(articleChange(Article{}, a, now))
	return a, nil // as written: reading it back costs an import a third of its statements
}

// updateImported brings the article of rec to in, or leaves it when nothing differs.
func (s *Service) updateImported(ctx context.Context, tx *changes.Tx, actor Actor, rec ImportRecord, in ImportedArticle, trs []Translation, now time.Time) (Article, ImportOutcome, error) {
	if b := importBatchOf(ctx); b != nil && b.strict {
		return Article{}, "", ErrImportWrites
	}
	a, err := s.store.ArticleByID(ctx, rec.ArticleID)
	if err != nil {
		return Article{}, "", err
	}
	if a.DeletedAt != nil {
		return Article{}, "", errs.Wrap(ErrConflict, "the article imported from this external id was deleted in Herald; it is not imported again")
	}
	prev := a
	prev.Translations = append([]Translation(nil), a.Translations...)
	next := a
	next.Translations = append([]Translation(nil), a.Translations...)
	next.Status, next.PublishedAt, next.Featured = in.Status, in.PublishedAt, in.Featured
	next.CategoryID, next.CoverMediaID = nilIfZero(in.CategoryID), nilIfZero(in.CoverMediaID)
	next.TagIDs = append([]uuid.UUID{}, in.TagIDs...)
	next.GalleryMediaIDs = append([]uuid.UUID{}, in.GalleryMediaIDs...)
	for _, t := range trs {
		replaced := false
		for i := range next.Translations {
			if old := &next.Translations[i]; old.Locale == t.Locale {
				if t.Slug == "" {
					t.Slug = old.Slug
				}
				t.CreatedAt, t.UpdatedAt = old.CreatedAt, old.UpdatedAt
				*old, replaced = t, true
			}
		}
		if !replaced {
			next.Translations = append(next.Translations, t)
		}
	}
	formers, err := s.store.FormerSlugsOf(ctx, a.ID)
	if err != nil {
		return Article{}, "", err
	}
	newOld := missingSlugs(in.OldSlugs, formers)
	same := sameImported(prev, next) && len(newOld) == 0 && rec.Byline == in.Byline &&
		(in.UpdatedAt == nil || sameMicro(in.UpdatedAt, &a.UpdatedAt)) &&
		(in.FirstPublishedAt == nil || sameMicro(in.FirstPublishedAt, a.FirstPublishedAt))
	if same {
		return a, ImportUnchanged, nil
	}
	updated := now
	if in.UpdatedAt != nil {
		updated = *in.UpdatedAt
	}
	touched := map[string]bool{}
	for _, l := range touchedLocales(prev, next) {
		touched[l] = true
	}
	for i := range next.Translations {
		if t := &next.Translations[i]; touched[t.Locale] || t.CreatedAt.IsZero() {
			if t.CreatedAt.IsZero() {
				t.CreatedAt = updated
			}
			t.UpdatedAt = updated
		}
	}
	if in.FirstPublishedAt != nil {
		next.FirstPublishedAt = in.FirstPublishedAt
	} else if next.Status != Draft && next.PublishedAt != nil && (next.FirstPublishedAt == nil || next.PublishedAt.Before(*next.FirstPublishedAt)) {
		first := *next.PublishedAt
		next.FirstPublishedAt = &first
	}
	if err := s.store.AddRevision(ctx, Revision{ArticleID: a.ID, Version: a.Version, Article: a, CreatedAt: a.UpdatedAt}); err != nil {
		return Article{}, "", err
	}
	if err := s.checkRefs(ctx, next); err != nil {
		return Article{}, "", err
	}
	generated, err := s.assignSlugs(ctx, &next)
	if err != nil {
		return Article{}, "", err
	}
	next.UpdatedAt, next.Version = updated, a.Version+1
	if err := s.store.SaveArticle(ctx, next, a.Version); err != nil {
		return Article{}, "", slugRace(err, generated)
	}
	before := make([]FormerSlug, len(a.Translations))
	for i, t := range a.Translations {
		before[i] = FormerSlug{Locale: t.Locale, Slug: t.Slug}
	}
	if err := s.store.AddFormerSlugs(ctx, a.ID, append(formerSlugs(before, next.Translations), newOld...), updated); err != nil {
		return Article{}, "", err
	}
	rec = ImportRecord{ArticleID: a.ID, ExternalID: in.ExternalID, Byline: in.Byline}
	if err := s.store.PutImportRecord(ctx, rec); err != nil {
		return Article{}, "", err
	}
	if b := importBatchOf(ctx); b != nil {
		b.setRecord(rec)
		b.claim(next)
	}
	if err := s.store.AddRevision(ctx, Revision{ArticleID: a.ID, Version: next.Version, Article: next, ActorID: actorID(actor), CreatedAt: updated}); err != nil {
		return Article{}, "", err
	}
	out, err := s.store.ArticleByID(ctx, a.ID)
	if err != nil {
		return Article{}, "", err
	}
	tx.Audit("article.import", "article", a.ID.String(), "updated from external id "+in.ExternalID+"; "+articleSummary("article.import", a.Version, out))
	tx.Change(articleChange(prev, out, now))
	return out, ImportUpdated, nil
}

// sameImported reports whether an import leaves the article as it is: the fields an
// import sets and every translation's text.
func sameImported(a, b Article) bool {
	if a.Status != b.Status || !sameMicro(a.PublishedAt, b.PublishedAt) || a.Featured != b.Featured ||
		!sameID(a.CategoryID, b.CategoryID) || !sameID(a.CoverMediaID, b.CoverMediaID) ||
		!sameIDs(a.TagIDs, b.TagIDs) || !sameIDs(a.GalleryMediaIDs, b.GalleryMediaIDs) ||
		len(a.Translations) != len(b.Translations) {
		return false
	}
	for _, t := range a.Translations {
		u, ok := b.Translation(t.Locale)
		if !ok || t.Title != u.Title || t.Slug != u.Slug || t.Summary != u.Summary || t.Body != u.Body ||
			t.MetaTitle != u.MetaTitle || t.MetaDescription != u.MetaDescription {
			return false
		}
	}
	return true
}

// sameMicro compares times to the microsecond, the precision both databases keep.
func sameMicro(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond)))
}

// missingSlugs are the slugs of want that have lacks.
func missingSlugs(want, have []FormerSlug) []FormerSlug {
	got := map[FormerSlug]bool{}
	for _, h := range have {
		got[h] = true
	}
	var out []FormerSlug
	for _, w := range want {
		if !got[w] {
			got[w] = true
			out = append(out, w)
		}
	}
	return out
}

// ImportCategory creates a category with the given id (uuid.Nil: a new one), for imports
// that keep an archive's ids.
func (s *Service) ImportCategory(ctx context.Context, actor Actor, id uuid.UUID, position int, in []TermInput) (Category, error) {
	return s.createCategory(ctx, actor, id, position, in)
}

// ImportTag creates a tag with the given id (uuid.Nil: a new one).
func (s *Service) ImportTag(ctx context.Context, actor Actor, id uuid.UUID, in []TermInput) (Tag, error) {
	return s.createTag(ctx, actor, id, in)
}

// ImportRecordOf returns the import record of an article, or ErrNotFound.
func (s *Service) ImportRecordOf(ctx context.Context, id uuid.UUID) (ImportRecord, error) {
	return s.store.ImportRecordOf(ctx, id)
}

// FormerSlugsOf returns every former slug and old path of an article.
func (s *Service) FormerSlugsOf(ctx context.Context, id uuid.UUID) ([]FormerSlug, error) {
	fs, err := s.store.FormerSlugsOf(ctx, id)
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Locale != fs[j].Locale {
			return fs[i].Locale < fs[j].Locale
		}
		return fs[i].Slug < fs[j].Slug
	})
	return fs, err
}

// ArticleIDsAfter pages through every article that is not deleted, in id order.
func (s *Service) ArticleIDsAfter(ctx context.Context, after uuid.UUID, limit int) ([]uuid.UUID, error) {
	return s.store.ArticleIDsAfter(ctx, after, limit)
}

// ArticleForExport returns an article in any status with everything it has.
func (s *Service) ArticleForExport(ctx context.Context, id uuid.UUID) (Article, error) {
	return s.store.ArticleByID(ctx, id)
}

// AllRevisions returns up to limit of an article's revisions, oldest first.
func (s *Service) AllRevisions(ctx context.Context, id uuid.UUID, limit int) ([]Revision, error) {
	rs, _, err := s.store.Revisions(ctx, id, limit, 0)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return rs, err
}

// newID returns id, or a new UUIDv7 when it is uuid.Nil.
func newID(id uuid.UUID) (uuid.UUID, error) {
	if id != uuid.Nil {
		return id, nil
	}
	return uuid.NewV7()
}

// ImportRecord returns the record of an external id, or ErrNotFound.
func (s *Service) ImportRecord(ctx context.Context, ext string) (ImportRecord, error) {
	return s.store.ImportRecord(ctx, ext)
}
