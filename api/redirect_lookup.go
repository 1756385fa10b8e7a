package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/errs"
)

// RedirectLookupDTO is the body of GET /api/v1/redirects/{slug}: where a slug leads now
// (From equals To for a current slug).
type RedirectLookupDTO struct {
	Locale    string `json:"locale" example:"en"`
	From      string `json:"from" example:"future-cooperation"`
	To        string `json:"to" example:"future-co-operation"`
	ArticleID string `json:"article_id"`
	// APIURL is the article's current Content API URL.
	APIURL string `json:"api_url" example:"/api/v1/articles/future-co-operation?locale=en"`
	// URL is its current URL on the public site (the site URL and the article permalink
	// pattern), when configured; it is then the Location.
	URL string `json:"url,omitempty" example:"https://news.example/en/news/future-co-operation"`
} //	@name	RedirectLookup

// lookupRedirect godoc
//
//	@Summary		Look up a former slug
//	@Description	For a frontend that got a request for a slug it does not know: a slug an article's translation had before answers 301 with Location set to the article's current URL on the public site when permalinks are configured (the site URL), else its Content API URL, and a body with both. A current slug answers 200 with the same body (from equals to); an unknown one is 404. When articles in several locales had the slug, the one in the requested locale, then its fallbacks, wins.
//	@Tags			content
//	@Produce		json
//	@Param			slug	path		string				true	"A slug from an old link"
//	@Param			locale	query		string				false	"Locale the link was in"	example(en)
//	@Success		200		{object}	RedirectLookupDTO	"A current slug: where it is"
//	@Header			200		{string}	ETag				"Strong validator of the body"
//	@Header			200		{string}	Cache-Control		"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate"
//	@Success		304		"Not modified: If-None-Match matched (no body)"
//	@Success		301		{object}	RedirectLookupDTO
//	@Header			301		{string}	Location		"The current URL: on the public site when configured, else in the Content API"
//	@Header			301		{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE): a former slug can be taken by a new article"
//	@Failure		400		{object}	Problem			"Unsupported locale; unknown query parameter"
//	@Failure		404		{object}	Problem			"Not a former slug of a visible article"
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem
//	@Router			/api/v1/redirects/{slug} [get]
func (s *Server) lookupRedirect(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	slug := strings.TrimSpace(c.Param("slug"))
	if _, err := uuid.Parse(slug); err == nil {
		return errs.Wrap(content.ErrNotFound, "look up a slug, not an id")
	}
	a, err := s.content.Article(c.Request().Context(), slug, neg.Chain)
	if err != nil {
		return err
	}
	status, locale := http.StatusMovedPermanently, a.FormerSlugLocale
	if locale == "" {
		// A current slug: 200, to where it already is (the first of the chain holding it).
		status = http.StatusOK
		ts := append([]content.Translation(nil), a.Translations...)
		content.SortTranslations(ts, neg.Chain)
		for _, tr := range ts {
			if tr.Slug == slug {
				locale = tr.Locale
				break
			}
		}
	}
	t := pickTranslation(a, s.locales.Chain(locale))
	if tr, ok := a.Translation(locale); ok {
		t = tr
	}
	d := RedirectLookupDTO{Locale: locale, From: slug, To: t.Slug, ArticleID: a.ID.String(),
		APIURL: "/api/v1/articles/" + url.PathEscape(t.Slug) + "?locale=" + url.QueryEscape(t.Locale)}
	if base, _ := c.Get(publicURLKey).(string); base != "" {
		d.APIURL = base + d.APIURL
	}
	d.URL = s.articleSiteURL(a, t)
	if status == http.StatusOK {
		return c.JSON(status, d) // cached like any public read
	}
	loc := d.URL
	if loc == "" {
		loc = d.APIURL
	}
	h := c.Response().Header()
	h.Set("Location", loc)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(s.cache.maxAge.Seconds())))
	return c.JSON(status, d)
}

// articleSiteURL is the article's URL on the public site in translation t's locale, or ""
// when no site is configured.
func (s *Server) articleSiteURL(a content.Article, t content.Translation) string {
	if !s.links.Absolute() {
		return "" // a site-relative path is no Location for an API client
	}
	return articleURL(s.links, a, t)
}
