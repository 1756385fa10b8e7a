package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io/fs"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/image/webp"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/media/disk"
	"github.com/heraldcms/herald/internal/media/mediatest"
	"github.com/heraldcms/herald/internal/testkit"
)

// mediaApp is a test app with media storage: disk in a temporary directory or a real
// S3-protocol server on loopback, and its own spool directory so tests can prove that a
// failed upload leaves nothing anywhere.
type mediaApp struct {
	*testApp
	blobs   media.Blobs
	dir     string // disk root ("" for S3)
	tempDir string
}

var storages = []string{"disk", "s3"}

// eachMediaApp runs fn for every database × storage backend, in parallel.
func eachMediaApp(t *testing.T, cfg media.Config, fn func(t *testing.T, app *mediaApp)) {
	for _, d := range testkit.Dialects {
		for _, st := range storages {
			t.Run(d+"/"+st, func(t *testing.T) {
				t.Parallel()
				fn(t, newMediaApp(t, d, st, cfg))
			})
		}
	}
}

func newMediaApp(t *testing.T, dialect, storage string, cfg media.Config, opts ...app.Option) *mediaApp {
	t.Helper()
	m := &mediaApp{tempDir: t.TempDir()}
	switch storage {
	case "disk":
		m.dir = t.TempDir()
		b, err := disk.New(m.dir)
		if err != nil {
			t.Fatal(err)
		}
		m.blobs = b
	case "s3":
		m.blobs = mediatest.NewS3(t)
	}
	m.testApp = wire(t, testkit.URL(t, dialect), nil, &clock{now: time.Now().UTC()}, append([]app.Option{app.WithBlobs(m.blobs),
		app.WithMediaConfig(func(c *media.Config) {
			if cfg.MaxBytes > 0 {
				c.MaxBytes = cfg.MaxBytes
			}
			if cfg.MaxPixels > 0 {
				c.MaxPixels = cfg.MaxPixels
			}
			if cfg.Pool != nil {
				c.Pool = cfg.Pool
			}
			if cfg.Renditions.AVIFMaxPixels > 0 {
				c.Renditions.AVIFMaxPixels = cfg.Renditions.AVIFMaxPixels
			}
			c.TempDir = m.tempDir
		})}, opts...)...)
	return m
}

// file is one part of an upload form.
type file struct {
	name, contentType string
	data              []byte
}

// upload posts a multipart form with f as the file field and texts as other fields.
func (a *mediaApp) upload(f file, token string, texts ...string) *httptest.ResponseRecorder {
	body, ct := form(f, texts...)
	return a.do(http.MethodPost, "/api/v1/admin/media", bytes.NewReader(body), "Content-Type: "+ct, bearer(token))
}

func form(f file, texts ...string) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(texts); i += 2 {
		_ = w.WriteField(texts[i], texts[i+1])
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, f.name))
	if f.contentType != "" {
		h.Set("Content-Type", f.contentType)
	}
	p, _ := w.CreatePart(h)
	_, _ = p.Write(f.data)
	_ = w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// assertNothingLeft: no stored file, no spooled file, no row.
func (a *mediaApp) assertNothingLeft(t *testing.T, token string) {
	t.Helper()
	keys, err := a.blobs.Keys(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) > 0 {
		t.Errorf("stored files left: %v", keys)
	}
	for _, dir := range []string{a.dir, a.tempDir} {
		if dir == "" {
			continue
		}
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				t.Errorf("file left on disk: %s", p)
			}
			return nil
		})
	}
	if l := decode[api.AdminMediaList](t, a.get("/api/v1/admin/media", bearer(token)), http.StatusOK); *l.Meta.Total != 0 {
		t.Errorf("%d media rows left", *l.Meta.Total)
	}
}

