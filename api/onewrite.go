package api

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
)

// A public response leaves in one write: net/http buffers a response's header in a 4 KB
// writer and sends a body that overflows it as a second write, so every response over
// about 3.5 KB (an article's detail, a list page) cost two write(2) calls on the socket
// and two segments the client had to wake for. Listener's connections let serveEntry hold
// what net/http writes while it writes one response and send it as one write. A held
// response is copied once (a few µs for a 23 KB list page); the write it saves was a
// sixth of the syscall time of an uncached detail's request (strace, PostgreSQL).

// Listener wraps a listener so the public responses of HTTPServer's server are written to
// each connection in one piece. cmd/herald serves on it; without it (tests that call
// ServeHTTP, a TLS listener) responses are written as net/http writes them.
func (s *Server) Listener(ln net.Listener) net.Listener { return onewriteListener{ln} }

type onewriteListener struct{ net.Listener }

func (l onewriteListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &heldConn{Conn: c}, nil
}

// heldConn is a connection whose writes can be held: net/http writes to a connection only
// from the goroutine serving its current request, which holds and releases.
type heldConn struct {
	net.Conn
	held *[]byte // nil: writes go through
}

// heldBufs recycles held responses' buffers: a connection keeps none between responses.
var heldBufs = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// maxHeldBuf is the largest buffer heldBufs keeps; a larger response's goes to the collector.
const maxHeldBuf = 256 << 10

func (c *heldConn) Write(p []byte) (int, error) {
	if c.held != nil {
		*c.held = append(*c.held, p...)
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// ReadFrom keeps the kernel's copy (sendfile) for media downloads, which net/http uses
// when the connection can read from a file.
func (c *heldConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok && c.held == nil {
		return rf.ReadFrom(r)
	}
	return io.Copy(writerOnly{c}, r)
}

// CloseWrite keeps net/http's lingering close (it half-closes TCP connections).
func (c *heldConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

type writerOnly struct{ io.Writer }

func (c *heldConn) hold() {
	if c.held == nil {
		c.held = heldBufs.Get().(*[]byte)
	}
}

// release writes what was held in one write.
func (c *heldConn) release() error {
	b := c.held
	if b == nil {
		return nil
	}
	c.held = nil
	_, err := c.Conn.Write(*b)
	if cap(*b) <= maxHeldBuf {
		*b = (*b)[:0]
		heldBufs.Put(b)
	}
	return err
}

type heldConnKey struct{}

// connContext gives a request the connection it came on, when Listener accepted it.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if hc, ok := c.(*heldConn); ok {
		return context.WithValue(ctx, heldConnKey{}, hc)
	}
	return ctx
}

// heldBodyMin is the smallest body worth holding: a smaller one leaves with its header in
// net/http's 4 KB buffer anyway.
const heldBodyMin = 3 << 10

// writeHeld writes status and body as one write when the request came on a Listener's
// HTTP/1 connection, else as w.Write does.
func writeHeld(r *http.Request, w http.ResponseWriter, status int, body []byte) error {
	hc, _ := r.Context().Value(heldConnKey{}).(*heldConn)
	if hc == nil || r.ProtoMajor != 1 || len(body) < heldBodyMin {
		w.WriteHeader(status)
		_, err := w.Write(body)
		return err
	}
	hc.hold()
	w.WriteHeader(status)
	_, err := w.Write(body)
	if err == nil {
		// net/http's buffers, into the held bytes; a writer that cannot flush leaves its
		// part to net/http, which writes it after the held part.
		if ferr := http.NewResponseController(w).Flush(); !errors.Is(ferr, http.ErrNotSupported) {
			err = ferr
		}
	}
	if rerr := hc.release(); err == nil {
		err = rerr
	}
	return err
}
