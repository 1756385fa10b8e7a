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
