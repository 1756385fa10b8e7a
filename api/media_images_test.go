package api_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gen2brain/avif"
	gwebp "github.com/gen2brain/webp"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/media/disk"
	"github.com/heraldcms/herald/internal/media/hostile"
	"github.com/heraldcms/herald/internal/media/mediatest"
	"github.com/heraldcms/herald/internal/testkit"
)

// decodeImage decodes a rendition with the decoder of its format (WebP and AVIF with the
// libraries that encoded them).
func decodeImage(t *testing.T, typ string, b []byte) image.Image {
	t.Helper()
	var img image.Image
	var err error
	switch typ {
	case "image/jpeg":
		img, err = jpeg.Decode(bytes.NewReader(b))
	case "image/png":
		img, err = png.Decode(bytes.NewReader(b))
	case "image/webp":
		img, err = gwebp.Decode(bytes.NewReader(b))
	case "image/avif":
		img, err = avif.Decode(bytes.NewReader(b))
	default:
		t.Fatalf("unexpected type %q", typ)
	}
	if err != nil {
		t.Fatalf("decode %s: %v", typ, err)
	}
	return img
}

// renditionKeys lists the stored renditions.
func renditionKeys(t *testing.T, b media.Blobs) []string {
	t.Helper()
	keys, err := b.Keys(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range keys {
		if media.IsRendition(k) {
			out = append(out, k)
		}
	}
	return out
}

// TestImageRenditions: every format is produced on first request, decodes back at the
// requested size, carries none of the original's metadata, is stored beside the original
// and served from storage afterwards with immutable caching and 304s. Disk and S3, both
// databases.
func TestImageRenditions(t *testing.T) {
	eachMediaApp(t, media.Config{}, func(t *testing.T, app *mediaApp) {
		tok, _ := app.token(t, auth.RoleAuthor)
		// A phone photo taken upright (EXIF orientation 6) with GPS and a device serial in
		// its metadata: stored 900×1200.
		m := decode[api.AdminMediaDTO](t, app.upload(file{"p.jpg", "image/jpeg", withEXIF(photo(t, 1200, 900), 6)}, tok), http.StatusCreated)
		base := "/media/" + m.SHA256 + "/original.jpg"
		for _, c := range []struct {
			query, typ string
			w, h       int
		}{
			{"?w=320&fm=jpeg", "image/jpeg", 320, 427},
			{"?w=320", "image/jpeg", 320, 427}, // the original's format
			{"?w=320&fm=png", "image/png", 320, 427},
			{"?w=320&fm=webp", "image/webp", 320, 427},
			{"?w=160&fm=avif", "image/avif", 160, 213},
			{"?h=360&fm=webp&q=60", "image/webp", 270, 360},
			{"?w=640&h=360&fit=cover", "image/jpeg", 640, 360},
			{"?w=640&h=360&fit=contain&fm=png", "image/png", 640, 360},
			{"?w=640&h=360&fit=inside", "image/jpeg", 270, 360},
			// Never upscaled: a larger box shrinks to fit the 900×1200 original.
			{"?w=1600", "image/jpeg", 900, 1200},
			{"?w=1920&h=1080&fit=cover", "image/jpeg", 900, 506},
			{"?w=2400&h=1600&fit=contain", "image/jpeg", 1800, 1200},
		} {
			rec := app.get(base + c.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", c.query, rec.Code, rec.Body.String())
			}
			h := rec.Header()
			if h.Get("Content-Type") != c.typ || h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("ETag") == "" ||
				h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: headers %v", c.query, h)
			}
			body := rec.Body.Bytes()
			if bytes.Contains(body, []byte(secret)) || bytes.Contains(body, []byte("Exif")) || bytes.Contains(body, []byte("xmpmeta")) {
				t.Errorf("%s: the rendition carries the original's metadata", c.query)
			}
			img := decodeImage(t, c.typ, body)
			if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
				t.Errorf("%s: %dx%d, want %dx%d", c.query, b.Dx(), b.Dy(), c.w, c.h)
			}
			if c.query == "?w=320&fm=jpeg" {
				// Upright: the top left is the photo's bottom left (blue-ish, dark), as
				// the original after applying orientation 6.
				orig := decodeImage(t, "image/jpeg", app.get(m.URLs.Original).Body.Bytes())
				r1, g1, _, _ := orig.At(5, 5).RGBA()
				r2, g2, _, _ := img.At(1, 1).RGBA()
				if diff(r1, r2) > 0x2000 || diff(g1, g2) > 0x2000 {
					t.Errorf("rendition not oriented like the original: %v vs %v", orig.At(5, 5), img.At(1, 1))
				}
			}
			// Served from storage now: the same bytes, and a 304 for the ETag.
			again := app.get(base + c.query)
			if again.Code != http.StatusOK || !bytes.Equal(again.Body.Bytes(), body) {
				t.Errorf("%s again: %d, same bytes %v", c.query, again.Code, bytes.Equal(again.Body.Bytes(), body))
			}
			if r := app.get(base+c.query, "If-None-Match: "+h.Get("ETag")); r.Code != http.StatusNotModified {
				t.Errorf("%s If-None-Match: %d", c.query, r.Code)
			}
		}
		// ?w=320 and ?w=320&fm=jpeg are the same rendition.
		if n := len(renditionKeys(t, app.blobs)); n != 11 {
			t.Errorf("%d renditions stored, want 11: %v", n, renditionKeys(t, app.blobs))
		}

		// The item's srcsets point at renditions that exist to be made.
		pub := getJSON[api.MediaDTO](t, app.testApp, "/api/v1/media/"+m.ID, http.StatusOK)
		if len(pub.Sources) != 3 || pub.Sources[0].Type != "image/avif" || pub.Sources[1].Type != "image/webp" || pub.Sources[2].Type != "image/jpeg" {
			t.Fatalf("sources %+v", pub.Sources)
		}
		want := base + "?w=160&fm=webp 160w, " + base + "?w=320&fm=webp 320w, " + base + "?w=480&fm=webp 480w, " + base + "?w=640&fm=webp 640w, " +
			base + "?w=768&fm=webp 768w, " + base + "?w=1024&fm=webp 900w"
		if pub.Sources[1].Srcset != want {
			t.Errorf("webp srcset\n%s\nwant\n%s", pub.Sources[1].Srcset, want)
		}
		u, _, _ := strings.Cut(strings.Split(pub.Sources[2].Srcset, ", ")[5], " ")
		if rec := app.get(u); rec.Code != http.StatusOK || decodeImage(t, "image/jpeg", rec.Body.Bytes()).Bounds().Dx() != 900 {
			t.Errorf("GET %s: %d", u, rec.Code)
		}

		// Deleting the item deletes its renditions too.
		if rec := app.do(http.MethodDelete, "/api/v1/admin/media/"+m.ID, nil, bearer(tok)); rec.Code != http.StatusNoContent {
			t.Fatalf("delete: %d", rec.Code)
		}
		app.assertNothingLeft(t, tok)
	})
}

