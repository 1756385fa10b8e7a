package media

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/heraldcms/herald/internal/bidi"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
	"golang.org/x/image/webp"
)

// Defaults of Config.
const (
	DefaultMaxBytes  = 25 << 20
	DefaultMaxPixels = 40_000_000
)

// Limits on texts.
const (
	MaxAltLen      = 1000
	MaxCaptionLen  = 2000
	MaxCreditLen   = 300
	MaxFilenameLen = 200
	MaxPerPage     = 100
)

// Config sets the upload limits.
type Config struct {
	// MaxBytes bounds an upload (HERALD_MEDIA_MAX_BYTES).
	MaxBytes int64
	// MaxPixels bounds an image's declared width × height, checked from its header
	// before any decoding (HERALD_MEDIA_MAX_PIXELS).
	MaxPixels int64
	// Pool bounds concurrent image processing and its memory (HERALD_MEDIA_WORKERS,
	// HERALD_MEDIA_MAX_DECODED_BYTES); nil is NewPool(0, 0, 0). Share it with anything
	// else that decodes images.
	Pool *Pool
	// TempDir holds uploads while they are checked; "" is the system's.
	TempDir string
	// Locales the texts may be written in; nil accepts any well-formed code.
	Locales []string
	Clock   func() time.Time
	// Renditions bounds on-demand renditions (render.go); zero values are the defaults.
	Renditions Renditions
	// Changes is the write seam (internal/changes) that records audit entries and change
	// rows with each write; nil records nothing.
	Changes *changes.Log
}

// Service holds the media rules; handlers call one method each.
type Service struct {
	store   Store
	blobs   Blobs
	cfg     Config
	locales map[string]bool
	// uploading serialises uploads of the same bytes in this process, so one never
	// cleans up files another is about to reference.
	mu        sync.Mutex
	uploading map[string]*keyLock
	render    *renderer
}

// NewService returns a Service storing rows in store and bytes in blobs.
func NewService(store Store, blobs Blobs, cfg Config) *Service {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.MaxPixels <= 0 {
		cfg.MaxPixels = DefaultMaxPixels
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Pool == nil {
		cfg.Pool = NewPool(0, 0, 0)
	}
	cfg.Renditions.defaults()
	s := &Service{store: store, blobs: blobs, cfg: cfg, uploading: map[string]*keyLock{}, render: &renderer{cfg: cfg.Renditions}}
	if cfg.Locales != nil {
		s.locales = map[string]bool{}
		for _, l := range cfg.Locales {
			s.locales[l] = true
		}
	}
	return s
}

// writes is the seam of s: the configured log, or one that records nothing.
func (s *Service) writes() *changes.Log {
	if s.cfg.Changes == nil {
		return changes.Unlogged(s.store.InTx)
	}
	return s.cfg.Changes
}

// mediaChange records a write to a media item; public unless it is new (nothing shows a
// new item yet).
func mediaChange(m Media, kind changes.Kind, public bool) changes.Change {
	c := changes.Change{EntityType: "media", EntityID: m.ID.String(), Kind: kind, Public: public, Locales: []string{}}
	for _, t := range m.Translations {
		c.Locales = append(c.Locales, t.Locale)
	}
	return c
}

// MaxBytes is the upload limit.
func (s *Service) MaxBytes() int64 { return s.cfg.MaxBytes }

// Pool is the pool image processing runs in.
func (s *Service) Pool() *Pool { return s.cfg.Pool }

// Blobs is the storage the service writes to (api serves files from it).
func (s *Service) Blobs() Blobs { return s.blobs }

func (s *Service) now() time.Time { return s.cfg.Clock().UTC().Truncate(time.Microsecond) }

// Received is an upload spooled to a temporary file, hashed, not yet checked. Discard it
// when done, whatever happened.
type Received struct {
	f        *os.File
	size     int64
	sum      string
	filename string
	declared string
}

// Discard removes the temporary file.
func (r *Received) Discard() {
	if r == nil || r.f == nil {
		return
	}
	name := r.f.Name()
	_ = r.f.Close()
	_ = os.Remove(name)
	r.f = nil
}

// Receive streams body to a temporary file while hashing it, never holding it in memory.
// More than MaxBytes is ErrTooLarge; a read error (a client that went away) is returned as
// is. Either way nothing is left on disk.
func (s *Service) Receive(ctx context.Context, body io.Reader, filename, declaredType string) (*Received, error) {
	f, err := os.CreateTemp(s.cfg.TempDir, "herald-upload-*")
	if err != nil {
		return nil, storageErr(fmt.Errorf("spool upload: %w", err))
	}
	r := &Received{f: f, filename: cleanFilename(filename), declared: declaredType}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(ctxReader{ctx, body}, s.cfg.MaxBytes+1))
	if err == nil && n > s.cfg.MaxBytes {
		err = ErrTooLarge
	}
	if err != nil {
		r.Discard()
		return nil, storageErr(err) // a client's read error is never ENOSPC
	}
	r.size, r.sum = n, hex.EncodeToString(h.Sum(nil))
	return r, nil
}

