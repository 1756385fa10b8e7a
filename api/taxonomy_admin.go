package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
)

// AdminCategoryDTO is a category with every translation, as the Admin API shows it.
type AdminCategoryDTO struct {
	ID           string                   `json:"id"`
	Position     int                      `json:"position" example:"1"`
	Translations []CategoryTranslationDTO `json:"translations"`
	CreatedAt    time.Time                `json:"created_at"`
	UpdatedAt    time.Time                `json:"updated_at"`
} //	@name	AdminCategory

// CategoryTranslationDTO is a category's name in one locale. In requests an empty slug is
// generated from the name (new translation) or kept (existing one).
type CategoryTranslationDTO struct {
	Locale      string `json:"locale" example:"az"`
	Name        string `json:"name" example:"Xəbərlər"`
	Slug        string `json:"slug,omitempty" example:"xeberler"`
	Description string `json:"description,omitempty"`
} //	@name	CategoryTranslation

// AdminTagDTO is a tag with every translation.
type AdminTagDTO struct {
	ID           string              `json:"id"`
	Translations []TagTranslationDTO `json:"translations"`
	CreatedAt    time.Time           `json:"created_at"`
	UpdatedAt    time.Time           `json:"updated_at"`
} //	@name	AdminTag

// TagTranslationDTO is a tag's name in one locale; an empty slug is generated or kept.
type TagTranslationDTO struct {
	Locale string `json:"locale" example:"ru"`
	Name   string `json:"name" example:"Дети"`
	Slug   string `json:"slug,omitempty" example:"deti"`
} //	@name	TagTranslation

// CreateCategoryRequest is the body of POST /admin/categories.
type CreateCategoryRequest struct {
	Position     int                      `json:"position,omitempty" example:"1"`
	Translations []CategoryTranslationDTO `json:"translations"`
} //	@name	CreateCategoryRequest

// UpdateCategoryRequest is the body of PATCH /admin/categories/{id}: listed translations
// are created or replaced, remove_locales deleted, the rest untouched.
type UpdateCategoryRequest struct {
	Position      *int                     `json:"position,omitempty" example:"2"`
	Translations  []CategoryTranslationDTO `json:"translations,omitempty"`
	RemoveLocales []string                 `json:"remove_locales,omitempty" example:"ru"`
} //	@name	UpdateCategoryRequest

// CreateTagRequest is the body of POST /admin/tags.
type CreateTagRequest struct {
	Translations []TagTranslationDTO `json:"translations"`
} //	@name	CreateTagRequest

// UpdateTagRequest is the body of PATCH /admin/tags/{id}.
type UpdateTagRequest struct {
	Translations  []TagTranslationDTO `json:"translations,omitempty"`
	RemoveLocales []string            `json:"remove_locales,omitempty"`
} //	@name	UpdateTagRequest

func newAdminCategoryDTO(c content.Category) AdminCategoryDTO {
	d := AdminCategoryDTO{ID: c.ID.String(), Position: c.Position, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		Translations: make([]CategoryTranslationDTO, len(c.Translations))}
	for i, t := range c.Translations {
		d.Translations[i] = CategoryTranslationDTO{Locale: t.Locale, Name: t.Name, Slug: t.Slug, Description: t.Description}
	}
	return d
}

func newAdminTagDTO(t content.Tag) AdminTagDTO {
	d := AdminTagDTO{ID: t.ID.String(), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		Translations: make([]TagTranslationDTO, len(t.Translations))}
	for i, tr := range t.Translations {
		d.Translations[i] = TagTranslationDTO{Locale: tr.Locale, Name: tr.Name, Slug: tr.Slug}
	}
	return d
}

func (s *Server) termInputs(fe *fieldErrors, ts []CategoryTranslationDTO) []content.TermInput {
	out := make([]content.TermInput, len(ts))
	for i, t := range ts {
		s.checkLocale(fe, "translations["+strconv.Itoa(i)+"].locale", t.Locale)
		out[i] = content.TermInput{Locale: t.Locale, Name: t.Name, Slug: t.Slug, Description: t.Description}
	}
	return out
}

func tagTerms(ts []TagTranslationDTO) []CategoryTranslationDTO {
	out := make([]CategoryTranslationDTO, len(ts))
	for i, t := range ts {
		out[i] = CategoryTranslationDTO{Locale: t.Locale, Name: t.Name, Slug: t.Slug}
	}
	return out
}

func (s *Server) removeLocales(fe *fieldErrors, ls []string) []string {
	for _, l := range ls {
		s.checkLocale(fe, "remove_locales", l)
	}
	return ls
}

// termIDParam parses the :id path parameter; junk is 404 without touching the database.
func termIDParam(c echo.Context) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return uuid.Nil, content.ErrNotFound
	}
	return id, nil
}