func diff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestRenditionNegotiation: fm=auto picks AVIF, WebP or the original's format from Accept
// and says Vary: Accept.
func TestRenditionNegotiation(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMediaApp(t, d, "disk", media.Config{})
			tok, _ := app.token(t, auth.RoleAuthor)
			jpg := decode[api.AdminMediaDTO](t, app.upload(file{"p.jpg", "", photo(t, 400, 300)}, tok), http.StatusCreated)
			pngItem := decode[api.AdminMediaDTO](t, app.upload(file{"t.png", "", pngWithText(t, 400, 300)}, tok), http.StatusCreated)
			for _, c := range []struct{ file, accept, want string }{
				{jpg.SHA256 + "/original.jpg", "image/avif,image/webp,image/apng,*/*;q=0.8", "image/avif"},
				{jpg.SHA256 + "/original.jpg", "image/webp,*/*", "image/webp"},
				{jpg.SHA256 + "/original.jpg", "image/avif;q=0, image/webp", "image/webp"},
				{jpg.SHA256 + "/original.jpg", "*/*", "image/jpeg"},
				{jpg.SHA256 + "/original.jpg", "", "image/jpeg"},
				{pngItem.SHA256 + "/original.png", "image/jpeg,*/*", "image/png"},
			} {
				rec := app.get("/media/"+c.file+"?w=160&fm=auto", "Accept: "+c.accept)
				if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != c.want || rec.Header().Get("Vary") != "Accept" {
					t.Errorf("Accept %q: %d %q Vary %q %s", c.accept, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Vary"), rec.Body.String())
					continue
				}
				decodeImage(t, c.want, rec.Body.Bytes())
			}
			// The PNG's text chunk holds the secret; no rendition of it does.
			for _, fm := range []string{"png", "webp", "jpeg"} {
				if body := app.get("/media/" + pngItem.SHA256 + "/original.png?w=320&fm=" + fm).Body.Bytes(); bytes.Contains(body, []byte(secret)) {
					t.Errorf("fm=%s carries the PNG's text chunk", fm)
				}
			}
		})
	}
}

