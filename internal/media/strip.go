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
// orientation needs no change keeps its exact image data. Everything that is not needed to
// show the picture goes: EXIF (GPS, camera serials, thumbnails), XMP, IPTC, comments,
// trailing data after the image (motion-photo videos, appended archives).

var errCorrupt = errors.New("corrupt container")

// stripJPEG copies a JPEG keeping only the segments needed to decode and colour it: JFIF
// (APP0), an ICC profile (APP2 "ICC_PROFILE"), Adobe colour transform (APP14), tables,
// frames and scans. It stops at EOI.
func stripJPEG(dst io.Writer, src io.Reader) error {
	br := bufio.NewReaderSize(src, 64<<10)
	bw := bufio.NewWriterSize(dst, 64<<10)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return errCorrupt
	}
	bw.Write(soi[:])
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
		n := int(binary.BigEndian.Uint16(lb[:]))
		if n < 2 {
			return errCorrupt
		}
		keep := true
		var peek []byte
		if marker >= 0xE0 && marker <= 0xEF || marker == 0xFE {
			peek, _ = br.Peek(min(n-2, 14))
			keep = marker == 0xE0 || marker == 0xEE || (marker == 0xE2 && bytes.HasPrefix(peek, []byte("ICC_PROFILE\x00")))
		}
		if keep {
			bw.Write([]byte{0xFF, marker})
			bw.Write(lb[:])
			if _, err := io.CopyN(bw, br, int64(n-2)); err != nil {
				return errCorrupt
			}
		} else if _, err := br.Discard(n - 2); err != nil {
			return errCorrupt
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

// stripPNG copies a PNG without its text, time and EXIF chunks, stopping after IEND.
func stripPNG(dst io.Writer, src io.Reader) error {
	br := bufio.NewReaderSize(src, 64<<10)
	bw := bufio.NewWriterSize(dst, 64<<10)
	sig := make([]byte, 8)
	if _, err := io.ReadFull(br, sig); err != nil {
		return errCorrupt
	}
	bw.Write(sig)
	for {
		var hdr [8]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return errCorrupt
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:8])
		switch typ {
		case "eXIf", "tEXt", "zTXt", "iTXt", "tIME":
			if _, err := br.Discard(int(n + 4)); err != nil {
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

// stripGIF copies a GIF without comments and application extensions other than the
// animation loop count (NETSCAPE2.0, ANIMEXTS1.0), stopping at the trailer.
func stripGIF(dst io.Writer, src io.Reader) error {
	br := bufio.NewReaderSize(src, 64<<10)
	bw := bufio.NewWriterSize(dst, 64<<10)
	head := make([]byte, 13)
	if _, err := io.ReadFull(br, head); err != nil {
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
			desc := make([]byte, 10) // descriptor (9) + LZW minimum code size comes after the table
			if _, err := io.ReadFull(br, desc[:9]); err != nil {
				return errCorrupt
			}
			bw.WriteByte(b)
			bw.Write(desc[:9])
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
			keep := label == 0xF9 || label == 0x01 ||
				label == 0xFF && (bytes.Equal(first, []byte("NETSCAPE2.0")) || bytes.Equal(first, []byte("ANIMEXTS1.0")))
			if keep {
				bw.Write([]byte{0x21, label, size})
				bw.Write(first)
				if size != 0 {
					if err := gifSubBlocks(bw, br); err != nil {
						return err
					}
				}
			} else if size != 0 {
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

// stripWebP rewrites a WebP's RIFF container without its EXIF and XMP chunks, clearing
// their flags in VP8X and fixing the RIFF size; trailing bytes after the RIFF are dropped.
func stripWebP(dst io.Writer, src io.ReaderAt, size int64) error {
	var hdr [12]byte
	if _, err := src.ReadAt(hdr[:], 0); err != nil || string(hdr[:4]) != "RIFF" || string(hdr[8:]) != "WEBP" {
		return errCorrupt
	}
	end := min(size, 8+int64(binary.LittleEndian.Uint32(hdr[4:8])))
	type chunk struct {
		off, n int64
		fourcc string
	}
	var keep []chunk
	total := int64(4)
	for off := int64(12); off < end; {
		var ch [8]byte
		if _, err := src.ReadAt(ch[:], off); err != nil {
			return errCorrupt
		}
		n := int64(binary.LittleEndian.Uint32(ch[4:]))
		padded := n + n&1
		if off+8+n > end {
			return errCorrupt
		}
		if c := string(ch[:4]); c != "EXIF" && c != "XMP " {
			keep = append(keep, chunk{off, 8 + padded, c})
			total += 8 + padded
		}
		off += 8 + padded
	}
	bw := bufio.NewWriterSize(dst, 64<<10)
	bw.WriteString("RIFF")
	binary.Write(bw, binary.LittleEndian, uint32(total))
	bw.WriteString("WEBP")
	written := int64(4)
	for _, c := range keep {
		sec := io.NewSectionReader(src, c.off, min(c.n, end-c.off))
		written += sec.Size()
		if c.fourcc == "VP8X" {
			b := make([]byte, sec.Size())
			if _, err := io.ReadFull(sec, b); err != nil || len(b) < 9 {
				return errCorrupt
			}
			b[8] &^= 0x08 | 0x04 // EXIF and XMP present flags
			bw.Write(b)
			continue
		}
		if _, err := io.Copy(bw, sec); err != nil {
			return fmt.Errorf("copy webp chunk: %w", err)
		}
	}
	// A chunk of odd length at the very end may lack its pad byte in the source.
	if written < total {
		bw.Write(make([]byte, total-written))
	}
	return bw.Flush()
}
