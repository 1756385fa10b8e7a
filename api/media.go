package api

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/media"
)

// mediaRoutes registers the public media endpoints, the file route and the admin media
// endpoints. Files live under content-derived keys that never change, so they are served
// as immutable; with S3 and HERALD_S3_PUBLIC_URL the URLs in responses point at the CDN and
// /media/… redirects there, otherwise Herald streams the file from the store (disk or S3).
func (s *Server) mediaRoutes(v1, admin *echo.Group) {
	s.publicGET(v1, "/media/:id", s.getMedia)
	s.echo.GET("/media/:hash/:file", s.serveMediaFile)

	anyone := s.requireRole(anyRole...)
	admin.GET("/media", s.adminListMedia, anyone)
	admin.POST("/media", s.adminUploadMedia, anyone)
	admin.GET("/media/:id", s.adminGetMedia, anyone)
	admin.PATCH("/media/:id", s.adminUpdateMedia, anyone)
	admin.DELETE("/media/:id", s.adminDeleteMedia, anyone)
}

// MediaDTO is a media item as the public sees it, with texts in one locale.
type MediaDTO struct {
	ID string `json:"id" example:"01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d"`
	// Type is image or document.
	Type   string `json:"type" example:"image"`
	MIME   string `json:"mime" example:"image/jpeg"`
	Size   int64  `json:"size" example:"482113"`
	Width  int    `json:"width,omitempty" example:"4000"`
	Height int    `json:"height,omitempty" example:"3000"`
	// URLs has a URL for every size name; a size the image is too small for points at the
	// next larger file (never an upscaled one). URLs are absolute under HERALD_PUBLIC_URL
	// (or the CDN's HERALD_S3_PUBLIC_URL) when set, else paths relative to the API's origin.
	URLs MediaURLs `json:"urls"`
	// Variants are the resized files that exist, smallest first.
	Variants []VariantDTO `json:"variants"`
	// Sources are the image in AVIF, WebP and JPEG (PNG for PNG and GIF originals), each
	// with a srcset of on-demand renditions for a <picture>'s <source type srcset> (the last
	// is the <img>'s); absent for documents.
	Sources []ImageSourceDTO `json:"sources,omitempty"`
	// FocalPoint is the point crops (fit=cover) keep in frame, when an editor set one; pass
	// it as fp. Article lists (cards) omit it: their crops are centred unless fp is given.
	FocalPoint *FocalPointDTO `json:"focal_point,omitempty"`
	// Alt, Caption and Credit each fall back along the locale chain on their own, and each
	// names the locale it came from (alt_locale, caption_locale, credit_locale).
	Alt           string `json:"alt"`
	AltLocale     string `json:"alt_locale,omitempty" example:"en"`
	Caption       string `json:"caption,omitempty"`
	CaptionLocale string `json:"caption_locale,omitempty" example:"en"`
	Credit        string `json:"credit,omitempty"`
	CreditLocale  string `json:"credit_locale,omitempty" example:"en"`
	// Locale is the locale of the first text served (the alt text's, else the caption's,
	// else the credit's), after fallback; empty when there are none.
	Locale string `json:"locale,omitempty" example:"en"`
} //	@name	Media

// MediaURLs are the file URLs of an item by size.
type MediaURLs struct {
	Thumb    string `json:"thumb,omitempty" example:"/media/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08/thumb.jpg"`
	Medium   string `json:"medium,omitempty"`
	Large    string `json:"large,omitempty"`
	Original string `json:"original" example:"/media/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08/original.jpg"`
} //	@name	MediaURLs

// VariantDTO is one resized file.
type VariantDTO struct {
	Name   string `json:"name" example:"thumb"`
	MIME   string `json:"mime" example:"image/jpeg"`
	Width  int    `json:"width" example:"320"`
	Height int    `json:"height" example:"240"`
	Size   int64  `json:"size" example:"18211"`
	URL    string `json:"url"`
} //	@name	MediaVariant

// mediaURL is where clients fetch key: the CDN when configured, else Herald's file route
// (under HERALD_PUBLIC_URL when set).
func (s *Server) mediaURL(key string) string {
	if u := s.media.Blobs().URL(key); u != "" {
		return u
	}
	return s.publicURL + "/media/" + key
}

