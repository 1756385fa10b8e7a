// Package hostile builds the image files an attacker (or a careless camera) uploads to leak
// where and with what a picture was taken: valid JPEG, PNG, GIF and WebP files that carry a
// GPS position and a device serial in every place a metadata stripper can miss — standard
// metadata (EXIF, XMP, IPTC, comments), legacy and private chunks, unknown extensions, the
// spare bytes of the headers a stripper keeps (JFIF, Adobe, VP8X, loop counts), and data
// after the end of the image. Tests upload them and fuzz tests start from them; a stored
// file must contain no byte sequence of Secrets.
package hostile

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
)

// The planted secrets.
const (
	GPS    = "GPS 40.4093N 49.8671E"
	Serial = "SN-5512-XK9"
)

// Secrets are what no stored file may contain.
var Secrets = []string{GPS, Serial}

// Leak returns the first secret data contains, or "".
func Leak(data []byte) string {
	for _, s := range Secrets {
		if bytes.Contains(data, []byte(s)) {
			return s
		}
	}
	return ""
}

const both = GPS + " " + Serial

func picture(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / max(1, w)), uint8(y * 255 / max(1, h)), uint8((x ^ y) * 7), 255})
		}
	}
	return img
}

// PNGChunk is one PNG chunk with its CRC.
func PNGChunk(typ string, data []byte) []byte {
	out := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(out, uint32(len(data)))
	copy(out[4:], typ)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}

// PNG is a w×h PNG with the secrets in legacy EXIF chunks (exIf, zxIf), eXIf, text chunks
// (tEXt, zTXt, iTXt), tIME, a private chunk, a text chunk between the image data and IEND,
// and bytes after IEND.
func PNG(w, h int) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, picture(w, h)); err != nil {
		panic(err)
	}
	b := buf.Bytes()
	const afterIHDR = 8 + 25
	iend := len(b) - 12
	var out []byte
	out = append(out, b[:afterIHDR]...)
	out = append(out, PNGChunk("exIf", []byte("MM\x00*"+both))...)
	out = append(out, PNGChunk("zxIf", []byte("\x00"+both))...)
	out = append(out, PNGChunk("eXIf", []byte("II*\x00"+both))...)
	out = append(out, PNGChunk("tEXt", []byte("Comment\x00"+both))...)
	out = append(out, PNGChunk("zTXt", []byte("Software\x00\x00"+both))...)
	out = append(out, PNGChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"+both))...)
	out = append(out, PNGChunk("tIME", []byte{7, 233, 12, 2, 22, 5, 0})...)
	out = append(out, PNGChunk("prVt", []byte(both))...)
	out = append(out, b[afterIHDR:iend]...)
	out = append(out, PNGChunk("tEXt", []byte("Location\x00"+both))...)
	out = append(out, b[iend:]...)
	return append(out, both...)
}

// JPEGSegment is one JPEG marker segment.
func JPEGSegment(marker byte, payload []byte) []byte {
	out := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(out[2:], uint16(len(payload)+2))
	return append(out, payload...)
}

