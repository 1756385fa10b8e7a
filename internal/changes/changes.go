// Package changes is Herald's write seam and its change log. A domain service runs every
// write through Log.Write: in one transaction, its row changes, the audit entry of each
// action and one change row per entity it changed (position, entity, kind, locales,
// tombstone data) commit together or not at all. After the commit, the effects registered
// with OnCommit run (emptying caches, forgetting list totals, telling other instances), so
// the HTTP layer, the CLI and future imports get the same consequences from the same call.
//
// Positions are assigned in commit order: on PostgreSQL the change rows are the last
// statement of the transaction, taken under a transaction-scoped advisory lock held until
// commit; SQLite has one writer. A reader that has seen position P therefore never later
// finds a committed change below P (see After).
package changes

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/audit"
)

// Kind is what happened to an entity.
type Kind string

// The kinds of change.
const (
	// Upsert created or changed the entity.
	Upsert Kind = "upsert"
	// Delete removed it; the change carries its last slugs (the tombstone).
	Delete Kind = "delete"
	// Publish made it visible to the public (now, or at its scheduled time).
	Publish Kind = "publish"
	// Unpublish took it off the public site (to draft or archive).
	Unpublish Kind = "unpublish"
)

// Change is one entity a write changed.
type Change struct {
	EntityType string // "article", "category", "tag", "media", "settings", "user", "api_token"
	EntityID   string
	Kind       Kind
	// Locales are the locales the change touched (all the entity has, when not narrower).
	Locales []string
	// Slugs are the entity's slugs per locale; for a delete, its last ones.
	Slugs map[string]string
	// PrevStatus is the status before the change ("" when the entity has none or is new).
	PrevStatus string
	// PrevVisible is true when the public could see the entity just before the change
	// (always, for categories, tags and settings): delta sync sends a tombstone only for
	// what a client may have been shown.
	PrevVisible bool
	// Public is true when the change alters what the public API serves: only then do the
	// after-commit effects empty response caches. It is not stored.
	Public bool
	// PrevSlugs are the slugs this write replaced, per locale (webhook payloads name them
	// so a frontend can revalidate the old paths). It is not stored.
	PrevSlugs map[string]string
}

// Record is a committed change at its position in the log.
type Record struct {
	Position  int64
	CreatedAt time.Time
	Change
}

// Store is what the log needs from persistence; internal/store implements it.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// AppendChanges stores cs, in order, at the next positions of the log, inside the
	// transaction ctx carries, and keeps later writers from taking positions until that
	// transaction ends; it returns the positions.
	AppendChanges(ctx context.Context, cs []Change, at time.Time) ([]int64, error)
	// ChangesAfter returns up to limit committed changes with a position above pos, in order.
	ChangesAfter(ctx context.Context, pos int64, limit int) ([]Record, error)
	// LastChangePosition is the highest committed position (0 for an empty log).
	LastChangePosition(ctx context.Context) (int64, error)
}

// Hook runs inside a write's transaction, with the changes it is about to record, before
// their rows are appended (so outside the log's lock): the place for work that must commit
// with the write or not at all, such as enqueuing webhook deliveries or updating a search
// index. An error rolls the write back.
type Hook func(ctx context.Context, cs []Change) error

// Effect runs after a write committed, with the changes it made (in position order). It
// cannot fail the write; it logs what goes wrong.
type Effect func(ctx context.Context, committed []Record)

// Log runs writes and reads the change log.
type Log struct {
	store Store
	audit *audit.Log
	clock func() time.Time

	mu      sync.RWMutex
	effects []Effect
	hooks   []Hook
}

// NewLog returns the write seam over store, recording audit entries in auditLog.
func NewLog(store Store, auditLog *audit.Log, clock func() time.Time) *Log {
	if clock == nil {
		clock = time.Now
	}
	return &Log{store: store, audit: auditLog, clock: clock}
}

// Unlogged is a seam that only runs writes in transactions of inTx, recording nothing: for
// services built outside internal/app (unit tests of a domain's rules).
func Unlogged(inTx func(ctx context.Context, fn func(ctx context.Context) error) error) *Log {
	return &Log{store: unlogged(inTx), clock: time.Now}
}

// OnWrite registers a hook to run in the transaction of every write that records changes.
func (l *Log) OnWrite(h Hook) {
	l.mu.Lock()
	l.hooks = append(l.hooks, h)
	l.mu.Unlock()
}

// OnCommit registers an effect to run after every committed write.
func (l *Log) OnCommit(e Effect) {
	l.mu.Lock()
	l.effects = append(l.effects, e)
	l.mu.Unlock()
}

// Tx collects, during one write, what it must record and run after commit.
type Tx struct {
	entries []audit.Entry
	changes []Change
	after   []func(ctx context.Context)
}

// Audit records an action ("article.publish") on an entity, with a short summary, as done
// by the actor the context carries (WithActor).
func (t *Tx) Audit(action, entityType, entityID, summary string) {
	t.entries = append(t.entries, audit.Entry{Action: action, EntityType: entityType, EntityID: entityID, Summary: summary})
}

