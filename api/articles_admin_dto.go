package api

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
)

// AdminArticleDTO is an article as the Admin API shows it: any status, every translation.
// Its version is also the ETag; send it back with every write.
type AdminArticleDTO struct {
	ID     string `json:"id" example:"01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d"`
	Status string `json:"status" enums:"draft,scheduled,published,archived" example:"draft"`
	// PublishedAt is the publication date; a draft unpublished after being public keeps it,
	// for publishing again (POST …/publish keeps it unless told "date": "now").
	PublishedAt *time.Time `json:"published_at,omitempty" example:"2021-02-19T10:00:00Z"`
	// FirstPublishedAt is when the article first became public (or is scheduled to).
	FirstPublishedAt *time.Time            `json:"first_published_at,omitempty" example:"2021-02-19T10:00:00Z"`
	AuthorID         *string               `json:"author_id,omitempty"`
	CategoryID       *string               `json:"category_id,omitempty"`
	CoverMediaID     *string               `json:"cover_media_id,omitempty"`
	Featured         bool                  `json:"featured"`
	ReadCount        int64                 `json:"read_count" example:"310"`
	Version          int                   `json:"version" example:"3"`
	CreatedAt        time.Time             `json:"created_at"`
	UpdatedAt        time.Time             `json:"updated_at"`
	TagIDs           []string              `json:"tag_ids"`
	Translations     []AdminTranslationDTO `json:"translations"`
	// GalleryMediaIDs is the ordered gallery.
	GalleryMediaIDs []string `json:"gallery_media_ids"`
	// BylineIDs are the byline's authors in order (single-article responses; set with
	// PUT …/bylines).
	BylineIDs []string `json:"byline_ids,omitempty"`
} //	@name	AdminArticle

