package media

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"io"
)

// Metadata stripping works on the container, without decoding pixels, so an original whose
// orientation needs no change keeps its exact image data. It is an allow-list: only the
// chunks and segments needed to show the picture (and its colour profile) are copied, and
// the small ones whose fields are known (JFIF, Adobe, VP8X, ANIM, GIF loop and frame
// control) are rebuilt from those fields, so nothing a file adds around them survives.
// Everything else goes: EXIF (GPS, camera serials, thumbnails), XMP, IPTC, comments,
// legacy or private chunks, unknown extensions, and trailing data after the image.

var errCorrupt = errors.New("corrupt container")

// jpegKeeps reports whether a JPEG segment other than APPn is copied: frames (SOFn),
// Huffman and arithmetic tables, quantisation tables, restart interval, scans and the
// number of lines. Comments (COM), JPG extensions and reserved markers are dropped.
func jpegKeeps(marker byte) bool {
	switch {
	case marker >= 0xC0 && marker <= 0xCF && marker != 0xC8:
		return true
	case marker == 0xDA || marker == 0xDB || marker == 0xDC || marker == 0xDD:
		return true
	}
	return false
}

// stripJPEG copies a JPEG keeping only what decoding and colour need: tables, frames and
// scans; APP0 only when it is JFIF, rebuilt as the bare 16-byte JFIF header (no thumbnail);
// APP14 only when it is Adobe, rebuilt to carry nothing but the colour transform flag; and
// an ICC profile (APP2 "ICC_PROFILE"), as PNG's iCCP and WebP's ICCP are kept. Every other
// APPn (EXIF, XMP, IPTC, JFXX thumbnails, maker data) and COM is dropped. It stops at EOI.
func stripJPEG(dst io.Writer, src io.Reader) error {
	br := bufio.NewReaderSize(src, 64<<10)
	bw := bufio.NewWriterSize(dst, 64<<10)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return errCorrupt
	}
	bw.Write(soi[:])
	sawJFIF := false
	marker, err := nextMarker(br)
	for {
		if err != nil {
			return errCorrupt
		}
		switch {
		case marker == 0xD9: // EOI: anything after it is dropped
			bw.Write([]byte{0xFF, 0xD9})
			return bw.Flush()
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7):
			bw.Write([]byte{0xFF, marker})
			marker, err = nextMarker(br)
			continue
		}
		var lb [2]byte
		if _, err := io.ReadFull(br, lb[:]); err != nil {
			return errCorrupt
		}
		n := int(binary.BigEndian.Uint16(lb[:])) - 2
		if n < 0 {
			return errCorrupt
		}
		switch {
		case marker == 0xE0 || marker == 0xEE:
			seg := make([]byte, n)
			if _, err := io.ReadFull(br, seg); err != nil {
				return errCorrupt
			}
			if marker == 0xE0 && !sawJFIF && bytes.HasPrefix(seg, []byte("JFIF\x00")) {
				sawJFIF = true
				// JFIF, version, units, X and Y density (1.01, no units, 1×1 when the
				// segment is short), thumbnail 0×0.
				jf := []byte{0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
				copy(jf[9:16], seg[5:min(12, len(seg))])
				bw.Write(jf)
			}
			if marker == 0xEE && len(seg) >= 12 && bytes.HasPrefix(seg, []byte("Adobe")) {
				// Adobe, DCTEncodeVersion 100, no flags, the colour transform. Each one is
				// kept, rebuilt, as decoders honour the last.
				bw.Write([]byte{0xFF, 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, seg[11]})
			}
		case marker == 0xE2 && isICCSegment(br, n), jpegKeeps(marker):
			bw.Write([]byte{0xFF, marker})
			bw.Write(lb[:])
			if _, err := io.CopyN(bw, br, int64(n)); err != nil {
				return errCorrupt
			}
		default:
			if _, err := br.Discard(n); err != nil {
				return errCorrupt
			}
		}
		if marker != 0xDA {
			marker, err = nextMarker(br)
			continue
		}
		// Entropy-coded data follows SOS up to the next marker that is not a stuffed 0xFF00
		// or a restart marker.
		marker, err = copyScan(bw, br)
	}
}

// isICCSegment peeks whether the APP2 payload of length n that br is at is an ICC profile.
func isICCSegment(br *bufio.Reader, n int) bool {
	const id = "ICC_PROFILE\x00"
	if n < len(id) {
		return false
	}
	peek, err := br.Peek(len(id))
	return err == nil && string(peek) == id
}

