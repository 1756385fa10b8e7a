package api

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/media"
)

// AdminMediaDTO is a media item as the Admin API shows it: every translation, the uploader
// and the checksum.
type AdminMediaDTO struct {
	MediaDTO
	SHA256       string                `json:"sha256" example:"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`
	Filename     string                `json:"filename,omitempty" example:"press-conference.jpg"`
	UploadedBy   *string               `json:"uploaded_by,omitempty"`
	CreatedAt    time.Time             `json:"created_at"`
	UpdatedAt    time.Time             `json:"updated_at"`
	Translations []MediaTranslationDTO `json:"translations"`
} //	@name	AdminMedia

// MediaTranslationDTO is an item's texts in one locale.
type MediaTranslationDTO struct {
	Locale  string `json:"locale" example:"en"`
	Alt     string `json:"alt" example:"The minister speaks at the press conference"`
	Caption string `json:"caption" example:"Baku, 19 February 2021"`
	Credit  string `json:"credit" example:"Photo: Herald staff"`
} //	@name	MediaTranslation

// AdminMediaList is a page of the admin media list.
type AdminMediaList struct {
	Data []AdminMediaDTO `json:"data"`
	Meta ListMeta        `json:"meta"`
} //	@name	AdminMediaList

// UpdateMediaRequest changes texts per locale; an absent field is left as it is, other
// locales are untouched.
type UpdateMediaRequest struct {
	Translations []MediaTranslationPatch `json:"translations,omitempty"`
	// FocalPoint sets the point crops keep in frame (x, y in 0..1, stored to two
	// decimals); absent keeps it. {"x":0.5,"y":0.5} is the centre.
	FocalPoint *FocalPointDTO `json:"focal_point,omitempty"`
} //	@name	UpdateMediaRequest

// MediaTranslationPatch is the change to one locale's texts.
type MediaTranslationPatch struct {
	Locale  string  `json:"locale" example:"ru"`
	Alt     *string `json:"alt,omitempty"`
	Caption *string `json:"caption,omitempty"`
	Credit  *string `json:"credit,omitempty"`
} //	@name	MediaTranslationPatch

func (s *Server) newAdminMediaDTO(m media.Media) AdminMediaDTO {
	d := AdminMediaDTO{MediaDTO: s.newMediaDTO(m, s.locales.Chain(s.locales.Default())), SHA256: m.SHA256, Filename: m.Filename,
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, Translations: make([]MediaTranslationDTO, len(m.Translations))}
	if m.UploadedBy != nil {
		u := m.UploadedBy.String()
		d.UploadedBy = &u
	}
	for i, t := range m.Translations {
		d.Translations[i] = MediaTranslationDTO{Locale: t.Locale, Alt: t.Alt, Caption: t.Caption, Credit: t.Credit}
	}
	return d
}

// multipartSlack is what the form around the file may add to the body: boundaries, part
// headers and the text fields.
const multipartSlack = 256 << 10

// textField matches alt[en], caption[ru], credit[az] (or alt, caption, credit for the
// default locale).
var textField = regexp.MustCompile(`^(alt|caption|credit)(?:\[([a-z0-9-]{2,10})\])?$`)

