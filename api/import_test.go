package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/google/uuid"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/archive"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// Archive imports (issue 20): through the services, idempotent by external id, line by
// line; exports that import into an empty Herald as the same site.

const exampleMedia = "../testdata/import/media"

func readExample(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/import/example.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// emptyApp is a test app over an empty database (no demo content).
func emptyApp(t *testing.T, dialect string) *testApp {
	t.Helper()
	return wire(t, testkit.URL(t, dialect), map[string]string{"HERALD_DEMO_CONTENT": "false"}, &clock{now: time.Now().UTC()})
}

func runImport(t *testing.T, a *testApp, body []byte, o archive.Options) archive.Summary {
	t.Helper()
	sum, err := a.app.Archive().Run(context.Background(), bytes.NewReader(body), o)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return sum
}

// counts are the rows an import must not add when it changes nothing.
type rowCounts struct{ audit, revisions, changes, media int64 }

func countRows(t *testing.T, a *testApp) rowCounts {
	t.Helper()
	var c rowCounts
	for _, q := range []struct {
		table string
		dst   *int64
	}{{"audit_log", &c.audit}, {"article_revisions", &c.revisions}, {"changes", &c.changes}, {"media", &c.media}} {
		if err := a.db.Gorm().Raw("SELECT count(*) FROM " + q.table).Scan(q.dst).Error; err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func importGetJSON(t *testing.T, a *testApp, target string) map[string]any {
	t.Helper()
	rec := a.do(http.MethodGet, target, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body.String())
	}
	var v map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestImportExampleIsIdempotent(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a := emptyApp(t, d)
			example := readExample(t)
			sum := runImport(t, a, example, archive.Options{MediaDir: exampleMedia})
			if sum.Lines != 3 || sum.Created != 3 || sum.Failed != 0 {
				t.Fatalf("first import: %+v", sum)
			}
			// The fixture article as the public sees it: its own date, its 310 reads, its
			// category, tags, cover, and its old URL as a redirect.
			art := importGetJSON(t, a, "/api/v1/articles/ombudsman-and-ohchr-discuss-future-cooperation?locale=en")
			if art["published_at"] != "2021-02-19T10:00:00Z" || art["read_count"] != float64(310) {
				t.Errorf("fixture article: published_at %v read_count %v", art["published_at"], art["read_count"])
			}
			if c, _ := art["category"].(map[string]any); c["slug"] != "international-cooperation" {
				t.Errorf("category %v", art["category"])
			}
			if tags, _ := art["tags"].([]any); len(tags) != 2 {
				t.Errorf("tags %v", art["tags"])
			}
			if art["cover"] == nil {
				t.Error("no cover")
			}
			reds := importGetJSON(t, a, "/api/v1/redirects?per_page=100")
			if !strings.Contains(fmt.Sprint(reds["data"]), "/en/news/2021-02-19/prospects-for-future-cooperation") {
				t.Errorf("redirects lack the old URL: %v", reds["data"])
			}
			before := countRows(t, a)
			last, _ := a.app.Changes.LastPosition(context.Background())

			// The same file again changes nothing: no revision, no audit entry, no change row.
			sum = runImport(t, a, example, archive.Options{MediaDir: exampleMedia})
			if sum.Unchanged != 3 || sum.Created+sum.Updated+sum.Failed != 0 {
				t.Fatalf("second import: %+v", sum)
			}
			if after := countRows(t, a); after != before {
				t.Errorf("the same file again wrote rows: %+v → %+v", before, after)
			}
			if pos, _ := a.app.Changes.LastPosition(context.Background()); pos != last {
				t.Errorf("change log moved from %d to %d", last, pos)
			}

			// An updated line updates what changed: a new version, one change row.
			changed := bytes.Replace(example, []byte(`"summary": "Not public yet."`), []byte(`"summary": "Still not public."`), 1)
			sum = runImport(t, a, changed, archive.Options{MediaDir: exampleMedia})
			if sum.Updated != 1 || sum.Unchanged != 2 {
				t.Fatalf("updated file: %+v", sum)
			}
			after := countRows(t, a)
			if after.revisions != before.revisions+1 || after.changes != before.changes+1 || after.audit != before.audit+1 || after.media != before.media {
				t.Errorf("update wrote %+v → %+v", before, after)
			}
		})
	}
}

