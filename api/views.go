package api

import (
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
	"github.com/heraldcms/herald/internal/media"
	"github.com/heraldcms/herald/internal/views"
)

// PopularArticle is an article in a ranking, with its reads in the period.
type PopularArticle struct {
	ArticleDTO
	// Views is the number of reads in the period (for period=all, read_count).
	Views int64 `json:"views" example:"1250"`
} //	@name	PopularArticle

// PopularList is the body of GET /api/v1/articles/popular.
type PopularList struct {
	Data []PopularArticle `json:"data"`
	Meta PopularMeta      `json:"meta"`
} //	@name	PopularList

// PopularMeta describes a ranking.
type PopularMeta struct {
	Period string `json:"period" example:"week"`
	// Since is the first UTC day counted; absent for period=all.
	Since  string `json:"since,omitempty" example:"2024-05-01"`
	Limit  int    `json:"limit" example:"10"`
	Locale string `json:"locale" example:"en"`
} //	@name	PopularMeta

// ReadCountRequest sets an article's all-time read count.
type ReadCountRequest struct {
	ReadCount *int64 `json:"read_count" example:"310"`
} //	@name	ReadCountRequest

// ReadCountDTO is an article's all-time read count.
type ReadCountDTO struct {
	ID        string `json:"id" example:"01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d"`
	ReadCount int64  `json:"read_count" example:"310"`
} //	@name	ReadCount

// ReadCountImport is a batch of read counts, for moving a legacy site's counters over.
type ReadCountImport struct {
	Items []ReadCountImportItem `json:"items"`
} //	@name	ReadCountImport

// ReadCountImportItem names an article by id, or by slug and locale, and sets its count.
type ReadCountImportItem struct {
	ID     string `json:"id,omitempty" example:"01950f3e-7c1a-7b4e-9d2a-3f5e8c9b1a2d"`
	Slug   string `json:"slug,omitempty" example:"prospects-for-cooperation-between-ombudsman-and-ohchr-discussed"`
	Locale string `json:"locale,omitempty" example:"en"`
	Count  *int64 `json:"count" example:"310"`
} //	@name	ReadCountImportItem

// ReadCountImportResult reports an import.
type ReadCountImportResult struct {
	Updated int `json:"updated" example:"120"`
} //	@name	ReadCountImportResult

// ArticleStatsDTO is an article's daily reads over a range of UTC days.
type ArticleStatsDTO struct {
	ID        string `json:"id"`
	ReadCount int64  `json:"read_count" example:"310"`
	From      string `json:"from" example:"2024-05-01"`
	To        string `json:"to" example:"2024-05-30"`
	// Total is the sum of the days in the range.
	Total int64         `json:"total" example:"42"`
	Days  []DayViewsDTO `json:"days"`
} //	@name	ArticleStats

// DayViewsDTO is the reads of one UTC day.
type DayViewsDTO struct {
	Day   string `json:"day" example:"2024-05-01"`
	Count int64  `json:"count" example:"7"`
} //	@name	DayViews

const dayFormat = "2006-01-02"

// viewsRoute is the hit route as Echo reports it; the request log skips its 202s.
const viewsRoute = "/api/v1/articles/:id/views"

// viewsAdminRoutes registers the editors' read-count endpoints on the admin group (which
// authenticates); admins and editors may use them.
func (s *Server) viewsAdminRoutes(g *echo.Group) {
	g.PUT("/articles/:id/read-count", s.setReadCount, s.requireRole(staffRoles...))
	g.GET("/articles/:id/stats", s.articleStats, s.requireRole(staffRoles...))
	g.POST("/read-counts/import", s.importReadCounts, s.requireRole(staffRoles...))
}

var errNoArticle = newProblem(http.StatusNotFound, "no such article")

