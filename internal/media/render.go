package media

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gen2brain/avif"
	gwebp "github.com/gen2brain/webp"
	"golang.org/x/image/webp"
	"golang.org/x/sync/singleflight"

	"github.com/heraldcms/herald/internal/errs"
)

// AVIF is the type of AVIF renditions (never accepted as an upload).
const AVIF = "image/avif"

// Fit says how a rendition fills a requested box.
type Fit string

const (
	// Inside scales the image to fit within the box, keeping its aspect ratio (the default).
	Inside Fit = "inside"
	// Contain scales it to fit within the box and pads it to the box's exact size
	// (transparent, or white in JPEG).
	Contain Fit = "contain"
	// Cover scales it to fill the box and crops what overflows, keeping the focal point in
	// frame.
	Cover Fit = "cover"
)

// FocalPoint is the point of an image that crops keep in frame, as fractions of its width
// and height from the top left (0.5, 0.5 is the centre). Stored to two decimals.
type FocalPoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Valid reports whether both coordinates lie in [0, 1].
func (f FocalPoint) Valid() bool { return f.X >= 0 && f.X <= 1 && f.Y >= 0 && f.Y <= 1 }

// Rounded is f to two decimals, the precision keys and URLs carry.
func (f FocalPoint) Rounded() FocalPoint {
	return FocalPoint{X: math.Round(f.X*100) / 100, Y: math.Round(f.Y*100) / 100}
}

// String is f as the fp query parameter spells it: "0.30,0.70".
func (f FocalPoint) String() string {
	return strconv.FormatFloat(f.X, 'f', 2, 64) + "," + strconv.FormatFloat(f.Y, 'f', 2, 64)
}

// Defaults of rendition settings, chosen from BenchmarkRenditionQuality12MP (make
// bench-media; a 1280-wide rendition of a 12 MP photo, PSNR against the lossless one): JPEG
// at 80 is 45.8 dB and 53 KB; WebP reaches 44.5 dB at 85 (20 KB, 37 %), AVIF 45.5 dB at
// 60 (8.6 KB, 16 %), so those are the defaults. WebP's method 2 took a third of method
// 4's time for 3 % more bytes; AVIF's speed 8 was as small as speed 6 and several times
// faster (AVIF still takes seconds: see AVIFMaxPixels).
var (
	DefaultWidths    = []int{160, 320, 480, 640, 768, 1024, 1280, 1600, 1920, 2400}
	DefaultHeights   = []int{90, 120, 160, 180, 240, 270, 320, 360, 480, 540, 640, 720, 768, 900, 1024, 1080, 1280, 1440, 1600, 1920, 2400}
	DefaultQualities = []int{40, 50, 60, 70, 75, 80, 85, 90}
	// DefaultQuality is the quality of a rendition without q, per format.
	DefaultQuality = map[string]int{JPEG: 80, WebP: 85, AVIF: 60}
)

// Encoder settings and costs, measured on the 2-core development machine.
const (
	webpMethod = 2
	avifSpeed  = 8
	// libavif and libwebp in WebAssembly take this much memory per output pixel while
	// encoding (peak heap over the image itself, BenchmarkRendition12MP).
	avifBytesPerPixel = 130
	webpBytesPerPixel = 24
	// DefaultAVIFMaxPixels bounds AVIF renditions: larger ones are WebP (their
	// Content-Type says so), since an AVIF of 2400×1800 needs some 560 MB to encode.
	DefaultAVIFMaxPixels = 1_600_000
)

// Renditions configures on-demand renditions: the allow-lists that bound how many files
// one original can have.
type Renditions struct {
	Widths, Heights, Qualities []int
	// AVIFMaxPixels: above it AVIF requests get WebP (HERALD_MEDIA_AVIF_MAX_PIXELS).
	AVIFMaxPixels int
}

func (r *Renditions) defaults() {
	if len(r.Widths) == 0 {
		r.Widths = DefaultWidths
	}
	if len(r.Heights) == 0 {
		r.Heights = DefaultHeights
	}
	if len(r.Qualities) == 0 {
		r.Qualities = DefaultQualities
	}
	if r.AVIFMaxPixels <= 0 {
		r.AVIFMaxPixels = DefaultAVIFMaxPixels
	}
}