// photo is a w×h JPEG with texture (so it compresses like a photo).
func photo(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	for y := range h {
		for x := range w {
			n := uint8(r.IntN(24))
			img.Set(x, y, color.RGBA{uint8(x*255/w) + n, uint8(y*255/h) + n, 128 + n, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// secret is planted in metadata; it must never reach a stored file.
const secret = "GPS 40.4093N 49.8671E device SN-123456"

// withEXIF inserts an APP1 EXIF segment (orientation and a description holding secret) and
// an XMP segment right after SOI.
func withEXIF(jpg []byte, orientation uint16) []byte {
	var tiff bytes.Buffer
	le := binary.LittleEndian
	tiff.WriteString("II*\x00")
	_ = binary.Write(&tiff, le, uint32(8))
	_ = binary.Write(&tiff, le, uint16(2))
	entry := func(tag, typ uint16, count, value uint32) {
		_ = binary.Write(&tiff, le, tag)
		_ = binary.Write(&tiff, le, typ)
		_ = binary.Write(&tiff, le, count)
		_ = binary.Write(&tiff, le, value)
	}
	entry(0x0112, 3, 1, uint32(orientation))
	entry(0x010E, 2, uint32(len(secret)+1), 38)
	_ = binary.Write(&tiff, le, uint32(0))
	tiff.WriteString(secret + "\x00")
	segment := func(marker byte, payload []byte) []byte {
		out := []byte{0xFF, marker, 0, 0}
		binary.BigEndian.PutUint16(out[2:], uint16(len(payload)+2))
		return append(out, payload...)
	}
	out := append([]byte{}, jpg[:2]...)
	out = append(out, segment(0xE1, append([]byte("Exif\x00\x00"), tiff.Bytes()...))...)
	out = append(out, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>"+secret+"</x:xmpmeta>"))...)
	out = append(out, segment(0xFE, []byte("comment "+secret))...)
	return append(out, jpg[2:]...)
}

func pngWithText(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	// A tEXt chunk after IHDR (8 + 25 bytes).
	return append(append(append([]byte{}, b[:33]...), pngChunk("tEXt", []byte("Comment\x00"+secret))...), b[33:]...)
}

func pngChunk(typ string, data []byte) []byte {
	out := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(out, uint32(len(data)))
	copy(out[4:], typ)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[4:]))
}

// pixelBomb is a tiny PNG whose header declares 100000×100000 pixels.
func pixelBomb(t testing.TB) []byte {
	b := pngWithText(t, 1, 1)
	ihdr := make([]byte, 13)
	copy(ihdr, b[16:29])
	binary.BigEndian.PutUint32(ihdr[0:], 100_000)
	binary.BigEndian.PutUint32(ihdr[4:], 100_000)
	return append(append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...), b[33:]...)
}

// webpWithEXIF is a 1×1 lossless WebP in an extended container with an EXIF chunk.
func webpWithEXIF(t testing.TB) []byte {
	simple, err := base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	if err != nil {
		t.Fatal(err)
	}
	vp8l := simple[12:]
	chunk := func(fourcc string, data []byte) []byte {
		out := append([]byte(fourcc), 0, 0, 0, 0)
		binary.LittleEndian.PutUint32(out[4:], uint32(len(data)))
		out = append(out, data...)
		if len(data)%2 == 1 {
			out = append(out, 0)
		}
		return out
	}
	body := append([]byte("WEBP"), chunk("VP8X", []byte{0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0})...)
	body = append(body, vp8l...)
	body = append(body, chunk("EXIF", []byte("II*\x00"+secret))...)
	out := append([]byte("RIFF"), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(body)))
	return append(out, body...)
}

func gifWithComment(t testing.TB) []byte {
	img := image.NewPaletted(image.Rect(0, 0, 400, 300), []color.Color{color.White, color.Black})
	for i := range img.Pix {
		img.Pix[i] = uint8(i % 2)
	}
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	// A comment extension after the header, logical screen descriptor and colour table.
	head := 13 + 3*2
	comment := append([]byte{0x21, 0xFE, byte(len(secret))}, secret...)
	comment = append(comment, 0)
	return append(append(append([]byte{}, b[:head]...), comment...), b[head:]...)
}

func TestMediaUploadAndServe(t *testing.T) {
	eachMediaApp(t, media.Config{}, func(t *testing.T, app *mediaApp) {
		tok, uid := app.token(t, auth.RoleAuthor)
		jpg := withEXIF(photo(t, 1200, 900), 6) // a phone photo taken upright: stored 900×1200

		rec := app.upload(file{"Press Conference.JPG", "image/jpeg", jpg}, tok, "alt[en]", "The minister speaks", "caption[en]", "Baku", "alt", "Nazir danışır", "credit[az]", "Foto: Herald")
		m := decode[api.AdminMediaDTO](t, rec, http.StatusCreated)
		if rec.Header().Get("Location") != "/api/v1/admin/media/"+m.ID {
			t.Errorf("Location %q", rec.Header().Get("Location"))
		}
		if m.Type != "image" || m.MIME != "image/jpeg" || m.Width != 900 || m.Height != 1200 || m.Filename != "Press Conference.JPG" ||
			m.UploadedBy == nil || *m.UploadedBy != uid.String() || len(m.SHA256) != 64 {
			t.Fatalf("uploaded %+v", m)
		}
		if len(m.Variants) != 2 || m.Variants[0].Name != "thumb" || m.Variants[0].Width != 320 || m.Variants[0].Height != 427 ||
			m.Variants[1].Name != "medium" || m.Variants[1].Width != 800 || m.Variants[1].Height != 1067 {
			t.Fatalf("variants %+v (a 900 wide image has no 1600 variant: never upscaled)", m.Variants)
		}
		if m.URLs.Large != m.URLs.Original || m.URLs.Thumb != m.Variants[0].URL {
			t.Errorf("urls %+v", m.URLs)
		}

		// Every stored file is served, upright, without metadata, with immutable caching.
		for _, u := range []string{m.URLs.Original, m.URLs.Thumb, m.URLs.Medium} {
			rec := app.get(u)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d %s", u, rec.Code, rec.Body.String())
			}
			h := rec.Header()
			if h.Get("Content-Type") != "image/jpeg" || h.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
				h.Get("X-Content-Type-Options") != "nosniff" || h.Get("ETag") == "" || h.Get("Accept-Ranges") != "bytes" {
				t.Errorf("GET %s headers %v", u, h)
			}
			body := rec.Body.Bytes()
			if bytes.Contains(body, []byte(secret)) || bytes.Contains(body, []byte("Exif")) || bytes.Contains(body, []byte("xmpmeta")) {
				t.Errorf("%s still carries metadata", u)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(body))
			if err != nil || cfg.Height <= cfg.Width {
				t.Errorf("%s: %v, %dx%d: not upright", u, err, cfg.Width, cfg.Height)
			}
			// Conditional and range requests.
			if rec := app.get(u, "If-None-Match: "+h.Get("ETag")); rec.Code != http.StatusNotModified {
				t.Errorf("If-None-Match: %d", rec.Code)
			}
			rec = app.get(u, "Range: bytes=10-19")
			if rec.Code != http.StatusPartialContent || !bytes.Equal(rec.Body.Bytes(), body[10:20]) ||
				rec.Header().Get("Content-Range") != fmt.Sprintf("bytes 10-19/%d", len(body)) {
				t.Errorf("Range: %d %q", rec.Code, rec.Header().Get("Content-Range"))
			}
		}
		if rec := app.do(http.MethodHead, m.URLs.Medium, nil); rec.Code != http.StatusOK || rec.Body.Len() != 0 ||
			rec.Header().Get("Content-Length") != fmt.Sprint(m.Variants[1].Size) || rec.Header().Get("Content-Type") != "image/jpeg" {
			t.Errorf("HEAD: %d, %d bytes, headers %v", rec.Code, rec.Body.Len(), rec.Header())
		}
		for _, bad := range []string{"/media/../../etc/passwd", "/media/" + m.SHA256 + "/original.exe", "/media/" + strings.Repeat("0", 64) + "/original.jpg", "/media/x/y"} {
			if rec := app.get(bad); rec.Code != http.StatusNotFound {
				t.Errorf("GET %s: %d", bad, rec.Code)
			}
		}

		// The same bytes again: a new item of its own (texts, file name), sharing the files;
		// nothing new stored.
		keys, _ := app.blobs.Keys(context.Background(), "")
		again := decode[api.AdminMediaDTO](t, app.upload(file{"copy.jpg", "", jpg}, tok, "alt[en]", "Second upload"), http.StatusCreated)
		if again.ID == m.ID || again.URLs.Original != m.URLs.Original || again.Filename != "copy.jpg" ||
			len(again.Translations) != 1 || again.Translations[0].Alt != "Second upload" {
			t.Errorf("re-upload: %+v", again)
		}
		if keys2, _ := app.blobs.Keys(context.Background(), ""); len(keys2) != len(keys) || len(keys) != 3 {
			t.Errorf("files %v then %v", keys, keys2)
		}

		// Public: texts in the requested locale with fallback ru → en → az.
		pub := getJSON[api.MediaDTO](t, app.testApp, "/api/v1/media/"+m.ID+"?locale=ru", http.StatusOK)
		if pub.Alt != "The minister speaks" || pub.Caption != "Baku" || pub.Locale != "en" || pub.Width != 900 || pub.URLs.Thumb == "" {
			t.Errorf("public ru: %+v", pub)
		}
		if az := getJSON[api.MediaDTO](t, app.testApp, "/api/v1/media/"+m.ID+"?locale=az", http.StatusOK); az.Alt != "Nazir danışır" || az.Credit != "Foto: Herald" {
			t.Errorf("public az: %+v", az)
		}
		problem(t, app.get("/api/v1/media/"+m.ID+"x"), http.StatusNotFound)
		problem(t, app.get("/api/v1/media/01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d"), http.StatusNotFound)
	})
}

func TestMediaFormats(t *testing.T) {
	eachMediaApp(t, media.Config{}, func(t *testing.T, app *mediaApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
		cases := []struct {
			f          file
			mime       string
			w, h       int
			variants   int
			variantTyp string
		}{
			{file{"chart.png", "image/png", pngWithText(t, 700, 500)}, "image/png", 700, 500, 1, "image/png"},
			{file{"anim.gif", "image/gif", gifWithComment(t)}, "image/gif", 400, 300, 1, "image/gif"},
			{file{"dot.webp", "image/webp", webpWithEXIF(t)}, "image/webp", 1, 1, 0, ""},
			{file{"report.pdf", "application/pdf", pdf}, "application/pdf", 0, 0, 0, ""},
			{file{"upright.jpg", "", withEXIF(photo(t, 400, 300), 1)}, "image/jpeg", 400, 300, 1, "image/jpeg"},
		}
		// Larger than the 1 MiB body limit of JSON requests: uploads have their own.
		large := photo(t, 2600, 1900)
		if len(large) <= 1<<20 {
			t.Fatalf("fixture is only %d bytes", len(large))
		}
		cases = append(cases, struct {
			f          file
			mime       string
			w, h       int
			variants   int
			variantTyp string
		}{file{"large.jpg", "image/jpeg", large}, "image/jpeg", 2600, 1900, 3, "image/jpeg"})
		for _, c := range cases {
			m := decode[api.AdminMediaDTO](t, app.upload(c.f, tok), http.StatusCreated)
			if m.MIME != c.mime || m.Width != c.w || m.Height != c.h || len(m.Variants) != c.variants {
				t.Errorf("%s: %+v", c.f.name, m)
				continue
			}
			if c.variants > 0 && m.Variants[0].MIME != c.variantTyp {
				t.Errorf("%s: variant %+v", c.f.name, m.Variants[0])
			}
			rec := app.get(m.URLs.Original)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != c.mime {
				t.Fatalf("%s: GET original %d %s", c.f.name, rec.Code, rec.Header().Get("Content-Type"))
			}
			if bytes.Contains(rec.Body.Bytes(), []byte(secret)) {
				t.Errorf("%s: metadata survived", c.f.name)
			}
			if _, _, err := image.DecodeConfig(bytes.NewReader(rec.Body.Bytes())); err != nil && c.mime != "application/pdf" && c.mime != "image/webp" {
				t.Errorf("%s: stored original does not decode: %v", c.f.name, err)
			}
			if c.mime == "application/pdf" {
				if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
					t.Errorf("pdf Content-Disposition %q", cd)
				}
				if m.Type != "document" || m.URLs.Thumb != "" {
					t.Errorf("pdf %+v", m)
				}
			}
			if c.mime == "image/webp" {
				if _, err := decodeWebP(rec.Body.Bytes()); err != nil {
					t.Errorf("stripped webp does not decode: %v", err)
				}
			}
			if c.mime == "image/jpeg" && !bytes.Equal(rec.Body.Bytes()[len(rec.Body.Bytes())-2:], []byte{0xFF, 0xD9}) {
				t.Error("jpeg original does not end at EOI")
			}
		}
	})
}