// TestImportMalformedLines: each bad line is reported with its number and reason, and
// the good lines land.
func TestImportMalformedLines(t *testing.T) {
	good := func(ext, slug string) string {
		return fmt.Sprintf(`{"external_id":%q,"status":"published","published_at":"2021-02-19","translations":{"en":{"title":"Title %s","slug":%q,"body":"<p>ok</p>"}}}`, ext, ext, slug)
	}
	lines := []string{
		good("a1", "first"),              // 1
		`{"external_id":"a2", "status":`, // 2 bad JSON
		`{"external_id":"a3","published_at":"2021-02-19","translations":{"xx":{"title":"Unknown locale"}}}`, // 3
		good("a4", "first"), // 4 duplicate slug
		`{"external_id":"a5","published_at":"2021-02-19","translations":{"en":{"title":"T5"}},"cover":{"file":"nope.jpg"}}`,                 // 5
		`{"external_id":"a6","published_at":"19-02-2021","translations":{"en":{"title":"T6"}}}`,                                             // 6 invalid date
		`{"external_id":"a7","published_at":"2021-02-19","translations":{"en":{"title":"T7","body":"<p>hi</p><script>alert(1)</script>"}}}`, // 7 script: lands, warned
		"", // 8 blank: skipped, not counted
		`{"external_id":"a9","published_at":"2021-02-19","translations":{"en":{"title":"T9","slug":"ninth"}},"category":{"translations":{"en":{"slug":"fresh","name":"Fresh"}}}}`, // 9: creates it again
		`{"external_id":"a10","published_at":"2021-02-19","translations":{"en":{"title":"T10"}},"cover":{"file":"../../go.mod"}}`,                                                 // 10 outside the media dir
		`{"external_id":"a11","published_at":"2021-02-19","translations":{"en":{"title":"` + strings.Repeat("x", 5000) + `"}}}`,                                                   // 11 over the line limit
		`{"external_id":"a12","published_at":"2021-02-19","translations":{"en":{"title":"T12"}},"surprise":1}`,                                                                    // 12 unknown field
	}
	var trs []string
	for i := range archive.MaxTranslations + 1 {
		trs = append(trs, fmt.Sprintf(`"l%d":{"title":"t"}`, i))
	}
	lines = append(lines, `{"external_id":"a13","published_at":"2021-02-19","translations":{`+strings.Join(trs, ",")+`}}`) // 13
	body := []byte(strings.Join(lines, "\n") + "\n")
	want := map[int]string{
		2:  "invalid JSON",
		3:  "translations.xx: is not one of the site's locales",
		4:  `"first"`, // "already used" (run), "also the slug of line 1" (dry run)
		5:  `cover.file: "nope.jpg": no such file in the media directory`,
		6:  `published_at: "19-02-2021" is not an RFC 3339 time`,
		10: "cover.file",
		11: "the line is longer than 4096 bytes",
		12: `unknown field "surprise"`,
		13: "translations: must have at most 20 locales",
	}
	for _, d := range testkit.Dialects {
		for _, batch := range []int{1, 5} {
			t.Run(fmt.Sprintf("%s/batch=%d", d, batch), func(t *testing.T) {
				t.Parallel()
				a := emptyApp(t, d)
				before := countRows(t, a)
				dry := runImport(t, a, body, archive.Options{MediaDir: exampleMedia, MaxLineBytes: 4096, DryRun: true, BatchSize: batch})
				if after := countRows(t, a); after != before {
					t.Errorf("dry run wrote rows: %+v → %+v", before, after)
				}
				sum := runImport(t, a, body, archive.Options{MediaDir: exampleMedia, MaxLineBytes: 4096, BatchSize: batch})
				for _, s := range []archive.Summary{dry, sum} {
					if s.Lines != 12 || s.Created != 3 || s.Failed != len(want) {
						t.Errorf("summary %+v", s)
					}
				}
				got := map[int]archive.Report{}
				for _, r := range sum.Reports {
					got[r.Line] = r
				}
				for line, msg := range want {
					r := got[line]
					if !r.Failed || !strings.Contains(strings.Join(r.Errors, "; "), msg) {
						t.Errorf("line %d: want failure %q, got %+v", line, msg, r)
					}
				}
				if r := got[7]; r.Failed || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "translations.en.body") {
					t.Errorf("line 7 (script): %+v", r)
				}
				art := importGetJSON(t, a, "/api/v1/articles/t7?locale=en")
				if body, _ := art["body"].(string); strings.Contains(body, "script") || !strings.Contains(body, "<p>hi</p>") {
					t.Errorf("line 7 body %q", art["body"])
				}
				for _, slug := range []string{"first", "ninth"} {
					importGetJSON(t, a, "/api/v1/articles/"+slug+"?locale=en")
				}
				// The failed lines wrote nothing: three articles, each with its audit entry,
				// change row and revision, and line 9's category.
				if after := countRows(t, a); after.revisions != before.revisions+3 || after.changes != before.changes+4 || after.audit != before.audit+4 {
					t.Errorf("rows %+v → %+v", before, after)
				}
			})
		}
	}
}

