package media_test

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"

	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/media/disk"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

type countingPuts struct {
	media.Blobs
	mu   sync.Mutex
	puts map[string]int
}

func (c *countingPuts) Put(ctx context.Context, key string, r io.Reader, size int64, typ string) error {
	c.mu.Lock()
	c.puts[key]++
	c.mu.Unlock()
	return c.Blobs.Put(ctx, key, r, size, typ)
}

// TestRenderConcurrent: concurrent Renders of one new rendition render it once, and every
// caller gets it open (the service-level half of api's TestRenditionRendersOnce, small
// enough for -race).
func TestRenderConcurrent(t *testing.T) {
	d, err := disk.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	blobs := &countingPuts{Blobs: d, puts: map[string]int{}}
	svc := media.NewService(store.NewMedia(testkit.OpenDB(t, "sqlite")), blobs, media.Config{TempDir: t.TempDir()})
	ctx := context.Background()
	rec, err := svc.Receive(ctx, bytes.NewReader(scene12MP()), "scene.jpg", "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := svc.Upload(ctx, media.Actor{Editor: true}, rec, nil)
	rec.Discard()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	sizes := make([]int64, 20)
	for i := range sizes {
		wg.Go(func() {
			r, err := svc.Render(ctx, m.Key, media.Transform{Width: 640, Height: 360, Fit: media.Cover, Format: media.JPEG})
			if err != nil {
				t.Error(err)
				return
			}
			defer r.Blob.Close()
			sizes[i] = r.Blob.Size
		})
	}
	wg.Wait()
	key := m.SHA256 + "/r640x360-cover-q80.jpg"
	if blobs.puts[key] != 1 {
		t.Errorf("puts %v, want one of %s", blobs.puts, key)
	}
	for i, s := range sizes {
		if s == 0 || s != sizes[0] {
			t.Errorf("caller %d got %d bytes (first %d)", i, s, sizes[0])
		}
	}
}
