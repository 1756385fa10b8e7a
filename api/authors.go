package api

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
)

// AuthorDTO is a public author profile: a byline, never an editor's account (no email,
// role or login of any kind).
type AuthorDTO struct {
	ID   string `json:"id"`
	Slug string `json:"slug" example:"leyla-aliyeva"`
	Name string `json:"name" example:"Leyla Aliyeva"`
	// Bio is the biography in the served locale, else its fallbacks.
	Bio             string `json:"bio,omitempty"`
	Locale          string `json:"locale,omitempty" example:"en"`
	RequestedLocale string `json:"requested_locale" example:"en"`
	// Bios lists every locale the author has a biography in (for hreflang links).
	Locales      []string  `json:"locales"`
	PhotoMediaID *string   `json:"photo_media_id,omitempty"`
	Photo        *MediaDTO `json:"photo,omitempty"`
	UpdatedAt    time.Time `json:"updated_at"`
} //	@name	Author

// AuthorList is the body of GET /api/v1/authors.
type AuthorList struct {
	Data []AuthorDTO `json:"data"`
	Meta ListMeta    `json:"meta"`
} //	@name	AuthorList

// AdminAuthorDTO is an author with every biography.
type AdminAuthorDTO struct {
	ID           string            `json:"id"`
	Slug         string            `json:"slug" example:"leyla-aliyeva"`
	Name         string            `json:"name" example:"Leyla Aliyeva"`
	PhotoMediaID *string           `json:"photo_media_id,omitempty"`
	Bios         map[string]string `json:"bios" example:"en:Leyla covers the South Caucasus."`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
} //	@name	AdminAuthor

// AdminAuthorList is the body of GET /api/v1/admin/authors.
type AdminAuthorList struct {
	Data []AdminAuthorDTO `json:"data"`
	Meta ListMeta         `json:"meta"`
} //	@name	AdminAuthorList

// CreateAuthorRequest is the body of POST /api/v1/admin/authors.
type CreateAuthorRequest struct {
	Name string `json:"name" example:"Leyla Aliyeva"`
	// Slug defaults to one made from the name.
	Slug         string `json:"slug,omitempty" example:"leyla-aliyeva"`
	PhotoMediaID string `json:"photo_media_id,omitempty"`
	// Bios are biographies by locale.
	Bios map[string]string `json:"bios,omitempty" example:"en:Leyla covers the South Caucasus."`
} //	@name	CreateAuthorRequest

// UpdateAuthorRequest is a JSON Merge Patch of an author: absent keeps, null removes (a
// bio; the photo), a value replaces.
type UpdateAuthorRequest struct {
	Name         Nullable[string] `json:"name,omitempty,omitzero" swaggertype:"string" nullable:"true"`
	Slug         Nullable[string] `json:"slug,omitempty,omitzero" swaggertype:"string" nullable:"true"`
	PhotoMediaID Nullable[string] `json:"photo_media_id,omitempty,omitzero" swaggertype:"string" nullable:"true"`
	// Bios are merged by locale: a string replaces that locale's biography, null removes it.
	Bios map[string]*string `json:"bios,omitempty"`
} //	@name	UpdateAuthorRequest

// SetBylinesRequest is the body of PUT /api/v1/admin/articles/{id}/bylines.
type SetBylinesRequest struct {
	// AuthorIDs is the byline in order; [] clears it.
	AuthorIDs []string `json:"author_ids"`
	Version   *int     `json:"version,omitempty" example:"3"`
} //	@name	SetBylinesRequest

func (s *Server) newAuthorDTO(a content.Author, chain []string) AuthorDTO {
	d := AuthorDTO{ID: a.ID.String(), Slug: a.Slug, Name: a.Name, RequestedLocale: chain[0], Locales: []string{},
		PhotoMediaID: idString(a.PhotoMediaID), UpdatedAt: a.UpdatedAt}
	if b, ok := a.Bio(chain); ok {
		d.Bio, d.Locale = b.Bio, b.Locale
	}
	for _, b := range a.Bios {
		d.Locales = append(d.Locales, b.Locale)
	}
	return d
}

