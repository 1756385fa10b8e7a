package content

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/changes"
)

// WithChanges runs the service's writes through the write seam l, which records their
// audit entries and change rows in their transactions and runs the after-commit effects
// (internal/app wires it). Without it writes record nothing.
func WithChanges(l *changes.Log) Option { return func(s *Service) { s.log = l } }

// writes is the seam of s: the configured log, or one that records nothing.
func (s *Service) writes() *changes.Log {
	if s.log == nil {
		s.log = changes.Unlogged(s.store.InTx)
	}
	return s.log
}

// live reports whether a is published or scheduled and not deleted: what the public sees
// now or will see at its time without another write.
func live(a Article) bool {
	return a.DeletedAt == nil && (a.Status == Published || a.Status == Scheduled)
}

// articleChange describes the write that turned prev into next (prev zero for a new one).
// It is public when the article was or is live: a draft's edits change nothing the public
// API serves, so they empty no cache.
func articleChange(prev, next Article, now time.Time) changes.Change {
	c := changes.Change{EntityType: "article", EntityID: next.ID.String(), Kind: changes.Upsert,
		PrevStatus: string(prev.Status), PrevVisible: prev.Visible(now), Public: live(prev) || live(next), Slugs: map[string]string{}}
	switch {
	case next.DeletedAt != nil:
		c.Kind = changes.Delete
	case !prev.Visible(now) && next.Visible(now):
		c.Kind = changes.Publish
	case live(prev) && !live(next):
		c.Kind = changes.Unpublish
	}
	for _, t := range prev.Translations {
		c.Slugs[t.Locale] = t.Slug
	}
	if next.DeletedAt == nil {
		for _, t := range next.Translations {
			if old, ok := c.Slugs[t.Locale]; ok && old != t.Slug {
				if c.PrevSlugs == nil {
					c.PrevSlugs = map[string]string{}
				}
				c.PrevSlugs[t.Locale] = old
			}
			c.Slugs[t.Locale] = t.Slug
		}
	}
	c.Locales = touchedLocales(prev, next)
	return c
}

