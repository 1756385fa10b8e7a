package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/media"
)

// listArticles godoc
//
//	@Summary		List published articles
//	@Description	Published articles visible now, newest first by default, in the negotiated locale with fallback: ?locale= and its configured chain, or the reader's ranked Accept-Language choices, then the configured chain of the first. Page mode (page, per_page) returns meta.total and RFC 8288 Link headers; cursor mode (cursor from meta.next_cursor) skips the count, so deep infinite scroll stays fast. Items leave out the body unless include=body.
//	@Tags			content
//	@Produce		json
//	@Param			locale				query		string	false	"Locale to serve (else Accept-Language, else the default)"	example(en)
//	@Param			Accept-Language		header		string	false	"Preferred locales, used when locale is absent"				example(ru,en;q=0.8)
//	@Param			category			query		string	false	"Category id or slug (any locale); one that does not exist is 404"
//	@Param			tag					query		string	false	"Tag ids or slugs (any locale), comma-separated or repeated (tag=a&tag=b): articles with any of them"
//	@Param			featured			query		boolean	false	"Only featured (true) or only not featured (false)"
//	@Param			published_after		query		string	false	"RFC 3339 time or date; published at or after"																																																																			example(2021-01-01)
//	@Param			published_before	query		string	false	"RFC 3339 time or date; published strictly before"																																																																		example(2022-01-01)
//	@Param			updated_since		query		string	false	"RFC 3339 time or date: only articles edited or published at or after it, for a client that only wants freshness. It cannot tell what was deleted, unpublished or lost a translation, and an article whose category, tags or cover media were renamed keeps its updated_at: use GET /api/v1/sync for a complete copy"	example(2026-12-01T00:00:00Z)
//	@Param			sort				query		string	false	"Order; title follows the served locale's alphabet (Unicode CLDR collation: Ç after C and Ə after E in az, Ё with Е and Cyrillic before Latin in ru), fallbacks included"																																				Enums(-published_at, published_at, -read_count, title)	default(-published_at)
//	@Param			page				query		integer	false	"Page number (page mode)"																																																																								minimum(1)												default(1)
//	@Param			per_page			query		integer	false	"Items per page"																																																																										minimum(1)												maximum(100)	default(20)
//	@Param			cursor				query		string	false	"Opaque cursor from meta.next_cursor (cursor mode; not with page)"
//	@Param			fields				query		string	false	"Comma-separated fields to return per item, e.g. id,slug,title"
//	@Param			include				query		string	false	"Comma-separated extras: body, translations (every translation of each article)"
//	@Param			fallback			query		boolean	false	"false: only articles translated into the requested locale (no fallbacks; totals and cursors count only those)"	default(true)
//	@Param			q					query		string	false	"Full-text query, as GET /search takes it: only articles a translation of which matches (in the list's order)"	example(gelecek)
//	@Success		200					{object}	ArticleList
//	@Header			200					{string}	Content-Language	"The locales the items are served in, in fallback order (the requested one when the list is empty)"
//	@Header			200					{string}	Link				"RFC 8288 pagination links (first, prev, next, last)"
//	@Header			200					{integer}	X-Total-Count		"Total matches (page mode)"
//	@Header			200					{string}	ETag				"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200					{string}	Cache-Control		"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate, which together never reach past the next scheduled publication"
//	@Success		304					"Not modified: If-None-Match matched (no body)"
//	@Failure		400					{object}	Problem	"Invalid parameter or unsupported locale; unknown query parameter (the accepted ones are named)"
//	@Failure		404					{object}	Problem	"No category or tag has the id or slug a filter names (errors name the field)"
//	@Failure		500					{object}	Problem
//	@Failure		503					{object}	Problem	"The database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/api/v1/articles [get]
func (s *Server) listArticles(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", content.DefaultPerPage, 1, content.MaxPerPage)
	sort, err := content.ParseSort(c.QueryParam("sort"))
	if err != nil {
		qe.add("sort", toProblem(err).Errors[0].Message)
	}
	cursor := qe.cursorParam(c)
	if cursor != nil && c.QueryParam("page") != "" {
		qe.add("page", "cannot be combined with cursor")
	}
	featured := qe.boolParam(c, "featured")
	after := qe.timeParam(c, "published_after")
	before := qe.timeParam(c, "published_before")
	updatedSince := qe.timeParam(c, "updated_since")
	category := qe.textParam(c, "category", 200)
	tags := qe.tagsParam(c)
	fallback := qe.boolParam(c, "fallback")
	include := qe.listParam(c, "include", []string{"body", "translations"})
	fields := qe.listParam(c, "fields", articleFields)
	text := textQuery(c, &qe) // #14
	if err := qe.err(); err != nil {
		return err
	}
	view := articleView{body: has(include, "body") || has(fields, "body"), translations: has(include, "translations"), links: s.links, terms: newTermMemo()}

	chain := neg.Chain
	ctx := media.WithPreload(c.Request().Context()) // covers come with the page
	p, err := s.content.ListArticles(ctx, content.ListQuery{
		Chain: chain, Category: category, Tags: tags, Featured: featured,
		PublishedAfter: after, PublishedBefore: before, UpdatedSince: updatedSince, Sort: sort, Q: text,
		Limit: perPage, Offset: (page - 1) * perPage, After: cursor,
		WithBody: view.body, CountTotal: cursor == nil, OnlyLocale: onlyLocale(fallback, neg),
	})
	if err != nil {
		return err
	}
	out := ArticleList{Data: make([]ArticleDTO, len(p.Articles)), Meta: ListMeta{PerPage: perPage, Locale: neg.Locale, NextCursor: encodeCursor(p.Next)}}
	for i, a := range p.Articles {
		out.Data[i] = newArticleDTO(a, chain, view)
	}
	if err := s.embedCovers(ctx, p.Articles, func(i int) *ArticleDTO { return &out.Data[i] }, chain); err != nil {
		return err
	}
	if cursor == nil {
		out.Meta.Page = page
		setPageMeta(c, &out.Meta, p.Total, page, perPage)
	} else if p.Next != nil {
		c.Response().Header().Add("Link", linkHeader(withQuery(c, map[string]string{"cursor": out.Meta.NextCursor}), "next"))
	}
	served := make([]string, len(out.Data))
	for i, d := range out.Data {
		served[i] = d.Locale
	}
	listContentLanguage(c, neg, served)
	if len(fields) > 0 {
		return c.JSON(http.StatusOK, trimFields(out, fields))
	}
	return c.JSON(http.StatusOK, out)
}