// TestExportImportRoundTrip: the demo site plus an imported archive, exported and imported
// into an empty database, serves the same public responses.
func TestExportImportRoundTrip(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			src := newTestApp(t, d)
			// The example goes in beside the demo's own copy of the fixture article.
			example := readExample(t)
			if sum := runImport(t, src, example, archive.Options{MediaDir: exampleMedia}); sum.Failed != 0 {
				t.Fatalf("import into the source: %+v", sum)
			}
			dir := t.TempDir()
			var out bytes.Buffer
			if _, err := src.app.Archive().Export(context.Background(), &out, archive.ExportOptions{MediaDir: dir, Revisions: true}); err != nil {
				t.Fatal(err)
			}
			dst := emptyApp(t, d)
			sum := runImport(t, dst, out.Bytes(), archive.Options{MediaDir: dir})
			if sum.Failed != 0 || sum.Created != sum.Lines {
				t.Fatalf("import of the export: %+v", sum)
			}
			if sum := runImport(t, dst, out.Bytes(), archive.Options{MediaDir: dir}); sum.Unchanged != sum.Lines {
				t.Fatalf("the export imported twice: %+v", sum)
			}
			var out2 bytes.Buffer
			if _, err := dst.app.Archive().Export(context.Background(), &out2, archive.ExportOptions{MediaDir: t.TempDir()}); err != nil {
				t.Fatal(err)
			}
			paths := []string{"/api/v1/categories", "/api/v1/redirects?per_page=100", "/api/v1/articles/popular?period=all&limit=50"}
			for _, loc := range []string{"az", "en", "ru"} {
				paths = append(paths, "/api/v1/articles?per_page=100&locale="+loc, "/api/v1/tags?per_page=100&locale="+loc,
					"/api/v1/categories?locale="+loc)
				list := importGetJSON(t, src, "/api/v1/articles?per_page=100&locale="+loc)
				for _, item := range list["data"].([]any) {
					paths = append(paths, fmt.Sprintf("/api/v1/articles/%s?locale=%s", item.(map[string]any)["id"], loc))
				}
			}
			for _, p := range paths {
				a, b := publicJSON(t, src, p), publicJSON(t, dst, p)
				if a != b {
					t.Errorf("GET %s differs:\nsource   %.2000s\nimported %.2000s", p, a, b)
				}
			}
		})
	}
}

// publicJSON is a public response with what names a stored file left out: media ids and
// URLs are the new Herald's own (files are stored under the hash of the bytes uploaded,
// and an export writes the stored original, stripped of metadata).
func publicJSON(t *testing.T, a *testApp, target string) string {
	t.Helper()
	v := importGetJSON(t, a, target)
	var strip func(any)
	strip = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				if b, ok := v.(string); ok && k == "body" {
					// The demo's bodies were written straight to the store, never through
					// the sanitiser, which an import's go through as an editor's do: it
					// escapes apostrophes. The text is the same.
					x[k] = html.UnescapeString(b)
					continue
				}
				if k == "cover" || k == "gallery" {
					x[k] = mediaShape(v)
					continue
				}
				strip(v)
			}
		case []any:
			for _, v := range x {
				strip(v)
			}
		}
	}
	strip(v)
	b, _ := json.Marshal(v)
	return string(b)
}

// mediaShape keeps a cover's or gallery's texts and sizes, not its ids and URLs.
func mediaShape(v any) any {
	one := func(m any) any {
		mm, ok := m.(map[string]any)
		if !ok {
			return m
		}
		out := map[string]any{}
		for _, k := range []string{"alt", "caption", "credit", "width", "height", "mime", "kind", "locale"} {
			if v, ok := mm[k]; ok {
				out[k] = v
			}
		}
		return out
	}
	if list, ok := v.([]any); ok {
		out := make([]any, len(list))
		for i, m := range list {
			out[i] = one(m)
		}
		return out
	}
	return one(v)
}

