package media

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/media/hostile"
)

// TestFootprintCoversDecoding: for every image type the standard decoders return, the
// estimate from the header covers what decoding really allocates, without wildly
// overstating it.
func TestFootprintCoversDecoding(t *testing.T) {
	const w, h = 900, 700
	rect := image.Rect(0, 0, w, h)
	fill := func(img interface{ Set(x, y int, c color.Color) }) {
		for y := range h {
			for x := range w {
				img.Set(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x ^ y), uint8(128 + x%100)})
			}
		}
	}
	enc := func(typ string, img image.Image) []byte {
		var buf bytes.Buffer
		var err error
		switch typ {
		case PNG:
			err = png.Encode(&buf, img)
		case JPEG:
			err = jpeg.Encode(&buf, img, nil)
		case GIF:
			err = gif.Encode(&buf, img, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	gray, gray16, rgba, nrgba, nrgba64 := image.NewGray(rect), image.NewGray16(rect), image.NewRGBA(rect), image.NewNRGBA(rect), image.NewNRGBA64(rect)
	for _, img := range []interface{ Set(x, y int, c color.Color) }{gray, gray16, rgba, nrgba, nrgba64} {
		fill(img)
	}
	opaque := image.NewRGBA(rect)
	fill(opaque)
	for i := 3; i < len(opaque.Pix); i += 4 {
		opaque.Pix[i] = 255
	}
	pal := image.NewPaletted(rect, []color.Color{color.Black, color.White})
	cases := []struct {
		name, typ string
		data      []byte
	}{
		{"png gray", PNG, enc(PNG, gray)}, {"png gray16", PNG, enc(PNG, gray16)}, {"png rgb", PNG, enc(PNG, opaque)},
		{"png rgba", PNG, enc(PNG, nrgba)}, {"png rgba16", PNG, enc(PNG, nrgba64)}, {"png paletted", PNG, enc(PNG, pal)},
		{"jpeg 4:2:0", JPEG, enc(JPEG, opaque)}, {"jpeg gray", JPEG, enc(JPEG, gray)}, {"gif", GIF, enc(GIF, pal)},
	}
	for _, c := range cases {
		fp, err := MeasureImage(bytes.NewReader(c.data), c.typ)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if fp.Width != w || fp.Height != h {
			t.Errorf("%s: %d×%d", c.name, fp.Width, fp.Height)
		}
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := decodeAs(c.typ, c.data); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		alloc := int64(after.TotalAlloc - before.TotalAlloc)
		// The decoders' own buffers (bufio, zlib, Huffman tables) are not pixels: allow 512 KB.
		if fp.Bytes+512<<10 < alloc || fp.Bytes > 3*alloc {
			t.Errorf("%s: estimated %d bytes, decoding allocated %d", c.name, fp.Bytes, alloc)
		}
	}
}

// TestFootprintOfTheIssuesPNG: the 311 KB 16-bit PNG of 6320×6324 is under the pixel
// limit but costs 320 MB decoded; its estimate says so, from the header alone.
func TestFootprintOfTheIssuesPNG(t *testing.T) {
	data := hostile.PNG16(6320, 6324)
	if len(data) > 400<<10 {
		t.Fatalf("fixture is %d bytes", len(data))
	}
	fp, err := MeasureImage(bytes.NewReader(data), PNG)
	if err != nil {
		t.Fatal(err)
	}
	if fp.Pixels() >= DefaultMaxPixels || fp.Bytes != 6320*6324*8 {
		t.Errorf("footprint %+v", fp)
	}
	if need := fp.Bytes + processingBytes(fp.Width, fp.Height, 1); need <= DefaultMaxDecodedBytes {
		t.Errorf("need %d fits the default budget", need)
	}
}

// TestFootprintFrameLargerThanCanvas: a WebP whose VP8X declares 1×1 around a frame that
// declares 16000×16000 is measured by the frame.
func TestFootprintFrameLargerThanCanvas(t *testing.T) {
	bits := uint32(16000-1) | uint32(16000-1)<<14
	vp8l := []byte{0x2f, byte(bits), byte(bits >> 8), byte(bits >> 16), byte(bits >> 24), 0, 0, 0, 0, 0}
	data := hostile.WebPFile(hostile.WebPChunk("VP8X", make([]byte, 10)), hostile.WebPChunk("VP8L", vp8l))
	fp, err := MeasureImage(bytes.NewReader(data), WebP)
	if err != nil {
		t.Fatal(err)
	}
	if fp.Width != 16000 || fp.Height != 16000 {
		t.Errorf("footprint %+v", fp)
	}
	for _, bad := range [][]byte{nil, []byte("RIFF\x00\x00\x00\x00WEBP"), hostile.PNG(2, 2)[:20]} {
		if _, err := MeasureImage(bytes.NewReader(bad), WebP); err == nil {
			t.Errorf("%q measured", bad)
		}
	}
}

// TestPoolBounds: jobs never exceed the workers or the memory budget together; a job
// larger than the budget is refused at once, and one that cannot start in time is ErrBusy.
func TestPoolBounds(t *testing.T) {
	p := NewPool(2, 100, 2*time.Second)
	var be *BudgetError
	if _, err := p.Acquire(context.Background(), Footprint{Width: 10, Height: 10}, 101); !errors.As(err, &be) || be.Width != 10 {
		t.Fatalf("over budget: %v", err)
	}
	var running, bytesInUse, maxRunning, maxBytes atomic.Int64
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			need := int64(30 + 10*(i%3))
			release, err := p.Acquire(context.Background(), Footprint{}, need)
			if err != nil {
				t.Error(err)
				return
			}
			r, b := running.Add(1), bytesInUse.Add(need)
			for old := maxRunning.Load(); r > old && !maxRunning.CompareAndSwap(old, r); old = maxRunning.Load() {
			}
			for old := maxBytes.Load(); b > old && !maxBytes.CompareAndSwap(old, b); old = maxBytes.Load() {
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
			bytesInUse.Add(-need)
			release()
		})
	}
	wg.Wait()
	if maxRunning.Load() > 2 || maxBytes.Load() > 100 {
		t.Errorf("at most %d jobs and %d bytes at once", maxRunning.Load(), maxBytes.Load())
	}

	// Both workers held: the next job waits its time, then is ErrBusy; a cancelled one
	// returns at once.
	short := NewPool(1, 100, 30*time.Millisecond)
	release, err := short.Acquire(context.Background(), Footprint{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := short.Acquire(context.Background(), Footprint{}, 10); !errors.Is(err, ErrBusy) {
		t.Errorf("held pool: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := short.Acquire(ctx, Footprint{}, 10); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	release()
	if r, err := short.Acquire(context.Background(), Footprint{}, 100); err != nil {
		t.Errorf("after release: %v", err)
	} else {
		r()
	}
}

// FuzzMeasureImage: any bytes are measured or refused without a panic, and a measured
// image has a positive size and cost.
func FuzzMeasureImage(f *testing.F) {
	for _, s := range [][]byte{hostile.JPEG(8, 8), hostile.PNG(8, 8), hostile.GIF(8, 8), hostile.WebP()} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, typ := range []string{JPEG, PNG, GIF, WebP} {
			fp, err := MeasureImage(bytes.NewReader(data), typ)
			if err == nil && (fp.Width <= 0 || fp.Height <= 0 || fp.Bytes <= 0) {
				t.Fatalf("%s: %+v", typ, fp)
			}
		}
	})
}
