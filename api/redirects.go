package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
)

// RedirectDTO maps a slug an article's translation had before to its current one.
type RedirectDTO struct {
	Locale    string    `json:"locale" example:"en"`
	From      string    `json:"from" example:"future-cooperation"`
	To        string    `json:"to" example:"future-co-operation"`
	ArticleID string    `json:"article_id" example:"01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d"`
	Since     time.Time `json:"since"`
} //	@name	Redirect

// RedirectList is the body of GET /api/v1/redirects.
type RedirectList struct {
	Data []RedirectDTO `json:"data"`
	Meta ListMeta      `json:"meta"`
} //	@name	RedirectList

// listRedirects godoc
//
//	@Summary		List slug redirects
//	@Description	Every former slug of a published article that GET /api/v1/articles/{slug} answers with 301, with the current slug in the same locale, by locale and slug: for frontends that prerender redirects. A slug a current translation holds again, and the former slugs of a translation since deleted, are left out.
//	@Tags			content
//	@Produce		json
//	@Param			page		query		integer	false	"Page number"		minimum(1)	default(1)
//	@Param			per_page	query		integer	false	"Items per page"	minimum(1)	maximum(100)	default(20)
//	@Success		200			{object}	RedirectList
//	@Header			200			{string}	Link			"RFC 8288 pagination links"
//	@Header			200			{integer}	X-Total-Count	"Total redirects"
//	@Header			200			{string}	ETag			"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200			{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE, cut at the next scheduled publication), stale-while-revalidate"
//	@Success		304			"Not modified: If-None-Match matched (no body)"
//	@Failure		400			{object}	Problem	"Invalid parameter"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/redirects [get]
func (s *Server) listRedirects(c echo.Context) error {
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", content.DefaultPerPage, 1, content.MaxPerPage)
	if err := qe.err(); err != nil {
		return err
	}
	rs, total, err := s.content.Redirects(c.Request().Context(), perPage, (page-1)*perPage)
	if err != nil {
		return err
	}
	out := RedirectList{Data: make([]RedirectDTO, len(rs)), Meta: ListMeta{Page: page, PerPage: perPage}}
	for i, r := range rs {
		out.Data[i] = RedirectDTO{Locale: r.Locale, From: r.From, To: r.To, ArticleID: r.ArticleID.String(), Since: r.Since}
	}
	setPageMeta(c, &out.Meta, total, page, perPage)
	return c.JSON(http.StatusOK, out)
}
