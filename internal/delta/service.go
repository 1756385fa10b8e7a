package delta

import (
	"context"
	"fmt"
	"time"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"
)

// Store is the bookkeeping delta needs; internal/store implements it.
type Store interface {
	// InstallID is the database's random id (made by its migration).
	InstallID(ctx context.Context) (string, error)
	// PrunedThrough is the highest position pruned so far.
	PrunedThrough(ctx context.Context) (int64, error)
	// PruneChanges deletes up to batch change rows older than before, oldest first, and
	// raises the pruned position with them; it returns how many it deleted.
	PruneChanges(ctx context.Context, before time.Time, batch int) (int64, error)
}

// Defaults of Options.
const (
	DefaultRetention  = 30 * 24 * time.Hour
	DefaultMaxWaiters = 1000
	// pruneSlack keeps change rows a while past the retention: a row's time is taken
	// before its write commits, so one a token just after it needs may be a little older.
	pruneSlack  = time.Hour
	pruneBatch  = 10_000
	readerLimit = changes.MaxAfter
)

// Options configure a Service.
type Options struct {
	// Retention is how long change rows are kept and tokens honoured (HERALD_SYNC_RETENTION).
	Retention time.Duration
	// MaxWaiters bounds the long-polls waiting at once on this instance (HERALD_SYNC_MAX_WAITERS).
	MaxWaiters int
	Clock      func() time.Time
}

// ErrExpired is the answer to a token older than the retention: the changes it needs may be
// gone, so the client must start over.
var ErrExpired = errs.New(errs.SyncExpired, "this sync token is older than the server keeps changes (HERALD_SYNC_RETENTION); start over with a sync without sync_token")

// Service reads the change log for syncs.
type Service struct {
	log       *changes.Log
	store     Store
	codec     *Codec
	hub       *Hub
	retention time.Duration
	clock     func() time.Time
}

// NewService returns the sync reader of log, signing tokens with a key derived from secret.
func NewService(ctx context.Context, log *changes.Log, store Store, secret []byte, o Options) (*Service, error) {
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	if o.MaxWaiters <= 0 {
		o.MaxWaiters = DefaultMaxWaiters
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	id, err := store.InstallID(ctx)
	if err != nil {
		return nil, fmt.Errorf("sync: install id: %w", err)
	}
	codec, err := NewCodec(secret, id)
	if err != nil {
		return nil, err
	}
	return &Service{log: log, store: store, codec: codec, hub: NewHub(o.MaxWaiters), retention: o.Retention, clock: o.Clock}, nil
}

// Hub is the service's long-poll hub.
func (s *Service) Hub() *Hub { return s.hub }

// Retention is how long tokens are honoured.
func (s *Service) Retention() time.Duration { return s.retention }

// Encode returns t, issued now, as an opaque token.
func (s *Service) Encode(t Token) string {
	t.Issued = s.clock()
	return s.codec.Encode(t)
}

// Decode checks a token: a 400 (naming sync_token) when it is not one of this database's,
// ErrExpired (410) when it is older than the retention.
func (s *Service) Decode(str string) (Token, error) {
	t, err := s.codec.Decode(str)
	if err != nil {
		return t, err
	}
	if s.clock().Sub(t.Issued) > s.retention {
		return t, ErrExpired
	}
	return t, nil
}

// Snapshot is the position an initial sync starts from: its delta reads the log after it.
func (s *Service) Snapshot(ctx context.Context) (int64, error) { return s.log.LastPosition(ctx) }

// Window reads the log after pos and plans one page of at most perPage entities. It is
// ErrExpired when the retention job has pruned changes after pos.
func (s *Service) Window(ctx context.Context, pos int64, perPage int) (Window, error) {
	recs, err := s.log.After(ctx, pos, readerLimit)
	if err != nil {
		return Window{}, err
	}
	// Read after the rows: a prune that removed some of them has committed its mark too.
	pruned, err := s.store.PrunedThrough(ctx)
	if err != nil {
		return Window{}, err
	}
	if pos < pruned {
		return Window{}, ErrExpired
	}
	return Plan(pos, recs, len(recs) == readerLimit, perPage), nil
}

// Prune deletes change rows older than the retention (and a slack), batch after batch; it
// returns how many. Only sync reads old change rows: other readers (webhooks, caches) act
// in the write's transaction or right after its commit.
func (s *Service) Prune(ctx context.Context) (int64, error) {
	before := s.clock().Add(-s.retention - pruneSlack)
	var total int64
	for {
		n, err := s.store.PruneChanges(ctx, before, pruneBatch)
		total += n
		if err != nil || n < pruneBatch {
			return total, err
		}
	}
}

// RunPrune calls Prune every interval until ctx ends, reporting failures to fail.
func (s *Service) RunPrune(ctx context.Context, interval time.Duration, fail func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.Prune(ctx); err != nil && ctx.Err() == nil {
			fail(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