// Change records a changed entity in the change log.
func (t *Tx) Change(c Change) { t.changes = append(t.changes, c) }

// AfterCommit runs fn once the write has committed (not if it rolls back).
func (t *Tx) AfterCommit(fn func(ctx context.Context)) { t.after = append(t.after, fn) }

type txKey struct{}

// Write runs fn in a transaction, then appends the audit entries and change rows fn
// recorded, and commits; after the commit it runs fn's AfterCommit functions and the
// registered effects. A Write inside another joins it: its records commit with the outer
// write and its effects run after the outer commit. If fn, the audit entry or the change
// row fails, nothing is written.
func (l *Log) Write(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	if outer, ok := ctx.Value(txKey{}).(*Tx); ok {
		return fn(ctx, outer)
	}
	var tx *Tx
	var recs []Record
	err := l.store.InTx(ctx, func(ctx context.Context) error {
		tx = &Tx{} // a retried transaction starts afresh
		ctx = context.WithValue(ctx, txKey{}, tx)
		if err := fn(ctx, tx); err != nil {
			return err
		}
		var err error
		recs, err = l.record(ctx, tx)
		return err
	})
	if err != nil {
		return err
	}
	actx := context.WithoutCancel(ctx)
	for _, f := range tx.after {
		f(actx)
	}
	if len(recs) > 0 {
		l.mu.RLock()
		effects := l.effects
		l.mu.RUnlock()
		for _, e := range effects {
			e(actx, recs)
		}
	}
	return nil
}

// record appends tx's audit entries and, last, its change rows: the change rows take the
// log's lock, so the shorter the rest of the transaction after them, the better.
func (l *Log) record(ctx context.Context, tx *Tx) ([]Record, error) {
	if l.audit != nil {
		actor := ActorOf(ctx)
		for i := range tx.entries {
			e := &tx.entries[i]
			e.ActorID, e.ActorEmail, e.TokenID, e.RequestID = actor.UserID, actor.Email, actor.TokenID, actor.RequestID
		}
		if err := l.audit.RecordAll(ctx, tx.entries); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
	}
	if len(tx.changes) == 0 {
		return nil, nil
	}
	l.mu.RLock()
	hooks := l.hooks
	l.mu.RUnlock()
	for _, h := range hooks {
		if err := h(ctx, tx.changes); err != nil {
			return nil, err
		}
	}
	at := l.clock().UTC().Truncate(time.Microsecond)
	pos, err := l.store.AppendChanges(ctx, tx.changes, at)
	if err != nil {
		return nil, fmt.Errorf("change log: %w", err)
	}
	recs := make([]Record, len(tx.changes))
	for i, c := range tx.changes {
		recs[i] = Record{Change: c, CreatedAt: at}
		if i < len(pos) {
			recs[i].Position = pos[i]
		}
	}
	return recs, nil
}

// MaxAfter bounds one read of the log.
const MaxAfter = 1000

// After returns up to limit committed changes after position pos, in position order. A
// reader that continues from the last position it got never misses a change: positions
// become visible in order (see the package comment).
func (l *Log) After(ctx context.Context, pos int64, limit int) ([]Record, error) {
	if limit <= 0 || limit > MaxAfter {
		limit = MaxAfter
	}
	return l.store.ChangesAfter(ctx, pos, limit)
}

// LastPosition is the position of the newest committed change (0 when there is none).
func (l *Log) LastPosition(ctx context.Context) (int64, error) {
	return l.store.LastChangePosition(ctx)
}

// Actor is who makes the writes of a context: the signed-in user (and the API token), or a
// command-line operator, for the audit entries.
type Actor struct {
	UserID    *uuid.UUID
	Email     string
	TokenID   *uuid.UUID
	RequestID string
}

type actorKey struct{}

// WithActor returns ctx carrying the actor its writes are audited as.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorOf is the actor ctx carries; the zero Actor (the system) if none.
func ActorOf(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// unlogged is a Store that keeps nothing.
type unlogged func(ctx context.Context, fn func(ctx context.Context) error) error

func (u unlogged) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return u(ctx, fn)
}

func (unlogged) AppendChanges(context.Context, []Change, time.Time) ([]int64, error) {
	return nil, nil
}

func (unlogged) ChangesAfter(context.Context, int64, int) ([]Record, error) { return nil, nil }

func (unlogged) LastChangePosition(context.Context) (int64, error) { return 0, nil }

type quietKey struct{}

// WithQuietEvents returns ctx whose writes notify no outside receivers (webhooks): an
// import run with --quiet-events. The writes are still audited, logged and invalidate caches.
func WithQuietEvents(ctx context.Context) context.Context {
	return context.WithValue(ctx, quietKey{}, true)
}

// QuietEvents reports whether ctx's writes must not notify outside receivers.
func QuietEvents(ctx context.Context) bool {
	q, _ := ctx.Value(quietKey{}).(bool)
	return q
}
