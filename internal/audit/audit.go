// Package audit is Herald's record of admin writes: who did what to which entity, when, with
// a short summary of the change. It knows nothing of HTTP or SQL; api records an Entry after
// each successful write and serves the log to admins.
package audit

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Entry is one recorded write.
type Entry struct {
	ID         uuid.UUID
	CreatedAt  time.Time
	ActorID    *uuid.UUID
	ActorEmail string
	// TokenID is the API token the write was made with (the actor is its creator); nil for
	// a password session.
	TokenID *uuid.UUID
	// Action is "<entity>.<verb>", e.g. "user.create", "article.publish".
	Action     string
	EntityType string
	EntityID   string
	// Summary is a short human-readable diff, e.g. `role: "editor" → "admin"`.
	Summary   string
	RequestID string
}

// Query filters and pages the log; zero fields do not filter.
type Query struct {
	ActorID    *uuid.UUID
	TokenID    *uuid.UUID
	Action     string
	EntityType string
	EntityID   string
	Since      *time.Time
	Until      *time.Time
	Limit      int
	Offset     int
}

// Store is what the audit log needs from persistence; internal/store implements it.
type Store interface {
	AppendAudit(ctx context.Context, e Entry) error
	// ListAudit returns matching entries, newest first, and their number.
	ListAudit(ctx context.Context, q Query) ([]Entry, int64, error)
}

// BatchStore is a Store that appends many entries in few statements.
type BatchStore interface {
	AppendAudits(ctx context.Context, es []Entry) error
}

// Bounds on stored text, so a huge diff cannot bloat the log.
const (
	MaxSummaryBytes = 1000
	maxFieldBytes   = 200
	MaxPerPage      = 100
)

// Log records and lists entries.
type Log struct {
	store Store
	clock func() time.Time
}

// NewLog returns a Log over store.
func NewLog(store Store, clock func() time.Time) *Log {
	if clock == nil {
		clock = time.Now
	}
	return &Log{store: store, clock: clock}
}

// Record stamps e with an id and the time and stores it. Over-long text is truncated, not
// refused: the write it describes has already happened.
func (l *Log) Record(ctx context.Context, e Entry) error {
	e, err := l.stamp(e)
	if err != nil {
		return err
	}
	return l.store.AppendAudit(ctx, e)
}

// RecordAll records es like Record, in one statement per few hundred entries when the
// store can (BatchStore): a batch of imported articles writes its entries together.
func (l *Log) RecordAll(ctx context.Context, es []Entry) error {
	bs, ok := l.store.(BatchStore)
	if !ok || len(es) < 2 {
		for _, e := range es {
			if err := l.Record(ctx, e); err != nil {
				return fmt.Errorf("audit %s: %w", e.Action, err)
			}
		}
		return nil
	}
	out := make([]Entry, len(es))
	for i, e := range es {
		var err error
		if out[i], err = l.stamp(e); err != nil {
			return err
		}
	}
	return bs.AppendAudits(ctx, out)
}

// stamp gives e an id and the time and bounds its text.
func (l *Log) stamp(e Entry) (Entry, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return e, err
	}
	e.ID, e.CreatedAt = id, l.clock().UTC()
	e.Action = truncate(e.Action, maxFieldBytes)
	e.EntityType = truncate(e.EntityType, maxFieldBytes)
	e.EntityID = truncate(e.EntityID, maxFieldBytes)
	e.ActorEmail = truncate(e.ActorEmail, maxFieldBytes)
	e.RequestID = truncate(e.RequestID, maxFieldBytes)
	e.Summary = truncate(e.Summary, MaxSummaryBytes)
	if e.Action == "" || e.EntityType == "" {
		return e, fmt.Errorf("audit: action and entity type are required (got %q, %q)", e.Action, e.EntityType)
	}
	return e, nil
}

// List returns one page of entries, newest first, and the number of matches.
func (l *Log) List(ctx context.Context, q Query) ([]Entry, int64, error) {
	if q.Limit <= 0 || q.Limit > MaxPerPage {
		q.Limit = MaxPerPage
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	return l.store.ListAudit(ctx, q)
}

// Change is one changed field, for Summary.
type Change struct {
	Field    string
	From, To any
}

// Summary renders changes as `field: from → to; …`, skipping fields that did not change.
func Summary(changes ...Change) string {
	var parts []string
	for _, c := range changes {
		from, to := fmt.Sprintf("%q", fmt.Sprint(c.From)), fmt.Sprintf("%q", fmt.Sprint(c.To))
		if from == to {
			continue
		}
		parts = append(parts, c.Field+": "+truncate(from, 120)+" → "+truncate(to, 120))
	}
	return strings.Join(parts, "; ")
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
