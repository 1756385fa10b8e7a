package media

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"testing"

	"golang.org/x/image/webp"

	"github.com/heraldcms/herald/internal/media/hostile"
)

// stripBytes strips data of type mime, as Upload does for an original kept as is.
func stripBytes(mime string, data []byte) ([]byte, error) {
	var out bytes.Buffer
	var err error
	switch mime {
	case JPEG:
		err = stripJPEG(&out, bytes.NewReader(data))
	case PNG:
		err = stripPNG(&out, bytes.NewReader(data))
	case GIF:
		err = stripGIF(&out, bytes.NewReader(data))
	case WebP:
		err = stripWebP(&out, bytes.NewReader(data), int64(len(data)))
	}
	return out.Bytes(), err
}

func decodeAs(mime string, data []byte) (image.Image, error) {
	r := bytes.NewReader(data)
	switch mime {
	case JPEG:
		return jpeg.Decode(r)
	case PNG:
		return png.Decode(r)
	case GIF:
		return gif.Decode(r)
	case WebP:
		return webp.Decode(r)
	}
	return nil, io.ErrUnexpectedEOF
}

// samePixels reports whether a and b have the same bounds and colours.
func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

// TestStripHostile: the hostile files of every format (secrets in legacy, private and
// unknown chunks, in the spare bytes of kept headers, after the end) come out of the
// strippers without a secret, showing the same pixels, and stripping again changes nothing.
func TestStripHostile(t *testing.T) {
	for _, c := range []struct {
		mime string
		data []byte
	}{
		{PNG, hostile.PNG(40, 30)}, {JPEG, hostile.JPEG(40, 30)}, {GIF, hostile.GIF(40, 30)}, {WebP, hostile.WebP()},
	} {
		t.Run(c.mime, func(t *testing.T) {
			if hostile.Leak(c.data) == "" {
				t.Fatal("the fixture carries no secret")
			}
			in, err := decodeAs(c.mime, c.data)
			if err != nil {
				t.Fatalf("the hostile fixture does not decode: %v", err)
			}
			out, err := stripBytes(c.mime, c.data)
			if err != nil {
				t.Fatal(err)
			}
			if s := hostile.Leak(out); s != "" {
				t.Errorf("%q survived stripping", s)
			}
			got, err := decodeAs(c.mime, out)
			if err != nil {
				t.Fatalf("stripped file does not decode: %v", err)
			}
			if !samePixels(in, got) {
				t.Error("stripping changed the pixels")
			}
			again, err := stripBytes(c.mime, out)
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("stripping is not idempotent: %v", err)
			}
			switch c.mime {
			case JPEG:
				// SOI, then the bare JFIF header and the bare Adobe flag.
				if !bytes.HasPrefix(out, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x02\x01\x00\x48\x00\x48\x00\x00\xff\xee\x00\x0eAdobe\x00\x64\x00\x00\x00\x00\x01")) {
					t.Errorf("JFIF and Adobe not rebuilt: % x", out[:48])
				}
			case WebP:
				// VP8X flags without EXIF, XMP and reserved bits; reserved bytes zero.
				if !bytes.Equal(out[20:24], []byte{0, 0, 0, 0}) {
					t.Errorf("VP8X flags and reserved bytes % x", out[20:24])
				}
			}
		})
	}
}

// TestStripAllowList: chunks outside the allow-lists go whatever they are called, and the
// ones the issue lists stay.
func TestStripAllowList(t *testing.T) {
	base := hostile.PNG(4, 4)
	out, err := stripBytes(PNG, base)
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"exIf", "zxIf", "eXIf", "tEXt", "zTXt", "iTXt", "tIME", "prVt"} {
		if bytes.Contains(out, []byte(gone)) {
			t.Errorf("PNG chunk %s kept", gone)
		}
	}
	// Colour chunks survive.
	ihdrEnd := 8 + 25
	withColour := append(append(append([]byte{}, base[:ihdrEnd]...), hostile.PNGChunk("gAMA", []byte{0, 0, 0xb1, 0x8f})...), base[ihdrEnd:]...)
	withColour = append(append(withColour[:ihdrEnd+16:ihdrEnd+16], hostile.PNGChunk("pHYs", []byte{0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1})...), withColour[ihdrEnd+16:]...)
	out, err = stripBytes(PNG, withColour)
	if err != nil || !bytes.Contains(out, []byte("gAMA")) || !bytes.Contains(out, []byte("pHYs")) {
		t.Errorf("gAMA and pHYs must stay: %v", err)
	}
	// A WebP ANMF frame keeps only its image chunks.
	frame := append(make([]byte, 16), hostile.WebPChunk("VP8L", []byte("\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07"))...)
	frame = append(frame, hostile.WebPChunk("XYZW", []byte(hostile.GPS))...)
	anim := hostile.WebPFile(hostile.WebPChunk("VP8X", []byte{0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
		hostile.WebPChunk("ANIM", append([]byte{0, 0, 0, 0, 0, 0}, hostile.Serial...)), hostile.WebPChunk("ANMF", frame))
	out, err = stripBytes(WebP, anim)
	if err != nil || hostile.Leak(out) != "" || !bytes.Contains(out, []byte("VP8L")) || !bytes.Contains(out, []byte("ANMF")) {
		t.Errorf("animated WebP: %v, leak %q", err, hostile.Leak(out))
	}
}

// TestStripRefusesGarbage: a wrong signature or a broken structure is an error, not a copy.
func TestStripRefusesGarbage(t *testing.T) {
	for _, mime := range []string{JPEG, PNG, GIF, WebP} {
		if _, err := stripBytes(mime, []byte("not an image at all, just text")); err == nil {
			t.Errorf("%s: garbage accepted", mime)
		}
	}
	png := hostile.PNG(4, 4)
	if _, err := stripBytes(PNG, png[:len(png)/2]); err == nil {
		t.Error("truncated PNG accepted")
	}
}