// beaconCORS lets any site's pages report reads, also with navigator.sendBeacon, which
// sends credentials: the origin is echoed rather than "*". The endpoint returns no data
// and reads no cookies, so any origin may call it.
func beaconCORS(c echo.Context) {
	h := c.Response().Header()
	origin := c.Request().Header.Get(echo.HeaderOrigin)
	h.Add(echo.HeaderVary, echo.HeaderOrigin)
	if origin == "" {
		h.Set(echo.HeaderAccessControlAllowOrigin, "*")
		return
	}
	h.Set(echo.HeaderAccessControlAllowOrigin, origin)
	h.Set(echo.HeaderAccessControlAllowCredentials, "true")
}

// countView godoc
//
//	@Summary		Count one read of an article
//	@Description	Call once per page view, e.g. with navigator.sendBeacon. Answers 202 at memory speed: reads are buffered and written in batches (every HERALD_VIEWS_FLUSH_INTERVAL and on shutdown). Only visible (published) articles count. The body is ignored and may be empty or text/plain. With HERALD_VIEWS_DEDUPE_WINDOW set, repeated reads by one visitor (client address and User-Agent) count once per window; they still get 202. One client address (IPv6: its /64) may send HERALD_VIEWS_RATE_LIMIT reads a minute; more get 429.
//	@Tags			content
//	@Accept			plain,json
//	@Param			id	path	string	true	"Article id"	format(uuid)
//	@Success		202	"Counted"
//	@Header			202	{string}	Access-Control-Allow-Origin	"The caller's Origin, or *"
//	@Failure		404	{object}	Problem						"No visible article with that id"
//	@Failure		413	{object}	Problem						"Body too large"
//	@Failure		429	{object}	Problem						"This client address sent more than HERALD_VIEWS_RATE_LIMIT reads in the last minute"
//	@Header			429	{integer}	Retry-After					"Seconds until the next read is accepted"
//	@Failure		503	{object}	Problem						"Counting is off or the server is shutting down"
//	@Router			/api/v1/articles/{id}/views [post]
func (s *Server) countView(c echo.Context) error {
	beaconCORS(c)
	if s.views == nil {
		return newProblem(http.StatusServiceUnavailable, "read counting is not enabled")
	}
	if s.viewsByIP != nil {
		if ok, wait := s.viewsByIP.Allow(clientKey(c.RealIP())); !ok {
			return &rateLimitedError{RetryAfter: wait}
		}
	}
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return errNoArticle
	}
	var addr, agent string
	if s.views.Dedupes() {
		addr, agent = c.RealIP(), c.Request().UserAgent()
	}
	if err := s.views.Hit(c.Request().Context(), id, addr, agent); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// countViewPreflight godoc
//
//	@Summary		CORS preflight for counting reads
//	@Description	Lets browsers send the read beacon from any origin, with any Content-Type.
//	@Tags			content
//	@Param			id								path	string	true	"Article id"				format(uuid)
//	@Param			Origin							header	string	false	"The calling page's origin"	example(https://news.example)
//	@Param			Access-Control-Request-Method	header	string	false	"POST"
//	@Success		204								"Allowed"
//	@Header			204								{string}	Access-Control-Allow-Methods	"POST, OPTIONS"
//	@Header			204								{string}	Access-Control-Allow-Headers	"Content-Type"
//	@Header			204								{integer}	Access-Control-Max-Age			"86400"
//	@Router			/api/v1/articles/{id}/views [options]
func (s *Server) countViewPreflight(c echo.Context) error {
	beaconCORS(c)
	h := c.Response().Header()
	h.Set(echo.HeaderAccessControlAllowMethods, "POST, OPTIONS")
	h.Set(echo.HeaderAccessControlAllowHeaders, "Content-Type")
	h.Set(echo.HeaderAccessControlMaxAge, "86400")
	return c.NoContent(http.StatusNoContent)
}

