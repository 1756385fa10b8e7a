package media

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"

	xdraw "golang.org/x/image/draw"
)

// Quality settings of re-encoded JPEGs: variants are for screens; an original is
// re-encoded only when its orientation had to be applied.
const (
	variantJPEGQuality  = 82
	originalJPEGQuality = 92
)

// encoded is one variant's bytes.
type encoded struct {
	name, mime string
	w, h       int
	data       []byte
}

// variantType is the format variants of an original of type mime are written in: the
// original's own, except WebP (Go has no maintained pure-Go lossy WebP encoder), whose
// variants are JPEG, or PNG when the image has transparency.
func variantType(mime string, img image.Image) string {
	if mime != WebP {
		return mime
	}
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		return JPEG
	}
	return PNG
}

// makeVariants resizes img (already upright) to every size narrower than it, each from the
// previous one so the expensive pass over the full image happens once.
func makeVariants(img image.Image, mime string) ([]encoded, error) {
	out := []encoded{}
	typ := variantType(mime, img)
	src := img
	for i := len(Sizes) - 1; i >= 0; i-- {
		sz := Sizes[i]
		if sz.Width >= img.Bounds().Dx() {
			continue
		}
		dst := shrink(src, sz.Width)
		data, err := encode(dst, typ, variantJPEGQuality)
		if err != nil {
			return nil, err
		}
		out = append(out, encoded{name: sz.Name, mime: typ, w: dst.Bounds().Dx(), h: dst.Bounds().Dy(), data: data})
		src = dst
	}
	return out, nil
}

func encode(img image.Image, typ string, quality int) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch typ {
	case JPEG:
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	case PNG:
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img)
	case GIF:
		err = gif.Encode(&buf, img, &gif.Options{NumColors: 256})
	}
	return buf.Bytes(), err
}

// shrink scales src to width w keeping the aspect ratio: a box filter first takes it down
// by a whole factor in one streaming pass (cheap, no aliasing, no full-size copy), then a
// small interpolating step reaches the exact width, from src itself when the factor is 1.
// x/image/draw's kernels allocate a dst-width × src-height buffer of four float64s, so the
// kernel runs only when that buffer is small.
func shrink(src image.Image, w int) *image.RGBA {
	b := src.Bounds()
	return shrinkTo(src, w, max(1, (b.Dy()*w+b.Dx()/2)/b.Dx()))
}

// shrinkTo scales src to exactly w×h (renditions: a crop's size is rounded on its own).
func shrinkTo(src image.Image, w, h int) *image.RGBA {
	b := src.Bounds()
	box := src
	if f := min(b.Dx()/w, b.Dy()/h); f > 1 {
		bx := boxShrink(src, f)
		if bx.Bounds().Dx() == w && bx.Bounds().Dy() == h {
			return bx
		}
		box = bx
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	var k xdraw.Interpolator = xdraw.CatmullRom
	if w*box.Bounds().Dy() > kernelMaxCells {
		k = xdraw.ApproxBiLinear
	}
	k.Scale(dst, dst.Bounds(), box, box.Bounds(), xdraw.Src, nil)
	return dst
}

// drawOver composites src over dst's rectangle r.
func drawOver(dst *image.RGBA, r image.Rectangle, src image.Image) {
	xdraw.Draw(dst, r, src, src.Bounds().Min, xdraw.Over)
}

// kernelMaxCells bounds the CatmullRom kernel's buffer (32 bytes a cell).
const kernelMaxCells = 1 << 20

// processingBytes estimates the memory processing a decoded w×h image takes besides the
// decoded image: the upright copy when the orientation turns it, and for each variant the
// box-filtered image, the kernel's buffer and the result.
func processingBytes(w, h, orientation int) int64 {
	var n int64
	if orientation > 1 && orientation <= 8 {
		n += 4 * int64(w) * int64(h)
		if orientation >= 5 {
			w, h = h, w
		}
	}
	for i := len(Sizes) - 1; i >= 0; i-- {
		s := Sizes[i].Width
		if s >= w {
			continue
		}
		hs := max(1, (h*s+w/2)/w)
		bh := h
		if f := w / s; f > 1 {
			bh = h / f
			n += 4 * int64(w/f) * int64(bh)
			if w/f == s && bh == hs {
				w, h = s, hs // the box filter alone reached the size
				continue
			}
		}
		if s*bh <= kernelMaxCells {
			n += 32 * int64(s) * int64(bh)
		}
		n += 4 * int64(s) * int64(hs)
		w, h = s, hs
	}
	return n
}

// boxShrink averages f×f blocks of src (f > 1), converting one source row at a time.
func boxShrink(src image.Image, f int) *image.RGBA {
	b := src.Bounds()
	dw, dh := b.Dx()/f, b.Dy()/f
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	row := image.NewRGBA(image.Rect(0, 0, b.Dx(), 1))
	acc := make([]uint32, dw*4)
	n := uint32(f * f)
	for dy := range dh {
		clear(acc)
		for k := range f {
			y := b.Min.Y + dy*f + k
			xdraw.Draw(row, row.Bounds(), src, image.Pt(b.Min.X, y), xdraw.Src)
			p := row.Pix
			for dx := range dw {
				a := acc[dx*4 : dx*4+4]
				for j := range f {
					s := p[(dx*f+j)*4 : (dx*f+j)*4+4]
					a[0] += uint32(s[0])
					a[1] += uint32(s[1])
					a[2] += uint32(s[2])
					a[3] += uint32(s[3])
				}
			}
		}
		out := dst.Pix[dy*dst.Stride : dy*dst.Stride+dw*4]
		for i, v := range acc {
			out[i] = uint8((v + n/2) / n)
		}
	}
	return dst
}
