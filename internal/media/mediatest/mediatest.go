// Package mediatest holds what tests of media storage share: one suite every media.Blobs
// implementation must pass, and a real S3-protocol server (gofakes3) on loopback, so the
// s3 backend is tested through the real minio-go client over HTTP, not a mock.
package mediatest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/media/s3"
)

// S3 starts an in-memory S3-compatible server on a loopback port with an empty bucket and
// returns the config that reaches it; it stops at cleanup.
func S3(t testing.TB) s3.Config {
	t.Helper()
	backend := s3mem.New()
	srv := httptest.NewServer(gofakes3.New(backend, gofakes3.WithoutVersioning()).Server())
	t.Cleanup(srv.Close)
	const bucket = "herald-media"
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	return s3.Config{Endpoint: srv.URL, Bucket: bucket, Region: "us-east-1", AccessKey: "test-access", SecretKey: "test-secret-key"}
}

// NewS3 returns s3 Blobs over a fresh server from S3.
func NewS3(t testing.TB) *s3.Blobs {
	t.Helper()
	b, err := s3.New(context.Background(), S3(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Key returns a fresh valid key with the given file name ("original.jpg").
func Key(file string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b) + "/" + file
}

// failingReader yields some bytes, then an error, as a client that disconnects.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("client went away")
	}
	n := min(len(p), f.n)
	for i := range n {
		p[i] = 'x'
	}
	f.n -= n
	return n, nil
}

// TestBlobs is the suite every media.Blobs passes: round trip with seeking, overwrite,
// missing keys, invalid keys refused, listing by prefix, delete idempotent, and a failed
// write leaving nothing behind.
func TestBlobs(t *testing.T, b media.Blobs) {
	ctx := context.Background()
	data := bytes.Repeat([]byte("herald media 0123456789\n"), 50_000) // 1.2 MB: multipart-sized for some clients
	key := Key("original.jpg")

	t.Run("round trip with seek", func(t *testing.T) {
		if err := b.Put(ctx, key, bytes.NewReader(data), int64(len(data)), media.JPEG); err != nil {
			t.Fatal(err)
		}
		blob, err := b.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		defer blob.Close()
		if blob.Size != int64(len(data)) {
			t.Errorf("size %d, want %d", blob.Size, len(data))
		}
		if _, err := blob.Seek(1000, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		part := make([]byte, 24)
		if _, err := io.ReadFull(blob, part); err != nil || !bytes.Equal(part, data[1000:1024]) {
			t.Errorf("read after seek: %q, %v", part, err)
		}
		if _, err := blob.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		all, err := io.ReadAll(blob)
		if err != nil || !bytes.Equal(all, data) {
			t.Errorf("read all: %d bytes, %v", len(all), err)
		}
	})

	t.Run("missing and invalid keys", func(t *testing.T) {
		if _, err := b.Open(ctx, Key("thumb.jpg")); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("open missing: %v, want ErrNotFound", err)
		}
		for _, bad := range []string{"../../etc/passwd", "/etc/passwd", strings.Repeat("a", 64) + "/../x.jpg", "abc/original.jpg", strings.Repeat("A", 64) + "/original.jpg", ""} {
			if err := b.Put(ctx, bad, strings.NewReader("x"), 1, media.JPEG); err == nil {
				t.Errorf("put %q accepted", bad)
			}
			if _, err := b.Open(ctx, bad); err == nil {
				t.Errorf("open %q accepted", bad)
			}
		}
	})

	t.Run("list and delete", func(t *testing.T) {
		other := Key("thumb.png")
		if err := b.Put(ctx, other, strings.NewReader("png"), 3, media.PNG); err != nil {
			t.Fatal(err)
		}
		prefix := strings.Split(other, "/")[0]
		keys, err := b.Keys(ctx, prefix)
		if err != nil || !slices.Equal(keys, []string{other}) {
			t.Errorf("keys %v, %v; want [%s]", keys, err, other)
		}
		all, err := b.Keys(ctx, "")
		if err != nil || !slices.Contains(all, key) || !slices.Contains(all, other) {
			t.Errorf("all keys %v, %v", all, err)
		}
		for range 2 { // deleting twice is fine
			if err := b.Delete(ctx, other); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.Open(ctx, other); !errors.Is(err, media.ErrNotFound) {
			t.Errorf("open deleted: %v", err)
		}
		if keys, _ := b.Keys(ctx, prefix); len(keys) != 0 {
			t.Errorf("keys after delete: %v", keys)
		}
	})

	t.Run("failed put leaves nothing", func(t *testing.T) {
		k := Key("large.jpg")
		if err := b.Put(ctx, k, &failingReader{n: 100_000}, 1_000_000, media.JPEG); err == nil {
			t.Fatal("put from a failing reader succeeded")
		}
		short := Key("medium.jpg")
		if err := b.Put(ctx, short, strings.NewReader("short"), 100, media.JPEG); err == nil {
			t.Error("put of fewer bytes than declared succeeded")
		}
		for _, kk := range []string{k, short} {
			if keys, _ := b.Keys(ctx, strings.Split(kk, "/")[0]); len(keys) != 0 {
				t.Errorf("failed put left %v", keys)
			}
		}
	})
}
