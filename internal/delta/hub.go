package delta

import (
	"sync"
)

// Hub wakes long-polling syncs when a public change commits, on this instance (the
// change log's after-commit effect) or on another (the PostgreSQL listener), and bounds how
// many may wait at once on this instance.
type Hub struct {
	mu      sync.Mutex
	changed chan struct{}
	waiting int
	max     int
}

// NewHub returns a hub admitting at most limit waiters (at least 1).
func NewHub(limit int) *Hub {
	return &Hub{changed: make(chan struct{}), max: max(limit, 1)}
}

// Changed returns a channel closed at the next Notify. Take it before reading the log, so
// a change that commits in between is not missed.
func (h *Hub) Changed() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.changed
}

// Notify wakes every waiter.
func (h *Hub) Notify() {
	h.mu.Lock()
	close(h.changed)
	h.changed = make(chan struct{})
	h.mu.Unlock()
}

// Enter admits a waiter; false when max are already waiting. A waiter admitted must Leave.
func (h *Hub) Enter() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.waiting >= h.max {
		return false
	}
	h.waiting++
	return true
}

// Leave ends a waiter's turn.
func (h *Hub) Leave() {
	h.mu.Lock()
	h.waiting--
	h.mu.Unlock()
}

// Waiting is the number of waiters now.
func (h *Hub) Waiting() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.waiting
}
