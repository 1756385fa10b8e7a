package content

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// totals remembers list totals for a while: on a large archive COUNT(*) costs far more
// than the page itself (16 ms against 0.3 ms at 100,000 articles). An entry lives until its
// TTL, the next scheduled publication (the total changes then), or the next content write
// (ForgetTotals), whichever comes first.
type totals struct {
	ttl    time.Duration
	mu     sync.Mutex
	gen    uint64
	m      map[string]total
	flight singleflight.Group
}

type total struct {
	n       int64
	expires time.Time
	gen     uint64
}

// maxTotals bounds the remembered filter combinations.
const maxTotals = 4096

// WithTotalsTTL lets list totals (meta.total) be reused for up to ttl; 0 counts every time.
func WithTotalsTTL(ttl time.Duration) Option {
	return func(s *Service) { s.totals.ttl = ttl }
}

// ForgetTotals drops remembered totals; call it after any content write.
func (s *Service) ForgetTotals() {
	s.totals.mu.Lock()
	s.totals.gen++
	clear(s.totals.m)
	s.totals.mu.Unlock()
}

func totalsKey(q ListQuery) string {
	var b strings.Builder
	b.WriteString(q.Category)
	b.WriteByte(0)
	for _, t := range q.Tags {
		b.WriteString(t)
		b.WriteByte(1)
	}
	b.WriteByte(0)
	if q.Featured != nil {
		b.WriteString(strconv.FormatBool(*q.Featured))
	}
	b.WriteByte(0)
	if q.PublishedAfter != nil {
		b.WriteString(q.PublishedAfter.Format(time.RFC3339Nano))
	}
	b.WriteByte(0)
	if q.PublishedBefore != nil {
		b.WriteString(q.PublishedBefore.Format(time.RFC3339Nano))
	}
	b.WriteByte(0)
	b.WriteString(q.OnlyLocale)
	b.WriteByte(0)
	b.WriteString(q.Q)
	return b.String()
}

// total returns q's total: remembered, or counted once for every concurrent caller, so a
// burst of requests on a cold archive runs one COUNT(*) instead of one each.
func (s *Service) total(ctx context.Context, q ListQuery) (int64, error) {
	n, ok, gen := s.cachedTotal(q)
	if ok {
		return n, nil
	}
	ch := s.totals.flight.DoChan(totalsKey(q)+"\x00"+strconv.FormatUint(gen, 10), func() (any, error) {
		// Shared by all waiters, so not cancelled with the first caller's request, but no
		// longer than its deadline (a public read's timeout): a count the caller's reads
		// may not wait for must not hold a connection either.
		deadline, ok := ctx.Deadline()
		if !ok {
			deadline = time.Now().Add(30 * time.Second)
		}
		cctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline)
		defer cancel()
		// A flight that ended between this caller's miss and its DoChan has remembered the
		// total: counting again made one COUNT(*) per straggler of a burst.
		if n, ok, _ := s.cachedTotal(q); ok {
			return n, nil
		}
		n, err := s.store.CountVisibleArticles(cctx, q)
		if err != nil {
			return int64(0), err
		}
		s.rememberTotal(cctx, q, n, gen)
		return n, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return 0, r.Err
		}
		return r.Val.(int64), nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// cachedTotal returns a remembered total for q, and the generation to store a new one under.
func (s *Service) cachedTotal(q ListQuery) (n int64, ok bool, gen uint64) {
	s.totals.mu.Lock()
	defer s.totals.mu.Unlock()
	t, found := s.totals.m[totalsKey(q)]
	if found && t.gen == s.totals.gen && q.Now.Before(t.expires) {
		return t.n, true, s.totals.gen
	}
	return 0, false, s.totals.gen
}

// rememberTotal stores n unless a write happened since gen was read.
func (s *Service) rememberTotal(ctx context.Context, q ListQuery, n int64, gen uint64) {
	if expires, ok := s.totalExpiry(ctx, q.Now); ok {
		s.storeTotal(q, n, gen, expires)
	}
}

// totalExpiry is how long a total counted at now may be remembered: the TTL, or until the
// next scheduled publication; false when that cannot be read.
func (s *Service) totalExpiry(ctx context.Context, now time.Time) (time.Time, bool) {
	expires := now.Add(s.totals.ttl)
	due, has, err := s.store.NextPublishAt(ctx, now)
	if err != nil {
		return time.Time{}, false // cannot bound it: do not remember
	}
	if has && due.Before(expires) {
		expires = due
	}
	return expires, true
}

// storeTotal stores n until expires unless a write happened since gen was read.
func (s *Service) storeTotal(q ListQuery, n int64, gen uint64, expires time.Time) {
	s.totals.mu.Lock()
	defer s.totals.mu.Unlock()
	if gen != s.totals.gen || !expires.After(q.Now) {
		return
	}
	if s.totals.m == nil || len(s.totals.m) >= maxTotals {
		s.totals.m = map[string]total{}
	}
	s.totals.m[totalsKey(q)] = total{n: n, expires: expires, gen: gen}
}