// nextMarker skips fill bytes and returns the next marker code.
func nextMarker(br *bufio.Reader) (byte, error) {
	b, err := br.ReadByte()
	if err != nil {
		return 0, err
	}
	if b != 0xFF {
		return 0, errCorrupt
	}
	for b == 0xFF {
		if b, err = br.ReadByte(); err != nil {
			return 0, err
		}
	}
	return b, nil
}

func copyScan(bw *bufio.Writer, br *bufio.Reader) (byte, error) {
	for {
		chunk, err := br.ReadSlice(0xFF)
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return 0, err
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			bw.Write(chunk)
			continue
		}
		bw.Write(chunk[:len(chunk)-1])
		b, err := br.ReadByte()
		for err == nil && b == 0xFF {
			b, err = br.ReadByte()
		}
		if err != nil {
			return 0, err
		}
		if b == 0x00 || (b >= 0xD0 && b <= 0xD7) {
			bw.Write([]byte{0xFF, b})
			continue
		}
		return b, nil
	}
}

// jpegOrientation reads the EXIF orientation (1–8) of a JPEG, or 1 when it has none. It
// reads the segments before the first scan only.
func jpegOrientation(src io.Reader) int {
	br := bufio.NewReader(src)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return 1
	}
	for {
		marker, err := nextMarker(br)
		if err != nil || marker == 0xDA || marker == 0xD9 {
			return 1
		}
		var lb [2]byte
		if _, err := io.ReadFull(br, lb[:]); err != nil {
			return 1
		}
		n := int(binary.BigEndian.Uint16(lb[:])) - 2
		if n < 0 {
			return 1
		}
		if marker != 0xE1 {
			if _, err := br.Discard(n); err != nil {
				return 1
			}
			continue
		}
		seg := make([]byte, n)
		if _, err := io.ReadFull(br, seg); err != nil {
			return 1
		}
		if o := exifOrientation(seg); o != 0 {
			return o
		}
	}
}

// exifOrientation reads tag 0x0112 from IFD0 of an APP1 "Exif" payload; 0 if absent.
func exifOrientation(seg []byte) int {
	if !bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
		return 0
	}
	t := seg[6:]
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int(bo.Uint32(t[4:8]))
	if off < 8 || off+2 > len(t) {
		return 0
	}
	count := int(bo.Uint16(t[off:]))
	for i := range count {
		e := off + 2 + 12*i
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 0
		}
	}
	return 0
}

// orient turns img upright according to an EXIF orientation. It converts one source row
// at a time and scatters it into the result, so only the upright copy is full size.
func orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	row := image.NewRGBA(image.Rect(0, 0, w, 1))
	for sy := range h {
		draw.Draw(row, row.Bounds(), img, image.Pt(b.Min.X, b.Min.Y+sy), draw.Src)
		for sx := range w {
			var x, y int
			switch o {
			case 2:
				x, y = w-1-sx, sy
			case 3:
				x, y = w-1-sx, h-1-sy
			case 4:
				x, y = sx, h-1-sy
			case 5:
				x, y = sy, sx
			case 6:
				x, y = h-1-sy, sx
			case 7:
				x, y = h-1-sy, w-1-sx
			case 8:
				x, y = sy, w-1-sx
			}
			copy(dst.Pix[y*dst.Stride+4*x:y*dst.Stride+4*x+4], row.Pix[4*sx:4*sx+4])
		}
	}
	return dst
}

// pngKeeps is the allow-list of PNG chunks: the critical ones, transparency, colour
// (gamma, chromaticities, sRGB, ICC profile, significant bits), the pixel aspect, and
// APNG's animation control, frame control and frame data.
var pngKeeps = map[string]bool{
	"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true, "tRNS": true, "gAMA": true, "cHRM": true,
	"sRGB": true, "iCCP": true, "sBIT": true, "pHYs": true, "acTL": true, "fcTL": true, "fdAT": true,
}

// pngSignature starts every PNG.
const pngSignature = "\x89PNG\r\n\x1a\n"

