package media

import (
	"image"
	"image/color"
	"testing"
)

// TestOrient: the stored top-left pixel lands where EXIF says the viewer sees it.
func TestOrient(t *testing.T) {
	const w, h = 3, 2
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	src.Set(0, 0, color.RGBA{255, 0, 0, 255})
	want := map[int]image.Point{1: {0, 0}, 2: {w - 1, 0}, 3: {w - 1, h - 1}, 4: {0, h - 1},
		5: {0, 0}, 6: {h - 1, 0}, 7: {h - 1, w - 1}, 8: {0, w - 1}}
	for o, p := range want {
		got := orient(src, o)
		b := got.Bounds()
		if (o >= 5) != (b.Dx() == h) {
			t.Errorf("orientation %d: size %v", o, b.Size())
		}
		if r, _, _, _ := got.At(p.X, p.Y).RGBA(); r != 0xffff {
			t.Errorf("orientation %d: top-left pixel not at %v", o, p)
		}
	}
}

func TestExifOrientation(t *testing.T) {
	le := []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00\x00")
	be := []byte("Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x08\x00\x00\x00\x00\x00\x00")
	for name, c := range map[string]struct {
		seg  []byte
		want int
	}{"little-endian": {le, 6}, "big-endian": {be, 8}, "truncated": {le[:16], 0}, "not exif": {[]byte("http://ns.adobe.com/xap/1.0/"), 0},
		"bad offset": {[]byte("Exif\x00\x00II*\x00\xff\xff\x00\x00"), 0}} {
		if got := exifOrientation(c.seg); got != c.want {
			t.Errorf("%s: %d, want %d", name, got, c.want)
		}
	}
}

func TestCleanFilename(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd": "passwd", `C:\Users\me\photo.jpg`: "photo.jpg", "a\"b\x00c.jpg": "abc.jpg", "": "", "/": "",
	} {
		if got := cleanFilename(in); got != want {
			t.Errorf("cleanFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