// TestHostileUploads: every hostile file gets its status and leaves nothing behind.
func TestHostileUploads(t *testing.T) {
	eachMediaApp(t, media.Config{MaxBytes: 512 << 10}, func(t *testing.T, app *mediaApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		jpg := photo(t, 300, 200)
		polyglot := append(append([]byte{}, jpg[:2]...), append([]byte{0xFF, 0xFE, 0, 27}, "<script>alert(1)</script>"...)...)
		polyglot = append(append(polyglot, jpg[2:]...), "%PDF-1.4\n1 0 obj<</JS(app.alert(1))>>endobj"...)
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode."), make([]byte, 4096)...)
		svg := []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`)
		big := make([]byte, 600<<10)
		copy(big, jpg)
		cases := []struct {
			name   string
			f      file
			status int
		}{
			{"polyglot jpeg+html+pdf", file{"cat.jpg", "image/jpeg", polyglot}, http.StatusUnsupportedMediaType},
			{"renamed executable", file{"photo.jpg", "image/jpeg", exe}, http.StatusUnsupportedMediaType},
			{"svg with script", file{"logo.svg", "image/svg+xml", svg}, http.StatusUnsupportedMediaType},
			{"svg disguised as png", file{"logo.png", "image/png", svg}, http.StatusUnsupportedMediaType},
			{"png declared as jpeg", file{"chart.jpg", "image/jpeg", pngWithText(t, 10, 10)}, http.StatusUnsupportedMediaType},
			{"jpeg with a .exe name", file{"photo.exe", "", jpg}, http.StatusUnsupportedMediaType},
			{"pixel bomb", file{"bomb.png", "image/png", pixelBomb(t)}, http.StatusUnprocessableEntity},
			{"truncated jpeg", file{"cut.jpg", "image/jpeg", jpg[:len(jpg)*6/10]}, http.StatusUnprocessableEntity},
			{"zero bytes", file{"empty.jpg", "image/jpeg", nil}, http.StatusBadRequest},
			{"over the byte limit", file{"big.jpg", "image/jpeg", big}, http.StatusRequestEntityTooLarge},
		}
		for _, c := range cases {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			before := ms.TotalAlloc
			start := time.Now()
			p := problem(t, app.upload(c.f, tok), c.status)
			if c.name == "pixel bomb" {
				runtime.ReadMemStats(&ms)
				// Refused from the header: fast, and far below the 40 GB a decode would need.
				if took, alloc := time.Since(start), ms.TotalAlloc-before; took > 2*time.Second || alloc > 64<<20 {
					t.Errorf("pixel bomb took %v and allocated %d MB", took, alloc>>20)
				}
				if !strings.Contains(p.Detail, "megapixels") {
					t.Errorf("pixel bomb detail %q", p.Detail)
				}
			}
			app.assertNothingLeft(t, tok)
		}
		// Multipart abuse: no file, two files, unknown fields, not multipart.
		body, ct := form(file{"a.jpg", "", jpg}, "owner", "me")
		problem(t, app.do(http.MethodPost, "/api/v1/admin/media", bytes.NewReader(body), "Content-Type: "+ct, bearer(tok)), http.StatusBadRequest)
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		_ = w.WriteField("alt[en]", "nothing")
		_ = w.Close()
		problem(t, app.do(http.MethodPost, "/api/v1/admin/media", &buf, "Content-Type: "+w.FormDataContentType(), bearer(tok)), http.StatusBadRequest)
		problem(t, app.send(http.MethodPost, "/api/v1/admin/media", `{"file":"x"}`, bearer(tok)), http.StatusUnsupportedMediaType)
		problem(t, app.upload(file{"a.jpg", "", jpg}, tok, "alt[de]", "Minister"), http.StatusBadRequest)
		app.assertNothingLeft(t, tok)
	})
}

// brokenBody yields the first n bytes of data, then fails as a dropped connection does.
type brokenBody struct {
	data []byte
	n    int
}

func (b *brokenBody) Read(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, errors.New("connection reset by peer")
	}
	k := copy(p, b.data[:min(b.n, len(b.data))])
	b.data, b.n = b.data[k:], b.n-k
	return k, nil
}

// TestFailedUploadsLeaveNothing: a client that disconnects mid-file and a database that
// fails after the files were stored both leave no file and no row.
func TestFailedUploadsLeaveNothing(t *testing.T) {
	eachMediaApp(t, media.Config{}, func(t *testing.T, app *mediaApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		body, ct := form(file{"photo.jpg", "image/jpeg", photo(t, 1700, 1000)}, "alt[en]", "x")
		problem(t, app.do(http.MethodPost, "/api/v1/admin/media", &brokenBody{data: body, n: len(body) / 2}, "Content-Type: "+ct, bearer(tok)), http.StatusBadRequest)
		app.assertNothingLeft(t, tok)

		// The database fails at the last step (the texts' table is gone): the variants
		// already stored are removed again.
		drop := "DROP TABLE media_translations"
		if app.db.Dialect() == "postgres" {
			drop += " CASCADE" // the view article_cards reads it
		}
		if err := app.db.Gorm().Exec(drop).Error; err != nil {
			t.Fatal(err)
		}
		problem(t, app.do(http.MethodPost, "/api/v1/admin/media", bytes.NewReader(body), "Content-Type: "+ct, bearer(tok)), http.StatusInternalServerError)
		keys, _ := app.blobs.Keys(context.Background(), "")
		if len(keys) != 0 {
			t.Errorf("files left after a database failure: %v", keys)
		}
		if app.dir != "" {
			_ = filepath.WalkDir(app.dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					t.Errorf("left on disk: %s", p)
				}
				return nil
			})
		}
		if entries, _ := os.ReadDir(app.tempDir); len(entries) != 0 {
			t.Errorf("spool files left: %v", entries)
		}
		var rows int64
		app.db.Gorm().Table("media").Count(&rows)
		if rows != 0 {
			t.Errorf("%d media rows after a failed upload", rows)
		}
	})
}

func TestMediaAdmin(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMediaApp(t, d, "disk", media.Config{})
			author, authorID := app.token(t, auth.RoleAuthor)
			other, _ := app.token(t, auth.RoleAuthor)
			editor, _ := app.token(t, auth.RoleEditor)
			mine := decode[api.AdminMediaDTO](t, app.upload(file{"a.jpg", "", photo(t, 500, 400)}, author, "alt[en]", "First"), http.StatusCreated)
			theirs := decode[api.AdminMediaDTO](t, app.upload(file{"b.pdf", "", []byte("%PDF-1.7\n%%EOF\n")}, editor), http.StatusCreated)

			// Texts: authors edit their own, editors any; absent fields are kept.
			path := "/api/v1/admin/media/" + mine.ID
			problem(t, app.send(http.MethodPatch, path, api.UpdateMediaRequest{Translations: []api.MediaTranslationPatch{{Locale: "ru", Alt: ptr("Чужое")}}}, bearer(other)), http.StatusForbidden)
			got := decode[api.AdminMediaDTO](t, app.send(http.MethodPatch, path, api.UpdateMediaRequest{Translations: []api.MediaTranslationPatch{{Locale: "ru", Alt: ptr("Первое")}, {Locale: "en", Caption: ptr("Caption")}}}, bearer(author)), http.StatusOK)
			if len(got.Translations) != 2 || got.Translations[0].Locale != "en" || got.Translations[0].Alt != "First" || got.Translations[0].Caption != "Caption" || got.Translations[1].Alt != "Первое" {
				t.Errorf("translations %+v", got.Translations)
			}
			decode[api.AdminMediaDTO](t, app.send(http.MethodPatch, path, api.UpdateMediaRequest{Translations: []api.MediaTranslationPatch{{Locale: "az", Credit: ptr("Redaksiya")}}}, bearer(editor)), http.StatusOK)
			problem(t, app.send(http.MethodPatch, path, api.UpdateMediaRequest{Translations: []api.MediaTranslationPatch{{Locale: "de", Alt: ptr("x")}}}, bearer(editor)), http.StatusBadRequest)
			problem(t, app.send(http.MethodPatch, path, api.UpdateMediaRequest{Translations: []api.MediaTranslationPatch{{Locale: "en", Alt: ptr(strings.Repeat("a", 1001))}}}, bearer(editor)), http.StatusBadRequest)
			problem(t, app.send(http.MethodPatch, path, `{"translations":[],"sha256":"x"}`, bearer(editor)), http.StatusBadRequest)
			if pub := getJSON[api.MediaDTO](t, app.testApp, "/api/v1/media/"+mine.ID+"?locale=ru", http.StatusOK); pub.Alt != "Первое" || pub.Locale != "ru" {
				t.Errorf("public after patch: %+v", pub)
			}

			// List filters.
			list := func(q string) []api.AdminMediaDTO {
				return decode[api.AdminMediaList](t, app.get("/api/v1/admin/media"+q, bearer(author)), http.StatusOK).Data
			}
			if l := list(""); len(l) != 2 || l[0].ID != theirs.ID {
				t.Errorf("list newest first: %+v", l)
			}
			if l := list("?type=document"); len(l) != 1 || l[0].ID != theirs.ID {
				t.Errorf("type=document: %+v", l)
			}
			if l := list("?uploader=" + authorID.String()); len(l) != 1 || l[0].ID != mine.ID {
				t.Errorf("uploader: %+v", l)
			}
			for _, bad := range []string{"?type=video", "?uploader=me", "?unused=maybe", "?per_page=500"} {
				problem(t, app.get("/api/v1/admin/media"+bad, bearer(author)), http.StatusBadRequest)
			}

			// An article uses mine as its cover: delete is refused, naming it; force detaches.
			art := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
				"cover_media_id": mine.ID, "translations": []map[string]string{{"locale": "en", "title": "With a cover"}},
			}, bearer(author)), http.StatusCreated)
			if l := list("?unused=true"); len(l) != 1 || l[0].ID != theirs.ID {
				t.Errorf("unused: %+v", l)
			}
			p := problem(t, app.do(http.MethodDelete, path, nil, bearer(author)), http.StatusConflict)
			if len(p.Articles) != 1 || p.Articles[0] != art.ID {
				t.Errorf("409 articles %v, want [%s]", p.Articles, art.ID)
			}
			problem(t, app.do(http.MethodDelete, path+"?force=true", nil, bearer(author)), http.StatusForbidden)
			problem(t, app.do(http.MethodDelete, "/api/v1/admin/media/"+theirs.ID, nil, bearer(author)), http.StatusForbidden)
			if rec := app.do(http.MethodDelete, path+"?force=true", nil, bearer(editor)); rec.Code != http.StatusNoContent {
				t.Fatalf("force delete: %d %s", rec.Code, rec.Body.String())
			}
			after := decode[api.AdminArticleDTO](t, app.get(adminArticles+"/"+art.ID, bearer(editor)), http.StatusOK)
			if after.CoverMediaID != nil || after.Version != art.Version+1 {
				t.Errorf("article after force delete: cover %v, version %d (was %d)", after.CoverMediaID, after.Version, art.Version)
			}
			problem(t, app.get(path, bearer(editor)), http.StatusNotFound)
			if rec := app.get(mine.URLs.Original); rec.Code != http.StatusNotFound {
				t.Errorf("file of a deleted item: %d", rec.Code)
			}
			if rec := app.do(http.MethodDelete, "/api/v1/admin/media/"+theirs.ID, nil, bearer(editor)); rec.Code != http.StatusNoContent {
				t.Fatalf("delete: %d", rec.Code)
			}
			app.assertNothingLeft(t, editor)
		})
	}
}

func decodeWebP(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) }

// articleList is the public list with covers.
type coverList struct {
	Data []api.ArticleDTO `json:"data"`
}

// TestArticleMedia: covers and galleries, embedded with URLs and localized alt text in
// public responses (lists: cover only), in a fixed number of queries; deletes detach.
func TestArticleMedia(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMediaApp(t, d, "disk", media.Config{}, coldTotals)
			tok, _ := app.token(t, auth.RoleEditor)
			ed := bearer(tok)
			var ids []string
			for i, w := range []int{400, 500, 600} {
				m := decode[api.AdminMediaDTO](t, app.upload(file{fmt.Sprintf("p%d.jpg", i), "", photo(t, w, 300)}, tok,
					"alt[en]", fmt.Sprintf("Photo %d", i), "alt[az]", fmt.Sprintf("Şəkil %d", i)), http.StatusCreated)
				ids = append(ids, m.ID)
			}
			problem(t, app.send(http.MethodPost, adminArticles, map[string]any{"gallery_media_ids": []string{ids[1], ids[1]},
				"translations": []map[string]string{{"locale": "en", "title": "Dup"}}}, ed), http.StatusBadRequest)
			p := problem(t, app.send(http.MethodPost, adminArticles, map[string]any{"cover_media_id": "01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d",
				"translations": []map[string]string{{"locale": "en", "title": "Ghost"}}}, ed), http.StatusBadRequest)
			if len(p.Errors) != 1 || p.Errors[0].Field != "cover_media_id" {
				t.Errorf("missing cover: %+v", p.Errors)
			}

			art := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
				"cover_media_id": ids[0], "gallery_media_ids": []string{ids[2], ids[1]},
				"translations": []map[string]string{{"locale": "en", "title": "Photo story"}},
			}, ed), http.StatusCreated)
			if len(art.GalleryMediaIDs) != 2 || art.GalleryMediaIDs[0] != ids[2] {
				t.Fatalf("gallery %v", art.GalleryMediaIDs)
			}
			decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+art.ID+"/publish", nil, ed, ifMatch(1)), http.StatusOK)

			detailQueries := countQueries(t, app.testApp)
			got := getJSON[api.ArticleDTO](t, app.testApp, "/api/v1/articles/"+art.ID+"?locale=ru", http.StatusOK)
			if n := detailQueries(); n != 1 {
				t.Errorf("detail with cover and gallery ran %d queries, want 1", n)
			}
			if got.Cover == nil || got.Cover.ID != ids[0] || got.Cover.Alt != "Photo 0" || got.Cover.URLs.Thumb == "" {
				t.Fatalf("cover %+v", got.Cover)
			}
			if len(got.Gallery) != 2 || got.Gallery[0].ID != ids[2] || got.Gallery[1].ID != ids[1] || got.Gallery[0].Alt != "Photo 2" {
				t.Fatalf("gallery %+v", got.Gallery)
			}
			if az := getJSON[api.ArticleDTO](t, app.testApp, "/api/v1/articles/"+art.ID+"?locale=az", http.StatusOK); az.Cover.Alt != "Şəkil 0" {
				t.Errorf("az cover alt %q", az.Cover.Alt)
			}
			list := getJSON[coverList](t, app.testApp, "/api/v1/articles?locale=en&per_page=100", http.StatusOK)
			found := false
			for _, a := range list.Data {
				if a.ID == art.ID {
					found = a.Cover != nil && a.Cover.ID == ids[0] && a.Gallery == nil
				}
			}
			if !found {
				t.Errorf("list item lacks its cover or carries a gallery")
			}

			// Covers on every article of a page cost the same queries as on none.
			for i := range 4 {
				a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{"cover_media_id": ids[i%3],
					"translations": []map[string]string{{"locale": "en", "title": fmt.Sprintf("Covered %d", i)}}}, ed), http.StatusCreated)
				decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+a.ID+"/publish", nil, ed, ifMatch(1)), http.StatusOK)
			}
			count := func(target string) int {
				n := countQueries(t, app.testApp)
				getJSON[coverList](t, app.testApp, target, http.StatusOK)
				return n()
			}
			if small, large := count("/api/v1/articles?per_page=10&locale=en"), count("/api/v1/articles?per_page=100&locale=en"); small != large || large != 2 {
				t.Errorf("queries with covers: per_page=10 → %d, per_page=100 → %d; want 2 (count, page)", small, large)
			}

			// Reorder; then a gallery item deleted with force leaves the gallery.
			path := adminArticles + "/" + art.ID
			up := decode[api.AdminArticleDTO](t, app.send(http.MethodPatch, path, map[string]any{"gallery_media_ids": []string{ids[1], ids[2]}}, ed, ifMatch(2)), http.StatusOK)
			if up.GalleryMediaIDs[0] != ids[1] {
				t.Errorf("reorder: %v", up.GalleryMediaIDs)
			}
			pr := problem(t, app.do(http.MethodDelete, "/api/v1/admin/media/"+ids[2], nil, ed), http.StatusConflict)
			if len(pr.Articles) != 2 || (pr.Articles[0] != art.ID && pr.Articles[1] != art.ID) {
				t.Errorf("409 articles %v: want the gallery's and the cover's", pr.Articles)
			}
			if rec := app.do(http.MethodDelete, "/api/v1/admin/media/"+ids[2]+"?force=true", nil, ed); rec.Code != http.StatusNoContent {
				t.Fatalf("force: %d", rec.Code)
			}
			after := decode[api.AdminArticleDTO](t, app.get(path, ed), http.StatusOK)
			if len(after.GalleryMediaIDs) != 1 || after.GalleryMediaIDs[0] != ids[1] || after.Version != up.Version+1 {
				t.Errorf("after force delete: %v v%d", after.GalleryMediaIDs, after.Version)
			}
			// Restoring version 1 brings back the gallery minus the deleted item.
			restored := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, path+"/revisions/1/restore", nil, ed, ifMatch(after.Version)), http.StatusOK)
			if len(restored.GalleryMediaIDs) != 1 || restored.GalleryMediaIDs[0] != ids[1] || restored.CoverMediaID == nil {
				t.Errorf("restored gallery %v cover %v", restored.GalleryMediaIDs, restored.CoverMediaID)
			}
		})
	}
}

// TestConcurrentSameUpload: the same bytes uploaded at once by several editors are stored
// once; every caller gets an item of their own over those files, and the files survive the
// others' clean-up.
func TestConcurrentSameUpload(t *testing.T) {
	eachMediaApp(t, media.Config{}, func(t *testing.T, app *mediaApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		jpg := photo(t, 900, 600)
		const n = 6
		ids := make(chan string, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				rec := app.upload(file{"same.jpg", "", jpg}, tok)
				if rec.Code != http.StatusCreated {
					t.Errorf("status %d: %s", rec.Code, rec.Body.String())
					return
				}
				var m api.AdminMediaDTO
				_ = json.Unmarshal(rec.Body.Bytes(), &m)
				ids <- m.ID
			})
		}
		wg.Wait()
		close(ids)
		seen := map[string]bool{}
		for id := range ids {
			if seen[id] {
				t.Errorf("one item for two uploads: %s", id)
			}
			seen[id] = true
		}
		if keys, _ := app.blobs.Keys(context.Background(), ""); len(keys) != 3 {
			t.Errorf("stored files %v, want one original and two variants", keys)
		}
		l := decode[api.AdminMediaList](t, app.get("/api/v1/admin/media", bearer(tok)), http.StatusOK)
		if len(l.Data) != n {
			t.Fatalf("%d items", len(l.Data))
		}
		for _, u := range []string{l.Data[0].URLs.Original, l.Data[0].URLs.Thumb, l.Data[0].URLs.Medium} {
			if rec := app.get(u); rec.Code != http.StatusOK {
				t.Errorf("GET %s: %d", u, rec.Code)
			}
		}
	})
}

// TestMediaTextsFallBackPerField: alt text, caption and credit each fall back along the
// reader's chain on their own and name their locale (issue 12, item 5): a credit given only
// in English shows under ?locale=az although the item has az alt text.
func TestMediaTextsFallBackPerField(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMediaApp(t, d, "disk", media.Config{})
			tok, _ := app.token(t, auth.RoleAuthor)
			m := decode[api.AdminMediaDTO](t, app.upload(file{"p.jpg", "image/jpeg", photo(t, 400, 300)}, tok,
				"alt[az]", "Nazir danışır", "credit[en]", "Photo: Herald", "caption[ru]", "Баку"), http.StatusCreated)
			rec := app.get("/api/v1/media/" + m.ID + "?locale=az")
			az := decode[api.MediaDTO](t, rec, http.StatusOK)
			if az.Alt != "Nazir danışır" || az.AltLocale != "az" || az.Credit != "Photo: Herald" || az.CreditLocale != "en" ||
				az.Caption != "Баку" || az.CaptionLocale != "ru" || az.Locale != "az" {
				t.Errorf("az: %+v", az)
			}
			if cl := rec.Header().Get("Content-Language"); cl != "az, ru, en" {
				t.Errorf("Content-Language %q", cl)
			}
			// The reader's ranking decides: ru first, then en.
			ru := getJSON[api.MediaDTO](t, app.testApp, "/api/v1/media/"+m.ID, http.StatusOK, "Accept-Language: ru, en;q=0.5")
			if ru.Caption != "Баку" || ru.CaptionLocale != "ru" || ru.Alt != "Nazir danışır" || ru.AltLocale != "az" || ru.CreditLocale != "en" || ru.Locale != "az" {
				t.Errorf("ru: %+v", ru)
			}
		})
	}
}
