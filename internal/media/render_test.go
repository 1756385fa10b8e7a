package media

import (
	"bytes"
	"image"
	"testing"

	gwebp "github.com/gen2brain/webp"
)

// TestPlan: the geometry of each fit, never upscaled, crops around the focal point and
// clamped to the image.
func TestPlan(t *testing.T) {
	fp := func(x, y float64) *FocalPoint { return &FocalPoint{X: x, Y: y} }
	for _, c := range []struct {
		name       string
		w, h       int
		t          Transform
		crop       image.Rectangle
		sw, sh     int
		outW, outH int
	}{
		{"width only", 4000, 3000, Transform{Width: 640}, image.Rect(0, 0, 4000, 3000), 640, 480, 640, 480},
		{"height only", 4000, 3000, Transform{Height: 360}, image.Rect(0, 0, 4000, 3000), 480, 360, 480, 360},
		{"inside box", 4000, 3000, Transform{Width: 640, Height: 360, Fit: Inside}, image.Rect(0, 0, 4000, 3000), 480, 360, 480, 360},
		{"no upscale", 900, 600, Transform{Width: 1600}, image.Rect(0, 0, 900, 600), 900, 600, 900, 600},
		{"contain pads", 4000, 3000, Transform{Width: 640, Height: 360, Fit: Contain}, image.Rect(0, 0, 4000, 3000), 480, 360, 640, 360},
		{"contain larger box shrinks", 900, 1200, Transform{Width: 2400, Height: 1600, Fit: Contain}, image.Rect(0, 0, 900, 1200), 900, 1200, 1800, 1200},
		{"cover centred", 4000, 3000, Transform{Width: 640, Height: 360, Fit: Cover}, image.Rect(0, 375, 4000, 2625), 640, 360, 640, 360},
		{"cover focal", 1000, 500, Transform{Width: 320, Height: 320, Fit: Cover, Focal: fp(0.85, 0.5)}, image.Rect(500, 0, 1000, 500), 320, 320, 320, 320},
		{"cover focal clamped top left", 1000, 500, Transform{Width: 320, Height: 320, Fit: Cover, Focal: fp(0, 0)}, image.Rect(0, 0, 500, 500), 320, 320, 320, 320},
		{"cover larger box shrinks", 900, 1200, Transform{Width: 1920, Height: 1080, Fit: Cover}, image.Rect(0, 347, 900, 853), 900, 506, 900, 506},
	} {
		g := plan(c.w, c.h, c.t)
		if g.crop != c.crop || g.scaledW != c.sw || g.scaledH != c.sh || g.outW != c.outW || g.outH != c.outH {
			t.Errorf("%s: %+v, want crop %v scaled %dx%d out %dx%d", c.name, g, c.crop, c.sw, c.sh, c.outW, c.outH)
		}
	}
}

func TestRenditionKeys(t *testing.T) {
	sum := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	k := Transform{Width: 640, Height: 360, Fit: Cover, Format: AVIF, Quality: 55, Focal: &FocalPoint{X: 0.3, Y: 0.07}}.key(sum)
	if k != sum+"/r640x360-cover-f30x7-q55.avif" || !ValidKey(k) || !IsRendition(k) || TypeOfKey(k) != AVIF {
		t.Errorf("key %q", k)
	}
	for _, bad := range []string{sum + "/r640x360-fill-q55.avif", sum + "/r640x360-cover-q55.gif", sum + "/r../x.jpg", sum + "/original.avif"} {
		if ValidKey(bad) {
			t.Errorf("%q is valid", bad)
		}
	}
	if IsRendition(sum + "/original.jpg") {
		t.Error("an original is a rendition")
	}
}

// TestDecodeWebPColours: a lossy WebP decodes to the colours encoded (x/image/webp's YCbCr
// read as full range drifts them by several levels).
func TestDecodeWebPColours(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := 0; i < len(img.Pix); i += 4 {
		p := i / 4
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(p%64*4), uint8(p/64*4), 160, 255
	}
	var buf bytes.Buffer
	if err := gwebp.Encode(&buf, img, gwebp.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	out, err := DecodeWebP(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var sum [3]float64
	for y := range 64 {
		for x := range 64 {
			r1, g1, b1, _ := img.At(x, y).RGBA()
			r2, g2, b2, _ := out.At(x, y).RGBA()
			sum[0] += float64(r2>>8) - float64(r1>>8)
			sum[1] += float64(g2>>8) - float64(g1>>8)
			sum[2] += float64(b2>>8) - float64(b1>>8)
		}
	}
	for i, s := range sum {
		if m := s / (64 * 64); m > 1 || m < -1 {
			t.Errorf("channel %d drifts by %.2f levels on average", i, m)
		}
	}
}
