package content

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/errs"
)

// An ImportBatch lets the imports of many articles in one transaction share their checks
// and their inserts: the batch's external ids and explicit slugs are looked up in one
// statement each (Prefetch), a category or tag found once is not checked again, and a new
// article whose checks pass is kept in memory and inserted with the batch's others in a
// few multi-row statements (FlushImports, before the transaction records its audit
// entries and change rows). An import that fails is taken out of the batch (Rollback to
// the Mark taken before it), so each article stays all-or-nothing. A row the checks could
// not foresee (another writer's slug, a term deleted meanwhile) fails the flush, and with
// it the transaction: the caller imports the batch's lines again one by one.
type ImportBatch struct {
	// records are the import records by external id, known: prefetched, or made by this
	// batch; missing are external ids known to have none.
	records map[string]ImportRecord
	missing map[string]bool
	// taken are the prefetched explicit slugs that some article has; prefetched the slugs
	// looked up (a slug outside it is checked as before).
	taken, prefetched map[FormerSlug]bool
	// claimed are the slugs of the batch's articles, ids their ids, refs the categories
	// and tags known to exist.
	claimed map[FormerSlug]uuid.UUID
	ids     map[uuid.UUID]bool
	refs    map[uuid.UUID]bool
	pending []ImportedCreate
	undo    []func()
	// strict: the current import must be kept for the flush or fail with ErrImportWrites
	// before writing anything (the caller runs it without a savepoint).
	strict bool
	// direct: the current import writes its article at once (the caller writes rows that
	// need it, such as its daily counts).
	direct bool
}

// ErrImportWrites is what an import in a strict batch returns when the article cannot be
// kept for the batch's flush (an update, a slug to generate): nothing was written, and the
// caller imports it again under a savepoint.
var ErrImportWrites = errors.New("content: this import writes rows of its own")

// SetDirect says whether the next imports write their articles at once rather than keep
// them for the flush.
func (b *ImportBatch) SetDirect(direct bool) { b.direct = direct }

// SetStrict says whether the next imports must be kept for the flush (see ErrImportWrites).
func (b *ImportBatch) SetStrict(strict bool) { b.strict = strict }

// ImportedCreate is a new article an import batch inserts, with its rows besides the
// article's own.
type ImportedCreate struct {
	Article  Article
	OldSlugs []FormerSlug
	Record   ImportRecord
	Revision Revision
}

// NewImportBatch returns an empty batch.
func NewImportBatch() *ImportBatch {
	return &ImportBatch{records: map[string]ImportRecord{}, missing: map[string]bool{}, taken: map[FormerSlug]bool{},
		prefetched: map[FormerSlug]bool{}, claimed: map[FormerSlug]uuid.UUID{}, ids: map[uuid.UUID]bool{}, refs: map[uuid.UUID]bool{}}
}

type importBatchKey struct{}

// WithImportBatch returns ctx carrying b: ImportArticle calls in ctx join the batch. The
// transaction ctx runs in must end with FlushImports.
func WithImportBatch(ctx context.Context, b *ImportBatch) context.Context {
	return context.WithValue(ctx, importBatchKey{}, b)
}

// ImportBatchOf returns the batch ctx carries, or nil.
func ImportBatchOf(ctx context.Context) *ImportBatch { return importBatchOf(ctx) }

func importBatchOf(ctx context.Context) *ImportBatch {
	b, _ := ctx.Value(importBatchKey{}).(*ImportBatch)
	return b
}

// Mark is a point in a batch to roll back to.
type Mark int

// Mark returns the batch's current point.
func (b *ImportBatch) Mark() Mark { return Mark(len(b.undo)) }

// Rollback forgets what the batch learnt and kept since m (the import that failed).
func (b *ImportBatch) Rollback(m Mark) {
	for len(b.undo) > int(m) {
		b.undo[len(b.undo)-1]()
		b.undo = b.undo[:len(b.undo)-1]
	}
}

// Creates reports whether the import of external id ext would create its article as far
// as the batch knows (a prefetched id with no record, not imported by the batch).
func (b *ImportBatch) Creates(ext string) bool {
	_, known := b.records[ext]
	return b.missing[ext] && !known
}

// Keeps reports whether the batch keeps, not yet inserted, the article of external id
// ext: an import of ext again must follow FlushImports, outside its own savepoint.
func (b *ImportBatch) Keeps(ext string) bool {
	return slices.ContainsFunc(b.pending, func(c ImportedCreate) bool { return c.Record.ExternalID == ext })
}

func (b *ImportBatch) setRecord(r ImportRecord) {
	prev, had := b.records[r.ExternalID]
	b.records[r.ExternalID] = r
	b.undo = append(b.undo, func() {
		if had {
			b.records[r.ExternalID] = prev
		} else {
			delete(b.records, r.ExternalID)
		}
	})
}