// adminCreateCategory godoc
//
//	@Summary		Create a category
//	@Description	With at least one translation; slugs are generated from names when absent and are unique per locale. Editors and admins only.
//	@Tags			admin-taxonomy
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body		CreateCategoryRequest	true	"The category"
//	@Success		201		{object}	AdminCategoryDTO
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		409		{object}	Problem	"A chosen slug is taken"
//	@Failure		415		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/categories [post]
func (s *Server) adminCreateCategory(c echo.Context) error {
	var req CreateCategoryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fe fieldErrors
	in := s.termInputs(&fe, req.Translations)
	if err := fe.err(); err != nil {
		return err
	}
	cat, err := s.content.CreateCategory(c.Request().Context(), actorOf(c), req.Position, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/categories/"+cat.ID.String())
	return c.JSON(http.StatusCreated, newAdminCategoryDTO(cat))
}

// adminUpdateCategory godoc
//
//	@Summary		Update a category
//	@Description	Position if present; listed translations created or replaced; remove_locales deleted (not every one). Editors and admins only.
//	@Tags			admin-taxonomy
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path		string					true	"Category id"
//	@Param			body	body		UpdateCategoryRequest	true	"Changes"
//	@Success		200		{object}	AdminCategoryDTO
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		409		{object}	Problem	"A chosen slug is taken"
//	@Failure		415		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/categories/{id} [patch]
func (s *Server) adminUpdateCategory(c echo.Context) error {
	id, err := termIDParam(c)
	if err != nil {
		return err
	}
	var req UpdateCategoryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fe fieldErrors
	p := content.TermPatch{Position: req.Position, Translations: s.termInputs(&fe, req.Translations), RemoveLocales: s.removeLocales(&fe, req.RemoveLocales)}
	if err := fe.err(); err != nil {
		return err
	}
	cat, err := s.content.UpdateCategory(c.Request().Context(), actorOf(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAdminCategoryDTO(cat))
}

// adminDeleteCategory godoc
//
//	@Summary		Delete a category
//	@Description	Only when no article uses it; otherwise 409 saying how many do. Editors and admins only.
//	@Tags			admin-taxonomy
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path	string	true	"Category id"
//	@Success		204
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		409	{object}	Problem	"Articles still use it; detail names how many"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/categories/{id} [delete]
func (s *Server) adminDeleteCategory(c echo.Context) error {
	id, err := termIDParam(c)
	if err != nil {
		return err
	}
	if err := s.content.DeleteCategory(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// adminCreateTag godoc
//
//	@Summary		Create a tag
//	@Description	With at least one translation; slugs generated from names when absent. Editors and admins only.
//	@Tags			admin-taxonomy
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body		CreateTagRequest	true	"The tag"
//	@Success		201		{object}	AdminTagDTO
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		409		{object}	Problem	"A chosen slug is taken"
//	@Failure		415		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/tags [post]
func (s *Server) adminCreateTag(c echo.Context) error {
	var req CreateTagRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fe fieldErrors
	in := s.termInputs(&fe, tagTerms(req.Translations))
	if err := fe.err(); err != nil {
		return err
	}
	t, err := s.content.CreateTag(c.Request().Context(), actorOf(c), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/tags/"+t.ID.String())
	return c.JSON(http.StatusCreated, newAdminTagDTO(t))
}

// adminUpdateTag godoc
//
//	@Summary		Update a tag
//	@Description	Listed translations created or replaced; remove_locales deleted (not every one). Editors and admins only.
//	@Tags			admin-taxonomy
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path		string				true	"Tag id"
//	@Param			body	body		UpdateTagRequest	true	"Changes"
//	@Success		200		{object}	AdminTagDTO
//	@Failure		400		{object}	Problem
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		409		{object}	Problem	"A chosen slug is taken"
//	@Failure		415		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/tags/{id} [patch]
func (s *Server) adminUpdateTag(c echo.Context) error {
	id, err := termIDParam(c)
	if err != nil {
		return err
	}
	var req UpdateTagRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fe fieldErrors
	p := content.TermPatch{Translations: s.termInputs(&fe, tagTerms(req.Translations)), RemoveLocales: s.removeLocales(&fe, req.RemoveLocales)}
	if err := fe.err(); err != nil {
		return err
	}
	t, err := s.content.UpdateTag(c.Request().Context(), actorOf(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAdminTagDTO(t))
}

// adminDeleteTag godoc
//
//	@Summary		Delete a tag
//	@Description	The tag is removed from every article that had it. Editors and admins only.
//	@Tags			admin-taxonomy
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path	string	true	"Tag id"
//	@Success		204
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/tags/{id} [delete]
func (s *Server) adminDeleteTag(c echo.Context) error {
	id, err := termIDParam(c)
	if err != nil {
		return err
	}
	if err := s.content.DeleteTag(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
