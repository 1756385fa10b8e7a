package media

import (
	"context"
	"sync"

	"github.com/google/uuid"
)

// Preloaded holds media items that another read fetched in passing: a public article read
// loads its cover and gallery in the same statement as the article, so embedding them costs
// no further round trip. ByIDs answers from it for every id it vouches for.
type Preloaded struct {
	mu    sync.Mutex
	items map[uuid.UUID]Media
	// known are the ids a read looked up: an id known but absent names no item.
	known map[uuid.UUID]bool
}

type preloadKey struct{}

// WithPreload returns ctx carrying an empty Preloaded, asking reads made with it to load
// the media they reference alongside.
func WithPreload(ctx context.Context) context.Context {
	return context.WithValue(ctx, preloadKey{}, &Preloaded{})
}

// PreloadFrom returns the Preloaded ctx carries, or nil when the caller did not ask.
func PreloadFrom(ctx context.Context) *Preloaded {
	p, _ := ctx.Value(preloadKey{}).(*Preloaded)
	return p
}

// Add records that ids were looked up and found is what exists among them.
func (p *Preloaded) Add(ids []uuid.UUID, found []Media) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.known == nil {
		p.known, p.items = map[uuid.UUID]bool{}, map[uuid.UUID]Media{}
	}
	for _, id := range ids {
		p.known[id] = true
	}
	for _, m := range found {
		p.known[m.ID] = true
		p.items[m.ID] = m
	}
}

// lookup returns the items among ids when every id was looked up before.
func (p *Preloaded) lookup(ids []uuid.UUID) (map[uuid.UUID]Media, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[uuid.UUID]Media, len(ids))
	for _, id := range ids {
		if !p.known[id] {
			return nil, false
		}
		if m, ok := p.items[id]; ok {
			out[id] = m
		}
	}
	return out, true
}