// stripPNG copies a PNG keeping only the chunks of pngKeeps, stopping after IEND.
func stripPNG(dst io.Writer, src io.Reader) error {
	br := bufio.NewReaderSize(src, 64<<10)
	bw := bufio.NewWriterSize(dst, 64<<10)
	sig := make([]byte, 8)
	if _, err := io.ReadFull(br, sig); err != nil || string(sig) != pngSignature {
		return errCorrupt
	}
	bw.Write(sig)
	for first := true; ; first = false {
		var hdr [8]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return errCorrupt
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:8])
		if n > 1<<31-1 || first != (typ == "IHDR") {
			return errCorrupt
		}
		if !pngKeeps[typ] {
			if _, err := io.CopyN(io.Discard, br, n+4); err != nil {
				return errCorrupt
			}
			continue
		}
		bw.Write(hdr[:])
		if _, err := io.CopyN(bw, br, n+4); err != nil {
			return errCorrupt
		}
		if typ == "IEND" {
			return bw.Flush()
		}
	}
}

// stripGIF copies a GIF keeping the header, colour tables, frames, their graphic control
// blocks and the animation loop count (NETSCAPE2.0 or ANIMEXTS1.0, rebuilt to its one
// sub-block). Plain-text and comment extensions, every other application extension and
// unknown ones are dropped; it stops at the trailer.
func stripGIF(dst io.Writer, src io.Reader) error {
	br := bufio.NewReaderSize(src, 64<<10)
	bw := bufio.NewWriterSize(dst, 64<<10)
	head := make([]byte, 13)
	if _, err := io.ReadFull(br, head); err != nil || (string(head[:6]) != "GIF87a" && string(head[:6]) != "GIF89a") {
		return errCorrupt
	}
	bw.Write(head)
	if head[10]&0x80 != 0 {
		if _, err := io.CopyN(bw, br, 3<<((head[10]&7)+1)); err != nil {
			return errCorrupt
		}
	}
	for {
		b, err := br.ReadByte()
		if err != nil {
			return errCorrupt
		}
		switch b {
		case 0x3B:
			bw.WriteByte(b)
			return bw.Flush()
		case 0x2C:
			desc := make([]byte, 9)
			if _, err := io.ReadFull(br, desc); err != nil {
				return errCorrupt
			}
			bw.WriteByte(b)
			bw.Write(desc)
			if desc[8]&0x80 != 0 {
				if _, err := io.CopyN(bw, br, 3<<((desc[8]&7)+1)); err != nil {
					return errCorrupt
				}
			}
			lzw, err := br.ReadByte()
			if err != nil {
				return errCorrupt
			}
			bw.WriteByte(lzw)
			if err := gifSubBlocks(bw, br); err != nil {
				return err
			}
		case 0x21:
			label, err := br.ReadByte()
			if err != nil {
				return errCorrupt
			}
			size, err := br.ReadByte()
			if err != nil {
				return errCorrupt
			}
			first := make([]byte, size)
			if _, err := io.ReadFull(br, first); err != nil {
				return errCorrupt
			}
			var rest []byte // the first data sub-block, for application extensions
			if label == 0xFF && size != 0 {
				n, err := br.ReadByte()
				if err != nil {
					return errCorrupt
				}
				rest = make([]byte, n)
				if _, err := io.ReadFull(br, rest); err != nil {
					return errCorrupt
				}
				if n == 0 {
					size = 0 // the terminator was just read
				}
			}
			switch {
			case label == 0xF9 && size == 4:
				// Disposal, user input and transparency flags, delay, transparent index;
				// the reserved bits cleared.
				bw.Write([]byte{0x21, 0xF9, 4, first[0] & 0x1F, first[1], first[2], first[3], 0})
			case label == 0xFF && (string(first) == "NETSCAPE2.0" || string(first) == "ANIMEXTS1.0") && len(rest) == 3 && rest[0] == 1:
				bw.Write([]byte{0x21, 0xFF, 11})
				bw.Write(first)
				bw.Write([]byte{3, 1, rest[1], rest[2], 0})
			}
			if size != 0 {
				if err := gifSubBlocks(io.Discard, br); err != nil {
					return err
				}
			}
		default:
			return errCorrupt
		}
	}
}

// gifSubBlocks copies data sub-blocks up to and including the zero-length terminator.
func gifSubBlocks(w io.Writer, br *bufio.Reader) error {
	for {
		n, err := br.ReadByte()
		if err != nil {
			return errCorrupt
		}
		if _, err := w.Write([]byte{n}); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if _, err := io.CopyN(w, br, int64(n)); err != nil {
			return errCorrupt
		}
	}
}

// webpKeeps is the allow-list of WebP chunks at the top level; inside an ANMF frame only
// ALPH, VP8 and VP8L are kept.
var webpKeeps = map[string]bool{"VP8X": true, "VP8 ": true, "VP8L": true, "ALPH": true, "ANIM": true, "ANMF": true, "ICCP": true}

