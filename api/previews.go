package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/permalink"
)

// frontendSurfaceRoutes registers issue 17's routes: preview links, author profiles and
// bylines. Roles are the coarse policy; who may preview or byline which article is
// content.Service's rule (whoever may edit it).
func (s *Server) frontendSurfaceRoutes(v1 *echo.Group, admin *echo.Group) {
	anyone, staff := s.requireRole(anyRole...), s.requireRole(staffRoles...)
	// Never cached, by this process or anyone else: the token is the only key.
	v1.GET("/preview/:token", s.getPreview)
	s.publicGET(v1, "/authors", s.listAuthors)
	s.publicGET(v1, "/authors/:ref", s.getAuthor)
	s.publicGET(v1, "/redirects/:slug", s.lookupRedirect)

	admin.POST("/articles/:id/previews", s.adminCreatePreview, anyone)
	admin.GET("/articles/:id/previews", s.adminListPreviews, anyone)
	admin.DELETE("/articles/:id/previews/:preview", s.adminRevokePreview, anyone)
	admin.PUT("/articles/:id/bylines", s.adminSetBylines, anyone)
	admin.GET("/authors", s.adminListAuthors, anyone)
	admin.POST("/authors", s.adminCreateAuthor, staff)
	admin.GET("/authors/:id", s.adminGetAuthor, anyone)
	admin.PATCH("/authors/:id", s.adminUpdateAuthor, staff)
	admin.DELETE("/authors/:id", s.adminDeleteAuthor, staff)
}

// CreatePreviewRequest is the body of POST /api/v1/admin/articles/{id}/previews.
type CreatePreviewRequest struct {
	// ExpiresIn is the link's lifetime in seconds (default HERALD_PREVIEW_TTL, at most
	// HERALD_PREVIEW_MAX_TTL).
	ExpiresIn *int `json:"expires_in,omitempty" example:"3600"`
} //	@name	CreatePreviewRequest