// ctxReader stops a long copy when the request is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Upload checks a received file and stores it as a new item of actor's with the texts ts.
// Storage is deduplicated, items are not: when the same bytes are already stored (whoever
// uploaded them), the new item shares those files and stored is false, and nothing of the
// other item (its uploader, file name or texts) is read into the new one. On any failure
// nothing is left: no row, and no file that no item references.
func (s *Service) Upload(ctx context.Context, actor Actor, rec *Received, ts []Translation) (m Media, stored bool, err error) {
	if rec == nil || rec.f == nil {
		return Media{}, false, errs.Invalidf("file", "is required")
	}
	if rec.size == 0 {
		return Media{}, false, errs.Invalidf("file", "is empty")
	}
	ts, err = s.checkTranslations(ts)
	if err != nil {
		return Media{}, false, err
	}
	unlock := s.lock(rec.sum)
	defer unlock()
	id, err := uuid.NewV7()
	if err != nil {
		return Media{}, false, err
	}
	now := s.now()
	m = Media{ID: id, SHA256: rec.sum, Filename: rec.filename, Translations: ts, CreatedAt: now, UpdatedAt: now}
	if actor.UserID != uuid.Nil {
		uid := actor.UserID
		m.UploadedBy = &uid
	}
	if files, err := s.store.MediaBySHA256(ctx, rec.sum); err == nil {
		if err := checkDeclared(files.MIME, rec.declared, rec.filename); err != nil {
			return Media{}, false, err
		}
		m.Kind, m.MIME, m.Size, m.Width, m.Height, m.Key, m.Variants = files.Kind, files.MIME, files.Size, files.Width, files.Height, files.Key, files.Variants
		if err := s.create(ctx, m, false); err != nil {
			return Media{}, false, err
		}
		return m, false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return Media{}, false, err
	}

	head := make([]byte, 512)
	n, _ := rec.f.ReadAt(head, 0)
	mime, svg := sniff(head[:n])
	switch {
	case svg:
		return Media{}, false, &TypeError{Reason: "SVG is not accepted: it can carry scripts"}
	case mime == "":
		return Media{}, false, &TypeError{Reason: "the content is not one of JPEG, PNG, GIF, WebP or PDF"}
	}
	if err := checkDeclared(mime, rec.declared, rec.filename); err != nil {
		return Media{}, false, err
	}

	m.Kind, m.MIME = Image, mime
	if mime == PDF {
		m.Kind = Document
	}

	var put []string
	defer func() {
		if err != nil {
			s.cleanup(rec.sum, put)
		}
	}()
	putFile := func(key string, r io.Reader, size int64, typ string) error {
		put = append(put, key)
		return storageErr(s.blobs.Put(ctx, key, r, size, typ))
	}

	if m.Kind == Document {
		m.Key, m.Size = rec.sum+"/original.pdf", rec.size
		if err = putFile(m.Key, io.NewSectionReader(rec.f, 0, rec.size), rec.size, PDF); err != nil {
			return Media{}, false, err
		}
	} else {
		if err = scanPolyglot(io.NewSectionReader(rec.f, 0, rec.size)); err != nil {
			return Media{}, false, err
		}
		if err = s.processImage(ctx, rec, &m, putFile); err != nil {
			return Media{}, false, err
		}
	}

	if err = s.create(ctx, m, true); err != nil {
		return Media{}, false, err
	}
	return m, true, nil
}

// create inserts the new item m with its audit entry and change; stored says whether its
// files are new or shared with earlier uploads of the same bytes.
func (s *Service) create(ctx context.Context, m Media, stored bool) error {
	files := "new files"
	if !stored {
		files = "files shared with earlier uploads of the same bytes"
	}
	return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		if err := s.store.CreateMedia(ctx, m); err != nil {
			return err
		}
		tx.Audit("media.upload", "media", m.ID.String(), fmt.Sprintf("%s, %d bytes, %d×%d, %s", m.MIME, m.Size, m.Width, m.Height, files))
		tx.Change(mediaChange(m, changes.Upsert, false))
		return nil
	})
}