// JPEG is a w×h JPEG with the secrets after a JFIF header and in its thumbnail, in a JFXX
// thumbnail, EXIF, XMP, IPTC (APP13), after the Adobe colour transform flag, in APP15 and a
// comment, and after EOI.
func JPEG(w, h int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, picture(w, h), &jpeg.Options{Quality: 85}); err != nil {
		panic(err)
	}
	b := buf.Bytes()
	// JFIF 1.02, dots per inch 72×72, a 1×1 thumbnail whose pixel is followed by the secrets.
	jfif := append([]byte("JFIF\x00\x01\x02\x01\x00\x48\x00\x48\x01\x01\xff\x00\x00"), both...)
	exif := []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x0e\x01\x02\x00")
	exif = binary.LittleEndian.AppendUint32(exif, uint32(len(both)+1))
	exif = binary.LittleEndian.AppendUint32(exif, 26)
	exif = append(append(exif, 0, 0, 0, 0), both+"\x00"...)
	// Adobe, version 100, flags, transform 1 (YCbCr), then the secrets.
	adobe := append([]byte("Adobe\x00\x64\x00\x00\x00\x00\x01"), both...)
	var out []byte
	out = append(out, b[:2]...)
	out = append(out, JPEGSegment(0xE0, jfif)...)
	out = append(out, JPEGSegment(0xE0, append([]byte("JFXX\x00\x10"), both...))...)
	out = append(out, JPEGSegment(0xE1, exif)...)
	out = append(out, JPEGSegment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>"+both+"</x:xmpmeta>"))...)
	out = append(out, JPEGSegment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00"+both))...)
	out = append(out, JPEGSegment(0xEE, adobe)...)
	out = append(out, JPEGSegment(0xEF, []byte(both))...)
	out = append(out, JPEGSegment(0xE2, []byte("MPF\x00"+both))...)
	out = append(out, JPEGSegment(0xFE, []byte(both))...)
	out = append(out, b[2:]...)
	return append(out, both...)
}

// GIF is a w×h GIF with the secrets in a comment and a plain-text extension, in a second
// sub-block of the loop-count extension, in an XMP application extension, and after the
// trailer.
func GIF(w, h int) []byte {
	img := image.NewPaletted(image.Rect(0, 0, w, h), []color.Color{color.White, color.Black, color.RGBA{200, 30, 30, 255}})
	for i := range img.Pix {
		img.Pix[i] = uint8(i % 3)
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		panic(err)
	}
	b := buf.Bytes()
	head := 13
	if b[10]&0x80 != 0 {
		head += 3 << ((b[10] & 7) + 1)
	}
	sub := func(s string) []byte { return append([]byte{byte(len(s))}, s...) }
	var ext []byte
	ext = append(ext, 0x21, 0xFE)
	ext = append(append(ext, sub(both)...), 0)
	ext = append(ext, 0x21, 0x01, 12, 0, 0, 0, 0, 10, 0, 10, 0, 8, 8, 1, 0)
	ext = append(append(ext, sub(both)...), 0)
	ext = append(ext, 0x21, 0xFF, 11)
	ext = append(ext, "NETSCAPE2.0"...)
	ext = append(ext, 3, 1, 0, 0)
	ext = append(append(ext, sub(both)...), 0)
	ext = append(ext, 0x21, 0xFF, 11)
	ext = append(ext, "XMP DataXMP"...)
	ext = append(append(ext, sub("<x:xmpmeta>"+both)...), 0)
	out := append(append(append([]byte{}, b[:head]...), ext...), b[head:]...)
	return append(out, both...)
}

// webpLossless1x1 is a 1×1 lossless WebP image chunk (VP8L).
var webpLossless1x1 = []byte("VP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")

// WebPChunk is one RIFF chunk, padded to an even length.
func WebPChunk(fourcc string, data []byte) []byte {
	out := append([]byte(fourcc), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(data)))
	out = append(out, data...)
	if len(data)%2 == 1 {
		out = append(out, 0)
	}
	return out
}

// WebPFile wraps chunks in a RIFF WEBP header.
func WebPFile(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	out := append([]byte("RIFF"), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(body)))
	return append(out, body...)
}

// WebP is a 1×1 WebP in an extended container whose VP8X sets the EXIF and XMP flags and
// hides bytes in its reserved field, with the secrets in EXIF, XMP and an unknown chunk, and
// after the RIFF.
func WebP() []byte {
	vp8x := []byte{0x08 | 0x04 | 0xC0, 'S', 'N', '-', 0, 0, 0, 0, 0, 0}
	return append(WebPFile(
		WebPChunk("VP8X", vp8x),
		webpLossless1x1,
		WebPChunk("EXIF", []byte("II*\x00"+both)),
		WebPChunk("XMP ", []byte("<x:xmpmeta>"+both+"</x:xmpmeta>")),
		WebPChunk("GPSx", []byte(both)),
	), both...)
}

// PNG16 is a w×h 16-bit RGBA PNG of one colour, written a row at a time so a huge one
// costs no memory to make: the 6320×6324 is 311 KB and decodes to 320 MB.
func PNG16(w, h int) []byte {
	var buf bytes.Buffer
	buf.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 16, 6, 0, 0, 0)
	buf.Write(PNGChunk("IHDR", ihdr))
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if err != nil {
		panic(err)
	}
	row := make([]byte, 1+8*w) // filter byte 0, then zero pixels: transparent black
	for range h {
		if _, err := zw.Write(row); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	buf.Write(PNGChunk("IDAT", z.Bytes()))
	buf.Write(PNGChunk("IEND", nil))
	return buf.Bytes()
}