// PreviewDTO is a preview link. Token and the URLs carrying it are shown once, when the
// link is created; Herald keeps only a hash.
type PreviewDTO struct {
	ID        string     `json:"id"`
	ArticleID string     `json:"article_id"`
	CreatedBy *string    `json:"created_by,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	// Active is false once the link expired or was revoked.
	Active bool `json:"active"`
	// Token opens the article at GET /api/v1/preview/{token} (creation only).
	Token string `json:"token,omitempty" example:"hpv1.AZOq…"`
	// URL is the API URL of the preview (creation only).
	URL string `json:"url,omitempty" example:"/api/v1/preview/hpv1.AZOq…"`
	// FrontendURL is HERALD_PREVIEW_URL filled in for this link: the frontend's preview
	// entry point, e.g. a Next.js draft-mode route (creation only, when configured).
	FrontendURL string `json:"frontend_url,omitempty" example:"https://news.example/api/draft?token=hpv1.AZOq…&slug=future-cooperation"`
} //	@name	Preview

// PreviewList is the body of GET /api/v1/admin/articles/{id}/previews.
type PreviewList struct {
	Data []PreviewDTO `json:"data"`
} //	@name	PreviewList

func newPreviewDTO(p content.Preview, now time.Time) PreviewDTO {
	return PreviewDTO{ID: p.ID.String(), ArticleID: p.ArticleID.String(), CreatedBy: idString(p.CreatedBy),
		CreatedAt: p.CreatedAt, ExpiresAt: p.ExpiresAt, RevokedAt: p.RevokedAt, Active: p.Live(now)}
}

// adminCreatePreview godoc
//
//	@Summary		Create a preview link
//	@Description	A signed, expiring link that lets the public frontend fetch this article as it will look, whatever its status (drafts and scheduled articles are what it is for), at GET /api/v1/preview/{token}. Whoever may edit the article may create one (editors: any; authors: their own drafts). The token is shown only in this response; Herald stores its SHA-256. At most 20 live links per article. frontend_url is HERALD_PREVIEW_URL filled in, for Next.js draft mode or Nuxt preview.
//	@Tags			admin-articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path		string					true	"Article id"
//	@Param			body	body		CreatePreviewRequest	false	"Lifetime (optional)"
//	@Success		201		{object}	PreviewDTO
//	@Failure		400		{object}	Problem	"expires_in out of range"
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem	"May not edit this article"
//	@Failure		404		{object}	Problem	"No such article (or deleted)"
//	@Failure		409		{object}	Problem	"The article already has 20 live links"
//	@Failure		413		{object}	Problem
//	@Failure		415		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/previews [post]
func (s *Server) adminCreatePreview(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	var req CreatePreviewRequest
	if err := decodeOptionalJSON(c, &req); err != nil {
		return err
	}
	var ttl time.Duration
	if req.ExpiresIn != nil {
		if *req.ExpiresIn <= 0 {
			return validationProblem(FieldError{"expires_in", "must be a positive number of seconds"})
		}
		ttl = time.Duration(min(*req.ExpiresIn, 1<<31)) * time.Second
	}
	ctx := c.Request().Context()
	p, token, err := s.content.CreatePreview(ctx, actorOf(c), id, ttl)
	if err != nil {
		return err
	}
	d := newPreviewDTO(p, s.content.Now())
	d.Token = token
	d.URL = "/api/v1/preview/" + token
	if base, _ := c.Get(publicURLKey).(string); base != "" {
		d.URL = base + d.URL
	}
	if s.previewURL != "" {
		a, err := s.content.AdminArticle(ctx, actorOf(c), id)
		if err != nil {
			return err
		}
		t := pickTranslation(a, s.locales.Chain(s.locales.Default()))
		d.FrontendURL = strings.NewReplacer("{token}", url.QueryEscape(token), "{id}", a.ID.String(),
			"{locale}", url.QueryEscape(t.Locale), "{slug}", url.QueryEscape(t.Slug)).Replace(s.previewURL)
	}
	c.Response().Header().Set("Location", d.URL)
	return c.JSON(http.StatusCreated, d)
}

// adminListPreviews godoc
//
//	@Summary		List an article's preview links
//	@Description	Newest first (at most 100), live or not, without their tokens.
//	@Tags			admin-articles
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path		string	true	"Article id"
//	@Success		200	{object}	PreviewList
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/previews [get]
func (s *Server) adminListPreviews(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	ps, err := s.content.Previews(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	now := s.content.Now()
	out := PreviewList{Data: make([]PreviewDTO, len(ps))}
	for i, p := range ps {
		out.Data[i] = newPreviewDTO(p, now)
	}
	return c.JSON(http.StatusOK, out)
}

// adminRevokePreview godoc
//
//	@Summary		Revoke a preview link
//	@Description	The link stops working at once (410). Revoking a revoked link is a no-op.
//	@Tags			admin-articles
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path	string	true	"Article id"
//	@Param			preview	path	string	true	"Preview link id"
//	@Success		204
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/previews/{preview} [delete]
func (s *Server) adminRevokePreview(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	pid, err := uuid.Parse(c.Param("preview"))
	if err != nil {
		return content.ErrNotFound
	}
	if err := s.content.RevokePreview(c.Request().Context(), actorOf(c), id, pid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// getPreview godoc
//
//	@Summary		Preview an unpublished article
//	@Description	The article a preview link opens, in the same shape as GET /api/v1/articles/{ref}, whatever its status: what a frontend's draft mode renders. Served in the negotiated locale with fallback. Never cached (Cache-Control: private, no-store; not stored in the response cache) and never indexed (X-Robots-Tag: noindex). A token Herald did not issue (malformed or altered) is 404; a genuine one that expired or was revoked, or whose article was deleted, is 410.
//	@Tags			content
//	@Produce		json
//	@Param			token			path		string	true	"Preview token"
//	@Param			locale			query		string	false	"Locale to serve"	example(en)
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Success		200				{object}	ArticleDTO
//	@Header			200				{string}	Cache-Control		"private, no-store"
//	@Header			200				{string}	X-Robots-Tag		"noindex, nofollow"
//	@Header			200				{string}	Content-Language	"The served locale"
//	@Failure		400				{object}	Problem				"Unsupported locale; unknown query parameter"
//	@Failure		404				{object}	Problem				"Not a preview token Herald issued"
//	@Failure		410				{object}	Problem				"The link expired or was revoked, or its article was deleted"
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem
//	@Router			/api/v1/preview/{token} [get]
func (s *Server) getPreview(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Referrer-Policy", "no-referrer") // the token is in the URL
	if err := s.checkQuery(c); err != nil {
		return err
	}
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, _, err := s.content.PreviewArticle(ctx, c.Param("token"), neg.Chain)
	if err != nil {
		return err
	}
	// url is where the article will live: known unless the pattern needs a date a draft
	// does not have yet.
	view := articleView{body: true, hreflang: true, links: s.links}
	if a.PublishedAt == nil && datedPermalinks(s.links) {
		view.links = nil
	}
	d := newArticleDTO(a, neg.Chain, view)
	if err := s.embedMedia(ctx, a, &d, neg.Chain); err != nil {
		return err
	}
	if err := s.detailExtras(ctx, a, &d, neg.Chain); err != nil {
		return err
	}
	contentLanguage(c, d.Locale, d.BodyLocale)
	return c.JSON(http.StatusOK, d)
}

// BylineDTO is one author of an article's byline: the public profile, never an account.
type BylineDTO struct {
	ID   string `json:"id"`
	Slug string `json:"slug" example:"leyla-aliyeva"`
	Name string `json:"name" example:"Leyla Aliyeva"`
	// Bio is the biography in the served locale, else its fallbacks (absent when none).
	Bio          string  `json:"bio,omitempty"`
	BioLocale    string  `json:"bio_locale,omitempty" example:"en"`
	PhotoMediaID *string `json:"photo_media_id,omitempty"`
} //	@name	Byline

// RelatedArticleDTO is a related article as a card: enough to link to it.
type RelatedArticleDTO struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	// URL is its page on the public site (when permalinks are configured).
	URL            string    `json:"url,omitempty" example:"https://news.example/en/news/future-cooperation"`
	Locale         string    `json:"locale" example:"en"`
	Title          string    `json:"title"`
	Summary        string    `json:"summary"`
	ReadingMinutes int       `json:"reading_minutes" example:"3"`
	PublishedAt    time.Time `json:"published_at"`
	Cover          *MediaDTO `json:"cover,omitempty"`
} //	@name	RelatedArticle

func newBylineDTO(a content.Author, chain []string) BylineDTO {
	d := BylineDTO{ID: a.ID.String(), Slug: a.Slug, Name: a.Name, PhotoMediaID: idString(a.PhotoMediaID)}
	if b, ok := a.Bio(chain); ok {
		d.Bio, d.BioLocale = b.Bio, b.Locale
	}
	return d
}

// detailExtras sets the byline and the related articles of a detail (read with it); the
// related cards are served in the detail's locale first, and their covers come from the
// media the read preloaded.
func (s *Server) detailExtras(ctx context.Context, a content.Article, d *ArticleDTO, chain []string) error {
	for _, au := range a.Bylines {
		d.Authors = append(d.Authors, newBylineDTO(au, chain))
	}
	if len(a.Related) == 0 {
		return nil
	}
	rchain := s.locales.Chain(d.Locale)
	d.Related = make([]RelatedArticleDTO, len(a.Related))
	for i, r := range a.Related {
		t := pickTranslation(r, rchain)
		d.Related[i] = RelatedArticleDTO{ID: r.ID.String(), Slug: t.Slug, URL: articleURL(s.links, r, t), Locale: t.Locale, Title: t.Title,
			Summary: t.Summary, ReadingMinutes: t.ReadingMinutes}
		if r.PublishedAt != nil {
			d.Related[i].PublishedAt = *r.PublishedAt
		}
	}
	if s.media == nil {
		return nil
	}
	var ids []uuid.UUID
	for _, r := range a.Related {
		if r.CoverMediaID != nil {
			ids = append(ids, *r.CoverMediaID)
		}
	}
	items, err := s.media.ByIDs(ctx, ids)
	if err != nil {
		return err
	}
	for i, r := range a.Related {
		if r.CoverMediaID == nil {
			continue
		}
		if m, ok := items[*r.CoverMediaID]; ok {
			md := s.newMediaDTO(m, rchain)
			d.Related[i].Cover = &md
		}
	}
	return nil
}

// datedPermalinks reports whether an article pattern of some locale names a date.
func datedPermalinks(l *permalink.Links) bool {
	for _, p := range l.Patterns()[permalink.Article] {
		if strings.Contains(p, "{year}") || strings.Contains(p, "{month}") || strings.Contains(p, "{day}") {
			return true
		}
	}
	return false
}