// processImage checks the pixel and memory budgets from the header, waits for a worker
// of the pool, decodes, applies the orientation, stores the stripped original and the
// variants, and fills m.
func (s *Service) processImage(ctx context.Context, rec *Received, m *Media, putFile func(string, io.Reader, int64, string) error) error {
	section := func() io.Reader { return bufio.NewReaderSize(io.NewSectionReader(rec.f, 0, rec.size), 64<<10) }
	var err error
	switch m.MIME {
	case JPEG:
		_, err = jpeg.DecodeConfig(section())
	case PNG:
		_, err = png.DecodeConfig(section())
	case GIF:
		_, err = gif.DecodeConfig(section())
	case WebP:
		_, err = webp.DecodeConfig(section())
	}
	if err != nil {
		return &ImageError{Reason: "the image header cannot be read: " + err.Error()}
	}
	fp, err := MeasureImage(io.NewSectionReader(rec.f, 0, rec.size), m.MIME)
	if err != nil {
		return err
	}
	if px := fp.Pixels(); px > s.cfg.MaxPixels {
		return &ImageError{Reason: fmt.Sprintf("the image declares %d×%d pixels (%.1f megapixels); the limit is %.1f megapixels",
			fp.Width, fp.Height, float64(px)/1e6, float64(s.cfg.MaxPixels)/1e6)}
	}
	orientation := 1
	if m.MIME == JPEG {
		orientation = jpegOrientation(section())
	}
	release, err := s.cfg.Pool.Acquire(ctx, fp, fp.Bytes+processingBytes(fp.Width, fp.Height, orientation))
	if err != nil {
		return err
	}
	defer release()
	if err := ctx.Err(); err != nil {
		return err
	}
	var img image.Image
	switch m.MIME {
	case JPEG:
		img, err = jpeg.Decode(section())
	case PNG:
		img, err = png.Decode(section())
	case GIF:
		img, err = gif.Decode(section())
	case WebP:
		img, err = webp.Decode(section())
	}
	if err != nil {
		return &ImageError{Reason: "the image data is corrupt or truncated: " + err.Error()}
	}
	img = orient(img, orientation)
	b := img.Bounds()
	m.Width, m.Height = b.Dx(), b.Dy()

	// The original, without metadata: re-encoded when it had to be turned, else copied
	// container-wise with the image data untouched.
	tmp, err := os.CreateTemp(s.cfg.TempDir, "herald-clean-*")
	if err != nil {
		return storageErr(err)
	}
	defer func() { _ = tmp.Close(); _ = os.Remove(tmp.Name()) }()
	// The strippers report any failure as a corrupt container; a failed write is told
	// apart here (a full disk is the server's problem, not the image's).
	out := &firstWriteErr{w: tmp}
	switch {
	case orientation != 1:
		err = jpeg.Encode(out, img, &jpeg.Options{Quality: originalJPEGQuality})
	case m.MIME == JPEG:
		err = stripJPEG(out, section())
	case m.MIME == PNG:
		err = stripPNG(out, section())
	case m.MIME == GIF:
		err = stripGIF(out, section())
	case m.MIME == WebP:
		err = stripWebP(out, rec.f, rec.size)
	}
	if out.err != nil {
		return storageErr(fmt.Errorf("write the stripped original: %w", out.err))
	}
	if err != nil {
		return &ImageError{Reason: "the image container is corrupt: " + err.Error()}
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	m.Size = size
	m.Key = rec.sum + "/original." + Extensions[m.MIME]
	if err := putFile(m.Key, io.NewSectionReader(tmp, 0, size), size, m.MIME); err != nil {
		return err
	}

	vs, err := makeVariants(img, m.MIME)
	if err != nil {
		return err
	}
	for _, v := range vs {
		if err := ctx.Err(); err != nil {
			return err
		}
		key := rec.sum + "/" + v.name + "." + Extensions[v.mime]
		if err := putFile(key, bytes.NewReader(v.data), int64(len(v.data)), v.mime); err != nil {
			return err
		}
		m.Variants = append(m.Variants, Variant{Name: v.name, Key: key, MIME: v.mime, Width: v.w, Height: v.h, Size: int64(len(v.data))})
	}
	return nil
}

// cleanup deletes the files a failed upload stored, unless a row now references them (a
// concurrent upload of the same bytes on another instance won).
func (s *Service) cleanup(sum string, keys []string) {
	if len(keys) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.store.MediaBySHA256(ctx, sum); err == nil {
		return
	}
	for _, k := range keys {
		_ = s.blobs.Delete(ctx, k)
	}
}

func (s *Service) lock(sum string) func() {
	s.mu.Lock()
	l, ok := s.uploading[sum]
	if !ok {
		l = &keyLock{}
		s.uploading[sum] = l
	}
	l.refs++
	s.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		s.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(s.uploading, sum)
		}
		s.mu.Unlock()
	}
}

