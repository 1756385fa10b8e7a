package media_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/media/disk"
	"github.com/heraldcms/herald/internal/media/mediatest"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestSweep: files left by a crashed upload (no row) and stale spool files go; files of
// stored items and anything recent stay. Both storage backends.
func TestSweep(t *testing.T) {
	for _, backend := range []string{"disk", "s3"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			var blobs media.Blobs = mediatest.NewS3(t)
			if backend == "disk" {
				b, err := disk.New(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				blobs = b
			}
			now := time.Now().Add(time.Hour) // everything stored so far is an hour old
			tmp := t.TempDir()
			svc := media.NewService(store.NewMedia(testkit.OpenDB(t, "sqlite")), blobs, media.Config{TempDir: tmp, Clock: func() time.Time { return now }})

			kept, err := svc.Receive(ctx, bytes.NewReader([]byte("%PDF-1.4\n%%EOF\n")), "doc.pdf", "")
			if err != nil {
				t.Fatal(err)
			}
			m, _, err := svc.Upload(ctx, media.Actor{Editor: true}, kept, nil)
			kept.Discard()
			if err != nil {
				t.Fatal(err)
			}
			orphan := mediatest.Key("large.jpg")
			if err := blobs.Put(ctx, orphan, strings.NewReader("left by a crash"), 15, media.JPEG); err != nil {
				t.Fatal(err)
			}
			stray := m.SHA256 + "/thumb.jpg" // a stored item's prefix, but not one of its files
			if err := blobs.Put(ctx, stray, strings.NewReader("stray"), 5, media.JPEG); err != nil {
				t.Fatal(err)
			}
			// Renditions live while their original does: a live item's stay, a dead one's go.
			liveRendition := m.SHA256 + "/r320x0-inside-q80.jpg"
			deadRendition := strings.Split(orphan, "/")[0] + "/r320x0-inside-q85.webp"
			for _, k := range []string{liveRendition, deadRendition} {
				if err := blobs.Put(ctx, k, strings.NewReader("rendition"), 9, media.TypeOfKey(k)); err != nil {
					t.Fatal(err)
				}
			}
			spool := filepath.Join(tmp, "herald-upload-123")
			if err := os.WriteFile(spool, []byte("partial"), 0o600); err != nil {
				t.Fatal(err)
			}
			old := time.Now().Add(-time.Hour)
			_ = os.Chtimes(spool, old, old)

			// Too young: nothing goes.
			if removed, err := svc.Sweep(ctx, 2*time.Hour); err != nil || len(removed) != 0 {
				t.Fatalf("young sweep removed %v, %v", removed, err)
			}
			removed, err := svc.Sweep(ctx, 30*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(removed)
			want := []string{orphan, stray, spool, deadRendition}
			slices.Sort(want)
			if !slices.Equal(removed, want) {
				t.Errorf("removed %v, want %v", removed, want)
			}
			keys, _ := blobs.Keys(ctx, "")
			if want := []string{m.Key, liveRendition}; !slices.Equal(keys, want) {
				t.Errorf("left %v, want %v", keys, want)
			}
		})
	}
}
