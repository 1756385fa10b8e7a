package api_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/media/hostile"
	"github.com/heraldcms/herald/internal/media/mediatest"
	"github.com/heraldcms/herald/internal/testkit"
)

// issuePNG is the file of issue 11 item 4: 311 KB, 16-bit RGBA, 6320×6324 (under the
// 40-megapixel limit), 320 MB decoded.
var issuePNG = sync.OnceValue(func() []byte { return hostile.PNG16(6320, 6324) })

// TestHostileMetadataNeverServed: files that hide a GPS position and a serial number in
// legacy PNG chunks (exIf, zxIf), an unknown WebP chunk, JPEG APP0/APP14 padding, GIF
// plain-text and comment extensions (and every standard place) are accepted, and no
// stored file served afterwards, original or variant, carries either.
func TestHostileMetadataNeverServed(t *testing.T) {
	eachMediaApp(t, media.Config{}, func(t *testing.T, app *mediaApp) {
		tok, _ := app.token(t, auth.RoleAuthor)
		for _, f := range []file{
			{"gps.png", "image/png", hostile.PNG(500, 300)}, {"gps.jpg", "image/jpeg", hostile.JPEG(500, 300)},
			{"gps.gif", "image/gif", hostile.GIF(500, 300)}, {"gps.webp", "image/webp", hostile.WebP()},
		} {
			m := decode[api.AdminMediaDTO](t, app.upload(f, tok), http.StatusCreated)
			urls := []string{m.URLs.Original}
			for _, v := range m.Variants {
				urls = append(urls, v.URL)
			}
			for _, u := range urls {
				rec := app.get(u)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: GET %s: %d", f.name, u, rec.Code)
				}
				if s := hostile.Leak(rec.Body.Bytes()); s != "" {
					t.Errorf("%s: %s serves %q", f.name, u, s)
				}
			}
			stored, _ := app.blobs.Keys(context.Background(), m.SHA256)
			for _, k := range stored {
				b, err := app.blobs.Open(context.Background(), k)
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				_, _ = buf.ReadFrom(b)
				_ = b.Close()
				if s := hostile.Leak(buf.Bytes()); s != "" {
					t.Errorf("%s: stored %s holds %q", f.name, k, s)
				}
			}
		}
	})
}

// TestImageMemoryBudget: four concurrent uploads of the issue's PNG (which took a process
// to 1.45 GB) are each refused from the header with 413, leaving nothing behind.
func TestImageMemoryBudget(t *testing.T) {
	data := issuePNG()
	eachMediaApp(t, media.Config{}, func(t *testing.T, app *mediaApp) {
		tok, _ := app.token(t, auth.RoleAuthor)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				rec := app.upload(file{"big.png", "image/png", data}, tok)
				p := problem(t, rec, http.StatusRequestEntityTooLarge)
				if p.Type != "urn:herald:problem:image-too-large" || !strings.Contains(p.Detail, "6320×6324") || !strings.Contains(p.Detail, "HERALD_MEDIA_MAX_DECODED_BYTES") {
					t.Errorf("problem %+v", p)
				}
			})
		}
		wg.Wait()
		app.assertNothingLeft(t, tok)
	})
}

// TestImageMemoryPeak measures the heap while four authors upload the issue's PNG at once:
// before the budget it peaked at 1.45 GB; now it stays within a few megabytes of idle.
func TestImageMemoryPeak(t *testing.T) {
	data := issuePNG()
	app := newMediaApp(t, testkit.Dialects[0], "disk", media.Config{})
	tok, _ := app.token(t, auth.RoleAuthor)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			problem(t, app.upload(file{"big.png", "image/png", data}, tok), http.StatusRequestEntityTooLarge)
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	if grew := int64(peak) - int64(base); grew > 64<<20 {
		t.Errorf("heap grew by %d MiB while refusing four 16-bit 40-megapixel PNGs", grew>>20)
	} else {
		t.Logf("heap peak %d MiB above idle", grew>>20)
	}
}

// TestImagePoolBusy: when every image worker is taken, an upload waits its bounded time
// and is answered 503 with Retry-After, holding no image memory; once free, it succeeds.
func TestImagePoolBusy(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			pool := media.NewPool(1, 64<<20, 100*time.Millisecond)
			app := newMediaApp(t, d, "disk", media.Config{Pool: pool})
			tok, _ := app.token(t, auth.RoleAuthor)
			release, err := pool.Acquire(context.Background(), media.Footprint{}, 1)
			if err != nil {
				t.Fatal(err)
			}
			jpg := photo(t, 400, 300)
			rec := app.upload(file{"a.jpg", "image/jpeg", jpg}, tok)
			problem(t, rec, http.StatusServiceUnavailable)
			if rec.Header().Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			app.assertNothingLeft(t, tok)
			release()
			decode[api.AdminMediaDTO](t, app.upload(file{"a.jpg", "image/jpeg", jpg}, tok), http.StatusCreated)
		})
	}
}

// fullBlobs is media storage on a full disk: every write fails with ENOSPC.
type fullBlobs struct{ media.Blobs }

func (fullBlobs) Put(_ context.Context, key string, r io.Reader, _ int64, _ string) error {
	_, _ = io.CopyN(io.Discard, r, 4096)
	return &os.PathError{Op: "write", Path: "/var/lib/herald/media/" + key, Err: syscall.ENOSPC}
}