type keyLock struct {
	sync.Mutex
	refs int
}

// Get returns one item.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Media, error) {
	return s.store.MediaByID(ctx, id)
}

// ByIDs returns the items among ids that exist, keyed by id, in a fixed number of queries
// (none when a read with ctx preloaded them all, see WithPreload).
func (s *Service) ByIDs(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Media, error) {
	out := map[uuid.UUID]Media{}
	if len(ids) == 0 {
		return out, nil
	}
	if p := PreloadFrom(ctx); p != nil {
		if got, ok := p.lookup(ids); ok {
			return got, nil
		}
	}
	ms, err := s.store.MediaByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		out[m.ID] = m
	}
	return out, nil
}

// List returns a page of media, newest first, and the number of matches.
func (s *Service) List(ctx context.Context, q Query) ([]Media, int64, error) {
	if q.Limit <= 0 || q.Limit > MaxPerPage {
		q.Limit = 20
	}
	q.Offset = max(q.Offset, 0)
	if q.Kind != "" && q.Kind != Image && q.Kind != Document {
		return nil, 0, errs.Invalidf("type", "must be image or document")
	}
	return s.store.ListMedia(ctx, q)
}

// TranslationPatch changes an item's texts in one locale; nil leaves a text as it is.
type TranslationPatch struct {
	Locale               string
	Alt, Caption, Credit *string
}

// UpdateTexts applies patches to the item's texts, per locale (other locales are
// untouched). Authors may change only what they uploaded.
func (s *Service) UpdateTexts(ctx context.Context, actor Actor, id uuid.UUID, patches []TranslationPatch) (Media, error) {
	return s.Update(ctx, actor, id, Patch{Translations: patches})
}

// Patch changes a media item: texts per locale, and the focal point when Focal is set.
type Patch struct {
	Translations []TranslationPatch
	Focal        *FocalPoint
}

// Update applies p in one write. A focal point is stored to two decimals; it must lie in
// the image (both coordinates in 0..1) and documents have none.
func (s *Service) Update(ctx context.Context, actor Actor, id uuid.UUID, p Patch) (Media, error) {
	patches := p.Translations
	if p.Focal != nil && !p.Focal.Valid() {
		return Media{}, errs.InvalidFields(errs.Field("focal_point", "x and y must both be between 0 and 1"))
	}
	var out Media
	err := s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		m, err := s.store.MediaByID(ctx, id)
		if err != nil {
			return err
		}
		if err := mayChange(actor, m); err != nil {
			return err
		}
		var ts []Translation
		for _, p := range patches {
			t, _ := m.Translation([]string{p.Locale})
			t.Locale = p.Locale
			if p.Alt != nil {
				t.Alt = *p.Alt
			}
			if p.Caption != nil {
				t.Caption = *p.Caption
			}
			if p.Credit != nil {
				t.Credit = *p.Credit
			}
			ts = append(ts, t)
		}
		if ts, err = s.checkTranslations(ts); err != nil {
			return err
		}
		if p.Focal != nil {
			if m.Kind != Image {
				return errs.InvalidFields(errs.Field("focal_point", "documents have no focal point"))
			}
			if err := s.store.SetMediaFocalPoint(ctx, id, p.Focal.Rounded()); err != nil {
				return err
			}
		}
		if err := s.store.PutMediaTranslations(ctx, id, ts, s.now()); err != nil {
			return err
		}
		if out, err = s.store.MediaByID(ctx, id); err != nil {
			return err
		}
		summary := fmt.Sprintf("texts in %d locale(s)", len(patches))
		if p.Focal != nil {
			summary += ", focal point " + p.Focal.Rounded().String()
		}
		tx.Audit("media.update", "media", id.String(), summary)
		tx.Change(mediaChange(out, changes.Upsert, true))
		return nil
	})
	return out, err
}

