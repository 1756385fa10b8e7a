package cache

import (
	"testing"
	"time"
)

func TestLookupsCountHitsAndMisses(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := New(1 << 20)
	c.Get("a", now) // miss: absent
	c.Put("a", &Entry{Body: []byte("x"), Expires: now.Add(time.Second)}, c.Generation())
	c.Get("a", now)                  // hit
	c.Get("a", now.Add(time.Second)) // miss: expired
	if h, m := c.Lookups(); h != 1 || m != 2 {
		t.Fatalf("lookups: %d hits, %d misses; want 1 and 2", h, m)
	}
	if h, m := (*Cache)(nil).Lookups(); h != 0 || m != 0 {
		t.Fatal("a disabled cache reports lookups")
	}
}
