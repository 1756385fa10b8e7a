package main

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuf struct {
	mu     sync.Mutex
	b      strings.Builder
	writes int
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes++
	return l.b.Write(p)
}

func (l *lockedBuf) state() (string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String(), l.writes
}

// TestBufferedLog: info lines are batched into one write within logFlushEvery, a warning
// goes out at once with what preceded it, and the end of the run flushes the rest.
func TestBufferedLog(t *testing.T) {
	out := &lockedBuf{}
	buf := newBufferedLog(out)
	log := slog.New(logHandler{slog.NewJSONHandler(buf, nil), buf}).With("instance", "a")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { buf.run(ctx); close(done) }()

	for i := range 100 {
		log.Info("request", "n", i)
	}
	if s, _ := out.state(); s != "" {
		t.Fatalf("info lines written at once:\n%s", s)
	}
	for deadline := time.Now().Add(5 * logFlushEvery); ; time.Sleep(10 * time.Millisecond) {
		s, w := out.state()
		if strings.Count(s, "\n") == 100 {
			if w != 1 {
				t.Errorf("100 lines in %d writes, want 1", w)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("info lines not written within %s: %d lines", 5*logFlushEvery, strings.Count(s, "\n"))
		}
	}
	log.Info("before the warning")
	log.Warn("database unavailable")
	if s, _ := out.state(); !strings.Contains(s, "before the warning") || !strings.Contains(s, `"instance":"a"`) ||
		!strings.HasSuffix(s, "}\n") || !strings.Contains(s, "database unavailable") {
		t.Fatalf("a warning is not written at once, after what preceded it:\n%s", s)
	}
	log.Info("last words")
	cancel()
	<-done
	if s, _ := out.state(); !strings.Contains(s, "last words") {
		t.Fatal("the end of the run did not flush")
	}
}
