package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/media/disk"
	"github.com/heraldcms/herald/internal/media/hostile"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// photo12MP is a 4000×3000 JPEG with photo-like texture, made once.
var photo12MP = sync.OnceValue(func() []byte {
	const w, h = 4000, 3000
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			img.Y[y*img.YStride+x] = uint8((x*255/w+y*255/h)/2) + uint8(r.IntN(32))
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(100+r.IntN(40)), uint8(120+r.IntN(40))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return buf.Bytes()
})

// withComment makes the bytes unique (a COM segment with n), so dedupe does not skip work,
// and adds an EXIF orientation when it is not 1.
func withComment(jpg []byte, n int, orientation uint16) []byte {
	seg := []byte{0xFF, 0xFE, 0, 10}
	seg = binary.BigEndian.AppendUint64(seg, uint64(n))
	if orientation != 1 {
		exif := []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00")
		exif = binary.LittleEndian.AppendUint32(exif, uint32(orientation))
		exif = append(exif, 0, 0, 0, 0)
		seg = append(binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(exif)+2)), append(exif, seg...)...)
	}
	return append(append(append([]byte{}, jpg[:2]...), seg...), jpg[2:]...)
}

// peakHeap samples the live heap until stop is closed and returns the highest value seen.
func peakHeap(stop <-chan struct{}) func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { <-done; return peak.Load() }
}

// BenchmarkUpload12MP measures one upload of a 12-megapixel JPEG end to end: spool and
// hash, sniff, pixel check, decode, metadata strip, three variants, disk writes and the
// SQLite row. It reports the heap's peak above the idle baseline (peak-heap-MB). upright
// keeps the original's image data (container-level strip); rotated has EXIF orientation 6,
// so the original is turned and re-encoded too.
func BenchmarkUpload12MP(b *testing.B) {
	b.Run("upright", func(b *testing.B) { benchUpload(b, 1) })
	b.Run("rotated", func(b *testing.B) { benchUpload(b, 6) })
}

func benchUpload(b *testing.B, orientation uint16) {
	src := photo12MP()
	db := testkit.OpenDB(b, "sqlite")
	blobs, err := disk.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	svc := media.NewService(store.NewMedia(db), blobs, media.Config{TempDir: b.TempDir()})
	ctx := context.Background()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	var peak uint64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		data := withComment(src, i, orientation)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		stop := make(chan struct{})
		result := peakHeap(stop)
		b.StartTimer()

		rec, err := svc.Receive(ctx, bytes.NewReader(data), "photo.jpg", "image/jpeg")
		if err != nil {
			b.Fatal(err)
		}
		m, created, err := svc.Upload(ctx, media.Actor{Editor: true}, rec, nil)
		rec.Discard()
		if err != nil || !created || len(m.Variants) != 3 {
			b.Fatalf("upload: %v, created %v, %d variants", err, created, len(m.Variants))
		}

		b.StopTimer()
		close(stop)
		if p := result(); p > base && p-base > peak {
			peak = p - base
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(len(src))/(1<<20), "input-MB")
}

// peakRSS runs fn and returns the process's resident set before it (after returning freed
// memory to the system) and its peak during it, in bytes, from /proc (Linux): the high-water
// mark is reset first, so it is fn's peak, whatever came before.
func peakRSS(b *testing.B, fn func()) (before, peak int64) {
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak RSS: %v", err)
	}
	before = procStatus(b, "VmRSS")
	fn()
	return before, procStatus(b, "VmHWM")
}

func procStatus(b *testing.B, field string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// BenchmarkUploadPeakRSS reports the peak resident memory (peak-RSS-MB, and rss-growth-MB
// above the idle process) of image uploads under the default budget: worst-accepted is the
// costliest file the default HERALD_MEDIA_MAX_DECODED_BYTES lets through (a 16-bit RGBA
// PNG of 5400×5400, ≈233 MB decoded); issue-png-x4 is four concurrent uploads of issue 11's
// 311 KB 16-bit 6320×6324 PNG (before the budget: 1.45 GB; now refused from the header).
func BenchmarkUploadPeakRSS(b *testing.B) {
	for _, c := range []struct {
		name    string
		data    func() []byte
		n       int
		created bool
	}{
		{"worst-accepted", func() []byte { return hostile.PNG16(5400, 5400) }, 1, true},
		{"issue-png-x4", func() []byte { return hostile.PNG16(6320, 6324) }, 4, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			data := c.data()
			db := testkit.OpenDB(b, "sqlite")
			blobs, err := disk.New(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			svc := media.NewService(store.NewMedia(db), blobs, media.Config{TempDir: b.TempDir()})
			ctx := context.Background()
			var before, peak int64
			for i := 0; b.Loop(); i++ {
				before, peak = peakRSS(b, func() {
					var wg sync.WaitGroup
					for j := range c.n {
						wg.Go(func() {
							// A trailing byte after IEND makes each upload new bytes (no dedupe).
							rec, err := svc.Receive(ctx, bytes.NewReader(append(append([]byte{}, data...), byte(i*c.n+j))), "big.png", "image/png")
							if err != nil {
								b.Error(err)
								return
							}
							defer rec.Discard()
							_, created, err := svc.Upload(ctx, media.Actor{Editor: true}, rec, nil)
							if created != c.created {
								b.Errorf("created %v, want %v: %v", created, c.created, err)
							}
						})
					}
					wg.Wait()
				})
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
			b.ReportMetric(float64(peak-before)/(1<<20), "rss-growth-MB")
		})
	}
}
