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
	log := slog.New(logHandler{slog.NewJSONHandler(buf, nil), buf, true}).With("instance", "a")
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

// TestRequestLineMatchesSlog: a request's line written by hand is the JSON handler's, byte
// for byte, and any record it cannot write so goes to the handler whole.
func TestRequestLineMatchesSlog(t *testing.T) {
	at := time.Date(2026, 12, 6, 1, 2, 3, 4005006, time.FixedZone("x", 4*3600))
	base := []slog.Attr{slog.String("request_id", "01a248d4-92a2-7c7c-8da6-993578f936c8"), slog.String("method", "GET"),
		slog.String("route", "/api/v1/articles/:ref"), slog.String("path", "/api/v1/articles/a-b?c<d>&e"), slog.Int("status", 304),
		slog.Duration("latency", 123456*time.Nanosecond), slog.Int64("bytes", 0), slog.String("client_ip", "2001:db8::1")}
	with := func(extra ...slog.Attr) []slog.Attr { return append(append([]slog.Attr(nil), base...), extra...) }
	cases := []struct {
		name  string
		at    time.Time
		attrs []slog.Attr
		hand  bool // written by hand, not by the handler
	}{
		{"typical", at, base, true},
		{"signed in", at.UTC(), with(slog.String("user_id", "0d4c…"), slog.String("api_token_id", "t")), false},
		{"token", at.UTC(), with(slog.String("user_id", "0d4c"), slog.String("api_token_id", "t")), true},
		{"negative", at, with(slog.Duration("latency", -time.Second), slog.Int("status", -1)), true},
		{"empty", at, []slog.Attr{slog.String("path", "")}, true},
		{"none", at, nil, true},
		{"quote", at, with(slog.String("path", `/a"b`)), false},
		{"backslash", at, with(slog.String("path", `/a\b`)), false},
		{"control", at, with(slog.String("path", "/a\x00b\nc")), false},
		{"delete", at, with(slog.String("path", "/a\x7fb")), false},
		{"non-ASCII", at, with(slog.String("path", "/api/v1/articles/şəhər-\u2028")), false},
		{"invalid UTF-8", at, with(slog.String("path", "/a\xffb")), false},
		{"odd key", at, with(slog.String(`k"ey`, "v")), false},
		{"bool", at, with(slog.Bool("cached", true)), false},
		{"float", at, with(slog.Float64("ratio", 0.5)), false},
		{"time", at, with(slog.Time("at", at)), false},
		{"group", at, with(slog.Group("g", slog.String("a", "b"))), false},
		{"year 10000", at.AddDate(8000, 0, 0), base, false},
		{"zero time", time.Time{}, base, false},
	}
	for _, c := range cases {
		r := slog.NewRecord(c.at, slog.LevelInfo, "request", 0)
		r.AddAttrs(c.attrs...)
		var want strings.Builder
		if err := slog.NewJSONHandler(&want, nil).Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		if line, ok := appendRequestLine(nil, r); ok != c.hand {
			t.Errorf("%s: written by hand %v, want %v", c.name, ok, c.hand)
		} else if ok && string(line) != want.String() {
			t.Errorf("%s: by hand\n%s\nby the handler\n%s", c.name, line, want.String())
		}
		out := &lockedBuf{}
		buf := newBufferedLog(out)
		if err := (logHandler{slog.NewJSONHandler(buf, nil), buf, true}).Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		buf.Flush()
		if got, _ := out.state(); got != want.String() {
			t.Errorf("%s: logged\n%s\nwant\n%s", c.name, got, want.String())
		}
	}
	// Other messages and levels are the handler's.
	for _, r := range []slog.Record{slog.NewRecord(at, slog.LevelWarn, "request", 0), slog.NewRecord(at, slog.LevelInfo, "requests", 0)} {
		out := &lockedBuf{}
		buf := newBufferedLog(out)
		var want strings.Builder
		_ = slog.NewJSONHandler(&want, nil).Handle(context.Background(), r)
		_ = (logHandler{slog.NewJSONHandler(buf, nil), buf, true}).Handle(context.Background(), r)
		buf.Flush()
		if got, _ := out.state(); got != want.String() {
			t.Errorf("%s %s: logged %s, want %s", r.Level, r.Message, got, want.String())
		}
	}
}
