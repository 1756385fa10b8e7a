package testkit

import (
	"strings"
	"testing"
)

// recordingTB is a testing.TB that records what is logged and runs cleanups when asked.
type recordingTB struct {
	testing.TB
	logs     []string
	cleanups []func()
}

func (r *recordingTB) Log(args ...any) {
	for _, a := range args {
		r.logs = append(r.logs, a.(string))
	}
}

func (r *recordingTB) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

// TestLoggerShowsWarningsUntilTheTestEnds: warnings and errors reach the test's log, info
// does not, and nothing does once the test has ended (a late goroutine must not panic it).
func TestLoggerShowsWarningsUntilTheTestEnds(t *testing.T) {
	tb := &recordingTB{TB: t}
	log := Logger(tb)
	log.Info("request", "status", 200)
	log.Error("request failed", "status", 500, "error", "boom")
	log.Warn("slow")
	if len(tb.logs) != 2 || !strings.Contains(tb.logs[0], "request failed") || !strings.Contains(tb.logs[0], "error=boom") ||
		!strings.HasPrefix(tb.logs[1], "app: ") || strings.HasSuffix(tb.logs[1], "\n") {
		t.Fatalf("logged %q", tb.logs)
	}
	for _, f := range tb.cleanups {
		f()
	}
	log.Error("after the end")
	if len(tb.logs) != 2 {
		t.Fatalf("logged after the test ended: %q", tb.logs[2:])
	}
}