// TestUploadOnFullDisk: storage that has no space left answers 507 (not a 400 that blames
// the client), the cause is logged for the operator, and nothing is left behind.
func TestUploadOnFullDisk(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			var logs syncBuffer
			inner := mediatest.NewS3(t)
			m := newMediaApp(t, d, "disk", media.Config{}, app.WithBlobs(fullBlobs{inner}),
				app.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			m.blobs = inner
			tok, _ := m.token(t, auth.RoleAuthor)
			for _, f := range []file{{"a.jpg", "image/jpeg", photo(t, 500, 400)}, {"b.pdf", "application/pdf", []byte("%PDF-1.7\n%%EOF\n")}} {
				p := problem(t, m.upload(f, tok), http.StatusInsufficientStorage)
				if !strings.Contains(p.Detail, "no storage space") {
					t.Errorf("%s: detail %q", f.name, p.Detail)
				}
			}
			if l := logs.String(); !strings.Contains(l, "no space left on device") || !strings.Contains(l, `"level":"ERROR"`) {
				t.Errorf("the full disk was not logged: %s", l)
			}
			m.dir = ""
			m.assertNothingLeft(t, tok)
		})
	}
}

// TestReuploadIsolation: an author who uploads bytes another author uploaded before gets an
// item of their own, with their alt text, file name and uploader, and learns nothing of the
// other item; the files are shared, stay while either item references them, and go with the
// last one.
func TestReuploadIsolation(t *testing.T) {
	eachMediaApp(t, media.Config{}, func(t *testing.T, app *mediaApp) {
		alice, aliceID := app.token(t, auth.RoleAuthor)
		bob, bobID := app.token(t, auth.RoleAuthor)
		jpg := photo(t, 700, 500)
		first := decode[api.AdminMediaDTO](t, app.upload(file{"leak-source-7731.jpg", "image/jpeg", jpg}, alice,
			"alt[en]", "Alice's private note", "caption[en]", "embargoed until Friday"), http.StatusCreated)
		rec := app.upload(file{"mine.jpg", "image/jpeg", jpg}, bob, "alt[en]", "Bob's alt text")
		second := decode[api.AdminMediaDTO](t, rec, http.StatusCreated)
		body := rec.Body.String()
		for _, leaked := range []string{first.ID, "Alice", "embargoed", "leak-source-7731", aliceID.String()} {
			if strings.Contains(body, leaked) {
				t.Errorf("the re-upload reveals %q: %s", leaked, body)
			}
		}
		if second.UploadedBy == nil || *second.UploadedBy != bobID.String() || second.Filename != "mine.jpg" ||
			len(second.Translations) != 1 || second.Translations[0].Alt != "Bob's alt text" {
			t.Errorf("Bob's item: %+v", second)
		}
		if second.URLs.Original != first.URLs.Original {
			t.Errorf("files not shared: %s vs %s", second.URLs.Original, first.URLs.Original)
		}
		// Bob may change and delete his item only; Alice's files stay while hers exists.
		problem(t, app.do(http.MethodDelete, "/api/v1/admin/media/"+first.ID, nil, bearer(bob)), http.StatusForbidden)
		if rec := app.do(http.MethodDelete, "/api/v1/admin/media/"+second.ID, nil, bearer(bob)); rec.Code != http.StatusNoContent {
			t.Fatalf("delete: %d", rec.Code)
		}
		for _, u := range append([]string{first.URLs.Original}, first.Variants[0].URL) {
			if rec := app.get(u); rec.Code != http.StatusOK {
				t.Errorf("after deleting the other item, GET %s: %d", u, rec.Code)
			}
		}
		if rec := app.do(http.MethodDelete, "/api/v1/admin/media/"+first.ID, nil, bearer(alice)); rec.Code != http.StatusNoContent {
			t.Fatalf("delete: %d", rec.Code)
		}
		app.assertNothingLeft(t, alice)
	})
}

// TestBidiOverridesDropped: right-to-left overrides and isolates, which make a label read
// other than it is, are dropped from article titles, category names and upload file names,
// and never reach a slug; a file name that hides ".exe" behind one is refused.
func TestBidiOverridesDropped(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newMediaApp(t, d, "disk", media.Config{})
			tok, _ := app.token(t, auth.RoleEditor)
			ed := bearer(tok)
			art := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, map[string]any{
				"translations": []map[string]string{{"locale": "en", "title": "Prize \u202Eniw\u202C for \u2067you\u2069", "meta_title": "Meta \u202Dx"}},
			}, ed), http.StatusCreated)
			if tr := art.Translations[0]; tr.Title != "Prize niw for you" || tr.MetaTitle != "Meta x" || tr.Slug != "prize-niw-for-you" {
				t.Errorf("article translation %+v", tr)
			}
			cat := decode[api.AdminCategoryDTO](t, app.send(http.MethodPost, "/api/v1/admin/categories", api.CreateCategoryRequest{
				Translations: []api.CategoryTranslationDTO{{Locale: "en", Name: "Sp\u202Eorts"}}}, ed), http.StatusCreated)
			if tr := cat.Translations[0]; tr.Name != "Sports" || tr.Slug != "sports" {
				t.Errorf("category translation %+v", tr)
			}
			m := decode[api.AdminMediaDTO](t, app.upload(file{"cat\u202Egnp.jpg", "image/jpeg", photo(t, 40, 30)}, tok), http.StatusCreated)
			if m.Filename != "catgnp.jpg" {
				t.Errorf("file name %q", m.Filename)
			}
			problem(t, app.upload(file{"invoice\u202Egpj.exe", "image/jpeg", photo(t, 40, 30)}, tok), http.StatusUnsupportedMediaType)
		})
	}
}
