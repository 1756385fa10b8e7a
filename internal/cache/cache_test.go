package cache

import (
	"bytes"
	"testing"
	"time"
)

func TestLRUByteBoundAndGenerations(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	entry := func(n int) *Entry { return &Entry{Body: bytes.Repeat([]byte("x"), n), Expires: now.Add(time.Minute)} }
	c := New(3 * (1000 + entryOverhead + 1))
	gen := c.Generation()
	c.Put("a", entry(1000), gen)
	c.Put("b", entry(1000), gen)
	c.Put("c", entry(1000), gen)
	if _, ok := c.Get("a", now); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	c.Put("d", entry(1000), gen)
	if _, ok := c.Get("b", now); ok {
		t.Fatal("b, least recently used, was not evicted")
	}
	for _, k := range []string{"a", "c", "d"} {
		if _, ok := c.Get(k, now); !ok {
			t.Fatalf("%s evicted", k)
		}
	}
	if n, size := c.Stats(); n != 3 || size > 3*(1000+entryOverhead+1) {
		t.Fatalf("stats %d entries, %d bytes", n, size)
	}
	c.Put("huge", entry(10_000), gen)
	if _, ok := c.Get("huge", now); ok {
		t.Fatal("an entry larger than the bound was stored")
	}
	if _, ok := c.Get("a", now.Add(time.Minute)); ok {
		t.Fatal("expired entry served")
	}

	c.Invalidate()
	if n, _ := c.Stats(); n != 0 {
		t.Fatalf("%d entries after Invalidate", n)
	}
	c.Put("old", entry(10), gen) // built before the write: refused
	if _, ok := c.Get("old", now); ok {
		t.Fatal("an entry of an older generation was stored")
	}
	c.Put("new", entry(10), c.Generation())
	if _, ok := c.Get("new", now); !ok {
		t.Fatal("current generation refused")
	}
}

func TestNilCacheIsDisabled(t *testing.T) {
	c := New(0)
	if c != nil {
		t.Fatal("New(0) should disable the cache")
	}
	c.Put("k", &Entry{Expires: time.Now().Add(time.Hour)}, c.Generation())
	c.Invalidate()
	if _, ok := c.Get("k", time.Now()); ok {
		t.Fatal("nil cache stored an entry")
	}
}

// TestSizeCountsCapacity: the bound is on memory held. A body recorded into a grown buffer
// (length 1000, capacity 8192) is stored in a buffer of its own size, and what is counted is
// the capacity kept, so HERALD_CACHE_BYTES bounds real memory, not half of it.
func TestSizeCountsCapacity(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := New(1 << 20)
	grown := make([]byte, 1000, 8192)
	e := &Entry{Body: grown, Gzip: make([]byte, 300, 4096), Expires: now.Add(time.Minute)}
	if n := e.size("k"); n < 8192+4096 {
		t.Fatalf("size counts %d bytes for 12 KiB of buffers", n)
	}
	c.Put("k", e, c.Generation())
	got, ok := c.Get("k", now)
	if !ok {
		t.Fatal("not stored")
	}
	if cap(got.Body) > 1024+64 || cap(got.Gzip) > 320+32 {
		t.Errorf("stored buffers keep capacity %d and %d for 1000 and 300 bytes", cap(got.Body), cap(got.Gzip))
	}
	if _, size := c.Stats(); size < int64(cap(got.Body)+cap(got.Gzip)) || size > 1000+300+entryOverhead+256 {
		t.Errorf("accounted %d bytes", size)
	}
}
