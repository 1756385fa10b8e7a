package media_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/gen2brain/avif"

	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/media/disk"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// scene12MP is a 4000×3000 JPEG (quality 90) that compresses like a photo: smooth shapes
// and gradients, edges, and fine grain, unlike photo12MP's strong noise, which no lossy
// codec can shrink and would flatter none of them.
var scene12MP = sync.OnceValue(func() []byte {
	const w, h = 4000, 3000
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(3, 4))
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/w, float64(y)/h
			v := 0.5 + 0.25*math.Sin(fx*9+math.Sin(fy*7)*2) + 0.2*math.Cos(fy*13+fx*3)
			if (x/250+y/250)%5 == 0 { // blocks with hard edges
				v = 1 - v
			}
			n := float64(r.IntN(10)) - 5
			i := y*img.Stride + x*4
			img.Pix[i] = uint8(clamp(v*200 + 30*fx + n))
			img.Pix[i+1] = uint8(clamp(v*170 + 60*fy + n))
			img.Pix[i+2] = uint8(clamp(v*120 + 90*(1-fx) + n))
			img.Pix[i+3] = 255
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return buf.Bytes()
})

func clamp(f float64) float64 { return math.Max(0, math.Min(255, f)) }

// BenchmarkRendition12MP measures the first request of a rendition of a 12-megapixel
// photo, per format at its default quality: decode the original, resize, encode, store on
// disk (each iteration renders anew). It reports the rendition's bytes (out-KB), the heap's
// peak (peak-heap-MB) and the process's peak resident memory
// (peak-RSS-MB), and its PSNR against the lossless rendition (PSNR-dB). w1280 is a typical desktop width; w2400 the ladder's top, where AVIF
// (over HERALD_MEDIA_AVIF_MAX_PIXELS) is encoded as WebP. The first iteration of WebP and
// AVIF also compiles the WebAssembly module (once per process); cold-ms reports it.
func BenchmarkRendition12MP(b *testing.B) {
	src := scene12MP()
	for _, width := range []int{1280, 2400} {
		for _, fm := range []string{media.JPEG, media.WebP, media.AVIF, media.PNG} {
			b.Run(fmt.Sprintf("w%d/%s", width, fm[len("image/"):]), func(b *testing.B) { benchRender(b, src, width, fm, 0) })
		}
	}
}

// BenchmarkRenditionQuality12MP is the sweep the default qualities were chosen from: bytes
// and PSNR of the 1280-wide rendition per format and quality (run with -benchtime 1x).
func BenchmarkRenditionQuality12MP(b *testing.B) {
	src := scene12MP()
	for _, c := range []struct {
		fm string
		qs []int
	}{{media.JPEG, []int{70, 80, 90}}, {media.WebP, []int{75, 80, 85, 90}}, {media.AVIF, []int{50, 60, 70}}} {
		for _, q := range c.qs {
			b.Run(fmt.Sprintf("%s/q%d", c.fm[len("image/"):], q), func(b *testing.B) { benchRender(b, src, 1280, c.fm, q) })
		}
	}
}

func benchRender(b *testing.B, src []byte, width int, fm string, quality int) {
	db := testkit.OpenDB(b, "sqlite")
	blobs, err := disk.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	svc := media.NewService(store.NewMedia(db), blobs, media.Config{TempDir: b.TempDir()})
	ctx := context.Background()
	rec, err := svc.Receive(ctx, bytes.NewReader(src), "scene.jpg", "image/jpeg")
	if err != nil {
		b.Fatal(err)
	}
	m, _, err := svc.Upload(ctx, media.Actor{Editor: true}, rec, nil)
	rec.Discard()
	if err != nil {
		b.Fatal(err)
	}
	// The lossless PNG rendition is the reference the lossy ones are compared with (PSNR).
	var ref image.Image
	if fm != media.PNG {
		r, err := svc.Render(ctx, m.Key, media.Transform{Width: width, Format: media.PNG})
		if err != nil {
			b.Fatal(err)
		}
		_ = r.Blob.Close()
		ref = decodeBlob(b, blobs, r.Key)
	}
	var peakHeapMB, peakRSSMB, outKB, coldMS, psnrDB float64
	first := true
	for b.Loop() {
		b.StopTimer()
		t := media.Transform{Width: width, Format: fm, Quality: quality}
		start := time.Now()
		stop := make(chan struct{})
		result := peakHeap(stop)
		var r media.Rendition
		_, rss := peakRSS(b, func() {
			b.StartTimer()
			r, err = svc.Render(ctx, m.Key, t)
			b.StopTimer()
		})
		close(stop)
		if err != nil {
			b.Fatal(err)
		}
		_ = r.Blob.Close()
		if first {
			coldMS, first = float64(time.Since(start).Milliseconds()), false
		}
		peakHeapMB = max(peakHeapMB, float64(result())/(1<<20))
		peakRSSMB = max(peakRSSMB, float64(rss)/(1<<20))
		blob, err := blobs.Open(ctx, r.Key)
		if err != nil {
			b.Fatal(err)
		}
		outKB = float64(blob.Size) / 1024
		_ = blob.Close()
		if ref != nil {
			psnrDB = psnr(ref, decodeBlob(b, blobs, r.Key))
		}
		if err := blobs.Delete(ctx, r.Key); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(outKB, "out-KB")
	b.ReportMetric(peakHeapMB, "peak-heap-MB")
	b.ReportMetric(peakRSSMB, "peak-RSS-MB")
	b.ReportMetric(coldMS, "cold-ms")
	if ref != nil {
		b.ReportMetric(psnrDB, "PSNR-dB")
	}
}

func decodeBlob(b *testing.B, blobs media.Blobs, key string) image.Image {
	blob, err := blobs.Open(context.Background(), key)
	if err != nil {
		b.Fatal(err)
	}
	defer blob.Close()
	data, err := io.ReadAll(blob)
	if err != nil {
		b.Fatal(err)
	}
	var img image.Image
	switch media.RenditionType(data) {
	case media.JPEG:
		img, err = jpeg.Decode(bytes.NewReader(data))
	case media.PNG:
		img, err = png.Decode(bytes.NewReader(data))
	case media.WebP:
		img, err = media.DecodeWebP(bytes.NewReader(data))
	case media.AVIF:
		img, err = avif.Decode(bytes.NewReader(data))
	}
	if err != nil {
		b.Fatal(err)
	}
	return img
}

// psnr is the peak signal-to-noise ratio of b against a over RGB, in dB.
func psnr(a, b image.Image) float64 {
	var se float64
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			for _, d := range []float64{float64(r1>>8) - float64(r2>>8), float64(g1>>8) - float64(g2>>8), float64(b1>>8) - float64(b2>>8)} {
				se += d * d
			}
			n += 3
		}
	}
	if se == 0 {
		return 99
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}