// adminUploadMedia godoc
//
//	@Summary		Upload an image or PDF
//	@Description	multipart/form-data with one file field, and optional texts per locale as alt[en], caption[en], credit[en] (alt, caption, credit without a locale are the default locale's). The file is streamed to storage, never held in memory. Its type is sniffed from the content (JPEG, PNG, GIF, WebP, PDF; SVG is refused) and must agree with the declared type and extension; images over the pixel budget (422) or whose decoding would need more memory than HERALD_MEDIA_MAX_DECODED_BYTES (413) are refused from their header, before decoding; at most HERALD_MEDIA_WORKERS images are processed at once (503 with Retry-After when they stay busy). EXIF orientation is applied, then every stored file, the original included, keeps only an allow-list of chunks and segments (no EXIF, GPS, XMP, IPTC, comments, private or unknown chunks, or data after the image). Images get thumb (320w), medium (800w) and large (1600w) variants, never upscaled. Every upload is a new item with the caller's texts; the same bytes uploaded again (by anyone) share the stored files, and nothing of the other item is shown. Any signed-in role.
//	@Tags			admin-media
//	@Accept			multipart/form-data
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			file		formData	file	true	"The file"
//	@Param			alt[en]		formData	string	false	"Alt text in a locale (any site locale in brackets)"
//	@Param			caption[en]	formData	string	false	"Caption in a locale"
//	@Param			credit[en]	formData	string	false	"Credit in a locale"
//	@Success		201			{object}	AdminMediaDTO
//	@Header			201			{string}	Location	"The admin URL of the item"
//	@Failure		400			{object}	Problem		"No file, an empty file, an unknown field, or an interrupted upload"
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		408			{object}	Problem	"The body stalled for HERALD_MEDIA_IDLE_TIMEOUT or fell below HERALD_MEDIA_MIN_RATE"
//	@Failure		413			{object}	Problem	"Larger than HERALD_MEDIA_MAX_BYTES, or an image whose decoding would need more memory than HERALD_MEDIA_MAX_DECODED_BYTES"
//	@Failure		415			{object}	Problem	"Not an accepted type, SVG, a type that differs from the declared one, or a polyglot"
//	@Failure		422			{object}	Problem	"Corrupt or truncated image, or over the pixel budget"
//	@Failure		500			{object}	Problem
//	@Failure		503			{object}	Problem		"Media storage is not configured, or every image worker is busy (Retry-After)"
//	@Header			503			{integer}	Retry-After	"Seconds to wait before retrying, when image processing is at capacity"
//	@Failure		507			{object}	Problem		"The spool directory or the media storage is full (logged)"
//	@Router			/api/v1/admin/media [post]
func (s *Server) adminUploadMedia(c echo.Context) error {
	if s.media == nil {
		return errNoMedia
	}
	r := c.Request()
	limit := s.media.MaxBytes() + multipartSlack
	if r.ContentLength > limit {
		return media.ErrTooLarge
	}
	r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
	mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err != nil || mt != "multipart/form-data" {
		return newProblem(http.StatusUnsupportedMediaType, "the request body must be multipart/form-data with a file field")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return validationProblem(FieldError{"body", "is not a valid multipart form"})
	}
	ctx := r.Context()
	var rec *media.Received
	defer func() { rec.Discard() }()
	texts := map[string]*media.Translation{}
	var order []string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return s.uploadReadError(err)
		}
		name := part.FormName()
		switch m := textField.FindStringSubmatch(name); {
		case name == "file":
			if rec != nil {
				return validationProblem(FieldError{"file", "only one file per upload"})
			}
			rec, err = s.media.Receive(ctx, part, part.FileName(), part.Header.Get(echo.HeaderContentType))
			if err != nil {
				return s.uploadReadError(err)
			}
		case m != nil:
			loc := m[2]
			if loc == "" {
				loc = s.locales.Default()
			}
			v, err := io.ReadAll(io.LimitReader(part, 16<<10+1))
			if err != nil {
				return s.uploadReadError(err)
			}
			if len(v) > 16<<10 {
				return validationProblem(FieldError{name, "is too long"})
			}
			t := texts[loc]
			if t == nil {
				t = &media.Translation{Locale: loc}
				texts[loc] = t
				order = append(order, loc)
			}
			switch m[1] {
			case "alt":
				t.Alt = string(v)
			case "caption":
				t.Caption = string(v)
			case "credit":
				t.Credit = string(v)
			}
		default:
			return validationProblem(FieldError{name, "is not a field of an upload: send file, and alt[locale], caption[locale], credit[locale]"})
		}
	}
	if rec == nil {
		return validationProblem(FieldError{"file", "is required"})
	}
	ts := make([]media.Translation, 0, len(order))
	for _, l := range order {
		ts = append(ts, *texts[l])
	}
	// The body is in; processing and storing get the total of an ordinary request.
	ctx, cancel := context.WithTimeout(ctx, s.requestTimeout)
	defer cancel()
	// The item is new whether its files are (the service audits which).
	m, _, err := s.media.Upload(ctx, mediaActor(c), rec, ts)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/v1/admin/media/"+m.ID.String())
	return c.JSON(http.StatusCreated, s.newAdminMediaDTO(m))
}

// uploadReadError maps a failure to read the request body: over the limit is 413, a body
// that stalled or crawled past its progress deadline 408, anything else (a client that went
// away, a malformed form) 400.
func (s *Server) uploadReadError(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) || errors.Is(err, media.ErrTooLarge) {
		return media.ErrTooLarge
	}
	if isDeadline(err) {
		return s.transferTooSlow()
	}
	if errors.Is(err, media.ErrStorageFull) {
		return err
	}
	return validationProblem(FieldError{"body", "the upload was interrupted or is not a valid multipart form"})
}