// TestRenditionAllowLists: anything outside the allow-lists is a 400 naming the allowed
// values, and nothing is rendered.
func TestRenditionAllowLists(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMediaApp(t, d, "disk", media.Config{})
			tok, _ := app.token(t, auth.RoleAuthor)
			m := decode[api.AdminMediaDTO](t, app.upload(file{"p.jpg", "", photo(t, 400, 300)}, tok), http.StatusCreated)
			pdf := decode[api.AdminMediaDTO](t, app.upload(file{"d.pdf", "", []byte("%PDF-1.7\n%%EOF\n")}, tok), http.StatusCreated)
			base := "/media/" + m.SHA256 + "/original.jpg"
			for _, c := range []struct{ target, field, says string }{
				{base + "?w=333", "w", "must be one of 160, 320, 480, 640, 768, 1024, 1280, 1600, 1920, 2400"},
				{base + "?w=100000", "w", "must be one of 160, 320"},
				{base + "?w=-320", "w", "positive whole number"},
				{base + "?w=abc", "w", "positive whole number"},
				{base + "?w=320&h=333", "h", "must be one of 90, 120"},
				{base + "?w=320&q=33", "q", "must be one of 40, 50, 60, 70, 75, 80, 85, 90"},
				{base + "?w=320&fit=fill", "fit", "cover, contain, inside"},
				{base + "?w=320&fm=bmp", "fm", "jpeg, png, webp, avif, auto"},
				{base + "?fm=webp", "w", "w or h is required"},
				{base + "?w=320&h=180&fp=0.5,0.5", "fp", "only to fit=cover"},
				{base + "?w=320&h=180&fit=cover&fp=1.5,0.5", "fp", "0..1"},
				{base + "?w=320&h=180&fit=cover&fp=middle", "fp", "x,y"},
				// A focal point no item of these bytes has: a client cannot mint crops.
				{base + "?w=320&h=180&fit=cover&fp=0.10,0.20", "fp", "focal point of a media item"},
				{base + "?w=320&size=big", "size", "accepts fit, fm, fp, h, q, w"},
				{"/media/" + m.SHA256 + "/thumb.jpg?w=160", "file", "only an original"},
				{"/media/" + pdf.SHA256 + "/original.pdf?w=160", "w", "documents cannot be transformed"},
			} {
				p := problem(t, app.get(c.target), http.StatusBadRequest)
				if len(p.Errors) == 0 || p.Errors[0].Field != c.field || !strings.Contains(p.Errors[0].Message, c.says) {
					t.Errorf("%s: %+v", c.target, p.Errors)
				}
			}
			if keys := renditionKeys(t, app.blobs); len(keys) != 0 {
				t.Errorf("refused requests rendered %v", keys)
			}
			problem(t, app.get("/media/"+strings.Repeat("0", 64)+"/original.jpg?w=160"), http.StatusNotFound)
		})
	}
}

// focalPhoto is a 1000×500 grey JPEG with a red square at x 850, y 250: only a crop that
// follows the focal point (0.85, 0.5) shows it.
func focalPhoto(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1000, 500))
	for y := range 500 {
		for x := range 1000 {
			c := color.RGBA{128, 128, 128, 255}
			if x >= 820 && x < 880 && y >= 220 && y < 280 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func hasRed(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r > 0xC000 && g < 0x5000 && bl < 0x5000 {
				return true
			}
		}
	}
	return false
}