// TestImportOverHTTP: an admin posts an archive, polls the job to its end, and reads the
// same counts and line reports as the CLI prints; the limits answer before any work.
func TestImportOverHTTP(t *testing.T) {
	media, err := filepath.Abs(exampleMedia)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			a := wire(t, testkit.URL(t, d), map[string]string{"HERALD_DEMO_CONTENT": "false",
				"HERALD_IMPORT_MEDIA_DIR": media, "HERALD_IMPORT_MAX_BYTES": "8KiB"}, &clock{now: time.Now().UTC()})
			admin, _ := a.token(t, auth.RoleAdmin)
			editor, _ := a.token(t, auth.RoleEditor)
			example := readExample(t)
			body := append(append([]byte{}, example...), []byte("{not json\n")...)
			post := func(token string, body []byte, query string) *httptest.ResponseRecorder {
				return a.do(http.MethodPost, "/api/v1/admin/import"+query, bytes.NewReader(body),
					"Authorization: Bearer "+token, "Content-Type: application/x-ndjson")
			}
			if rec := post(editor, body, ""); rec.Code != http.StatusForbidden {
				t.Errorf("editor: %d", rec.Code)
			}
			if rec := post(admin, bytes.Repeat([]byte(" "), 9<<10), ""); rec.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("9 KiB body: %d %s", rec.Code, rec.Body.String())
			}
			if rec := a.do(http.MethodPost, "/api/v1/admin/import", bytes.NewReader(body), "Authorization: Bearer "+admin,
				"Content-Type: application/json"); rec.Code != http.StatusUnsupportedMediaType {
				t.Errorf("JSON body: %d", rec.Code)
			}
			if rec := post(admin, body, "?dry_run=maybe"); rec.Code != http.StatusBadRequest {
				t.Errorf("dry_run=maybe: %d", rec.Code)
			}
			rec := post(admin, body, "?quiet_events=true")
			if rec.Code != http.StatusAccepted {
				t.Fatalf("post: %d %s", rec.Code, rec.Body.String())
			}
			var job api.ImportJobDTO
			if err := json.Unmarshal(rec.Body.Bytes(), &job); err != nil || job.Status != "running" || job.Total != 4 {
				t.Fatalf("job %+v (%v)", job, err)
			}
			loc := rec.Header().Get("Location")
			deadline := time.Now().Add(30 * time.Second)
			for job.Status == "running" && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
				rec := a.do(http.MethodGet, loc, nil, "Authorization: Bearer "+admin)
				if rec.Code != http.StatusOK {
					t.Fatalf("poll: %d %s", rec.Code, rec.Body.String())
				}
				job = api.ImportJobDTO{}
				if err := json.Unmarshal(rec.Body.Bytes(), &job); err != nil {
					t.Fatal(err)
				}
			}
			if job.Status != "done" || job.Processed != 4 || job.Created != 3 || job.Failed != 1 || job.FinishedAt == nil ||
				len(job.Reports) != 1 || job.Reports[0].Line != 4 || !strings.Contains(job.Reports[0].Errors[0], "invalid JSON") {
				t.Errorf("finished job %+v", job)
			}
			importGetJSON(t, a, "/api/v1/articles/ombudsman-and-ohchr-discuss-future-cooperation?locale=en")
			if rec := a.do(http.MethodGet, "/api/v1/admin/import/"+uuid.NewString(), nil, "Authorization: Bearer "+admin); rec.Code != http.StatusNotFound {
				t.Errorf("unknown job: %d", rec.Code)
			}
		})
	}
}

// TestImportJobInterrupted: a running job whose process stopped beating is reported
// interrupted by whichever instance is asked.
func TestImportJobInterrupted(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			clk := &clock{now: time.Now().UTC()}
			a := wire(t, testkit.URL(t, d), map[string]string{"HERALD_DEMO_CONTENT": "false"}, clk)
			admin, _ := a.token(t, auth.RoleAdmin)
			id := uuid.New()
			start := clk.Now().Add(-time.Hour).Truncate(time.Microsecond)
			if err := store.NewImportJobs(a.db).CreateImportJob(context.Background(), archive.Job{ID: id, Status: archive.JobRunning,
				Total: 10, StartedAt: start, HeartbeatAt: start}); err != nil {
				t.Fatal(err)
			}
			rec := a.do(http.MethodGet, "/api/v1/admin/import/"+id.String(), nil, "Authorization: Bearer "+admin)
			var job api.ImportJobDTO
			if err := json.Unmarshal(rec.Body.Bytes(), &job); err != nil || rec.Code != http.StatusOK || job.Status != "interrupted" || job.Error == "" {
				t.Errorf("stale job: %d %+v", rec.Code, job)
			}
		})
	}
}

// The spec check reads archives as the text they are.
func init() {
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", func(r io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(r)
		return string(b), err
	})
}
