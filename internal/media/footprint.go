package media

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Footprint is what decoding an image will cost, read from its header before any pixel
// is decoded: a small file can declare a large image (a 311 KB 16-bit PNG of 6320×6324
// decodes to 320 MB), so limits apply to this, not to the file's size.
type Footprint struct {
	// Width and Height are of the largest picture the decoder will allocate: the canvas,
	// or a frame the header declares larger than it.
	Width, Height int
	// Bytes estimates the memory the standard decoders allocate for it: pixels × bytes
	// per pixel of the image type they return, plus what they hold meanwhile (the
	// coefficients of a progressive JPEG, the passes of an interlaced PNG, a lossless
	// WebP's ARGB buffer).
	Bytes int64
}

// Pixels is Width × Height.
func (f Footprint) Pixels() int64 { return int64(f.Width) * int64(f.Height) }

// MeasureImage reads the header of an image of type mime (JPEG, PNG, GIF or WebP) from r
// and returns its Footprint. It reads only headers, never pixel data beyond the first
// bytes of a WebP frame; a header it cannot read is an *ImageError.
func MeasureImage(r io.Reader, mime string) (Footprint, error) {
	br := bufio.NewReaderSize(r, 4096)
	var f Footprint
	var err error
	switch mime {
	case JPEG:
		f, err = measureJPEG(br)
	case PNG:
		f, err = measurePNG(br)
	case GIF:
		f, err = measureGIF(br)
	case WebP:
		f, err = measureWebP(br)
	default:
		return Footprint{}, &ImageError{Reason: "not an image type: " + mime}
	}
	if err != nil {
		return Footprint{}, &ImageError{Reason: "the image header cannot be read: " + err.Error()}
	}
	if f.Width <= 0 || f.Height <= 0 {
		return Footprint{}, &ImageError{Reason: "the image declares no size"}
	}
	return f, nil
}

// perPixel returns a Footprint of w×h at milli-bytes per pixel (fractions for subsampled
// JPEG and WebP). An absurd size costs the most there is rather than overflowing.
func perPixel(w, h int, milli int64) Footprint {
	f := Footprint{Width: w, Height: h, Bytes: math.MaxInt64}
	if px := int64(w) * int64(h); w < 1<<31 && h < 1<<31 && px < math.MaxInt64/milli {
		f.Bytes = px * milli / 1000
	}
	return f
}

func measureJPEG(br *bufio.Reader) (Footprint, error) {
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return Footprint{}, errCorrupt
	}
	adobeRGB := false
	for {
		marker, err := nextMarker(br)
		if err != nil {
			return Footprint{}, errCorrupt
		}
		if marker == 0x01 || marker >= 0xD0 && marker <= 0xD7 {
			continue
		}
		if marker == 0xD9 || marker == 0xDA {
			return Footprint{}, fmt.Errorf("no frame header before the image data")
		}
		var lb [2]byte
		if _, err := io.ReadFull(br, lb[:]); err != nil {
			return Footprint{}, errCorrupt
		}
		n := int(binary.BigEndian.Uint16(lb[:])) - 2
		if n < 0 {
			return Footprint{}, errCorrupt
		}
		isSOF := marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
		if marker == 0xEE && n >= 12 {
			seg := make([]byte, 12)
			if _, err := io.ReadFull(br, seg); err != nil {
				return Footprint{}, errCorrupt
			}
			adobeRGB = string(seg[:5]) == "Adobe" && seg[11] == 0
			n -= 12
		}
		if !isSOF {
			if _, err := br.Discard(n); err != nil {
				return Footprint{}, errCorrupt
			}
			continue
		}
		if n < 6 {
			return Footprint{}, errCorrupt
		}
		sof := make([]byte, n)
		if _, err := io.ReadFull(br, sof); err != nil {
			return Footprint{}, errCorrupt
		}
		h, w, comps := int(binary.BigEndian.Uint16(sof[1:])), int(binary.BigEndian.Uint16(sof[3:])), int(sof[5])
		if comps < 1 || comps > 4 || len(sof) < 6+3*comps {
			return Footprint{}, errCorrupt
		}
		// Samples per pixel, in thousandths: each component is stored at its sampling
		// factors relative to the largest ones.
		var hmax, vmax int64 = 1, 1
		for i := range comps {
			hmax = max(hmax, int64(sof[7+3*i]>>4))
			vmax = max(vmax, int64(sof[7+3*i]&0x0F))
		}
		var samples int64
		for i := range comps {
			hs, vs := int64(sof[7+3*i]>>4), int64(sof[7+3*i]&0x0F)
			samples += 1000 * max(hs, 1) * max(vs, 1) / (hmax * vmax)
		}
		milli := samples
		if marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE {
			// A progressive decoder keeps every block's 64 coefficients as int32.
			milli += 4 * samples
		}
		if comps == 4 || comps == 3 && adobeRGB {
			// CMYK and RGB JPEGs are converted into a 4-byte image after decoding.
			milli += 4000
		}
		return perPixel(w, h, milli), nil
	}
}