// TestRenditionFocalPoint: editors set a focal point (validated), responses show it, and
// fit=cover crops keep it in frame in every format.
func TestRenditionFocalPoint(t *testing.T) {
	eachMediaApp(t, media.Config{}, func(t *testing.T, app *mediaApp) {
		tok, _ := app.token(t, auth.RoleEditor)
		m := decode[api.AdminMediaDTO](t, app.upload(file{"f.jpg", "", focalPhoto(t)}, tok), http.StatusCreated)
		path := "/api/v1/admin/media/" + m.ID
		for _, bad := range []string{`{"focal_point":{"x":1.5,"y":0.5}}`, `{"focal_point":{"x":0.5,"y":-0.1}}`, `{"focal_point":{"x":"left","y":0}}`} {
			p := problem(t, app.send(http.MethodPatch, path, bad, bearer(tok)), http.StatusBadRequest)
			if !strings.Contains(bad, `"left"`) && (len(p.Errors) != 1 || p.Errors[0].Field != "focal_point") {
				t.Errorf("%s: %+v", bad, p.Errors)
			}
		}
		base := "/media/" + m.SHA256 + "/original.jpg?w=320&h=320&fit=cover"
		// The centre crop (250..750) misses the square.
		if img := decodeImage(t, "image/jpeg", app.get(base).Body.Bytes()); hasRed(img) {
			t.Error("the centred crop shows the square")
		}
		got := decode[api.AdminMediaDTO](t, app.send(http.MethodPatch, path, `{"focal_point":{"x":0.853,"y":0.5}}`, bearer(tok)), http.StatusOK)
		if got.FocalPoint == nil || got.FocalPoint.X != 0.85 || got.FocalPoint.Y != 0.5 {
			t.Fatalf("focal point %+v, want 0.85,0.5 (two decimals)", got.FocalPoint)
		}
		if pub := getJSON[api.MediaDTO](t, app.testApp, "/api/v1/media/"+m.ID, http.StatusOK); pub.FocalPoint == nil || pub.FocalPoint.X != 0.85 {
			t.Errorf("public focal point %+v", pub.FocalPoint)
		}
		for _, fm := range []string{"jpeg", "webp", "avif", "png"} {
			rec := app.get(base + "&fp=0.85,0.50&fm=" + fm)
			if rec.Code != http.StatusOK {
				t.Fatalf("fm=%s: %d %s", fm, rec.Code, rec.Body.String())
			}
			img := decodeImage(t, rec.Header().Get("Content-Type"), rec.Body.Bytes())
			if b := img.Bounds(); b.Dx() != 320 || b.Dy() != 320 || !hasRed(img) {
				t.Errorf("fm=%s: %dx%d, square in frame %v", fm, b.Dx(), b.Dy(), hasRed(img))
			}
		}
		// A focal point at the edge: the crop stops at the image's edge, the square still in.
		if img := decodeImage(t, "image/jpeg", app.get("/media/"+m.SHA256+"/original.jpg?w=640&h=360&fit=cover&fp=0.85,0.50").Body.Bytes()); !hasRed(img) || img.Bounds().Dx() != 640 {
			t.Error("wide crop around the focal point lost the square")
		}
	})
}

// countingBlobs counts Puts per key: renders.
type countingBlobs struct {
	media.Blobs
	mu   sync.Mutex
	puts map[string]int
}

func (c *countingBlobs) Put(ctx context.Context, key string, r io.Reader, size int64, typ string) error {
	c.mu.Lock()
	c.puts[key]++
	c.mu.Unlock()
	return c.Blobs.Put(ctx, key, r, size, typ)
}

