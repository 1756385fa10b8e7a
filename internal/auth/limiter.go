package auth

import (
	"math"
	"sync"
	"time"
)

// Limiter is an in-memory token bucket per key (an IP, an account) with bounded memory:
// each key may spend Burst attempts at once and regains one every Every. When MaxKeys
// buckets exist, full (idle) buckets are dropped first, then arbitrary ones; losing a
// bucket only forgives an attacker some attempts, it never blocks a legitimate caller.
type Limiter struct {
	burst   float64
	every   time.Duration
	maxKeys int
	clock   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter returns a limiter; clock is injected so tests need not sleep.
func NewLimiter(burst int, every time.Duration, maxKeys int, clock func() time.Time) *Limiter {
	if burst < 1 {
		burst = 1
	}
	if every <= 0 {
		every = time.Second
	}
	if maxKeys < 1 {
		maxKeys = 10_000
	}
	if clock == nil {
		clock = time.Now
	}
	return &Limiter{burst: float64(burst), every: every, maxKeys: maxKeys, clock: clock, buckets: map[string]*bucket{}}
}

// refill brings b up to date at now.
func (l *Limiter) refill(b *bucket, now time.Time) {
	if el := now.Sub(b.at); el > 0 {
		b.tokens = math.Min(l.burst, b.tokens+float64(el)/float64(l.every))
		b.at = now
	}
}

// Allow spends one attempt of key. When none is left it returns false and how long until
// the next one.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	b, ok := l.buckets[key]
	if !ok {
		l.makeRoom(now)
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) * float64(l.every))
		return false, max(wait, time.Second)
	}
	b.tokens--
	return true, 0
}

// Wait reports how long until key may try again, without spending an attempt.
func (l *Limiter) Wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return 0
	}
	l.refill(b, l.clock())
	if b.tokens >= 1 {
		return 0
	}
	return max(time.Duration((1-b.tokens)*float64(l.every)), time.Second)
}

// Refund gives back one attempt of key (one that turned out not to count).
func (l *Limiter) Refund(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		l.refill(b, l.clock())
		b.tokens = math.Min(l.burst, b.tokens+1)
	}
}

// Reset forgets key, e.g. an account after a successful login.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	delete(l.buckets, key)
	l.mu.Unlock()
}

// Len is the number of keys held, for tests of the memory bound.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

func (l *Limiter) makeRoom(now time.Time) {
	if len(l.buckets) < l.maxKeys {
		return
	}
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < l.maxKeys {
			break
		}
		delete(l.buckets, k)
	}
}
