package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/permalink"
)

// CategoryDTO is a category served in one locale, with links to its other locales.
type CategoryDTO struct {
	ID   string `json:"id"`
	Slug string `json:"slug" example:"news"`
	// URL is the category's page on the public site in the served locale.
	URL             string    `json:"url,omitempty" example:"https://news.example/en/category/news"`
	Name            string    `json:"name" example:"News"`
	Description     string    `json:"description,omitempty"`
	Locale          string    `json:"locale" example:"en"`
	RequestedLocale string    `json:"requested_locale" example:"en"`
	Position        int       `json:"position"`
	ArticleCount    *int64    `json:"article_count,omitempty" example:"12"`
	Translations    []TermRef `json:"translations"`
} //	@name	Category

// TermRef is a category or tag name in one locale.
type TermRef struct {
	Locale string `json:"locale" example:"az"`
	Slug   string `json:"slug" example:"xeberler"`
	Name   string `json:"name" example:"Xəbərlər"`
	// URL is the page in this locale on the public site, for hreflang alternates.
	URL string `json:"url,omitempty" example:"https://news.example/az/category/xeberler"`
} //	@name	TermRef

// CategoryList is the body of GET /api/v1/categories.
type CategoryList struct {
	Data []CategoryDTO `json:"data"`
	Meta ListMeta      `json:"meta"`
} //	@name	CategoryList

// TagDTO is a tag served in one locale, with links to its other locales.
type TagDTO struct {
	ID   string `json:"id"`
	Slug string `json:"slug" example:"children"`
	// URL is the tag's page on the public site in the served locale.
	URL             string `json:"url,omitempty" example:"https://news.example/en/tag/children"`
	Name            string `json:"name" example:"Children"`
	Locale          string `json:"locale" example:"en"`
	RequestedLocale string `json:"requested_locale" example:"en"`
	// ArticleCount is the number of published articles with the tag (lists only).
	ArticleCount *int64    `json:"article_count,omitempty" example:"7"`
	Translations []TermRef `json:"translations"`
} //	@name	Tag

// TagList is the body of GET /api/v1/tags.
type TagList struct {
	Data []TagDTO `json:"data"`
	Meta ListMeta `json:"meta"`
} //	@name	TagList

func newCategoryDTO(cat content.Category, chain []string, withCount bool, links *permalink.Links) CategoryDTO {
	d := CategoryDTO{ID: cat.ID.String(), RequestedLocale: chain[0], Position: cat.Position, Translations: []TermRef{}}
	for _, l := range chain {
		if t, ok := cat.Translation(l); ok {
			d.Slug, d.Name, d.Description, d.Locale = t.Slug, t.Name, t.Description, t.Locale
			d.URL = termURL(links, permalink.Category, cat.ID, t.Locale, t.Slug)
			break
		}
	}
	for _, l := range chain {
		if t, ok := cat.Translation(l); ok {
			d.Translations = append(d.Translations, TermRef{Locale: t.Locale, Slug: t.Slug, Name: t.Name, URL: termURL(links, permalink.Category, cat.ID, t.Locale, t.Slug)})
		}
	}
	if withCount {
		n := cat.ArticleCount
		d.ArticleCount = &n
	}
	return d
}

func newTagDTO(tg content.Tag, chain []string, links *permalink.Links) TagDTO {
	d := TagDTO{ID: tg.ID.String(), RequestedLocale: chain[0], Translations: []TermRef{}}
	for _, l := range chain {
		if t, ok := tg.Translation(l); ok {
			u := termURL(links, permalink.Tag, tg.ID, t.Locale, t.Slug)
			if d.Locale == "" {
				d.Slug, d.Name, d.Locale, d.URL = t.Slug, t.Name, t.Locale, u
			}
			d.Translations = append(d.Translations, TermRef{Locale: t.Locale, Slug: t.Slug, Name: t.Name, URL: u})
		}
	}
	return d
}

// listCategories godoc
//
//	@Summary		List categories
//	@Description	Every category in display order, named in the negotiated locale, with its count of published articles.
//	@Tags			content
//	@Produce		json
//	@Param			locale			query		string	false	"Locale to serve"
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Success		200				{object}	CategoryList
//	@Header			200				{string}	ETag			"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200				{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate, which together never reach past the next scheduled publication"
//	@Success		304				"Not modified: If-None-Match matched (no body)"
//	@Failure		400				{object}	Problem	"Unsupported locale; unknown query parameter (the accepted ones are named)"
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem	"The database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/api/v1/categories [get]
func (s *Server) listCategories(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	cats, err := s.content.Categories(c.Request().Context())
	if err != nil {
		return err
	}
	chain := neg.Chain
	out := CategoryList{Data: make([]CategoryDTO, len(cats))}
	for i, cat := range cats {
		out.Data[i] = newCategoryDTO(cat, chain, true, s.links)
	}
	n := int64(len(cats))
	out.Meta.Total, out.Meta.Locale = &n, neg.Locale
	return c.JSON(http.StatusOK, out)
}