// Transform is a rendition request: a box (0 leaves a side to the aspect ratio), a fit, a
// format ("" keeps the original's, GIF becoming PNG), a quality (0: the format's default)
// and, for crops, a focal point that must be one an item of these bytes has.
type Transform struct {
	Width, Height int
	Fit           Fit
	Format        string
	Quality       int
	Focal         *FocalPoint
}

// Rendition is a stored rendition, open: close Blob when done.
type Rendition struct {
	Key  string
	MIME string
	Blob Blob
}

var renditionPattern = `r\d{1,4}x\d{1,4}-(inside|contain|cover)(-f\d{1,3}x\d{1,3})?-q\d{1,3}\.(jpg|png|webp|avif)`

// IsRendition reports whether key names a rendition (not an original or a fixed variant).
func IsRendition(key string) bool {
	i := strings.IndexByte(key, '/')
	return i > 0 && strings.HasPrefix(key[i+1:], "r") && ValidKey(key)
}

// renderer holds what on-demand renditions share: the settings and the flights of renders
// in progress, one per key.
type renderer struct {
	cfg    Renditions
	flight singleflight.Group
}

func listed(v int, allowed []int) bool { return slices.Contains(allowed, v) }

func joinInts(vs []int) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ", ")
}

// Renditions is the rendition settings (api lists them in srcsets and problems).
func (s *Service) Renditions() Renditions { return s.render.cfg }

// check validates t against the allow-lists and fills its defaults for an original of
// type mime.
func (s *Service) check(t Transform, mime string) (Transform, error) {
	cfg := s.render.cfg
	var fs []errs.FieldError
	if t.Width != 0 && !listed(t.Width, cfg.Widths) {
		fs = append(fs, errs.Field("w", "must be one of "+joinInts(cfg.Widths)))
	}
	if t.Height != 0 && !listed(t.Height, cfg.Heights) {
		fs = append(fs, errs.Field("h", "must be one of "+joinInts(cfg.Heights)))
	}
	if t.Quality != 0 && !listed(t.Quality, cfg.Qualities) {
		fs = append(fs, errs.Field("q", "must be one of "+joinInts(cfg.Qualities)))
	}
	switch t.Fit {
	case "":
		t.Fit = Inside
	case Inside, Contain, Cover:
	default:
		fs = append(fs, errs.Field("fit", "must be one of cover, contain, inside"))
	}
	if t.Width == 0 && t.Height == 0 {
		fs = append(fs, errs.Field("w", "w or h is required to transform an image"))
	}
	if t.Focal != nil && t.Fit != Cover {
		fs = append(fs, errs.Field("fp", "applies only to fit=cover"))
	}
	if t.Focal != nil && !t.Focal.Valid() {
		fs = append(fs, errs.Field("fp", "must be x,y with both in 0..1"))
	}
	switch t.Format {
	case "":
		t.Format = mime
		if mime == GIF {
			t.Format = PNG
		}
	case JPEG, PNG, WebP, AVIF:
	default:
		fs = append(fs, errs.Field("fm", "must be one of jpeg, png, webp, avif, auto"))
	}
	if len(fs) > 0 {
		return t, errs.InvalidFields(fs...)
	}
	if t.Width == 0 || t.Height == 0 {
		// One side: nothing is cropped or padded, whatever the fit (one key for all).
		t.Fit = Inside
	}
	if t.Fit == Inside {
		t.Focal = nil
	}
	if t.Quality == 0 {
		t.Quality = DefaultQuality[t.Format]
	}
	if t.Format == PNG {
		t.Quality = 100 // lossless: no quality, one key
	}
	if t.Focal != nil {
		r := t.Focal.Rounded()
		t.Focal = &r
	}
	return t, nil
}

var renditionExt = map[string]string{JPEG: "jpg", PNG: "png", WebP: "webp", AVIF: "avif"}

// key is where the rendition t of the original with SHA-256 sum is stored. It names what
// was asked, so computing it needs no read of the original.
func (t Transform) key(sum string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s/r%dx%d-%s", sum, t.Width, t.Height, t.Fit)
	if t.Focal != nil {
		fmt.Fprintf(&b, "-f%dx%d", int(math.Round(t.Focal.X*100)), int(math.Round(t.Focal.Y*100)))
	}
	fmt.Fprintf(&b, "-q%d.%s", t.Quality, renditionExt[t.Format])
	return b.String()
}

