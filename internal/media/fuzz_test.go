package media

import (
	"bytes"
	"image"
	"testing"

	"github.com/heraldcms/herald/internal/media/hostile"
)

// Fuzz tests for every parser of untrusted bytes in this package. Each starts from the
// hostile files of the metadata tests and checks what must hold for any input: no panic,
// and for the strippers, that a result strips to itself and that whatever decoded before
// decodes after with the same pixels. `make fuzz` runs each briefly; CI runs it.

// maxFuzzPixels keeps the pixel comparison cheap on what the fuzzer finds.
const maxFuzzPixels = 1 << 16

func fuzzStrip(f *testing.F, mime string, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := stripBytes(mime, data)
		if err != nil {
			return
		}
		again, err := stripBytes(mime, out)
		if err != nil {
			t.Fatalf("the stripped file does not strip again: %v", err)
		}
		if !bytes.Equal(again, out) {
			t.Fatal("stripping is not idempotent")
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > maxFuzzPixels {
			return
		}
		in, err := decodeAs(mime, data)
		if err != nil {
			return
		}
		got, err := decodeAs(mime, out)
		if err != nil {
			t.Fatalf("decoded before stripping, not after: %v", err)
		}
		if !samePixels(in, got) {
			t.Fatal("stripping changed the pixels")
		}
	})
}

func FuzzStripJPEG(f *testing.F) {
	fuzzStrip(f, JPEG, hostile.JPEG(16, 16), hostile.JPEG(3, 2))
}

func FuzzStripPNG(f *testing.F) {
	fuzzStrip(f, PNG, hostile.PNG(16, 16), hostile.PNG(1, 3))
}

func FuzzStripGIF(f *testing.F) {
	fuzzStrip(f, GIF, hostile.GIF(16, 16), hostile.GIF(2, 1))
}

func FuzzStripWebP(f *testing.F) {
	fuzzStrip(f, WebP, hostile.WebP())
}

// FuzzJPEGOrientation: any bytes give an orientation from 1 to 8.
func FuzzJPEGOrientation(f *testing.F) {
	f.Add(hostile.JPEG(8, 8))
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x22Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(bytes.NewReader(data)); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

// FuzzSniff: the sniffed type of any bytes is an accepted one or none, and SVG is never a type.
func FuzzSniff(f *testing.F) {
	for _, s := range [][]byte{hostile.JPEG(2, 2), hostile.PNG(2, 2), hostile.GIF(2, 2), hostile.WebP(), []byte("%PDF-1.4"), []byte(" <svg>")} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		mime, svg := sniff(data)
		if _, ok := Extensions[mime]; mime != "" && !ok || svg && mime != "" {
			t.Fatalf("sniff: %q, svg %v", mime, svg)
		}
	})
}

// FuzzScanPolyglot: any bytes are scanned without a panic, and a planted marker is found
// wherever it sits.
func FuzzScanPolyglot(f *testing.F) {
	f.Add(hostile.JPEG(4, 4), uint16(3))
	f.Fuzz(func(t *testing.T, data []byte, at uint16) {
		_ = scanPolyglot(bytes.NewReader(data))
		pos := int(at) % (len(data) + 1)
		planted := append(append(append([]byte{}, data[:pos]...), "<ScRiPt"...), data[pos:]...)
		if scanPolyglot(bytes.NewReader(planted)) == nil {
			t.Fatal("a script marker was not found")
		}
	})
}