func (s *Server) newMediaDTO(m media.Media, chain []string) MediaDTO {
	d := MediaDTO{ID: m.ID.String(), Type: string(m.Kind), MIME: m.MIME, Size: m.Size, Width: m.Width, Height: m.Height,
		Variants: make([]VariantDTO, 0, len(m.Variants))}
	d.URLs.Original = s.mediaURL(m.Key)
	d.Sources = s.imageSources(m)
	if m.Focal != nil {
		d.FocalPoint = &FocalPointDTO{X: m.Focal.X, Y: m.Focal.Y}
	}
	for _, sz := range media.Sizes {
		if v, ok := m.Variant(sz.Name); ok {
			d.Variants = append(d.Variants, VariantDTO{Name: v.Name, MIME: v.MIME, Width: v.Width, Height: v.Height, Size: v.Size, URL: s.mediaURL(v.Key)})
		}
	}
	// Each size falls back to the next larger file that exists.
	next := d.URLs.Original
	for i := len(media.Sizes) - 1; i >= 0; i-- {
		u := next
		if v, ok := m.Variant(media.Sizes[i].Name); ok {
			u = s.mediaURL(v.Key)
		}
		next = u
		switch media.Sizes[i].Name {
		case "thumb":
			d.URLs.Thumb = u
		case "medium":
			d.URLs.Medium = u
		case "large":
			d.URLs.Large = u
		}
	}
	if m.Kind != media.Image {
		d.URLs = MediaURLs{Original: d.URLs.Original}
	}
	t := m.Texts(chain)
	d.Alt, d.AltLocale, d.Caption, d.CaptionLocale, d.Credit, d.CreditLocale = t.Alt, t.AltLocale, t.Caption, t.CaptionLocale, t.Credit, t.CreditLocale
	if ls := t.Locales(); len(ls) > 0 {
		d.Locale = ls[0]
	}
	return d
}

// getMedia godoc
//
//	@Summary		Get one media item
//	@Description	Type, size, dimensions, file URLs by size and the alt text, caption and credit in the negotiated locale, each falling back on its own along the reader's chain (as articles do) and naming the locale it came from (alt_locale, caption_locale, credit_locale).
//	@Tags			content
//	@Produce		json
//	@Param			id				path		string	true	"Media id"
//	@Param			locale			query		string	false	"Locale of the texts"	example(en)
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Success		200				{object}	MediaDTO
//	@Header			200				{string}	Content-Language	"The locales of the texts served (the requested one when there are none)"
//	@Header			200				{string}	ETag				"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200				{string}	Cache-Control		"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate, which together never reach past the next scheduled publication"
//	@Success		304				"Not modified: If-None-Match matched (no body)"
//	@Failure		400				{object}	Problem	"Unsupported locale; unknown query parameter (the accepted ones are named)"
//	@Failure		404				{object}	Problem	"No such media item"
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem	"Media storage is not configured; or the database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/api/v1/media/{id} [get]
func (s *Server) getMedia(c echo.Context) error {
	if s.media == nil {
		return errNoMedia
	}
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return media.ErrNotFound
	}
	m, err := s.media.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if ls := m.Texts(neg.Chain).Locales(); len(ls) > 0 {
		contentLanguage(c, ls...)
	} else {
		contentLanguage(c, neg.Locale)
	}
	return c.JSON(http.StatusOK, s.newMediaDTO(m, neg.Chain))
}

var errNoMedia = newProblem(http.StatusServiceUnavailable, "media storage is not configured")