func newAdminAuthorDTO(a content.Author) AdminAuthorDTO {
	d := AdminAuthorDTO{ID: a.ID.String(), Slug: a.Slug, Name: a.Name, PhotoMediaID: idString(a.PhotoMediaID),
		Bios: map[string]string{}, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	for _, b := range a.Bios {
		d.Bios[b.Locale] = b.Bio
	}
	return d
}

// getAuthor godoc
//
//	@Summary		Get an author's public profile
//	@Description	By slug or id: name, photo, and the biography in the negotiated locale (with fallback). Profiles are bylines, not accounts: no email or role is ever shown.
//	@Tags			content
//	@Produce		json
//	@Param			ref				path		string	true	"Author slug or id"
//	@Param			locale			query		string	false	"Locale to serve"	example(en)
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Success		200				{object}	AuthorDTO
//	@Header			200				{string}	ETag			"Strong validator of the body"
//	@Header			200				{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate"
//	@Success		304				"Not modified: If-None-Match matched (no body)"
//	@Failure		400				{object}	Problem	"Unsupported locale; unknown query parameter"
//	@Failure		404				{object}	Problem	"No such author"
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Router			/api/v1/authors/{ref} [get]
func (s *Server) getAuthor(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, err := s.content.PublicAuthor(ctx, strings.TrimSpace(c.Param("ref")))
	if err != nil {
		return err
	}
	d := s.newAuthorDTO(a, neg.Chain)
	if a.PhotoMediaID != nil && s.media != nil {
		items, err := s.media.ByIDs(ctx, []uuid.UUID{*a.PhotoMediaID})
		if err != nil {
			return err
		}
		if m, ok := items[*a.PhotoMediaID]; ok {
			md := s.newMediaDTO(m, neg.Chain)
			d.Photo = &md
		}
	}
	contentLanguage(c, d.Locale)
	return c.JSON(http.StatusOK, d)
}

// listAuthors godoc
//
//	@Summary		List author profiles
//	@Description	By name, a page at a time, with each biography in the negotiated locale (photos as media ids).
//	@Tags			content
//	@Produce		json
//	@Param			locale			query		string	false	"Locale to serve"	example(en)
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Param			page			query		integer	false	"Page number"		minimum(1)	default(1)
//	@Param			per_page		query		integer	false	"Items per page"	minimum(1)	maximum(100)	default(20)
//	@Success		200				{object}	AuthorList
//	@Header			200				{string}	Link			"RFC 8288 pagination links"
//	@Header			200				{integer}	X-Total-Count	"Total authors"
//	@Header			200				{string}	ETag			"Strong validator of the body"
//	@Header			200				{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate"
//	@Success		304				"Not modified: If-None-Match matched (no body)"
//	@Failure		400				{object}	Problem	"Invalid parameter"
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Router			/api/v1/authors [get]
func (s *Server) listAuthors(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", content.DefaultPerPage, 1, content.MaxPerPage)
	if err := qe.err(); err != nil {
		return err
	}
	as, total, err := s.content.Authors(c.Request().Context(), perPage, (page-1)*perPage)
	if err != nil {
		return err
	}
	out := AuthorList{Data: make([]AuthorDTO, len(as)), Meta: ListMeta{Page: page, PerPage: perPage, Locale: neg.Locale}}
	for i, a := range as {
		out.Data[i] = s.newAuthorDTO(a, neg.Chain)
	}
	setPageMeta(c, &out.Meta, total, page, perPage)
	return c.JSON(http.StatusOK, out)
}

// adminListAuthors godoc
//
//	@Summary		List authors
//	@Description	Every author profile with every biography, by name.
//	@Tags			admin-authors
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			page		query		integer	false	"Page number"		minimum(1)	default(1)
//	@Param			per_page	query		integer	false	"Items per page"	minimum(1)	maximum(100)	default(20)
//	@Success		200			{object}	AdminAuthorList
//	@Header			200			{integer}	X-Total-Count	"Total authors"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/authors [get]
func (s *Server) adminListAuthors(c echo.Context) error {
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", content.DefaultPerPage, 1, content.MaxPerPage)
	if err := qe.err(); err != nil {
		return err
	}
	as, total, err := s.content.Authors(c.Request().Context(), perPage, (page-1)*perPage)
	if err != nil {
		return err
	}
	out := AdminAuthorList{Data: make([]AdminAuthorDTO, len(as)), Meta: ListMeta{Page: page, PerPage: perPage}}
	for i, a := range as {
		out.Data[i] = newAdminAuthorDTO(a)
	}
	setPageMeta(c, &out.Meta, total, page, perPage)
	return c.JSON(http.StatusOK, out)
}

// adminGetAuthor godoc
//
//	@Summary	Get an author
//	@Tags		admin-authors
//	@Produce	json
//	@Security	BearerAuth
//	@Security	APITokenAuth
//	@Param		id	path		string	true	"Author id"
//	@Success	200	{object}	AdminAuthorDTO
//	@Failure	401	{object}	Problem
//	@Failure	403	{object}	Problem
//	@Failure	404	{object}	Problem
//	@Failure	500	{object}	Problem
//	@Router		/api/v1/admin/authors/{id} [get]
func (s *Server) adminGetAuthor(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	a, err := s.content.AdminAuthor(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAdminAuthorDTO(a))
}

// adminCreateAuthor godoc
//
//	@Summary		Create an author profile
//	@Description	A public byline profile (editors and admins). The slug is made from the name when absent and is unique.
//	@Tags			admin-authors
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body		CreateAuthorRequest	true	"The author"
//	@Success		201		{object}	AdminAuthorDTO
//	@Failure		400		{object}	Problem	"Invalid or oversized field"
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		409		{object}	Problem	"The slug is taken"
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/authors [post]
func (s *Server) adminCreateAuthor(c echo.Context) error {
	var req CreateAuthorRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fe fieldErrors
	in := content.AuthorInput{Name: req.Name, Slug: req.Slug, PhotoMediaID: fe.optionalID("photo_media_id", &req.PhotoMediaID)}
	for _, l := range sortedKeys(req.Bios) {
		in.Bios = append(in.Bios, content.AuthorBio{Locale: l, Bio: req.Bios[l]})
	}
	if err := fe.err(); err != nil {
		return err
	}
	a, err := s.content.CreateAuthor(c.Request().Context(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, newAdminAuthorDTO(a))
}

// adminUpdateAuthor godoc
//
//	@Summary		Update an author profile
//	@Description	A JSON Merge Patch (editors and admins): absent fields stay, null removes a bio or the photo, a value replaces.
//	@Tags			admin-authors
//	@Accept			json,application/merge-patch+json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path		string				true	"Author id"
//	@Param			body	body		UpdateAuthorRequest	true	"Merge patch"
//	@Success		200		{object}	AdminAuthorDTO
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		409		{object}	Problem	"The slug is taken"
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/authors/{id} [patch]
func (s *Server) adminUpdateAuthor(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	var req UpdateAuthorRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fe fieldErrors
	if req.Name.Set && req.Name.Null {
		fe.add("name", "is required; it cannot be removed")
	}
	p := content.AuthorPatch{Name: req.Name.text(), Slug: req.Slug.text(), PhotoMediaID: fe.mergeID("photo_media_id", req.PhotoMediaID)}
	for _, l := range sortedKeys(req.Bios) {
		bio := "" // null removes it
		if v := req.Bios[l]; v != nil {
			bio = *v
		}
		p.Bios = append(p.Bios, content.AuthorBio{Locale: l, Bio: bio})
	}
	if err := fe.err(); err != nil {
		return err
	}
	a, err := s.content.UpdateAuthor(c.Request().Context(), actorOf(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAdminAuthorDTO(a))
}

// adminDeleteAuthor godoc
//
//	@Summary		Delete an author profile
//	@Description	Editors and admins; an author a byline still names is a 409 saying how many.
//	@Tags			admin-authors
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path	string	true	"Author id"
//	@Success		204
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		409	{object}	Problem	"Bylines name the author"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/authors/{id} [delete]
func (s *Server) adminDeleteAuthor(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	if err := s.content.DeleteAuthor(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// adminSetBylines godoc
//
//	@Summary		Set an article's byline
//	@Description	Replaces the byline with author_ids, in order (at most 10; [] clears it). A write to the article like any other: the version read must be sent, and whoever may edit the article may set it.
//	@Tags			admin-articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string				true	"Article id"
//	@Param			If-Match	header		string				false	"The version read, quoted"	example("3")
//	@Param			body		body		SetBylinesRequest	true	"The byline"
//	@Success		200			{object}	AdminArticleDTO
//	@Header			200			{string}	ETag	"The new version, quoted"
//	@Failure		400			{object}	Problem	"Unknown or repeated author, too many"
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		412			{object}	Problem	"Stale version"
//	@Failure		413			{object}	Problem
//	@Failure		415			{object}	Problem
//	@Failure		428			{object}	Problem	"No version sent"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/bylines [put]
func (s *Server) adminSetBylines(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	var req SetBylinesRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	version, err := requestVersion(c, req.Version)
	if err != nil {
		return err
	}
	var fe fieldErrors
	if req.AuthorIDs == nil {
		fe.add("author_ids", "is required ([] clears the byline)")
	}
	ids := fe.ids("author_ids", req.AuthorIDs)
	if err := fe.err(); err != nil {
		return err
	}
	a, err := s.content.SetBylines(c.Request().Context(), actorOf(c), id, version, ids)
	if err != nil {
		return err
	}
	return s.articleWritten(c, "article.bylines", a, version, http.StatusOK)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