// adminListMedia godoc
//
//	@Summary		List media
//	@Description	Newest first. Filter by type, uploader, or unused (no live article has it as cover or in its gallery).
//	@Tags			admin-media
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			type		query		string	false	"image or document"	Enums(image, document)
//	@Param			uploader	query		string	false	"Uploader user id"
//	@Param			unused		query		boolean	false	"Only media no live article uses"
//	@Param			page		query		integer	false	"Page number"		minimum(1)	default(1)
//	@Param			per_page	query		integer	false	"Items per page"	minimum(1)	maximum(100)	default(20)
//	@Success		200			{object}	AdminMediaList
//	@Header			200			{integer}	X-Total-Count	"Total matches"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		500			{object}	Problem
//	@Failure		503			{object}	Problem	"Media storage is not configured"
//	@Router			/api/v1/admin/media [get]
func (s *Server) adminListMedia(c echo.Context) error {
	if s.media == nil {
		return errNoMedia
	}
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", 20, 1, media.MaxPerPage)
	q := media.Query{Limit: perPage, Offset: (page - 1) * perPage}
	if t := qe.listParam(c, "type", []string{string(media.Image), string(media.Document)}); len(t) == 1 {
		q.Kind = media.Kind(t[0])
	} else if len(t) > 1 {
		qe.add("type", "give one of image, document")
	}
	if v := c.QueryParam("uploader"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			qe.add("uploader", "must be a UUID")
		}
		q.UploadedBy = &id
	}
	if b := qe.boolParam(c, "unused"); b != nil {
		q.Unused = *b
	}
	if err := qe.err(); err != nil {
		return err
	}
	ms, total, err := s.media.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	out := AdminMediaList{Data: make([]AdminMediaDTO, len(ms)), Meta: ListMeta{Page: page, PerPage: perPage}}
	for i, m := range ms {
		out.Data[i] = s.newAdminMediaDTO(m)
	}
	setPageMeta(c, &out.Meta, total, page, perPage)
	return c.JSON(http.StatusOK, out)
}

// adminGetMedia godoc
//
//	@Summary	Get one media item with every translation
//	@Tags		admin-media
//	@Produce	json
//	@Security	BearerAuth
//	@Security	APITokenAuth
//	@Param		id	path		string	true	"Media id"
//	@Success	200	{object}	AdminMediaDTO
//	@Failure	401	{object}	Problem
//	@Failure	403	{object}	Problem
//	@Failure	404	{object}	Problem
//	@Failure	500	{object}	Problem
//	@Failure	503	{object}	Problem	"Media storage is not configured"
//	@Router		/api/v1/admin/media/{id} [get]
func (s *Server) adminGetMedia(c echo.Context) error {
	if s.media == nil {
		return errNoMedia
	}
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return media.ErrNotFound
	}
	m, err := s.media.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.newAdminMediaDTO(m))
}

// adminUpdateMedia godoc
//
//	@Summary		Change a media item's texts and focal point
//	@Description	Alt text, caption and credit per locale; absent fields and other locales are kept. focal_point (x, y in 0..1) is the point fit=cover renditions keep in frame. Authors may change only what they uploaded; editors and admins anything.
//	@Tags			admin-media
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path		string				true	"Media id"
//	@Param			body	body		UpdateMediaRequest	true	"Texts per locale"
//	@Success		200		{object}	AdminMediaDTO
//	@Failure		400		{object}	Problem	"Invalid locale, text or focal point"
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem	"Not the uploader"
//	@Failure		404		{object}	Problem
//	@Failure		415		{object}	Problem	"Not JSON"
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem	"Media storage is not configured"
//	@Router			/api/v1/admin/media/{id} [patch]
func (s *Server) adminUpdateMedia(c echo.Context) error {
	if s.media == nil {
		return errNoMedia
	}
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return media.ErrNotFound
	}
	var req UpdateMediaRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	patches := make([]media.TranslationPatch, len(req.Translations))
	for i, t := range req.Translations {
		patches[i] = media.TranslationPatch{Locale: t.Locale, Alt: t.Alt, Caption: t.Caption, Credit: t.Credit}
	}
	p := media.Patch{Translations: patches}
	if req.FocalPoint != nil {
		p.Focal = &media.FocalPoint{X: req.FocalPoint.X, Y: req.FocalPoint.Y}
	}
	m, err := s.media.Update(c.Request().Context(), mediaActor(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.newAdminMediaDTO(m))
}

// adminDeleteMedia godoc
//
//	@Summary		Delete a media item and its files
//	@Description	Refused with 409 when live articles use it (as cover or in a gallery); the problem lists them in articles. With force=true (editors and admins) it is detached from those articles first, each getting a new version. Authors may delete only what they uploaded.
//	@Tags			admin-media
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path	string	true	"Media id"
//	@Param			force	query	boolean	false	"Detach from articles that use it"
//	@Success		204
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		409	{object}	Problem	"Used by articles (listed in articles)"
//	@Failure		500	{object}	Problem
//	@Failure		503	{object}	Problem	"Media storage is not configured"
//	@Router			/api/v1/admin/media/{id} [delete]
func (s *Server) adminDeleteMedia(c echo.Context) error {
	if s.media == nil {
		return errNoMedia
	}
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return media.ErrNotFound
	}
	var qe queryErrors
	force := qe.boolParam(c, "force")
	if err := qe.err(); err != nil {
		return err
	}
	if _, err := s.media.Delete(c.Request().Context(), mediaActor(c), id, force != nil && *force); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