// Render returns the rendition t of the stored original at key (it must be an original),
// rendering and storing it first when it does not exist. Concurrent calls for the same
// rendition in this process render it once; instances that race write the same bytes to
// the same key. Rendering waits for the shared Pool and its memory budget (ErrBusy,
// *BudgetError). The rendition is never larger than the original: a box wider or taller
// than the original shrinks (keeping its aspect ratio) until it fits.
func (s *Service) Render(ctx context.Context, original string, t Transform) (Rendition, error) {
	sum, file, _ := strings.Cut(original, "/")
	if !ValidKey(original) || !strings.HasPrefix(file, "original.") {
		return Rendition{}, ErrNotFound
	}
	mime := TypeOfKey(original)
	if mime == PDF {
		return Rendition{}, errs.InvalidFields(errs.Field("w", "documents cannot be transformed"))
	}
	t, err := s.check(t, mime)
	if err != nil {
		return Rendition{}, err
	}
	key := t.key(sum)
	if b, err := s.blobs.Open(ctx, key); err == nil { // the common case: one read
		return Rendition{Key: key, MIME: storedType(t.Format, b), Blob: b}, nil
	}
	// The focal point is checked only before rendering: a stored rendition was valid.
	if t.Focal != nil {
		fps, err := s.store.FocalPoints(ctx, sum)
		if err != nil {
			return Rendition{}, err
		}
		if !slices.Contains(fps, *t.Focal) {
			return Rendition{}, errs.InvalidFields(errs.Field("fp", "must be the focal point of a media item of this file (see focal_point)"))
		}
	}
	_, err, _ = s.render.flight.Do(key, func() (any, error) {
		if b, err := s.blobs.Open(ctx, key); err == nil { // rendered by the flight that just ended
			return nil, b.Close()
		}
		return nil, s.renderNew(context.WithoutCancel(ctx), original, mime, t, key)
	})
	if err != nil {
		return Rendition{}, err
	}
	b, err := s.blobs.Open(ctx, key)
	if err != nil {
		return Rendition{}, err
	}
	return Rendition{Key: key, MIME: storedType(t.Format, b), Blob: b}, nil
}

// storedType is the type of the rendition in b: as asked, except that an AVIF key may
// hold WebP (over AVIFMaxPixels), which its first bytes tell.
func storedType(asked string, b Blob) string {
	if asked != AVIF {
		return asked
	}
	var head [16]byte
	n, _ := io.ReadFull(b, head[:])
	if _, err := b.Seek(0, io.SeekStart); err != nil {
		return asked
	}
	return RenditionType(head[:n])
}

// renderNew decodes the original, transforms, encodes and stores the rendition. It runs detached from the first caller's cancellation, since
// other callers may wait for it.
func (s *Service) renderNew(ctx context.Context, original, mime string, t Transform, key string) error {
	blob, err := s.blobs.Open(ctx, original)
	if err != nil {
		return err
	}
	defer blob.Close()
	fp, err := MeasureImage(blob, mime)
	if err != nil {
		return err
	}
	if px := fp.Pixels(); px > s.cfg.MaxPixels {
		return &ImageError{Reason: fmt.Sprintf("the original declares %d×%d pixels; the limit is %d", fp.Width, fp.Height, s.cfg.MaxPixels)}
	}
	g := plan(fp.Width, fp.Height, t)
	typ, quality := t.Format, t.Quality
	if typ == AVIF && g.outW*g.outH > s.render.cfg.AVIFMaxPixels {
		typ, quality = WebP, DefaultQuality[WebP] // AVIF's scale of quality is not WebP's
	}
	release, err := s.cfg.Pool.Acquire(ctx, fp, fp.Bytes+renderBytes(fp, g, typ))
	if err != nil {
		return err
	}
	defer release()
	if _, err := blob.Seek(0, io.SeekStart); err != nil {
		return err
	}
	br := bufio.NewReaderSize(blob, 64<<10)
	var img image.Image
	switch mime {
	case JPEG:
		img, err = jpeg.Decode(br)
	case PNG:
		img, err = png.Decode(br)
	case GIF:
		img, err = gif.Decode(br)
	case WebP:
		img, err = DecodeWebP(br)
	}
	if err != nil {
		return &ImageError{Reason: "the stored original cannot be decoded: " + err.Error()}
	}
	out := apply(img, g, typ)
	data, err := encodeRendition(out, typ, quality)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	// A rendition the encoder wrote in another format than asked lives under the asked
	// key: its Content-Type comes from the bytes (api sniffs nothing; see RenditionType).
	if err := s.blobs.Put(ctx, key, bytes.NewReader(data), int64(len(data)), typ); err != nil {
		return storageErr(err)
	}
	return nil
}