// onlyLocale is the locale a list is restricted to: the requested one with ?fallback=false.
func onlyLocale(fallback *bool, neg negotiated) string {
	if fallback != nil && !*fallback {
		return neg.Locale
	}
	return ""
}

// setPageMeta fills page-mode totals and the RFC 8288 Link header.
func setPageMeta(c echo.Context, m *ListMeta, total int64, page, perPage int) {
	pages := (total + int64(perPage) - 1) / int64(perPage)
	m.Total, m.TotalPages = &total, &pages
	h := c.Response().Header()
	h.Set("X-Total-Count", strconv.FormatInt(total, 10))
	var links []string
	defer func() { h.Set("Link", strings.Join(links, ", ")) }()
	link := func(p int64, rel string) {
		links = append(links, linkHeader(withQuery(c, map[string]string{"page": strconv.FormatInt(p, 10), "cursor": ""}), rel))
	}
	link(1, "first")
	if page > 1 {
		link(min(int64(page-1), max(pages, 1)), "prev")
	}
	if int64(page) < pages {
		link(int64(page+1), "next")
	}
	link(max(pages, 1), "last")
}

func linkHeader(u, rel string) string { return "<" + u + `>; rel="` + rel + `"` }

// trimFields keeps only the requested fields of each item (fields=id,slug,title).
func trimFields(l ArticleList, fields []string) any {
	type trimmed struct {
		Data []map[string]json.RawMessage `json:"data"`
		Meta ListMeta                     `json:"meta"`
	}
	out := trimmed{Data: make([]map[string]json.RawMessage, len(l.Data)), Meta: l.Meta}
	for i, a := range l.Data {
		b, _ := json.Marshal(a)
		var all map[string]json.RawMessage
		_ = json.Unmarshal(b, &all)
		m := make(map[string]json.RawMessage, len(fields))
		for _, f := range fields {
			if v, ok := all[f]; ok {
				m[f] = v
			}
		}
		out.Data[i] = m
	}
	return out
}