// TestRenditionRendersOnce: 20 concurrent requests for a new rendition render it once and
// all get the same bytes; an instance racing on the same storage writes the same key,
// which is harmless (both succeed, the file is whole).
func TestRenditionRendersOnce(t *testing.T) {
	for _, d := range testkit.Dialects {
		for _, st := range storages {
			t.Run(d+"/"+st, func(t *testing.T) {
				t.Parallel()
				var inner media.Blobs
				if st == "disk" {
					b, err := disk.New(t.TempDir())
					if err != nil {
						t.Fatal(err)
					}
					inner = b
				} else {
					inner = mediatest.NewS3(t)
				}
				blobs := &countingBlobs{Blobs: inner, puts: map[string]int{}}
				url := testkit.URL(t, d)
				a := wire(t, url, nil, &clock{now: time.Now().UTC()}, app.WithBlobs(blobs))
				tok, _ := a.token(t, auth.RoleAuthor)
				body, ct := form(file{"p.jpg", "", photo(t, 2000, 1500)})
				m := decode[api.AdminMediaDTO](t, a.do(http.MethodPost, "/api/v1/admin/media", bytes.NewReader(body), "Content-Type: "+ct, bearer(tok)), http.StatusCreated)
				target := "/media/" + m.SHA256 + "/original.jpg?w=1280&fm=webp"
				var wg sync.WaitGroup
				recs := make([]*httptest.ResponseRecorder, 20)
				for i := range recs {
					wg.Go(func() { recs[i] = a.get(target) })
				}
				wg.Wait()
				for i, r := range recs {
					if r.Code != http.StatusOK || !bytes.Equal(r.Body.Bytes(), recs[0].Body.Bytes()) {
						t.Fatalf("request %d: %d %s", i, r.Code, r.Body.String()[:min(200, r.Body.Len())])
					}
				}
				key := m.SHA256 + "/r1280x0-inside-q85.webp"
				if n := blobs.puts[key]; n != 1 {
					t.Errorf("%d renders of %s for 20 requests, want 1 (puts %v)", n, key, blobs.puts)
				}
				// A second instance on the same database and storage renders the same key
				// at the same time as the first: the file stays whole either way.
				b := wire(t, url, nil, &clock{now: time.Now().UTC()}, app.WithBlobs(blobs))
				target = "/media/" + m.SHA256 + "/original.jpg?w=640&fm=webp"
				var ra, rb *httptest.ResponseRecorder
				wg.Go(func() { ra = a.get(target) })
				wg.Go(func() { rb = b.get(target) })
				wg.Wait()
				for _, r := range []*httptest.ResponseRecorder{ra, rb, a.get(target), b.get(target)} {
					if r.Code != http.StatusOK || decodeImage(t, "image/webp", r.Body.Bytes()).Bounds().Dx() != 640 {
						t.Errorf("racing instances: %d", r.Code)
					}
				}
			})
		}
	}
}

// TestRenditionBudget: rendering shares the upload pool's decoded-size budget: a hostile
// original that decodes to more than the whole budget is refused from its header (413),
// as is an encode that would need more; nothing is stored. Busy workers are a 503.
func TestRenditionBudget(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			// 48 MiB: a 2000×1500 JPEG uploads (≈ 20 MB with its variants), but its 1280-wide
			// WebP would need ≈ 75 MB.
			app := newMediaApp(t, d, "disk", media.Config{Pool: media.NewPool(1, 48<<20, 0)})
			tok, _ := app.token(t, auth.RoleAuthor)
			m := decode[api.AdminMediaDTO](t, app.upload(file{"p.jpg", "", photo(t, 2000, 1500)}, tok), http.StatusCreated)
			p := problem(t, app.get("/media/"+m.SHA256+"/original.jpg?w=1280&fm=webp"), http.StatusRequestEntityTooLarge)
			if !strings.Contains(p.Detail, "HERALD_MEDIA_MAX_DECODED_BYTES") {
				t.Errorf("413 detail %q", p.Detail)
			}
			if rec := app.get("/media/" + m.SHA256 + "/original.jpg?w=320&fm=webp"); rec.Code != http.StatusOK {
				t.Errorf("a small WebP within the budget: %d %s", rec.Code, rec.Body.String())
			}

			// A hostile original put in storage behind Herald's back (a restored backup, a
			// shared bucket): 16-bit 6320×6324, 311 KB, 320 MB decoded.
			bomb := hostile.PNG16(6320, 6324)
			key := strings.Repeat("ab", 32) + "/original.png"
			if err := app.blobs.Put(context.Background(), key, bytes.NewReader(bomb), int64(len(bomb)), "image/png"); err != nil {
				t.Fatal(err)
			}
			p = problem(t, app.get("/media/"+key+"?w=160&fm=jpeg"), http.StatusRequestEntityTooLarge)
			if !strings.Contains(p.Detail, "6320×6324") {
				t.Errorf("bomb: %q", p.Detail)
			}
			if keys := renditionKeys(t, app.blobs); len(keys) != 1 {
				t.Errorf("renditions %v, want only the small WebP", keys)
			}
		})
	}
}