// claim keeps the slugs of an article the batch wrote or keeps.
func (b *ImportBatch) claim(a Article) {
	for _, t := range a.Translations {
		sl := FormerSlug{Locale: t.Locale, Slug: t.Slug}
		if prev, had := b.claimed[sl]; !had || prev != a.ID {
			b.claimed[sl] = a.ID
			b.undo = append(b.undo, func() {
				if had {
					b.claimed[sl] = prev
				} else {
					delete(b.claimed, sl)
				}
			})
		}
	}
}

// claimedByOther reports whether an article of the batch other than id has slug sl.
func (b *ImportBatch) claimedByOther(sl FormerSlug, id uuid.UUID) bool {
	owner, ok := b.claimed[sl]
	return ok && owner != id
}

func (b *ImportBatch) addRefs(ids []uuid.UUID) {
	for _, id := range ids {
		if !b.refs[id] {
			b.refs[id] = true
			b.undo = append(b.undo, func() { delete(b.refs, id) })
		}
	}
}

// Prefetch looks up, in one statement each, which of exts are imported already and which
// of slugs some article's translation holds.
func (s *Service) Prefetch(ctx context.Context, b *ImportBatch, exts []string, slugs []FormerSlug) error {
	var ask []string
	for _, e := range exts {
		if _, ok := b.records[e]; !ok && e != "" {
			ask = append(ask, e)
		}
	}
	if len(ask) > 0 {
		recs, err := s.store.ImportRecords(ctx, ask)
		if err != nil {
			return err
		}
		for _, e := range ask {
			b.missing[e] = true
		}
		for _, r := range recs {
			delete(b.missing, r.ExternalID)
			b.records[r.ExternalID] = r
		}
	}
	if len(slugs) > 0 {
		taken, err := s.store.TakenExactSlugs(ctx, uuid.Nil, slugs)
		if err != nil {
			return err
		}
		for _, sl := range slugs {
			b.prefetched[sl] = true
		}
		for _, sl := range taken {
			b.taken[sl] = true
		}
	}
	return nil
}

// importRecord is ImportRecord through the batch ctx carries, if any.
func (s *Service) importRecord(ctx context.Context, ext string) (ImportRecord, error) {
	if b := importBatchOf(ctx); b != nil {
		if r, ok := b.records[ext]; ok {
			return r, nil
		}
		if b.missing[ext] {
			return ImportRecord{}, ErrNotFound
		}
	}
	return s.store.ImportRecord(ctx, ext)
}

// deferCreate checks a and keeps it in b, to be inserted by FlushImports. It reports false
// when a needs what the batch cannot check (a slug to generate, a slug not prefetched):
// the caller writes it as before.
func (s *Service) deferCreate(ctx context.Context, b *ImportBatch, c ImportedCreate) (bool, error) {
	a := c.Article
	if b.direct {
		return false, nil
	}
	for _, t := range a.Translations {
		if t.Slug == "" || !b.prefetched[FormerSlug{Locale: t.Locale, Slug: t.Slug}] {
			return false, nil
		}
	}
	// The checks of createImported, in its order: references, then slugs.
	refs := slices.Clone(a.TagIDs)
	if a.CategoryID != nil {
		refs = append(refs, *a.CategoryID)
	}
	unknown := slices.ContainsFunc(refs, func(id uuid.UUID) bool { return !b.refs[id] })
	if unknown || a.CoverMediaID != nil || len(a.GalleryMediaIDs) > 0 {
		if err := s.checkRefs(ctx, a); err != nil {
			return false, err
		}
		b.addRefs(refs)
	}
	for _, t := range a.Translations { // in the translations' order: the first taken is reported
		if sl := (FormerSlug{Locale: t.Locale, Slug: t.Slug}); b.taken[sl] || b.claimedByOther(sl, a.ID) {
			return false, errs.Wrap(ErrConflict, fmt.Sprintf("slug %q is already used by another %s in locale %s", t.Slug, SlugArticle, t.Locale))
		}
	}
	b.claim(a)
	b.ids[a.ID] = true
	b.pending = append(b.pending, c)
	b.undo = append(b.undo, func() { delete(b.ids, a.ID); b.pending = b.pending[:len(b.pending)-1] })
	b.setRecord(c.Record)
	return true, nil
}

// FlushImports inserts the articles the batch kept, in the transaction ctx carries, and
// empties the batch's list (what it learnt stays for the rest of the transaction).
func (s *Service) FlushImports(ctx context.Context, b *ImportBatch) error {
	if len(b.pending) == 0 {
		return nil
	}
	if err := s.store.CreateImported(ctx, b.pending); err != nil {
		return fmt.Errorf("import batch: %w", err)
	}
	b.pending, b.undo = nil, nil
	return nil
}
