package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, maxGCPercent},       // before anything is live
		{1 * mib, maxGCPercent}, // the cap: a tiny heap is not let grow 48-fold
		{16 * mib, 300},         // grows by the floor
		{20 * mib, 240},         // the bench's live heap
		{48 * mib, 100},         // the floor reached: Go's default
		{500 * mib, 100},        // never below the default
		{12*mib + 1, 399},       // rounds down
	} {
		if got := gcPercentFor(c.live, gcFloorBytes); got != c.want {
			t.Errorf("gcPercentFor(%d MiB) = %d, want %d", c.live/mib, got, c.want)
		}
	}
}

// gcPercent reads the GC percent (setting it back at once).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestGCFloorTunesAfterCollections(t *testing.T) {
	before := gcPercent()
	defer debug.SetGCPercent(before)
	g, stop := startGCFloor(func(string) string { return "" }, gcFloorBytes)
	deadline := time.Now().Add(10 * time.Second)
	for g.percent.Load() == 0 && time.Now().Before(deadline) {
		runtime.GC() // the finalizer runs after the collection that drops the sentinel
		time.Sleep(10 * time.Millisecond)
	}
	p := int(g.percent.Load())
	if p <= 100 || p > maxGCPercent {
		t.Fatalf("after collections the tuner set %d %%, want above 100 and at most %d (a test binary's heap is small)", p, maxGCPercent)
	}
	if got := gcPercent(); got != p {
		t.Fatalf("runtime GC percent %d, tuner says %d", got, p)
	}
	stop()
	if got := gcPercent(); got != 100 {
		t.Fatalf("after stop the GC percent is %d, want Go's default 100", got)
	}
	// Stopped: later collections leave the percent alone.
	debug.SetGCPercent(150)
	runtime.GC()
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	if got := gcPercent(); got != 150 {
		t.Fatalf("a stopped tuner changed the GC percent to %d", got)
	}
}

func TestGCFloorLeavesGOGCAlone(t *testing.T) {
	g, stop := startGCFloor(func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	}, gcFloorBytes)
	defer stop()
	if g != nil {
		t.Fatal("GOGC is set, yet the GC floor started")
	}
}