// popularArticles godoc
//
//	@Summary		Most-read articles
//	@Description	The visible articles read most in the period, most read first, served in the negotiated locale with fallback (no body). day is today (UTC), week the last 7 days and month the last 30, today included, counted from the daily read table; all ranks by the all-time read_count, which also holds imported legacy counts. Reads still buffered in memory (up to one flush interval) are not yet included.
//	@Tags			content
//	@Produce		json
//	@Param			period			query		string	false	"Time span"				Enums(day, week, month, all)	default(week)
//	@Param			limit			query		integer	false	"Number of articles"	minimum(1)						maximum(50)	default(10)
//	@Param			locale			query		string	false	"Locale to serve"		example(en)
//	@Param			Accept-Language	header		string	false	"Preferred locales, used when locale is absent"
//	@Success		200				{object}	PopularList
//	@Header			200				{string}	Content-Language	"The locales the items are served in (the requested one when the list is empty)"
//	@Header			200				{string}	ETag				"Strong validator of the body (gzip bodies get their own); send it back in If-None-Match"
//	@Header			200				{string}	Cache-Control		"public, max-age (HERALD_CACHE_MAX_AGE) and stale-while-revalidate, which together never reach past the next scheduled publication"
//	@Success		304				"Not modified: If-None-Match matched (no body)"
//	@Failure		400				{object}	Problem	"Invalid parameter or unsupported locale; unknown query parameter (the accepted ones are named)"
//	@Failure		500				{object}	Problem
//	@Failure		503				{object}	Problem	"Read counting is off; or the database is unavailable or the read took longer than HERALD_PUBLIC_READ_TIMEOUT (Retry-After)"
//	@Router			/api/v1/articles/popular [get]
func (s *Server) popularArticles(c echo.Context) error {
	neg, err := s.requestLocale(c)
	if err != nil {
		return err
	}
	var qe queryErrors
	limit := qe.intParam(c, "limit", views.DefaultPopular, 1, views.MaxPopular)
	period, err := views.ParsePeriod(c.QueryParam("period"))
	if err != nil {
		qe.add("period", "must be one of day, week, month, all")
	}
	if err := qe.err(); err != nil {
		return err
	}
	if s.viewStats == nil {
		return newProblem(http.StatusServiceUnavailable, "read counting is not enabled")
	}
	ctx := c.Request().Context()
	ranked, err := s.viewStats.Popular(ctx, period, limit)
	if err != nil {
		return err
	}
	ids := make([]uuid.UUID, len(ranked))
	for i, r := range ranked {
		ids[i] = r.ArticleID
	}
	ctx = media.WithPreload(ctx) // covers come with the articles
	arts, err := s.content.ArticlesByID(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[uuid.UUID]content.Article, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	chain := neg.Chain
	out := PopularList{Data: make([]PopularArticle, 0, len(ranked)), Meta: PopularMeta{Period: string(period), Limit: limit, Locale: neg.Locale}}
	if since := views.Since(period, s.content.Now()); since != nil {
		out.Meta.Since = since.Format(dayFormat)
	}
	view := articleView{links: s.links, terms: newTermMemo()}
	for _, r := range ranked {
		// An article hidden between the ranking and the load is left out.
		if a, ok := byID[r.ArticleID]; ok {
			out.Data = append(out.Data, PopularArticle{ArticleDTO: newArticleDTO(a, chain, view), Views: r.Views})
		}
	}
	shown := make([]content.Article, len(out.Data))
	for i, d := range out.Data {
		shown[i] = byID[uuid.MustParse(d.ID)]
	}
	if err := s.embedCovers(ctx, shown, func(i int) *ArticleDTO { return &out.Data[i].ArticleDTO }, chain); err != nil {
		return err
	}
	served := make([]string, len(out.Data))
	for i, d := range out.Data {
		served[i] = d.Locale
	}
	listContentLanguage(c, neg, served)
	return c.JSON(http.StatusOK, out)
}

// setReadCount godoc
//
//	@Summary		Set an article's read count
//	@Description	Replaces the all-time read_count, e.g. with a legacy site's counter. Daily stats are left as they are. Reads still buffered are added on top at the next flush.
//	@Tags			admin
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path		string				true	"Article id"	format(uuid)
//	@Param			body	body		ReadCountRequest	true	"The new count"
//	@Success		200		{object}	ReadCountDTO
//	@Failure		400		{object}	Problem	"Invalid body or count"
//	@Failure		401		{object}	Problem	"Missing or invalid token"
//	@Failure		403		{object}	Problem	"Role not allowed"
//	@Failure		404		{object}	Problem	"No such article"
//	@Failure		415		{object}	Problem	"Body is not JSON"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/read-count [put]
func (s *Server) setReadCount(c echo.Context) error {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return errNoArticle
	}
	var req ReadCountRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.ReadCount == nil {
		return validationProblem(FieldError{"read_count", "is required"})
	}
	if err := s.viewStats.SetReadCount(c.Request().Context(), id, *req.ReadCount); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReadCountDTO{ID: id.String(), ReadCount: *req.ReadCount})
}