// getCategory godoc
//
//	@Summary		Get one category
//	@Description	By id or by its slug in any locale. When records in several locales share the slug, the one in the requested locale (then its fallbacks) wins; when no locale is asked for, it is served in the locale of the slug used (as articles are).
//	@Tags			content
//	@Produce		json
//	@Param			ref				path		string	true	"Category id or slug"
//	@Param			locale			query		string	false	"Locale to serve"
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Success		200				{object}	CategoryDTO
//	@Header			200				{string}	ETag			"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200				{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate, which together never reach past the next scheduled publication"
//	@Success		304				"Not modified: If-None-Match matched (no body)"
//	@Failure		400				{object}	Problem	"Unsupported locale; unknown query parameter (the accepted ones are named)"
//	@Failure		404				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem	"The database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/api/v1/categories/{ref} [get]
func (s *Server) getCategory(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	ref := c.Param("ref")
	chain := neg.Chain
	cat, err := s.content.Category(c.Request().Context(), ref, chain)
	if err != nil {
		return err
	}
	chain = s.slugChain(neg, chain, ref, func(l string) string {
		t, _ := cat.Translation(l)
		return t.Slug
	})
	d := newCategoryDTO(cat, chain, false, s.links)
	c.Response().Header().Set("Content-Language", d.Locale)
	return c.JSON(http.StatusOK, d)
}

// listTags godoc
//
//	@Summary		List tags
//	@Description	Tags a page at a time, named in the negotiated locale, each with its count of published articles (article_count): the most used first (then by name), or by name with sort=name.
//	@Tags			content
//	@Produce		json
//	@Param			locale			query		string	false	"Locale to serve"
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Param			page			query		integer	false	"Page number"																				minimum(1)					default(1)
//	@Param			per_page		query		integer	false	"Items per page"																			minimum(1)					maximum(100)	default(20)
//	@Param			sort			query		string	false	"Order: by use (most articles first) or by name in the served locale (code point order)"	Enums(-article_count, name)	default(-article_count)
//	@Success		200				{object}	TagList
//	@Header			200				{string}	Link			"RFC 8288 pagination links"
//	@Header			200				{string}	ETag			"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200				{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate, which together never reach past the next scheduled publication"
//	@Success		304				"Not modified: If-None-Match matched (no body)"
//	@Failure		400				{object}	Problem	"Invalid parameter or unsupported locale; unknown query parameter (the accepted ones are named)"
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem	"The database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/api/v1/tags [get]
func (s *Server) listTags(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", content.DefaultPerPage, 1, content.MaxPerPage)
	sort := qe.listParam(c, "sort", []string{string(content.TagsByUse), string(content.TagsByName)})
	if len(sort) > 1 {
		qe.add("sort", "takes one order")
	}
	if err := qe.err(); err != nil {
		return err
	}
	chain := neg.Chain
	q := content.TagQuery{Chain: chain, Limit: perPage, Offset: (page - 1) * perPage}
	if len(sort) == 1 {
		q.Sort = content.TagSort(sort[0])
	}
	tags, total, err := s.content.Tags(c.Request().Context(), q)
	if err != nil {
		return err
	}
	out := TagList{Data: make([]TagDTO, len(tags)), Meta: ListMeta{Page: page, PerPage: perPage, Locale: neg.Locale}}
	for i, t := range tags {
		out.Data[i] = newTagDTO(t, chain, s.links)
		n := t.ArticleCount
		out.Data[i].ArticleCount = &n
	}
	setPageMeta(c, &out.Meta, total, page, perPage)
	return c.JSON(http.StatusOK, out)
}

// getTag godoc
//
//	@Summary		Get one tag
//	@Description	By id or by its slug in any locale. When records in several locales share the slug, the one in the requested locale (then its fallbacks) wins; when no locale is asked for, it is served in the locale of the slug used (as articles are).
//	@Tags			content
//	@Produce		json
//	@Param			ref				path		string	true	"Tag id or slug"
//	@Param			locale			query		string	false	"Locale to serve"
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Success		200				{object}	TagDTO
//	@Header			200				{string}	ETag			"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200				{string}	Cache-Control	"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate, which together never reach past the next scheduled publication"
//	@Success		304				"Not modified: If-None-Match matched (no body)"
//	@Failure		400				{object}	Problem	"Unsupported locale; unknown query parameter (the accepted ones are named)"
//	@Failure		404				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem	"The database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/api/v1/tags/{ref} [get]
func (s *Server) getTag(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	ref := c.Param("ref")
	chain := neg.Chain
	tg, err := s.content.Tag(c.Request().Context(), ref, chain)
	if err != nil {
		return err
	}
	chain = s.slugChain(neg, chain, ref, func(l string) string {
		t, _ := tg.Translation(l)
		return t.Slug
	})
	d := newTagDTO(tg, chain, s.links)
	c.Response().Header().Set("Content-Language", d.Locale)
	return c.JSON(http.StatusOK, d)
}