// serveMediaFile godoc
//
//	@Summary		Download a media file, or a rendition of an original
//	@Description	The bytes of an original or a variant, at a content-derived URL that never changes: Cache-Control immutable for a year, a strong ETag, Range requests (206), X-Content-Type-Options nosniff and a sandboxing Content-Security-Policy. PDFs come as attachments. With a CDN configured (HERALD_S3_PUBLIC_URL) this redirects there.
//	@Description	With w, h, fit, fm, q or fp on an original image's URL, the image is transformed: rendered on the first request (in the shared image worker pool, under the decoded-size budget; concurrent requests for it render it once), stored beside the original, and served as a file from then on. Only allow-listed widths, heights and qualities are accepted (HERALD_MEDIA_WIDTHS, HERALD_MEDIA_HEIGHTS, HERALD_MEDIA_QUALITIES; others get 400 naming the allowed values). Images are never upscaled: a box larger than the original shrinks, keeping its aspect ratio, until it fits. fit=cover crops around fp, which must be the focal_point of a media item of this file. fm=auto picks AVIF, WebP or the original's format from Accept (Vary: Accept). AVIF renditions over HERALD_MEDIA_AVIF_MAX_PIXELS are WebP (the Content-Type says so). Renditions carry no metadata (no EXIF or GPS).
//	@Tags			content
//	@Produce		image/jpeg,image/png,image/gif,image/webp,image/avif,application/pdf
//	@Param			hash	path		string	true	"SHA-256 of the uploaded file"
//	@Param			file	path		string	true	"original, thumb, medium or large, with the extension"																														example(medium.jpg)
//	@Param			w		query		integer	false	"Width of the rendition, from HERALD_MEDIA_WIDTHS"																															example(640)
//	@Param			h		query		integer	false	"Height of the rendition, from HERALD_MEDIA_HEIGHTS"																														example(360)
//	@Param			fit		query		string	false	"How the image fills a w×h box: inside (default; fits within), contain (fits within, padded to the box: transparent, white in JPEG), cover (fills it, cropped around fp)"	Enums(inside, contain, cover)
//	@Param			fm		query		string	false	"Format: jpeg, png, webp, avif, or auto (from Accept); default the original's (GIF as PNG)"																					Enums(jpeg, png, webp, avif, auto)
//	@Param			q		query		integer	false	"Quality, from HERALD_MEDIA_QUALITIES; default JPEG 80, WebP 85, AVIF 60 (PNG is lossless)"																					example(75)
//	@Param			fp		query		string	false	"Focal point x,y kept in a fit=cover crop: the focal_point of a media item of this file"																					example(0.30,0.70)
//	@Param			Accept	header		string	false	"Image types the client takes, for fm=auto"																																	example(image/avif,image/webp,*/*)
//	@Param			Range	header		string	false	"Byte range"																																								example(bytes=0-1023)
//	@Success		200		{file}		binary
//	@Header			200		{string}	Vary	"Accept, with fm=auto"
//	@Success		206		{file}		binary	"Partial content"
//	@Success		304		"Not modified (If-None-Match)"
//	@Failure		301		"Moved to the CDN"
//	@Failure		302		"fm=auto with a CDN: moved to the negotiated rendition"
//	@Failure		400		{object}	Problem	"A transform parameter outside its allow-list (the allowed values are named), a focal point that is not an item's, a transform of a document or a variant, or an unknown query parameter"
//	@Failure		404		{object}	Problem
//	@Failure		413		{object}	Problem	"Rendering the image needs more memory than HERALD_MEDIA_MAX_DECODED_BYTES"
//	@Failure		416		"Range not satisfiable"
//	@Failure		503		{object}	Problem	"Media storage is not configured, or every image worker is busy (Retry-After)"
//	@Router			/media/{hash}/{file} [get]
func (s *Server) serveMediaFile(c echo.Context) error {
	if s.media == nil {
		return errNoMedia
	}
	key := c.Param("hash") + "/" + c.Param("file")
	if !media.ValidKey(key) {
		return media.ErrNotFound
	}
	if err := s.checkQuery(c); err != nil {
		return err
	}
	if wantsRendition(c) {
		if !strings.HasPrefix(c.Param("file"), "original.") {
			return validationProblem(FieldError{"file", "only an original (original.<ext>) can be transformed"})
		}
		return s.serveRendition(c, key)
	}
	if u := s.media.Blobs().URL(key); u != "" {
		return c.Redirect(http.StatusMovedPermanently, u)
	}
	blob, err := s.media.Blobs().Open(c.Request().Context(), key)
	if err != nil {
		return err
	}
	defer blob.Close()
	typ := media.TypeOfKey(key)
	if media.IsRendition(key) {
		typ = "" // an AVIF rendition may hold WebP: told from the bytes
		var head [16]byte
		n, _ := io.ReadFull(blob, head[:])
		if _, err := blob.Seek(0, io.SeekStart); err != nil {
			return err
		}
		typ = media.RenditionType(head[:n])
	}
	fileHeaders(c, key, typ)
	if typ == media.PDF {
		c.Response().Header().Set("Content-Disposition", `attachment; filename="`+c.Param("hash")[:16]+`.pdf"`)
	}
	http.ServeContent(c.Response(), c.Request(), "", blob.ModTime.Truncate(time.Second), blob)
	return nil
}

// mediaActor is the caller as the media rules see it.
func mediaActor(c echo.Context) media.Actor {
	a := actorOf(c)
	return media.Actor{UserID: a.UserID, Editor: a.Editor}
}

// isMediaUpload reports whether the request is an upload, whose body bodyLimit leaves to
// the handler (bounded there by HERALD_MEDIA_MAX_BYTES).
func isMediaUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Path() == "/api/v1/admin/media"
}

// embedCovers sets the cover of each list item (dto(i) is the item made from arts[i]) in a
// fixed number of queries whatever the page size. Lists carry covers only, not galleries.
func (s *Server) embedCovers(ctx context.Context, arts []content.Article, dto func(i int) *ArticleDTO, chain []string) error {
	if s.media == nil {
		return nil
	}
	var ids []uuid.UUID
	for _, a := range arts {
		if a.CoverMediaID != nil {
			ids = append(ids, *a.CoverMediaID)
		}
	}
	items, err := s.media.ByIDs(ctx, ids)
	if err != nil {
		return err
	}
	for i, a := range arts {
		if a.CoverMediaID == nil {
			continue
		}
		if m, ok := items[*a.CoverMediaID]; ok {
			md := s.newMediaDTO(m, chain)
			dto(i).Cover = &md
		}
	}
	return nil
}

// embedMedia sets an article's cover and gallery, in order, in two queries.
func (s *Server) embedMedia(ctx context.Context, a content.Article, d *ArticleDTO, chain []string) error {
	if s.media == nil {
		return nil
	}
	ids := append([]uuid.UUID{}, a.GalleryMediaIDs...)
	if a.CoverMediaID != nil {
		ids = append(ids, *a.CoverMediaID)
	}
	items, err := s.media.ByIDs(ctx, ids)
	if err != nil {
		return err
	}
	if a.CoverMediaID != nil {
		if m, ok := items[*a.CoverMediaID]; ok {
			md := s.newMediaDTO(m, chain)
			d.Cover = &md
		}
	}
	d.Gallery = make([]MediaDTO, 0, len(a.GalleryMediaIDs))
	for _, id := range a.GalleryMediaIDs {
		if m, ok := items[id]; ok {
			d.Gallery = append(d.Gallery, s.newMediaDTO(m, chain))
		}
	}
	return nil
}