// articleStats godoc
//
//	@Summary		An article's daily reads
//	@Description	Reads per UTC day from from to to (inclusive, every day listed, zeros included) and the all-time read_count. Defaults: to is today, from is 29 days before to; at most 366 days. Reads still buffered (up to one flush interval) are not yet included.
//	@Tags			admin
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path		string	true	"Article id"							format(uuid)
//	@Param			from	query		string	false	"First day (YYYY-MM-DD or RFC 3339)"	example(2024-05-01)
//	@Param			to		query		string	false	"Last day (YYYY-MM-DD or RFC 3339)"		example(2024-05-30)
//	@Success		200		{object}	ArticleStatsDTO
//	@Failure		400		{object}	Problem	"Invalid range"
//	@Failure		401		{object}	Problem	"Missing or invalid token"
//	@Failure		403		{object}	Problem	"Role not allowed"
//	@Failure		404		{object}	Problem	"No such article"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/stats [get]
func (s *Server) articleStats(c echo.Context) error {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return errNoArticle
	}
	var qe queryErrors
	from := qe.timeParam(c, "from")
	to := qe.timeParam(c, "to")
	if err := qe.err(); err != nil {
		return err
	}
	st, err := s.viewStats.Stats(c.Request().Context(), id, from, to)
	if err != nil {
		return err
	}
	out := ArticleStatsDTO{
		ID: id.String(), ReadCount: st.ReadCount, From: st.From.Format(dayFormat), To: st.To.Format(dayFormat),
		Total: st.Total, Days: make([]DayViewsDTO, len(st.Days)),
	}
	for i, d := range st.Days {
		out.Days[i] = DayViewsDTO{Day: d.Day.Format(dayFormat), Count: d.Count}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// importReadCounts godoc
//
//	@Summary		Import read counts
//	@Description	Sets the all-time read_count of up to 1000 articles at once, each named by id or by slug and locale: all of them or none (a field error names each item that matches no article).
//	@Tags			admin
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body		ReadCountImport	true	"The counts"
//	@Success		200		{object}	ReadCountImportResult
//	@Failure		400		{object}	Problem	"Invalid body, or items naming no article"
//	@Failure		401		{object}	Problem	"Missing or invalid token"
//	@Failure		403		{object}	Problem	"Role not allowed"
//	@Failure		413		{object}	Problem	"Body too large"
//	@Failure		415		{object}	Problem	"Body is not JSON"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/read-counts/import [post]
func (s *Server) importReadCounts(c echo.Context) error {
	var req ReadCountImport
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var qe queryErrors
	items := make([]views.ImportItem, len(req.Items))
	for i, it := range req.Items {
		f := "items[" + strconv.Itoa(i) + "]"
		if it.Count == nil {
			qe.add(f+".count", "is required")
		} else {
			items[i].Count = *it.Count
		}
		if it.ID != "" {
			id, err := uuid.Parse(it.ID)
			if err != nil {
				qe.add(f+".id", "must be a UUID")
			}
			items[i].ID = &id
		}
		items[i].Slug, items[i].Locale = it.Slug, it.Locale
	}
	if err := qe.err(); err != nil {
		return err
	}
	n, err := s.viewStats.Import(c.Request().Context(), items)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReadCountImportResult{Updated: n})
}
