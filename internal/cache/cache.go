// Package cache keeps encoded public responses in memory, bounded in bytes and evicted least
// recently used first. Invalidation is coarse on purpose: any content write bumps one
// generation counter, which drops every entry at once, and an entry built under an older
// generation is never stored. That is simple enough to be obviously correct, and content
// writes are rare next to reads.
package cache

import (
	"bytes"
	"container/list"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Entry is one cached response: its encoded body, the gzip form when the body is worth
// compressing, its strong ETag and the headers it was sent with.
type Entry struct {
	Body   []byte
	Gzip   []byte
	ETag   string
	Header http.Header
	// Expires is when the entry stops being served: the max-age, or earlier when a
	// scheduled article becomes visible.
	Expires time.Time
}

// entryOverhead approximates the bookkeeping of one entry, so many tiny entries still count.
const entryOverhead = 256

// size is the memory the entry holds: the capacity of its buffers, not their length (a
// response recorded into a growing buffer can hold twice what it wrote).
func (e *Entry) size(key string) int64 {
	n := int64(len(key) + cap(e.Body) + cap(e.Gzip) + len(e.ETag) + entryOverhead)
	for k, vs := range e.Header {
		n += int64(len(k))
		for _, v := range vs {
			n += int64(len(v))
		}
	}
	return n
}

type item struct {
	key   string
	entry *Entry
	size  int64
}

// Cache is safe for concurrent use. A nil *Cache is a disabled cache: it stores nothing.
type Cache struct {
	max int64
	gen atomic.Uint64

	mu    sync.Mutex
	size  int64
	order *list.List // front is most recently used
	items map[string]*list.Element

	hits, misses atomic.Uint64 // lookups, for metrics
}

// New returns a cache holding at most maxBytes, or nil (disabled) when maxBytes <= 0.
func New(maxBytes int64) *Cache {
	if maxBytes <= 0 {
		return nil
	}
	return &Cache{max: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

// Generation is the current generation; pass it to Put for a response built after reading it.
func (c *Cache) Generation() uint64 {
	if c == nil {
		return 0
	}
	return c.gen.Load()
}

// Invalidate drops every entry and refuses entries built under the previous generation.
func (c *Cache) Invalidate() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.gen.Add(1)
	c.order.Init()
	clear(c.items)
	c.size = 0
	c.mu.Unlock()
}

// Get returns the live entry for key at now.
func (c *Cache) Get(key string, now time.Time) (*Entry, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		c.misses.Add(1)
		return nil, false
	}
	it := el.Value.(*item)
	if !now.Before(it.entry.Expires) {
		c.remove(el)
		c.misses.Add(1)
		return nil, false
	}
	c.order.MoveToFront(el)
	c.hits.Add(1)
	return it.entry, true
}

// Put stores e under key unless the generation moved on since gen was read (the response
// may predate a write) or e alone exceeds the bound; it evicts the least recently used
// entries to make room.
func (c *Cache) Put(key string, e *Entry, gen uint64) {
	if c == nil {
		return
	}
	// Keep only what the bodies need, so the bound is on real memory.
	e.Body, e.Gzip = fit(e.Body), fit(e.Gzip)
	n := e.size(key)
	if n > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != gen {
		return
	}
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	for c.size+n > c.max {
		c.remove(c.order.Back())
	}
	c.items[key] = c.order.PushFront(&item{key: key, entry: e, size: n})
	c.size += n
}

func (c *Cache) remove(el *list.Element) {
	it := el.Value.(*item)
	c.order.Remove(el)
	delete(c.items, it.key)
	c.size -= it.size
}

// Stats reports the number of entries and their accounted size in bytes.
func (c *Cache) Stats() (entries int, bytes int64) {
	if c == nil {
		return 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.size
}

// Lookups reports how many Gets found a live entry (hits) and how many did not (misses).
func (c *Cache) Lookups() (hits, misses uint64) {
	if c == nil {
		return 0, 0
	}
	return c.hits.Load(), c.misses.Load()
}

// fit returns b in a buffer of its own length when b's spare capacity is worth freeing.
func fit(b []byte) []byte {
	if b == nil || cap(b)-len(b) <= len(b)/16 {
		return b
	}
	return bytes.Clone(b)
}