// webpPiece is a part of the rewritten file: bytes made here, or a range of the source.
type webpPiece struct {
	data   []byte
	off, n int64
}

// stripWebP rewrites a WebP's RIFF container keeping only the chunks of webpKeeps: VP8X is
// rebuilt with the EXIF and XMP flags and the reserved bits cleared, ANIM to its 6 bytes,
// ANMF to its frame header and image chunks. The RIFF size is recomputed; trailing bytes
// after the RIFF are dropped.
func stripWebP(dst io.Writer, src io.ReaderAt, size int64) error {
	var hdr [12]byte
	if _, err := src.ReadAt(hdr[:], 0); err != nil || string(hdr[:4]) != "RIFF" || string(hdr[8:]) != "WEBP" {
		return errCorrupt
	}
	end := min(size, 8+int64(binary.LittleEndian.Uint32(hdr[4:8])))
	pieces, total, err := webpChunks(src, 12, end, false)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(dst, 64<<10)
	bw.WriteString("RIFF")
	binary.Write(bw, binary.LittleEndian, uint32(4+total))
	bw.WriteString("WEBP")
	for _, p := range pieces {
		if p.data != nil {
			bw.Write(p.data)
			continue
		}
		if _, err := io.Copy(bw, io.NewSectionReader(src, p.off, p.n)); err != nil {
			return fmt.Errorf("copy webp chunk: %w", err)
		}
	}
	return bw.Flush()
}

// webpChunks lists the pieces that keep the allowed chunks between off and end, and their
// total length. In a frame (ANMF payload) only image chunks are allowed.
func webpChunks(src io.ReaderAt, off, end int64, inFrame bool) ([]webpPiece, int64, error) {
	var pieces []webpPiece
	var total int64
	chunk := func(fourcc string, payload []byte) {
		h := append([]byte(fourcc), 0, 0, 0, 0)
		binary.LittleEndian.PutUint32(h[4:], uint32(len(payload)))
		h = append(h, payload...)
		if len(payload)%2 == 1 {
			h = append(h, 0)
		}
		pieces = append(pieces, webpPiece{data: h})
		total += int64(len(h))
	}
	for off < end {
		var ch [8]byte
		if off+8 > end {
			return nil, 0, errCorrupt
		}
		if _, err := src.ReadAt(ch[:], off); err != nil {
			return nil, 0, errCorrupt
		}
		fourcc := string(ch[:4])
		n := int64(binary.LittleEndian.Uint32(ch[4:]))
		if off+8+n > end {
			return nil, 0, errCorrupt
		}
		keep := webpKeeps[fourcc]
		if inFrame {
			keep = fourcc == "ALPH" || fourcc == "VP8 " || fourcc == "VP8L"
		}
		switch {
		case !keep:
		case fourcc == "VP8X" || fourcc == "ANIM":
			want := map[string]int64{"VP8X": 10, "ANIM": 6}[fourcc]
			if n < want {
				return nil, 0, errCorrupt
			}
			b := make([]byte, want)
			if _, err := src.ReadAt(b, off+8); err != nil {
				return nil, 0, errCorrupt
			}
			if fourcc == "VP8X" {
				b[0] &= 0x20 | 0x10 | 0x02 // ICC, alpha, animation: EXIF, XMP and reserved bits cleared
				b[1], b[2], b[3] = 0, 0, 0
			}
			chunk(fourcc, b)
		case fourcc == "ANMF":
			if n < 16 {
				return nil, 0, errCorrupt
			}
			fh := make([]byte, 16)
			if _, err := src.ReadAt(fh, off+8); err != nil {
				return nil, 0, errCorrupt
			}
			fh[15] &= 0x03 // blending and disposal; reserved bits cleared
			inner, n2, err := webpChunks(src, off+8+16, off+8+n, true)
			if err != nil {
				return nil, 0, err
			}
			h := append([]byte("ANMF"), 0, 0, 0, 0)
			binary.LittleEndian.PutUint32(h[4:], uint32(16+n2))
			pieces = append(pieces, webpPiece{data: append(h, fh...)})
			pieces = append(pieces, inner...)
			total += 8 + 16 + n2
		default:
			pieces = append(pieces, webpPiece{off: off, n: 8 + n})
			total += 8 + n
			if n%2 == 1 {
				pieces = append(pieces, webpPiece{data: []byte{0}})
				total++
			}
		}
		off += 8 + n + n%2
	}
	return pieces, total, nil
}
