// Package media is Herald's media domain: uploaded images and documents with per-locale alt
// text, captions and credits, and the rules for accepting an upload — sniffed type from an
// allow-list, byte and pixel limits checked before decoding, metadata (EXIF, XMP, GPS)
// stripped after applying the orientation, resized variants, deduplication by SHA-256 — and
// the two interfaces it needs: Store (rows, implemented by internal/store) and Blobs (file
// bytes, implemented by media/disk and media/s3). It knows nothing of HTTP routing or SQL.
package media

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// Kind tells images (which get variants and dimensions) from documents.
type Kind string

const (
	Image    Kind = "image"
	Document Kind = "document"
)

// The accepted types. Anything else, SVG included, is refused.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	GIF  = "image/gif"
	WebP = "image/webp"
	PDF  = "application/pdf"
)

// Media is one stored file with its variants and texts.
type Media struct {
	ID   uuid.UUID
	Kind Kind
	MIME string
	// Size is the stored original's size in bytes (after metadata was stripped).
	Size          int64
	Width, Height int
	// SHA256 is the hex digest of the bytes as uploaded: items of the same bytes share their
	// stored files (keys derive from it), never their other fields.
	SHA256 string
	// Key is the storage key of the original; variants carry their own.
	Key string
	// Filename is the uploader's file name, cleaned, for downloads; never used as a path.
	Filename string
	// Focal is the point crops keep in frame; nil is the centre.
	Focal        *FocalPoint
	Variants     []Variant
	UploadedBy   *uuid.UUID
	Translations []Translation
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Variant is a resized copy of an image.
type Variant struct {
	Name   string `json:"name"`
	Key    string `json:"key"`
	MIME   string `json:"mime"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Size   int64  `json:"size"`
}

// Sizes are the variant names and their widths; an image is never upscaled, so an image
// narrower than a size has no variant of that name.
var Sizes = []struct {
	Name  string
	Width int
}{{"thumb", 320}, {"medium", 800}, {"large", 1600}}

// Translation is a media item's texts in one locale.
type Translation struct {
	Locale  string
	Alt     string
	Caption string
	Credit  string
}

// Translation returns the texts in the first locale of chain that has them.
func (m Media) Translation(chain []string) (Translation, bool) {
	for _, l := range chain {
		for _, t := range m.Translations {
			if t.Locale == l {
				return t, true
			}
		}
	}
	return Translation{}, false
}

// Variant returns the variant called name.
func (m Media) Variant(name string) (Variant, bool) {
	for _, v := range m.Variants {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// Keys lists every storage key of the item: the original and its variants.
func (m Media) Keys() []string {
	keys := []string{m.Key}
	for _, v := range m.Variants {
		keys = append(keys, v.Key)
	}
	return keys
}

// Actor is who performs a write, as the media rules need to know it (api builds it from
// the signed-in principal). Editors manage any media; authors only what they uploaded.
type Actor struct {
	UserID uuid.UUID
	Editor bool
}

// Query selects media for the admin list, newest first.
type Query struct {
	Kind       Kind
	UploadedBy *uuid.UUID
	// Unused keeps only media no live article uses as cover or in its gallery.
	Unused bool
	Limit  int
	Offset int
}

// Store is what the media domain needs from persistence; internal/store implements it.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// CreateMedia inserts m with its translations. Items of the same SHA256 share files.
	CreateMedia(ctx context.Context, m Media) error
	MediaByID(ctx context.Context, id uuid.UUID) (Media, error)
	MediaBySHA256(ctx context.Context, sum string) (Media, error)
	// MediaByIDs returns the items among ids that exist, in any order, in a fixed number of
	// queries.
	MediaByIDs(ctx context.Context, ids []uuid.UUID) ([]Media, error)
	ListMedia(ctx context.Context, q Query) ([]Media, int64, error)
	// SetMediaFocalPoint sets an item's focal point.
	SetMediaFocalPoint(ctx context.Context, id uuid.UUID, fp FocalPoint) error
	// FocalPoints lists the focal points set on the items of the file with SHA-256 sum.
	FocalPoints(ctx context.Context, sum string) ([]FocalPoint, error)
	// PutMediaTranslations upserts translations (others are untouched) and sets updated_at.
	PutMediaTranslations(ctx context.Context, id uuid.UUID, ts []Translation, at time.Time) error
	// ArticlesUsing lists the live articles that use the item as cover or in a gallery.
	ArticlesUsing(ctx context.Context, id uuid.UUID) ([]uuid.UUID, error)
	// DeleteMedia removes the row, first detaching it from every article (cover and
	// gallery; each changed article gets a new version so stale editors see 412).
	DeleteMedia(ctx context.Context, id uuid.UUID, at time.Time) error
}

// Blob is an open stored file.
type Blob struct {
	io.ReadSeekCloser
	Size    int64
	ModTime time.Time
}

// Blobs stores file bytes under keys the domain chose (see ValidKey); media/disk and
// media/s3 implement it, and mediatest checks both against one suite.
type Blobs interface {
	// Put stores size bytes from r under key, atomically: a failed Put leaves nothing.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Open returns the file at key, or ErrNotFound.
	Open(ctx context.Context, key string) (Blob, error)
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// Keys lists the stored keys that start with prefix.
	Keys(ctx context.Context, prefix string) ([]string, error)
	// URL is the public URL of key when a CDN or bucket serves it, or "" when Herald
	// serves it itself at /media/{key}.
	URL(key string) string
}

// Errors of the domain; api maps them to HTTP.
var (
	ErrNotFound  = errs.ErrNotFound
	ErrConflict  = errs.ErrConflict
	ErrForbidden = errs.New(errs.Forbidden, "forbidden")
	// ErrTooLarge is an upload over the byte limit (413).
	ErrTooLarge = errs.New(errs.TooLarge, "the file is larger than the upload limit")
)

// TypeError refuses a file by its type: unknown, not allowed (SVG), not what the client
// declared, or carrying another format inside (415).
type TypeError struct{ Reason string }

func (e *TypeError) Error() string { return "unsupported media type: " + e.Reason }

// ErrorCode implements errs.Coder.
func (e *TypeError) ErrorCode() errs.Code { return errs.Unsupported }

// ErrorMessage implements errs.Messager.
func (e *TypeError) ErrorMessage() string { return e.Reason }

// ImageError refuses an image of an accepted type that cannot be used: corrupt, truncated,
// or over the pixel budget (422).
type ImageError struct{ Reason string }

func (e *ImageError) Error() string { return "unusable image: " + e.Reason }

// ErrorCode implements errs.Coder.
func (e *ImageError) ErrorCode() errs.Code { return errs.Unprocessable }

// ErrorMessage implements errs.Messager.
func (e *ImageError) ErrorMessage() string { return e.Reason }

// InUseError refuses to delete an item that articles use; it names them (409).
type InUseError struct{ Articles []uuid.UUID }

func (e *InUseError) Error() string {
	return fmt.Sprintf("the media item is used by %d article(s); detach it first or delete with force", len(e.Articles))
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *InUseError) Is(target error) bool { return target == ErrConflict }

// ErrorCode implements errs.Coder.
func (e *InUseError) ErrorCode() errs.Code { return errs.Conflict }

// ErrorMessage implements errs.Messager.
func (e *InUseError) ErrorMessage() string { return e.Error() }

var keyPattern = regexp.MustCompile(`^[0-9a-f]{64}/((original|thumb|medium|large)\.(jpg|png|gif|webp|pdf)|` + renditionPattern + `)$`)

// ValidKey reports whether key is one Herald makes: "<sha256>/<name>.<ext>", or a
// rendition's "<sha256>/r<w>x<h>-<fit>[-f<x>x<y>]-q<q>.<ext>". Blobs refuse
// any other, so no client-controlled path ever reaches a file system or bucket.
func ValidKey(key string) bool { return keyPattern.MatchString(key) }

// Extensions maps each accepted type to the extension of its keys.
var Extensions = map[string]string{JPEG: "jpg", PNG: "png", GIF: "gif", WebP: "webp", PDF: "pdf"}

// TypeOfKey is the content type of a valid key, from its extension.
func TypeOfKey(key string) string {
	ext := key[strings.LastIndexByte(key, '.')+1:]
	if ext == "avif" {
		return AVIF
	}
	for t, e := range Extensions {
		if e == ext {
			return t
		}
	}
	return "application/octet-stream"
}
