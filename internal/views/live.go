package views

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// Lookup cache tuning: how long an on-demand answer is trusted, and how many are kept.
const (
	liveTTL        = 30 * time.Second
	missTTL        = 2 * time.Second
	maxCached      = 10_000
	maxConcurrent  = 4 // database lookups in flight at once, so a flood of unknown ids cannot drain the pool
	lookupWaitTime = 2 * time.Second
)

// liveArticles answers "may the public see this article now?" from memory: a set of live
// articles reloaded every few seconds, and a small cache of on-demand lookups for ids the set
// lacks (articles published since the last reload, or older than the set keeps).
// Publication times are kept, so a scheduled article starts counting the moment it is due.
type liveArticles struct {
	store Store
	limit int
	set   atomic.Pointer[map[uuid.UUID]int64] // id → published_at (UnixNano)
	stale atomic.Bool                         // a write since the set was loaded
	sem   chan struct{}

	mu    sync.Mutex
	cache map[uuid.UUID]lookup
}

type lookup struct {
	publishedAt int64 // UnixNano; 0 when not live
	live        bool
	expires     int64
}

func newLiveArticles(store Store, opt Options) *liveArticles {
	l := &liveArticles{store: store, limit: opt.LiveLimit, sem: make(chan struct{}, maxConcurrent), cache: map[uuid.UUID]lookup{}}
	empty := map[uuid.UUID]int64{}
	l.set.Store(&empty)
	return l
}

func (l *liveArticles) refresh(ctx context.Context) error {
	arts, err := l.store.LiveArticles(ctx, l.limit)
	if err != nil {
		return err
	}
	m := make(map[uuid.UUID]int64, len(arts))
	for _, a := range arts {
		m[a.ID] = a.PublishedAt.UnixNano()
	}
	l.set.Store(&m)
	return nil
}

func (l *liveArticles) changed() {
	l.stale.Store(true)
	l.mu.Lock()
	clear(l.cache)
	l.mu.Unlock()
}

func (l *liveArticles) visible(ctx context.Context, id uuid.UUID, now time.Time) (bool, error) {
	ns := now.UnixNano()
	if pub, ok := (*l.set.Load())[id]; ok {
		return pub <= ns, nil
	}
	if c, ok := l.cached(id, ns); ok {
		return c.live && c.publishedAt <= ns, nil
	}
	wait, cancel := context.WithTimeout(ctx, lookupWaitTime)
	defer cancel()
	select {
	case l.sem <- struct{}{}:
	case <-wait.Done():
		return false, wait.Err()
	}
	defer func() { <-l.sem }()
	// Another request may have looked it up while this one waited.
	if c, ok := l.cached(id, ns); ok {
		return c.live && c.publishedAt <= ns, nil
	}
	a, err := l.store.LiveArticle(ctx, id)
	c := lookup{live: err == nil}
	switch {
	case err == nil:
		c.publishedAt, c.expires = a.PublishedAt.UnixNano(), ns+int64(liveTTL)
	case errors.Is(err, ErrNotFound):
		c.expires = ns + int64(missTTL)
	default:
		return false, err
	}
	l.mu.Lock()
	if len(l.cache) >= maxCached {
		clear(l.cache)
	}
	l.cache[id] = c
	l.mu.Unlock()
	return c.live && c.publishedAt <= ns, nil
}

func (l *liveArticles) cached(id uuid.UUID, now int64) (lookup, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.cache[id]
	if !ok || now >= c.expires {
		return lookup{}, false
	}
	return c, true
}
