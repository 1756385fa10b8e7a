package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// logFlushEvery bounds how long an info line (a request's) waits in the buffer.
const logFlushEvery = 200 * time.Millisecond

// bufferedLog batches the server's log lines into few writes: a write per request line cost
// a cached response about 5 % of its CPU (a 304 spent 5 % in the write and 8 % in slog).
// Warnings and errors are written at once (logHandler), the rest within logFlushEvery, and
// everything when serve returns; a process killed outright loses at most that long of
// request lines.
type bufferedLog struct {
	mu    sync.Mutex
	w     *bufio.Writer
	dirty bool
}

func newBufferedLog(w io.Writer) *bufferedLog {
	return &bufferedLog{w: bufio.NewWriterSize(w, 64<<10)}
}

func (b *bufferedLog) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dirty = true
	return b.w.Write(p)
}

// Flush writes out what is buffered.
func (b *bufferedLog) Flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dirty {
		_ = b.w.Flush()
		b.dirty = false
	}
}

// run flushes every logFlushEvery until ctx ends, then once more.
func (b *bufferedLog) run(ctx context.Context) {
	t := time.NewTicker(logFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			b.Flush()
			return
		case <-t.C:
			b.Flush()
		}
	}
}

// logHandler writes a warning or an error out as soon as it is logged.
type logHandler struct {
	slog.Handler
	buf *bufferedLog
}

func (h logHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		h.buf.Flush()
	}
	return err
}

func (h logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return logHandler{h.Handler.WithAttrs(as), h.buf}
}

func (h logHandler) WithGroup(name string) slog.Handler {
	return logHandler{h.Handler.WithGroup(name), h.buf}
}