// lastModified is when anything an article's response shows last changed: the article, its
// category, its tags, its cover and gallery (renaming a category changes the response, so
// it must change the validator too).
func (s *Server) lastModified(ctx context.Context, a content.Article) (time.Time, error) {
	mod := a.UpdatedAt
	later := func(t time.Time) {
		if t.After(mod) {
			mod = t
		}
	}
	if a.Category != nil {
		later(a.Category.UpdatedAt)
	}
	for _, t := range a.Tags {
		later(t.UpdatedAt)
	}
	for _, au := range a.Bylines {
		later(au.UpdatedAt) // renaming a byline's author changes the response
	}
	if s.media != nil {
		ids := append([]uuid.UUID{}, a.GalleryMediaIDs...)
		if a.CoverMediaID != nil {
			ids = append(ids, *a.CoverMediaID)
		}
		items, err := s.media.ByIDs(ctx, ids) // preloaded with the article: no query
		if err != nil {
			return mod, err
		}
		for _, m := range items {
			later(m.UpdatedAt)
		}
	}
	return mod, nil
}

func has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// getArticle godoc
//
//	@Summary		Get one published article
//	@Description	By id or by the slug of any of its translations; a slug a translation had before answers 301 to the current URL (when articles in several locales share the slug, the one in the requested locale, then its fallbacks, wins). Served in the negotiated locale, falling back along the reader's ranked Accept-Language choices and then the configured chain (with ?locale=, its configured chain); when no locale is asked for and a slug is given, the slug's own locale is served. translations lists every available locale with its slug, for hreflang links.
//	@Tags			content
//	@Produce		json
//	@Param			ref				path		string	true	"Article id or slug"
//	@Param			locale			query		string	false	"Locale to serve"	example(az)
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Success		200				{object}	ArticleDTO
//	@Header			200				{string}	Content-Language	"The served locale, and the body's when the body fell back to another (ru, en)"
//	@Header			200				{string}	ETag				"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200				{string}	Cache-Control		"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate, which together never reach past the next scheduled publication"
//	@Header			200				{string}	Last-Modified		"The latest change to the article, its category, tags, cover or gallery; If-Modified-Since is honoured when If-None-Match is absent"
//	@Success		304				"Not modified: If-None-Match matched (no body)"
//	@Success		301				"A slug the article had before: Location is its current URL (same locale, query kept)"
//	@Header			301				{string}	Location	"The current URL"
//	@Failure		400				{object}	Problem		"Unsupported locale; unknown query parameter (the accepted ones are named)"
//	@Failure		404				{object}	Problem		"No visible article with that id or slug"
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem	"The database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/api/v1/articles/{ref} [get]
func (s *Server) getArticle(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	ref := strings.TrimSpace(c.Param("ref"))
	chain := neg.Chain
	ctx := media.WithPreload(c.Request().Context()) // cover and gallery come with the article
	// The byline and related articles come in the same statement (issue 17).
	detail := content.DetailOptions{Related: content.MaxRelated, Chain: chain}
	if !neg.Explicit {
		detail.Slug = ref // served in the slug's locale (slugChain)
	}
	ctx = content.WithDetail(ctx, detail)
	a, err := s.content.Article(ctx, ref, chain)
	if err != nil {
		return err
	}
	if a.FormerSlugLocale != "" {
		// A slug the article had before: 301 to its current URL in that locale (else the
		// locale the chain of that locale serves), query kept.
		to := pickTranslation(a, s.locales.Chain(a.FormerSlugLocale)).Slug
		if t, ok := a.Translation(a.FormerSlugLocale); ok {
			to = t.Slug
		}
		u := "/api/v1/articles/" + url.PathEscape(to)
		if q := c.Request().URL.RawQuery; q != "" {
			u += "?" + q
		}
		if base, _ := c.Get(publicURLKey).(string); base != "" {
			u = base + u
		}
		c.Response().Header().Set("Cache-Control", "public, max-age=86400")
		return c.Redirect(http.StatusMovedPermanently, u)
	}
	chain = s.slugChain(neg, chain, ref, func(l string) string {
		t, _ := a.Translation(l)
		return t.Slug
	})
	d := newArticleDTO(a, chain, articleView{body: true, hreflang: true, links: s.links})
	if err := s.embedMedia(ctx, a, &d, chain); err != nil {
		return err
	}
	if err := s.detailExtras(ctx, a, &d, chain); err != nil {
		return err
	}
	contentLanguage(c, d.Locale, d.BodyLocale)
	mod, err := s.lastModified(ctx, a)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLastModified, mod.UTC().Format(http.TimeFormat))
	return c.JSON(http.StatusOK, d)
}