// TestRenditionSrcsetInCards: covers in article lists (cards) carry the same srcsets as
// the detail, computed from the card's hash and dimensions.
func TestRenditionSrcsetInCards(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMediaApp(t, d, "disk", media.Config{})
			ed, _ := app.token(t, auth.RoleEditor)
			m := decode[api.AdminMediaDTO](t, app.upload(file{"p.png", "", pngWithText(t, 500, 300)}, ed), http.StatusCreated)
			art := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
				"cover_media_id": m.ID, "translations": []map[string]string{{"locale": "en", "title": "Cover story"}},
			}, bearer(ed)), http.StatusCreated)
			decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles+"/"+art.ID+"/publish", nil, bearer(ed), ifMatch(1)), http.StatusOK)
			list := getJSON[coverList](t, app.testApp, "/api/v1/articles?locale=en", http.StatusOK)
			detail := getJSON[api.ArticleDTO](t, app.testApp, "/api/v1/articles/"+art.ID+"?locale=en", http.StatusOK)
			var card *api.ArticleDTO
			for i := range list.Data {
				if list.Data[i].ID == art.ID {
					card = &list.Data[i]
				}
			}
			if card == nil || card.Cover == nil || detail.Cover == nil {
				t.Fatalf("no cover in the list (%v) or the detail (%v)", card != nil, detail.Cover != nil)
			}
			ls, ds := card.Cover.Sources, detail.Cover.Sources
			if len(ls) != 3 || fmt.Sprint(ls) != fmt.Sprint(ds) || ls[2].Type != "image/png" {
				t.Fatalf("card sources %+v\ndetail %+v", ls, ds)
			}
			base := "/media/" + m.SHA256 + "/original.png"
			if want := base + "?w=160&fm=avif 160w, " + base + "?w=320&fm=avif 320w, " + base + "?w=480&fm=avif 480w, " + base + "?w=640&fm=avif 500w"; ls[0].Srcset != want {
				t.Errorf("avif srcset %q\nwant %q", ls[0].Srcset, want)
			}
		})
	}
}

// TestRenditionLimits: an AVIF over HERALD_MEDIA_AVIF_MAX_PIXELS is WebP and says so; when
// the pool's workers stay busy a new rendition is a 503 with Retry-After, and a stored one
// is still served (it needs no worker).
func TestRenditionLimits(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			pool := media.NewPool(1, 0, 50*time.Millisecond)
			app := newMediaApp(t, d, "disk", media.Config{Pool: pool, Renditions: media.Renditions{AVIFMaxPixels: 50_000}})
			tok, _ := app.token(t, auth.RoleAuthor)
			m := decode[api.AdminMediaDTO](t, app.upload(file{"p.jpg", "", photo(t, 400, 300)}, tok), http.StatusCreated)
			base := "/media/" + m.SHA256 + "/original.jpg"
			for _, c := range []struct{ query, typ string }{{"?w=160&fm=avif", "image/avif"}, {"?w=320&fm=avif", "image/webp"}} {
				for range 2 { // rendered, then stored
					rec := app.get(base + c.query)
					if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != c.typ {
						t.Fatalf("%s: %d %q", c.query, rec.Code, rec.Header().Get("Content-Type"))
					}
					decodeImage(t, c.typ, rec.Body.Bytes())
				}
			}

			release, err := pool.Acquire(context.Background(), media.Footprint{}, 1)
			if err != nil {
				t.Fatal(err)
			}
			rec := app.get(base + "?w=160&fm=webp")
			problem(t, rec, http.StatusServiceUnavailable)
			if rec.Header().Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			if rec := app.get(base + "?w=160&fm=avif"); rec.Code != http.StatusOK {
				t.Errorf("a stored rendition while busy: %d", rec.Code)
			}
			release()
			if rec := app.get(base + "?w=160&fm=webp"); rec.Code != http.StatusOK {
				t.Errorf("after the pool freed: %d", rec.Code)
			}
		})
	}
}