// Delete removes the item, and its files unless another item shares them. An item that live
// articles use is refused with an *InUseError naming them, unless force, which detaches it
// (editors only). Files are deleted after the row, so a failure never leaves a row pointing
// at nothing.
func (s *Service) Delete(ctx context.Context, actor Actor, id uuid.UUID, force bool) (detached []uuid.UUID, err error) {
	var m Media
	err = s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		m, err = s.store.MediaByID(ctx, id)
		if err != nil {
			return err
		}
		if err := mayChange(actor, m); err != nil {
			return err
		}
		using, err := s.store.ArticlesUsing(ctx, id)
		if err != nil {
			return err
		}
		if len(using) > 0 && !force {
			return &InUseError{Articles: using}
		}
		if len(using) > 0 && !actor.Editor {
			return errs.Wrap(ErrForbidden, "only editors may detach media from articles")
		}
		detached = using
		tx.Audit("media.delete", "media", id.String(), "detached from "+strconv.Itoa(len(detached))+" article(s)")
		tx.Change(mediaChange(m, changes.Delete, true))
		for _, a := range detached {
			// Each article using it got a new version without it.
			tx.Change(changes.Change{EntityType: "article", EntityID: a.String(), Kind: changes.Upsert, Public: true})
		}
		return s.store.DeleteMedia(ctx, id, s.now())
	})
	if err != nil {
		return nil, err
	}
	// The files go with the last item that references them.
	unlock := s.lock(m.SHA256)
	defer unlock()
	if _, err := s.store.MediaBySHA256(ctx, m.SHA256); err == nil {
		return detached, nil
	} else if !errors.Is(err, ErrNotFound) {
		return detached, fmt.Errorf("media row deleted; whether its files are shared is unknown: %w", err)
	}
	var errs []error
	keys := m.Keys()
	if all, err := s.blobs.Keys(ctx, m.SHA256+"/"); err == nil {
		for _, k := range all {
			if IsRendition(k) {
				keys = append(keys, k)
			}
		}
	} else {
		errs = append(errs, err)
	}
	for _, k := range keys {
		if err := s.blobs.Delete(ctx, k); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return detached, fmt.Errorf("media row deleted but files remain: %w", errors.Join(errs...))
	}
	return detached, nil
}

func mayChange(actor Actor, m Media) error {
	if actor.Editor || (m.UploadedBy != nil && *m.UploadedBy == actor.UserID) {
		return nil
	}
	return errs.Wrap(ErrForbidden, "authors may change only media they uploaded")
}

func (s *Service) checkTranslations(ts []Translation) ([]Translation, error) {
	var ve errs.Error
	add := func(f, msg string) { ve.Fields = append(ve.Fields, errs.Field(f, msg)) }
	seen := map[string]bool{}
	out := make([]Translation, 0, len(ts))
	for _, t := range ts {
		pre := "translations[" + t.Locale + "]."
		if s.locales != nil && !s.locales[t.Locale] || !validLocale(t.Locale) {
			add(pre+"locale", "must be one of the site's locales")
			continue
		}
		if seen[t.Locale] {
			add(pre+"locale", "is given twice")
		}
		seen[t.Locale] = true
		t.Alt, t.Caption, t.Credit = strings.TrimSpace(t.Alt), strings.TrimSpace(t.Caption), strings.TrimSpace(t.Credit)
		for _, f := range []struct {
			name string
			v    string
			max  int
		}{{"alt", t.Alt, MaxAltLen}, {"caption", t.Caption, MaxCaptionLen}, {"credit", t.Credit, MaxCreditLen}} {
			switch {
			case !utf8.ValidString(f.v) || strings.ContainsRune(f.v, 0):
				add(pre+f.name, "must be valid UTF-8 text without NUL characters")
			case utf8.RuneCountInString(f.v) > f.max:
				add(pre+f.name, fmt.Sprintf("must be at most %d characters", f.max))
			}
		}
		out = append(out, t)
	}
	if len(ve.Fields) > 0 {
		return nil, errs.InvalidFields(ve.Fields...)
	}
	return out, nil
}

func validLocale(l string) bool {
	if len(l) < 2 || len(l) > 10 {
		return false
	}
	for _, r := range l {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// cleanFilename keeps the base name of what the client called the file, without control
// characters, bidirectional overrides ("photo\u202Egpj.exe" would show as "photoexe.jpg") or quotes, for Content-Disposition and display; it is never a storage path.
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || bidi.IsControl(r) || r == '"' || r == '/' || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > MaxFilenameLen {
		name = string([]rune(name)[:MaxFilenameLen])
	}
	return name
}

// ErrStorageFull is an upload refused because the spool directory or the media storage has
// no space left (507). The upload leaves nothing; the cause is logged for the operator.
var ErrStorageFull = errs.New(errs.StorageFull, "the server has no storage space left for this upload; try again later")

// storageErr marks err as ErrStorageFull (keeping it as the cause) when it is a full disk.
func storageErr(err error) error {
	if err != nil && errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("%w: %w", ErrStorageFull, err)
	}
	return err
}

// firstWriteErr remembers the first error of the writes to w.
type firstWriteErr struct {
	w   io.Writer
	err error
}

func (f *firstWriteErr) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err != nil && f.err == nil {
		f.err = err
	}
	return n, err
}