// RenditionType is the type of the stored rendition bytes head (AVIF renditions over
// AVIFMaxPixels are WebP).
func RenditionType(head []byte) string {
	switch {
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return WebP
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		return AVIF
	case len(head) >= 3 && head[0] == 0xFF && head[1] == 0xD8:
		return JPEG
	case len(head) >= 8 && string(head[:8]) == "\x89PNG\r\n\x1a\n":
		return PNG
	}
	return "application/octet-stream"
}

// geometry is what a transform does to a w×h original: crop the rectangle crop of it,
// scale that to scaledW×scaledH and place it on an outW×outH canvas (padding for contain).
type geometry struct {
	crop             image.Rectangle
	scaledW, scaledH int
	outW, outH       int
}

func round(f float64) int { return max(1, int(math.Round(f))) }

// plan computes the geometry of t on a w×h original, never upscaling: a box larger than
// the original on the side that decides shrinks by the same factor on both sides.
func plan(w, h int, t Transform) geometry {
	g := geometry{crop: image.Rect(0, 0, w, h)}
	bw, bh := float64(t.Width), float64(t.Height)
	fw, fh := float64(w), float64(h)
	if t.Width == 0 || t.Height == 0 || t.Fit == Inside {
		s := math.Inf(1)
		if t.Width > 0 {
			s = bw / fw
		}
		if t.Height > 0 {
			s = min(s, bh/fh)
		}
		s = min(s, 1)
		g.scaledW, g.scaledH = round(fw*s), round(fh*s)
		g.outW, g.outH = g.scaledW, g.scaledH
		return g
	}
	if t.Fit == Contain {
		s := min(bw/fw, bh/fh)
		if s > 1 { // the box shrinks until the image fills one side at its own size
			bw, bh, s = bw/s, bh/s, 1
		}
		g.scaledW, g.scaledH = round(fw*s), round(fh*s)
		g.outW, g.outH = max(round(bw), g.scaledW), max(round(bh), g.scaledH)
		return g
	}
	// Cover: the crop has the box's aspect ratio and is as large as the original allows.
	s := max(bw/fw, bh/fh)
	cw, ch := min(w, round(bw/s)), min(h, round(bh/s))
	f := FocalPoint{X: 0.5, Y: 0.5}
	if t.Focal != nil {
		f = *t.Focal
	}
	x := min(max(0, int(math.Round(f.X*fw-float64(cw)/2))), w-cw)
	y := min(max(0, int(math.Round(f.Y*fh-float64(ch)/2))), h-ch)
	g.crop = image.Rect(x, y, x+cw, y+ch)
	if s > 1 {
		g.scaledW, g.scaledH = cw, ch
	} else {
		g.scaledW, g.scaledH = round(bw), round(bh)
	}
	g.outW, g.outH = g.scaledW, g.scaledH
	return g
}

// renderBytes estimates the memory of rendering besides the decoded original: the scaled
// image (with shrink's intermediates), the canvas, and the encoder's own.
func renderBytes(fp Footprint, g geometry, typ string) int64 {
	cw, ch := g.crop.Dx(), g.crop.Dy()
	n := 4 * int64(g.scaledW) * int64(g.scaledH)
	if f := cw / max(1, g.scaledW); f > 1 {
		n += 4 * int64(cw/f) * int64(ch/f)
	}
	n += 32 * min(int64(kernelMaxCells), int64(g.scaledW)*int64(ch))
	out := int64(g.outW) * int64(g.outH)
	n += 4 * out // the canvas or the encoder's RGBA copy
	switch typ {
	case AVIF:
		n += avifBytesPerPixel * out
	case WebP:
		n += webpBytesPerPixel * out
	default:
		n += 4 * out
	}
	return n
}