// AdminTranslationDTO is one locale of an article in full (list items leave out the body).
type AdminTranslationDTO struct {
	Locale          string    `json:"locale" example:"az"`
	Title           string    `json:"title" example:"Gələcək əməkdaşlıq perspektivləri"`
	Slug            string    `json:"slug" example:"gelecek-emekdashliq-perspektivleri"`
	Summary         string    `json:"summary"`
	Body            string    `json:"body,omitempty" example:"<p>Sanitized HTML</p>"`
	MetaTitle       string    `json:"meta_title"`
	MetaDescription string    `json:"meta_description"`
	ReadingMinutes  int       `json:"reading_minutes" example:"2"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
} //	@name	AdminTranslation

// AdminArticleList is a page of the admin article list.
type AdminArticleList struct {
	Data []AdminArticleDTO `json:"data"`
	Meta ListMeta          `json:"meta"`
} //	@name	AdminArticleList

// TranslationRequest is an article's text in one locale. body is sanitized HTML on save;
// with body_format "markdown" it is Markdown, converted then sanitized. An empty slug is
// generated from the title (transliterated, unique in the locale).
type TranslationRequest struct {
	Locale          string `json:"locale" example:"az"`
	Title           string `json:"title" example:"Gələcək əməkdaşlıq"`
	Slug            string `json:"slug,omitempty" example:"gelecek-emekdashliq"`
	Summary         string `json:"summary,omitempty"`
	Body            string `json:"body,omitempty" example:"<p>Mətn</p>"`
	BodyFormat      string `json:"body_format,omitempty" enums:"html,markdown" default:"html"`
	MetaTitle       string `json:"meta_title,omitempty"`
	MetaDescription string `json:"meta_description,omitempty"`
} //	@name	TranslationRequest

// CreateArticleRequest is the body of POST /admin/articles: a draft with at least one
// translation.
type CreateArticleRequest struct {
	CategoryID   *string              `json:"category_id,omitempty"`
	CoverMediaID *string              `json:"cover_media_id,omitempty"`
	Featured     bool                 `json:"featured,omitempty"`
	TagIDs       []string             `json:"tag_ids,omitempty"`
	Translations []TranslationRequest `json:"translations"`
	// GalleryMediaIDs is the ordered gallery (media ids).
	GalleryMediaIDs []string `json:"gallery_media_ids,omitempty"`
} //	@name	CreateArticleRequest

// UpdateArticleRequest is the body of PATCH /admin/articles/{id}, a JSON Merge Patch
// (RFC 7396): an absent field stays as it is, null removes it (category_id, cover_media_id;
// tag_ids and gallery_media_ids become empty; featured false). Each translation listed is
// merged into the article's translation in its locale (see TranslationPatch); others are
// untouched. version may be sent here instead of If-Match.
type UpdateArticleRequest struct {
	Version      *int                      `json:"version,omitempty" example:"3"`
	CategoryID   Nullable[string]          `json:"category_id,omitempty,omitzero" swaggertype:"string" nullable:"true"`
	CoverMediaID Nullable[string]          `json:"cover_media_id,omitempty,omitzero" swaggertype:"string" nullable:"true"`
	Featured     Nullable[bool]            `json:"featured,omitempty,omitzero" swaggertype:"boolean" nullable:"true"`
	TagIDs       Nullable[[]string]        `json:"tag_ids,omitempty,omitzero" swaggertype:"array,string" nullable:"true"`
	Translations []TranslationPatchRequest `json:"translations,omitempty"`
	// GalleryMediaIDs replaces the gallery, in this order; [] or null clears it.
	GalleryMediaIDs Nullable[[]string] `json:"gallery_media_ids,omitempty,omitzero" swaggertype:"array,string" nullable:"true"`
} //	@name	UpdateArticleRequest

// PutTranslationRequest is the body of PUT /admin/articles/{id}/translations/{locale}: it
// replaces the translation, so a field left out is emptied. An empty slug keeps the current
// one (or is generated for a new translation).
type PutTranslationRequest struct {
	Version         *int   `json:"version,omitempty" example:"3"`
	Title           string `json:"title" example:"Future cooperation"`
	Slug            string `json:"slug,omitempty"`
	Summary         string `json:"summary,omitempty"`
	Body            string `json:"body,omitempty"`
	BodyFormat      string `json:"body_format,omitempty" enums:"html,markdown" default:"html"`
	MetaTitle       string `json:"meta_title,omitempty"`
	MetaDescription string `json:"meta_description,omitempty"`
} //	@name	PutTranslationRequest

// PublishRequest is the optional body of POST /admin/articles/{id}/publish. Without
// published_at the article is published now, or, if it was public before (unpublished or
// archived since), with its earlier date unless date is "now"; a future published_at
// schedules it, and it becomes public at that time by itself.
type PublishRequest struct {
	Version     *int       `json:"version,omitempty" example:"3"`
	PublishedAt *time.Time `json:"published_at,omitempty" example:"2030-01-01T09:00:00Z"`
	// Date, without published_at, says what an article that was public before gets: keep
	// (the default) its publication date, or now.
	Date string `json:"date,omitempty" enums:"keep,now" default:"keep"`
} //	@name	PublishRequest

// VersionRequest is the optional body of writes that carry nothing but the version (when
// If-Match is not used).
type VersionRequest struct {
	Version *int `json:"version,omitempty" example:"3"`
} //	@name	VersionRequest

// RevisionDTO is one saved version of an article.
type RevisionDTO struct {
	Version   int       `json:"version" example:"2"`
	CreatedAt time.Time `json:"created_at"`
	// ActorID is who saved it, when known.
	ActorID *string `json:"actor_id,omitempty"`
	Status  string  `json:"status" example:"draft"`
	// Titles maps each locale of the version to its title.
	Titles map[string]string `json:"titles"`
	// Article is the full snapshot (GET …/revisions/{n} only).
	Article *AdminArticleDTO `json:"article,omitempty"`
} //	@name	Revision

// RevisionList is a page of an article's revisions, newest first.
type RevisionList struct {
	Data []RevisionDTO `json:"data"`
	Meta ListMeta      `json:"meta"`
} //	@name	RevisionList

func newAdminArticleDTO(a content.Article, withBody bool) AdminArticleDTO {
	d := AdminArticleDTO{
		ID: a.ID.String(), Status: string(a.Status), PublishedAt: a.PublishedAt, FirstPublishedAt: a.FirstPublishedAt,
		AuthorID: idString(a.AuthorID), CategoryID: idString(a.CategoryID), CoverMediaID: idString(a.CoverMediaID),
		Featured: a.Featured, ReadCount: a.ReadCount, Version: a.Version,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
		TagIDs: make([]string, len(a.TagIDs)), Translations: make([]AdminTranslationDTO, len(a.Translations)),
	}
	for i, id := range a.TagIDs {
		d.TagIDs[i] = id.String()
	}
	d.GalleryMediaIDs = make([]string, len(a.GalleryMediaIDs))
	for i, id := range a.GalleryMediaIDs {
		d.GalleryMediaIDs[i] = id.String()
	}
	for _, id := range a.BylineIDs {
		d.BylineIDs = append(d.BylineIDs, id.String())
	}
	for i, t := range a.Translations {
		d.Translations[i] = AdminTranslationDTO{
			Locale: t.Locale, Title: t.Title, Slug: t.Slug, Summary: t.Summary,
			MetaTitle: t.MetaTitle, MetaDescription: t.MetaDescription, ReadingMinutes: t.ReadingMinutes,
			CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		}
		if withBody {
			d.Translations[i].Body = t.Body
		}
	}
	return d
}

func newRevisionDTO(r content.Revision, full bool) RevisionDTO {
	d := RevisionDTO{Version: r.Version, CreatedAt: r.CreatedAt, ActorID: idString(r.ActorID),
		Status: string(r.Article.Status), Titles: map[string]string{}}
	for _, t := range r.Article.Translations {
		d.Titles[t.Locale] = t.Title
	}
	if full {
		a := newAdminArticleDTO(r.Article, true)
		d.Article = &a
	}
	return d
}

func idString(id *uuid.UUID) *string {
	if id == nil {
		return nil
	}
	s := id.String()
	return &s
}

// fieldErrors collects invalid body fields.
type fieldErrors []FieldError

func (f *fieldErrors) add(field, msg string) { *f = append(*f, FieldError{field, msg}) }

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return validationProblem(f...)
}

// optionalID parses an optional id field; "" means uuid.Nil (clear).
func (f *fieldErrors) optionalID(field string, v *string) *uuid.UUID {
	if v == nil {
		return nil
	}
	if *v == "" {
		return &uuid.Nil
	}
	id, err := uuid.Parse(*v)
	if err != nil {
		f.add(field, "must be a UUID")
		return nil
	}
	return &id
}

// ids parses a list of ids, naming the first bad element (field[i]). JSON null decodes to
// "" and is reported as such, not as a string the client never sent.
func (f *fieldErrors) ids(field string, vs []string) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(vs))
	for i, v := range vs {
		id, err := uuid.Parse(v)
		if err != nil {
			msg := fmt.Sprintf("must be a UUID; %.40q is not", v)
			if v == "" {
				msg = "must be a UUID, not null or empty"
			}
			f.add(field+"["+strconv.Itoa(i)+"]", msg)
			return nil
		}
		out = append(out, id)
	}
	return out
}

// locale checks a locale against the site's locales.
func (s *Server) checkLocale(f *fieldErrors, field, l string) {
	if !s.locales.Supported(l) {
		f.add(field, "must be one of the site's locales: "+strings.Join(s.locales.Codes(), ", "))
	}
}

// translationInput checks t's locale; field is where t sits in the body ("" when it is the
// body, as in PUT …/translations/{locale}).
func (s *Server) translationInput(f *fieldErrors, field string, t TranslationRequest) content.TranslationInput {
	name := "locale"
	if field != "" {
		name = field + ".locale"
	}
	s.checkLocale(f, name, t.Locale)
	return content.TranslationInput{
		Locale: t.Locale, Title: t.Title, Slug: t.Slug, Summary: t.Summary, Body: t.Body,
		BodyFormat: content.BodyFormat(t.BodyFormat), MetaTitle: t.MetaTitle, MetaDescription: t.MetaDescription,
	}
}

// articleIDParam parses the :id path parameter; junk is 404 without touching the database.
func articleIDParam(c echo.Context) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return uuid.Nil, content.ErrNotFound
	}
	return id, nil
}

// requestVersion is the version a write is based on: If-Match: "<version>" or the body's
// version field (both may be sent if they agree). 0 means none was sent; the service
// answers that with 428.
func requestVersion(c echo.Context, body *int) (int, error) {
	var fe fieldErrors
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	hv := 0
	if h != "" {
		v, err := strconv.Atoi(strings.Trim(h, `"`))
		if err != nil || v <= 0 || strings.HasPrefix(h, "W/") {
			fe.add("If-Match", `must be the article's version as a strong ETag, e.g. "3"`)
		}
		hv = v
	}
	if body != nil && *body <= 0 {
		fe.add("version", "must be a positive integer")
	}
	if body != nil && hv != 0 && *body != hv {
		fe.add("version", "differs from If-Match")
	}
	if err := fe.err(); err != nil {
		return 0, err
	}
	if hv != 0 {
		return hv, nil
	}
	if body != nil {
		return *body, nil
	}
	return 0, nil
}

// decodeOptionalJSON decodes a body if there is one; writes that need only a version may
// send none.
func decodeOptionalJSON(c echo.Context, dst any) error {
	r := c.Request()
	if r.ContentLength == 0 && len(r.TransferEncoding) == 0 {
		return nil
	}
	return decodeJSON(c, dst)
}

// setVersionETag sends the article's version as its strong ETag.
func setVersionETag(c echo.Context, version int) {
	c.Response().Header().Set("ETag", `"`+strconv.Itoa(version)+`"`)
}