func measurePNG(br *bufio.Reader) (Footprint, error) {
	head := make([]byte, 8+8+13)
	if _, err := io.ReadFull(br, head); err != nil || string(head[:8]) != pngSignature || string(head[12:16]) != "IHDR" {
		return Footprint{}, errCorrupt
	}
	ihdr := head[16:]
	w, h := binary.BigEndian.Uint32(ihdr[0:]), binary.BigEndian.Uint32(ihdr[4:])
	if w > 1<<31-1 || h > 1<<31-1 {
		return Footprint{}, errCorrupt
	}
	depth, colour, interlaced := ihdr[8], ihdr[9], ihdr[12] == 1
	// Transparency turns grey and RGB images into NRGBA: look for tRNS before the data.
	if _, err := br.Discard(4); err != nil { // IHDR's CRC
		return Footprint{}, errCorrupt
	}
	trns := false
	for {
		var ch [8]byte
		if _, err := io.ReadFull(br, ch[:]); err != nil {
			return Footprint{}, errCorrupt
		}
		n := int64(binary.BigEndian.Uint32(ch[:4]))
		typ := string(ch[4:])
		if typ == "IDAT" || typ == "IEND" || n > 1<<31-1 {
			break
		}
		trns = trns || typ == "tRNS"
		if _, err := io.CopyN(io.Discard, br, n+4); err != nil {
			return Footprint{}, errCorrupt
		}
	}
	var bpp int64
	switch {
	case colour == 3 || colour == 0 && depth <= 8 && !trns: // paletted, grey
		bpp = 1
	case colour == 0 && depth == 16 && !trns:
		bpp = 2
	case depth == 16: // RGB(A), grey with alpha or transparency, at 16 bits
		bpp = 8
	default:
		bpp = 4
	}
	if interlaced {
		// Each pass is decoded into its own image, then merged.
		bpp *= 2
	}
	return perPixel(int(w), int(h), 1000*bpp), nil
}

func measureGIF(br *bufio.Reader) (Footprint, error) {
	head := make([]byte, 13)
	if _, err := io.ReadFull(br, head); err != nil || (string(head[:6]) != "GIF87a" && string(head[:6]) != "GIF89a") {
		return Footprint{}, errCorrupt
	}
	w, h := int(binary.LittleEndian.Uint16(head[6:])), int(binary.LittleEndian.Uint16(head[8:]))
	// The standard decoder returns the first frame, paletted; frames larger than the
	// screen are refused by it.
	return perPixel(w, h, 1000), nil
}

func measureWebP(br *bufio.Reader) (Footprint, error) {
	var hdr [12]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil || string(hdr[:4]) != "RIFF" || string(hdr[8:]) != "WEBP" {
		return Footprint{}, errCorrupt
	}
	var f Footprint
	alpha := false
	for {
		var ch [8]byte
		if _, err := io.ReadFull(br, ch[:]); err != nil {
			return Footprint{}, errCorrupt
		}
		fourcc := string(ch[:4])
		n := int64(binary.LittleEndian.Uint32(ch[4:]))
		payload := n + n&1
		switch fourcc {
		case "VP8X":
			if n < 10 {
				return Footprint{}, errCorrupt
			}
			b := make([]byte, 10)
			if _, err := io.ReadFull(br, b); err != nil {
				return Footprint{}, errCorrupt
			}
			payload -= 10
			alpha = b[0]&0x10 != 0
			f.Width = 1 + (int(b[4]) | int(b[5])<<8 | int(b[6])<<16)
			f.Height = 1 + (int(b[7]) | int(b[8])<<8 | int(b[9])<<16)
		case "VP8 ", "VP8L":
			b := make([]byte, 10)
			if n < 10 {
				return Footprint{}, errCorrupt
			}
			if _, err := io.ReadFull(br, b); err != nil {
				return Footprint{}, errCorrupt
			}
			var w, h int
			var milli int64
			if fourcc == "VP8 " {
				if b[3] != 0x9d || b[4] != 0x01 || b[5] != 0x2a {
					return Footprint{}, errCorrupt
				}
				w, h = int(binary.LittleEndian.Uint16(b[6:])&0x3fff), int(binary.LittleEndian.Uint16(b[8:])&0x3fff)
				milli = 1500 // YCbCr 4:2:0
				if alpha {
					milli += 1000
				}
			} else {
				if b[0] != 0x2f {
					return Footprint{}, errCorrupt
				}
				bits := binary.LittleEndian.Uint32(b[1:])
				w, h = int(bits&0x3fff)+1, int(bits>>14&0x3fff)+1
				// The decoder's ARGB words, then the NRGBA image.
				milli = 8000
			}
			f.Width, f.Height = max(f.Width, w), max(f.Height, h)
			return perPixel(f.Width, f.Height, milli), nil
		}
		if _, err := io.CopyN(io.Discard, br, payload); err != nil {
			return Footprint{}, errCorrupt
		}
	}
}