// apply crops, scales and pads img per g; for JPEG transparent pixels become white.
func apply(img image.Image, g geometry, typ string) image.Image {
	src := img
	if g.crop != img.Bounds() {
		b := img.Bounds()
		r := g.crop.Add(b.Min)
		if si, ok := img.(interface {
			SubImage(image.Rectangle) image.Image
		}); ok {
			src = si.SubImage(r)
		}
	}
	var scaled image.Image = src
	if g.scaledW != src.Bounds().Dx() || g.scaledH != src.Bounds().Dy() {
		scaled = shrinkTo(src, g.scaledW, g.scaledH)
	}
	opaque := typ == JPEG
	if g.outW == g.scaledW && g.outH == g.scaledH && !opaque {
		return scaled
	}
	canvas := image.NewRGBA(image.Rect(0, 0, g.outW, g.outH))
	if opaque {
		fill(canvas, color.RGBA{255, 255, 255, 255})
	}
	off := image.Pt((g.outW-g.scaledW)/2, (g.outH-g.scaledH)/2)
	drawOver(canvas, image.Rectangle{Min: off, Max: off.Add(image.Pt(g.scaledW, g.scaledH))}, scaled)
	return canvas
}

func fill(m *image.RGBA, c color.RGBA) {
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, c.A
	}
}

func encodeRendition(img image.Image, typ string, quality int) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch typ {
	case JPEG:
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	case PNG:
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img)
	case WebP:
		err = gwebp.Encode(&buf, img, gwebp.Options{Quality: quality, Method: webpMethod})
	case AVIF:
		err = avif.Encode(&buf, img, avif.Options{Quality: quality, QualityAlpha: quality, Speed: avifSpeed})
	default:
		err = errors.New("no encoder for " + typ)
	}
	return buf.Bytes(), err
}

// DecodeWebP decodes a lossy or lossless WebP into RGBA. VP8 stores limited-range BT.601
// YCbCr ("studio swing", Y in 16..235), which Go's image/color reads as full-range JPEG
// YCbCr: taken as is, colours drift by several levels (+2, +4, +7 on R, G, B measured on a
// photo), so lossy WebP is converted here with the right coefficients.
func DecodeWebP(r io.Reader) (image.Image, error) {
	img, err := webp.Decode(r)
	if err != nil {
		return nil, err
	}
	var y, cb, cr []uint8
	var ys, cs int
	var sub image.YCbCrSubsampleRatio
	var a *image.Alpha
	switch m := img.(type) {
	case *image.YCbCr:
		y, cb, cr, ys, cs, sub = m.Y, m.Cb, m.Cr, m.YStride, m.CStride, m.SubsampleRatio
	case *image.NYCbCrA:
		y, cb, cr, ys, cs, sub = m.Y, m.Cb, m.Cr, m.YStride, m.CStride, m.SubsampleRatio
		a = &image.Alpha{Pix: m.A, Stride: m.AStride, Rect: m.Rect}
	default:
		return img, nil // lossless: RGB already
	}
	if sub != image.YCbCrSubsampleRatio420 {
		return img, nil
	}
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	clamp := func(v int32) uint8 { return uint8(min(max(v, 0), 255<<16) >> 16) }
	for py := 0; py < b.Dy(); py++ {
		for px := 0; px < b.Dx(); px++ {
			yy := (int32(y[py*ys+px]) - 16) * 76284 // 1.164 << 16
			ci := (py/2)*cs + px/2
			u, v := int32(cb[ci])-128, int32(cr[ci])-128
			o := py*out.Stride + px*4
			out.Pix[o] = clamp(yy + 104595*v + 1<<15)            // 1.596
			out.Pix[o+1] = clamp(yy - 25624*u - 53281*v + 1<<15) // 0.391, 0.813
			out.Pix[o+2] = clamp(yy + 132252*u + 1<<15)          // 2.018
			out.Pix[o+3] = 255
			if a != nil {
				out.Pix[o+3] = a.Pix[py*a.Stride+px]
			}
		}
	}
	return out, nil
}