// touchedLocales are the locales whose translation differs between prev and next, or every
// locale of either when an article-wide field changed.
func touchedLocales(prev, next Article) []string {
	all := map[string]bool{}
	for _, t := range prev.Translations {
		all[t.Locale] = true
	}
	for _, t := range next.Translations {
		all[t.Locale] = true
	}
	wide := prev.ID == uuid.Nil || prev.Status != next.Status || !sameTime(prev.PublishedAt, next.PublishedAt) ||
		!sameID(prev.CategoryID, next.CategoryID) || !sameID(prev.CoverMediaID, next.CoverMediaID) ||
		prev.Featured != next.Featured || !sameIDs(prev.TagIDs, next.TagIDs) ||
		!sameIDs(prev.GalleryMediaIDs, next.GalleryMediaIDs) || !sameIDs(prev.BylineIDs, next.BylineIDs) || (prev.DeletedAt == nil) != (next.DeletedAt == nil)
	out := []string{}
	for l := range all {
		if wide {
			out = append(out, l)
			continue
		}
		a, okA := prev.Translation(l)
		b, okB := next.Translation(l)
		a.UpdatedAt, b.UpdatedAt, a.CreatedAt, b.CreatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if okA != okB || a != b {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

func sameTime(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }

func sameID(a, b *uuid.UUID) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func sameIDs(a, b []uuid.UUID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// articleSummary is the audit summary of an article write: the version step and, for a
// workflow action, the new status.
func articleSummary(action string, from int, a Article) string {
	summary := audit.Summary(audit.Change{Field: "version", From: from, To: a.Version})
	if action == "article.publish" || action == "article.unpublish" || action == "article.archive" {
		summary += "; status → " + string(a.Status)
	}
	return summary
}

// termChange describes a write to a category or tag (always public: lists show them).
func termChange(entity string, id uuid.UUID, kind changes.Kind, ts []CategoryTranslation) changes.Change {
	c := changes.Change{EntityType: entity, EntityID: id.String(), Kind: kind, Public: true, PrevVisible: true, Locales: []string{}, Slugs: map[string]string{}}
	for _, t := range ts {
		c.Locales = append(c.Locales, t.Locale)
		c.Slugs[t.Locale] = t.Slug
	}
	sort.Strings(c.Locales)
	return c
}

// recordTerm audits and records a category or tag write.
func recordTerm(tx *changes.Tx, entity, verb string, id uuid.UUID, kind changes.Kind, ts []CategoryTranslation) {
	tx.Audit(entity+"."+verb, entity, id.String(), "")
	tx.Change(termChange(entity, id, kind, ts))
}

// Due is a scheduled publication whose time has come.
type Due struct {
	ArticleID uuid.UUID
	At        time.Time
}

// ScheduleStore is what PublishDue needs from persistence (part of Store).
type ScheduleStore interface {
	// DuePublications lists up to limit publications due after since and by now that no
	// instance has recorded.
	DuePublications(ctx context.Context, since, now time.Time, limit int) ([]Due, error)
	// ClaimPublication records, in the transaction ctx carries, that this write records the
	// publication; false when another one did.
	ClaimPublication(ctx context.Context, id uuid.UUID, at time.Time) (bool, error)
	// PruneClaims deletes the claims of publications due before before.
	PruneClaims(ctx context.Context, before time.Time) error
}

// How far back PublishDue looks: on its first run, a week (publications that came due while
// every instance was down); then from its previous run, less a slack for writes that
// committed a little after their publication time was read.
const (
	dueLookback = 7 * 24 * time.Hour
	dueSlack    = time.Minute
)

// A claim is only ever consulted for a publication inside the lookback, so one older than
// it (with a day's margin for clocks) can go; RunPublishDue prunes at most every claimsPruneEvery.
// Without it the table kept a row per scheduled publication forever, deleted articles' too.
const (
	claimsKeep       = dueLookback + 24*time.Hour
	claimsPruneEvery = time.Hour
)

// PublishDue records a publish change for each scheduled article that has become visible
// since its last write: nothing was written at that moment, yet sync, webhooks and caches
// must hear of it. Several instances may run it at once; each publication is recorded
// exactly once (the claim). It returns how many this call recorded.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	ss := s.store
	now := s.Now()
	s.dueMu.Lock()
	since := s.dueChecked.Add(-dueSlack)
	if s.dueChecked.IsZero() {
		since = now.Add(-dueLookback)
	}
	s.dueMu.Unlock()
	due, err := ss.DuePublications(ctx, since, now, 100)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range due {
		err := s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
			won, err := ss.ClaimPublication(ctx, d.ArticleID, d.At)
			if err != nil || !won {
				return err
			}
			a, err := s.store.ArticleByID(ctx, d.ArticleID)
			if err != nil {
				return err
			}
			c := articleChange(Article{}, a, s.Now())
			c.Kind, c.PrevStatus, c.Public = changes.Publish, string(a.Status), true
			tx.Audit("article.publish_due", "article", a.ID.String(), "visible from "+d.At.Format(time.RFC3339))
			tx.Change(c)
			n++
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("record the publication of %s: %w", d.ArticleID, err)
		}
	}
	if len(due) < 100 {
		// Everything due by now is recorded (by this instance or another).
		s.dueMu.Lock()
		s.dueChecked = now
		s.dueMu.Unlock()
	}
	return n, nil
}

// PruneClaims deletes, at most once per claimsPruneEvery, the claims too old for any
// PublishDue to consult. The background loop calls it, never a reader's request (a sync
// records due publications first and must keep its statement count).
func (s *Service) PruneClaims(ctx context.Context) error {
	now := s.Now()
	s.dueMu.Lock()
	prune := now.Sub(s.claimsPruned) >= claimsPruneEvery
	if prune {
		s.claimsPruned = now
	}
	s.dueMu.Unlock()
	if !prune {
		return nil
	}
	if err := s.store.PruneClaims(ctx, now.Add(-claimsKeep)); err != nil {
		return fmt.Errorf("prune publication claims: %w", err)
	}
	return nil
}

// RunPublishDue calls PublishDue, then PruneClaims, every interval until ctx ends, reporting
// failures to fail.
func (s *Service) RunPublishDue(ctx context.Context, interval time.Duration, fail func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.PublishDue(ctx); err != nil && ctx.Err() == nil {
				fail(err)
			}
			if err := s.PruneClaims(ctx); err != nil && ctx.Err() == nil {
				fail(err)
			}
		}
	}
}
