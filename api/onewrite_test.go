package api_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// countingListener counts the connections it accepts and the writes made to them.
type countingListener struct {
	net.Listener
	accepted, writes atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.accepted.Add(1)
	return &countingConn{Conn: c, l: l}, nil
}

type countingConn struct {
	net.Conn
	l *countingListener
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.l.writes.Add(1)
	return c.Conn.Write(p)
}

// TestPublicResponsesLeaveInOneWrite serves a real HTTP server on the listener cmd/herald
// uses (Server.Listener): a public response larger than net/http's header buffer (an
// article's detail, a list page) reaches the socket in one write, on a kept-alive
// connection, with the bytes the router answers with; gzip, HEAD, 304, small and error
// responses, and a response after a client that went away, are unchanged.
func TestPublicResponsesLeaveInOneWrite(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		body := "<p>" + strings.Repeat("A long paragraph of the article's body, repeated. ", 160) + "</p>"
		id := publishedArticle(t, app, bearer(tok), api.TranslationRequest{Locale: "en", Title: "One write", Slug: "one-write", Body: body})

		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		counted := &countingListener{Listener: ln}
		hs := app.srv.HTTPServer("")
		go func() { _ = hs.Serve(app.srv.Listener(counted)) }()
		t.Cleanup(func() { _ = hs.Close() })
		base := "http://" + ln.Addr().String()
		client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 1}}
		t.Cleanup(client.CloseIdleConnections)

		var mu sync.Mutex // one request at a time: the write count is per response
		get := func(method, path string, headers ...string) (*http.Response, []byte, int64) {
			t.Helper()
			mu.Lock()
			defer mu.Unlock()
			req, _ := http.NewRequest(method, base+path, nil)
			for _, h := range headers {
				k, v, _ := strings.Cut(h, ":")
				req.Header.Set(k, strings.TrimSpace(v))
			}
			before := counted.writes.Load()
			res, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			b, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				t.Fatalf("%s %s: read: %v", method, path, err)
			}
			return res, b, counted.writes.Load() - before
		}

		for _, path := range []string{"/api/v1/articles/one-write?locale=en", "/api/v1/articles/" + id, "/api/v1/articles?locale=en"} {
			res, b, writes := get(http.MethodGet, path)
			want := app.get(path)
			if res.StatusCode != http.StatusOK || !bytes.Equal(b, want.Body.Bytes()) {
				t.Fatalf("GET %s: %d, %d bytes; the router answers %d, %d bytes", path, res.StatusCode, len(b), want.Code, want.Body.Len())
			}
			if len(b) < 4<<10 {
				t.Fatalf("GET %s: %d bytes, too small to need two writes", path, len(b))
			}
			if writes != 1 {
				t.Errorf("GET %s (%d bytes) took %d writes, want 1", path, len(b), writes)
			}
			if res.Header.Get("Content-Length") == "" || res.Header.Get("ETag") == "" {
				t.Errorf("GET %s: headers %v", path, res.Header)
			}

			// HEAD: the headers alone; a revalidation: 304 without a body.
			hres, hb, _ := get(http.MethodHead, path)
			if hres.StatusCode != http.StatusOK || len(hb) != 0 || hres.Header.Get("ETag") != res.Header.Get("ETag") {
				t.Errorf("HEAD %s: %d, %d bytes, ETag %q", path, hres.StatusCode, len(hb), hres.Header.Get("ETag"))
			}
			nres, nb, _ := get(http.MethodGet, path, "If-None-Match: "+res.Header.Get("ETag"))
			if nres.StatusCode != http.StatusNotModified || len(nb) != 0 {
				t.Errorf("GET %s with its ETag: %d, %d bytes", path, nres.StatusCode, len(nb))
			}

			// gzip: the same JSON.
			gres, gb, _ := get(http.MethodGet, path, "Accept-Encoding: gzip")
			if gres.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("GET %s gzip: Content-Encoding %q", path, gres.Header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(gb))
			if err != nil {
				t.Fatal(err)
			}
			if plain, err := io.ReadAll(zr); err != nil || !bytes.Equal(plain, b) {
				t.Errorf("GET %s gzip: %d bytes unzipped (%v), want the identity body's %d", path, len(plain), err, len(b))
			}
		}

		// Small and error responses still go through.
		if res, b, _ := get(http.MethodGet, "/api/v1/locales"); res.StatusCode != http.StatusOK || len(b) == 0 {
			t.Errorf("GET /api/v1/locales: %d, %d bytes", res.StatusCode, len(b))
		}
		if res, b, _ := get(http.MethodGet, "/api/v1/articles/no-such-article"); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Header.Get("Content-Type"), "problem+json") || len(b) == 0 {
			t.Errorf("GET a missing article: %d %q, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(b))
		}
		if n := counted.accepted.Load(); n != 1 {
			t.Errorf("%d connections accepted, want 1 kept alive", n)
		}

		// A client that sends a request and goes away: the server carries on serving others.
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		_, _ = c.Write([]byte("GET /api/v1/articles?locale=en HTTP/1.1\r\nHost: x\r\n\r\n"))
		_ = c.Close()
		if res, b, _ := get(http.MethodGet, "/api/v1/articles/one-write?locale=en"); res.StatusCode != http.StatusOK || len(b) < 4<<10 {
			t.Errorf("GET after a client went away: %d, %d bytes", res.StatusCode, len(b))
		}
	})
}
