package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/testkit"
)

// smallBuffers makes every accepted connection's kernel send buffer small, so a server
// write blocks as soon as the client stops reading (loopback buffers hold megabytes).
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(8 << 10)
	}
	return c, err
}

// pacedReader yields data in chunks of size every interval; after stallAt bytes it stops
// until done is closed.
type pacedReader struct {
	data     []byte
	size     int
	interval time.Duration
	stallAt  int
	sent     int
	done     <-chan struct{}
}

func (p *pacedReader) Read(b []byte) (int, error) {
	if len(p.data) == 0 {
		return 0, io.EOF
	}
	if p.stallAt > 0 && p.sent >= p.stallAt {
		<-p.done
		return 0, io.ErrUnexpectedEOF
	}
	time.Sleep(p.interval)
	n := copy(b, p.data[:min(p.size, len(p.data), len(b))])
	p.data, p.sent = p.data[n:], p.sent+n
	return n, nil
}

// TestSlowTransfers runs a real HTTP server whose ordinary requests have 8 s totals, with
// media transfers under progress deadlines (1 s idle, 32 KiB/s minimum): an upload and a
// download that take longer than the total at a steady pace (3× the minimum) complete; an
// upload that stalls, one that trickles below the rate, and a download whose reader stalls
// are cut within a few seconds, and the failed upload leaves nothing. The margins are wide
// because CI runs this under -race beside other packages: at 300 ms idle and 64 KiB/s a
// steady upload was cut (408) when the scheduler delayed a read, and with a 3 s total the
// processing after the body (which gets the total) ran out (503; CI, load average 15-30).
func TestSlowTransfers(t *testing.T) {
	const total = 8 * time.Second
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			m := newMediaApp(t, d, "disk", media.Config{}, app.WithDeps(func(d *api.Deps) {
				d.RequestTimeout, d.TransferIdle, d.TransferMinRate = total, time.Second, 32<<10
			}))
			tok, _ := m.token(t, auth.RoleEditor)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			hs := m.srv.HTTPServer("")
			go func() { _ = hs.Serve(m.srv.Listener(smallBuffers{ln})) }() // as cmd/herald serves
			t.Cleanup(func() { _ = hs.Close() })
			base := "http://" + ln.Addr().String()
			done := make(chan struct{})
			t.Cleanup(func() { close(done) })
			client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
				DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
					c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
					if tc, ok := c.(*net.TCPConn); ok {
						_ = tc.SetReadBuffer(8 << 10)
					}
					return c, err
				}}}
			// Noise does not compress: a large file that is cheap to decode, even under -race.
			noise := image.NewNRGBA(image.Rect(0, 0, 480, 460))
			rnd := rand.New(rand.NewPCG(4, 2))
			for i := range noise.Pix {
				noise.Pix[i] = uint8(rnd.Uint32())
			}
			var pngBuf bytes.Buffer
			if err := png.Encode(&pngBuf, noise); err != nil {
				t.Fatal(err)
			}
			body, ct := form(file{"slow.png", "image/png", pngBuf.Bytes()})
			if len(body) < 850<<10 {
				t.Fatalf("fixture is only %d bytes", len(body))
			}
			upload := func(r io.Reader) (*http.Response, time.Duration, error) {
				req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/admin/media", r)
				req.Header.Set("Content-Type", ct)
				req.Header.Set("Authorization", "Bearer "+tok)
				start := time.Now()
				res, err := client.Do(req)
				return res, time.Since(start), err
			}

			// Slow but steady: 8 KiB every 80 ms (100 KiB/s), over 8.5 s in all.
			res, took, err := upload(&pacedReader{data: body, size: 8 << 10, interval: 80 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			var created api.AdminMediaDTO
			if res.StatusCode != http.StatusCreated {
				b, _ := io.ReadAll(res.Body)
				t.Fatalf("paced upload: %d %s", res.StatusCode, b)
			}
			if err := json.NewDecoder(res.Body).Decode(&created); err != nil {
				t.Fatal(err)
			}
			_ = res.Body.Close()
			if took < total+500*time.Millisecond {
				t.Fatalf("the paced upload took only %v: not slower than the %v total", took, total)
			}

			// Stalled after 64 KiB, and trickling 100 bytes every 200 ms: both cut.
			for name, r := range map[string]io.Reader{
				"stalled":  &pacedReader{data: body, size: 8 << 10, interval: 5 * time.Millisecond, stallAt: 64 << 10, done: done},
				"trickled": &pacedReader{data: body, size: 100, interval: 200 * time.Millisecond},
			} {
				res, took, err := upload(r)
				if err == nil {
					if res.StatusCode != http.StatusRequestTimeout {
						t.Errorf("%s upload: %d", name, res.StatusCode)
					}
					_ = res.Body.Close()
				}
				if took > 4*time.Second {
					t.Errorf("%s upload was cut only after %v", name, took)
				}
			}
			keys, _ := m.blobs.Keys(context.Background(), "")
			if len(keys) != 1+len(created.Variants) {
				t.Errorf("stored files %v after the cut uploads", keys)
			}

			// Download the original slowly (8 KiB every 80 ms): complete and intact.
			want := m.get(created.URLs.Original).Body.Bytes()
			if len(want) < 850<<10 {
				t.Fatalf("original is only %d bytes", len(want))
			}
			res, err = client.Get(base + created.URLs.Original)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			var got bytes.Buffer
			buf := make([]byte, 8<<10)
			for {
				n, err := res.Body.Read(buf)
				got.Write(buf[:n])
				if err != nil {
					break
				}
				time.Sleep(80 * time.Millisecond)
			}
			_ = res.Body.Close()
			if !bytes.Equal(got.Bytes(), want) || time.Since(start) < total+500*time.Millisecond {
				t.Errorf("slow download: %d of %d bytes in %v", got.Len(), len(want), time.Since(start))
			}

			// A reader that stalls for 3 s is cut: the rest never arrives.
			res, err = client.Get(base + created.URLs.Original)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.ReadFull(res.Body, buf)
			time.Sleep(3 * time.Second)
			rest, err := io.ReadAll(res.Body)
			_ = res.Body.Close()
			if err == nil && len(buf)+len(rest) == len(want) {
				t.Error("a stalled download was not cut")
			}
		})
	}
}
