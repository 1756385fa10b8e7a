package testkit

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
)

// Logger is a logger for an app under test: warnings and errors go to tb.Log, so a failing
// test shows why a request answered 500 (go test prints a passing test's log only with -v).
// Records made after tb has finished — by goroutines that outlive it — are dropped.
func Logger(tb testing.TB) *slog.Logger {
	l := &tbLog{tb: tb}
	tb.Cleanup(l.finish)
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tbLog struct {
	mu   sync.Mutex
	tb   testing.TB
	done bool
}

// Write receives one record per call (slog's handlers write each record whole).
func (l *tbLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.tb.Log("app: " + string(bytes.TrimRight(p, "\n")))
	}
	return len(p), nil
}

func (l *tbLog) finish() {
	l.mu.Lock()
	l.done = true
	l.mu.Unlock()
}
