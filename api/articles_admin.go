package api

import (
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
)

// contentAdminRoutes registers the admin content endpoints on the authenticated group.
// Route roles are the coarse policy (authz.go); ownership rules live in content.Service.
func (s *Server) contentAdminRoutes(admin *echo.Group) {
	anyone, staff := s.requireRole(anyRole...), s.requireRole(staffRoles...)

	admin.GET("/articles", s.adminListArticles, anyone)
	admin.POST("/articles", s.adminCreateArticle, anyone)
	admin.GET("/articles/:id", s.adminGetArticle, anyone)
	admin.PATCH("/articles/:id", s.adminUpdateArticle, anyone)
	admin.DELETE("/articles/:id", s.adminDeleteArticle, staff)
	admin.GET("/articles/:id/preview", s.adminPreviewArticle, anyone)
	admin.PUT("/articles/:id/translations/:locale", s.adminPutTranslation, anyone)
	admin.DELETE("/articles/:id/translations/:locale", s.adminDeleteTranslation, anyone)
	admin.POST("/articles/:id/publish", s.adminPublishArticle, staff)
	admin.POST("/articles/:id/unpublish", s.adminUnpublishArticle, staff)
	admin.POST("/articles/:id/archive", s.adminArchiveArticle, staff)
	admin.GET("/articles/:id/revisions", s.adminListRevisions, anyone)
	admin.GET("/articles/:id/revisions/:version", s.adminGetRevision, anyone)
	admin.POST("/articles/:id/revisions/:version/restore", s.adminRestoreRevision, anyone)

	admin.POST("/categories", s.adminCreateCategory, staff)
	admin.PATCH("/categories/:id", s.adminUpdateCategory, staff)
	admin.DELETE("/categories/:id", s.adminDeleteCategory, staff)
	admin.POST("/tags", s.adminCreateTag, staff)
	admin.PATCH("/tags/:id", s.adminUpdateTag, staff)
	admin.DELETE("/tags/:id", s.adminDeleteTag, staff)

	admin.GET("/settings", s.adminGetSettings, anyone)
	admin.PUT("/settings", s.adminPutSettings, staff)
}

// adminListArticles godoc
//
//	@Summary		List articles in any status
//	@Description	Drafts, scheduled, published and archived articles (not deleted), most recently updated first, without bodies. Authors see only their own articles unless HERALD_AUTHORS_READ_ALL is set.
//	@Tags			admin-articles
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			status			query		string	false	"Comma-separated statuses"	example(draft,scheduled)
//	@Param			author			query		string	false	"Author user id"
//	@Param			category		query		string	false	"Category id"
//	@Param			missing_locale	query		string	false	"Only articles without a translation in this locale"													example(ru)
//	@Param			q				query		string	false	"Full-text query, as GET /search takes it: articles a translation of which matches, drafts included"	example(gelecek)
//	@Param			page			query		integer	false	"Page number"																							minimum(1)	default(1)
//	@Param			per_page		query		integer	false	"Items per page"																						minimum(1)	maximum(100)	default(20)
//	@Success		200				{object}	AdminArticleList
//	@Header			200				{integer}	X-Total-Count	"Total matches"
//	@Failure		400				{object}	Problem			"Invalid parameter"
//	@Failure		401				{object}	Problem
//	@Failure		403				{object}	Problem
//	@Failure		500				{object}	Problem
//	@Router			/api/v1/admin/articles [get]
func (s *Server) adminListArticles(c echo.Context) error {
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", content.DefaultPerPage, 1, content.MaxPerPage)
	statuses := qe.listParam(c, "status", []string{string(content.Draft), string(content.Scheduled), string(content.Published), string(content.Archived)})
	q := content.AdminQuery{Limit: perPage, Offset: (page - 1) * perPage}
	for _, st := range statuses {
		q.Statuses = append(q.Statuses, content.Status(st))
	}
	for _, p := range []struct {
		name string
		dst  **uuid.UUID
	}{{"author", &q.AuthorID}, {"category", &q.Category}} {
		if v := c.QueryParam(p.name); v != "" {
			id, err := uuid.Parse(v)
			if err != nil {
				qe.add(p.name, "must be a UUID")
				continue
			}
			*p.dst = &id
		}
	}
	if l := c.QueryParam("missing_locale"); l != "" {
		if !s.locales.Supported(l) {
			qe.add("missing_locale", "must be one of the site's locales")
		}
		q.MissingLocale = l
	}
	q.Q = textQuery(c, &qe) // #14
	if err := qe.err(); err != nil {
		return err
	}
	arts, total, err := s.content.AdminArticles(c.Request().Context(), actorOf(c), q)
	if err != nil {
		return err
	}
	out := AdminArticleList{Data: make([]AdminArticleDTO, len(arts)), Meta: ListMeta{Page: page, PerPage: perPage}}
	for i, a := range arts {
		out.Data[i] = newAdminArticleDTO(a, false)
	}
	setPageMeta(c, &out.Meta, total, page, perPage)
	return c.JSON(http.StatusOK, out)
}

// adminCreateArticle godoc
//
//	@Summary		Create a draft article
//	@Description	Creates a draft owned by the caller with at least one translation. Bodies are sanitized HTML (or Markdown with body_format "markdown"); slugs are generated from titles when absent. Any signed-in role.
//	@Tags			admin-articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body		CreateArticleRequest	true	"The draft"
//	@Success		201		{object}	AdminArticleDTO
//	@Header			201		{string}	ETag		"The article's version, quoted"
//	@Header			201		{string}	Location	"The admin URL of the article"
//	@Failure		400		{object}	Problem		"Invalid or oversized field"
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		409		{object}	Problem	"A chosen slug is taken in its locale"
//	@Failure		413		{object}	Problem	"Body too large"
//	@Failure		415		{object}	Problem	"Not JSON"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/articles [post]
func (s *Server) adminCreateArticle(c echo.Context) error {
	var req CreateArticleRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fe fieldErrors
	in := content.NewArticle{
		CategoryID: fe.optionalID("category_id", req.CategoryID), CoverMediaID: fe.optionalID("cover_media_id", req.CoverMediaID),
		Featured: req.Featured, TagIDs: fe.ids("tag_ids", req.TagIDs),
		GalleryMediaIDs: fe.ids("gallery_media_ids", req.GalleryMediaIDs),
	}
	for i, t := range req.Translations {
		in.Translations = append(in.Translations, s.translationInput(&fe, "translations["+strconv.Itoa(i)+"]", t))
	}
	if err := fe.err(); err != nil {
		return err
	}
	a, err := s.content.CreateArticle(c.Request().Context(), actorOf(c), in)
	if err != nil {
		return err
	}
	setVersionETag(c, a.Version)
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/admin/articles/"+a.ID.String())
	return c.JSON(http.StatusCreated, newAdminArticleDTO(a, true))
}

// adminGetArticle godoc
//
//	@Summary		Get an article in any status
//	@Description	Every translation in full. The ETag is the version to send back with writes (If-Match). Authors see only their own articles unless HERALD_AUTHORS_READ_ALL is set; another's is 404.
//	@Tags			admin-articles
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path		string	true	"Article id"
//	@Success		200	{object}	AdminArticleDTO
//	@Header			200	{string}	ETag	"The article's version, quoted"
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem	"No such article (or deleted)"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/articles/{id} [get]
func (s *Server) adminGetArticle(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	a, err := s.content.AdminArticle(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	setVersionETag(c, a.Version)
	return c.JSON(http.StatusOK, newAdminArticleDTO(a, true))
}

// adminUpdateArticle godoc
//
//	@Summary		Update an article
//	@Description	A JSON Merge Patch (RFC 7396): fields absent from the body stay as they are, null removes one, a value replaces it. Each translation listed is merged into the article's translation in its locale the same way (created if missing), so a new title never touches the body; translations not listed are untouched. The version read must be sent (If-Match: "<version>" or version); a stale one gets 412 with the current version and nothing is written. Authors may edit only their own drafts.
//	@Tags			admin-articles
//	@Accept			json,application/merge-patch+json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string					true	"Article id"
//	@Param			If-Match	header		string					false	"The version read, quoted"	example("3")
//	@Param			body		body		UpdateArticleRequest	true	"Merge patch: the fields to change (null removes)"
//	@Success		200			{object}	AdminArticleDTO
//	@Header			200			{string}	ETag	"The new version, quoted"
//	@Failure		400			{object}	Problem	"Invalid or oversized field"
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem	"Not the author's own draft"
//	@Failure		404			{object}	Problem
//	@Failure		409			{object}	Problem	"A chosen slug is taken"
//	@Failure		412			{object}	Problem	"Stale version; current_version tells the current one"
//	@Failure		413			{object}	Problem
//	@Failure		415			{object}	Problem
//	@Failure		428			{object}	Problem	"No version sent"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/articles/{id} [patch]
func (s *Server) adminUpdateArticle(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	var req UpdateArticleRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	version, err := requestVersion(c, req.Version)
	if err != nil {
		return err
	}
	var fe fieldErrors
	p := content.ArticlePatch{
		CategoryID: fe.mergeID("category_id", req.CategoryID), CoverMediaID: fe.mergeID("cover_media_id", req.CoverMediaID),
		TagIDs: fe.mergeIDs("tag_ids", req.TagIDs), GalleryMediaIDs: fe.mergeIDs("gallery_media_ids", req.GalleryMediaIDs),
	}
	if req.Featured.Set {
		f := req.Featured.Value && !req.Featured.Null
		p.Featured = &f
	}
	for i, t := range req.Translations {
		p.Translations = append(p.Translations, s.translationPatch(&fe, "translations["+strconv.Itoa(i)+"]", t))
	}
	if err := fe.err(); err != nil {
		return err
	}
	a, err := s.content.UpdateArticle(c.Request().Context(), actorOf(c), id, version, p)
	if err != nil {
		return err
	}
	return s.articleWritten(c, "article.update", a, version, http.StatusOK)
}

// adminDeleteArticle godoc
//
//	@Summary		Delete an article
//	@Description	Soft delete: the article leaves the public site and the admin lists, and stays as a tombstone for delta sync. Editors and admins only; the version read must be sent.
//	@Tags			admin-articles
//	@Accept			json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path	string			true	"Article id"
//	@Param			If-Match	header	string			false	"The version read, quoted"	example("3")
//	@Param			body		body	VersionRequest	false	"The version, if not in If-Match"
//	@Success		204
//	@Failure		400	{object}	Problem
//	@Failure		401	{object}	Problem
//	@Failure		403	{object}	Problem
//	@Failure		404	{object}	Problem
//	@Failure		412	{object}	Problem	"Stale version"
//	@Failure		428	{object}	Problem	"No version sent"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/articles/{id} [delete]
func (s *Server) adminDeleteArticle(c echo.Context) error {
	id, version, err := s.versionOnly(c)
	if err != nil {
		return err
	}
	if err := s.content.DeleteArticle(c.Request().Context(), actorOf(c), id, version); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// adminPreviewArticle godoc
//
//	@Summary		Preview an article in any status
//	@Description	The article as the public Content API would serve it in a locale (with fallback), whatever its status: drafts and scheduled articles included. Authors see only their own articles unless HERALD_AUTHORS_READ_ALL is set; another's is 404.
//	@Tags			admin-articles
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path		string	true	"Article id"
//	@Param			locale	query		string	false	"Locale to preview (else the default)"	example(en)
//	@Success		200		{object}	ArticleDTO
//	@Failure		400		{object}	Problem	"Unsupported locale"
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/preview [get]
func (s *Server) adminPreviewArticle(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	loc := s.locales.Default()
	if l := c.QueryParam("locale"); l != "" {
		if !s.locales.Supported(l) {
			var fe fieldErrors
			s.checkLocale(&fe, "locale", l)
			return fe.err()
		}
		loc = l
	}
	a, err := s.content.AdminArticle(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	d := newArticleDTO(a, s.locales.Chain(loc), articleView{body: true, hreflang: true})
	if err := s.embedMedia(c.Request().Context(), a, &d, s.locales.Chain(loc)); err != nil {
		return err
	}
	contentLanguage(c, d.Locale, d.BodyLocale)
	setVersionETag(c, a.Version)
	return c.JSON(http.StatusOK, d)
}

// adminPutTranslation godoc
//
//	@Summary		Create or replace a translation
//	@Description	Replaces the article's text in one locale with the body: a field left out is emptied (to change some fields only, PATCH the article with this translation). An empty slug keeps the current one, or is generated from the title for a new translation. The version read must be sent.
//	@Tags			admin-articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string					true	"Article id"
//	@Param			locale		path		string					true	"Locale"					example(en)
//	@Param			If-Match	header		string					false	"The version read, quoted"	example("3")
//	@Param			body		body		PutTranslationRequest	true	"The translation"
//	@Success		200			{object}	AdminArticleDTO
//	@Header			200			{string}	ETag	"The new version, quoted"
//	@Failure		400			{object}	Problem	"Invalid or oversized field, unsupported locale"
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		409			{object}	Problem	"The slug is taken in this locale"
//	@Failure		412			{object}	Problem	"Stale version"
//	@Failure		413			{object}	Problem
//	@Failure		415			{object}	Problem
//	@Failure		428			{object}	Problem	"No version sent"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/translations/{locale} [put]
func (s *Server) adminPutTranslation(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	var req PutTranslationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	version, err := requestVersion(c, req.Version)
	if err != nil {
		return err
	}
	var fe fieldErrors
	in := s.translationInput(&fe, "", TranslationRequest{
		Locale: c.Param("locale"), Title: req.Title, Slug: req.Slug, Summary: req.Summary, Body: req.Body,
		BodyFormat: req.BodyFormat, MetaTitle: req.MetaTitle, MetaDescription: req.MetaDescription,
	})
	if err := fe.err(); err != nil {
		return err
	}
	a, err := s.content.PutTranslation(c.Request().Context(), actorOf(c), id, version, in)
	if err != nil {
		return err
	}
	return s.articleWritten(c, "article.translation.put", a, version, http.StatusOK)
}

// adminDeleteTranslation godoc
//
//	@Summary		Delete a translation
//	@Description	Removes the article's text in one locale; the last translation cannot be deleted (409). The version read must be sent.
//	@Tags			admin-articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string			true	"Article id"
//	@Param			locale		path		string			true	"Locale"					example(ru)
//	@Param			If-Match	header		string			false	"The version read, quoted"	example("3")
//	@Param			body		body		VersionRequest	false	"The version, if not in If-Match"
//	@Success		200			{object}	AdminArticleDTO
//	@Header			200			{string}	ETag	"The new version, quoted"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem	"No such article or translation"
//	@Failure		409			{object}	Problem	"The last translation"
//	@Failure		412			{object}	Problem	"Stale version"
//	@Failure		428			{object}	Problem	"No version sent"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/translations/{locale} [delete]
func (s *Server) adminDeleteTranslation(c echo.Context) error {
	id, version, err := s.versionOnly(c)
	if err != nil {
		return err
	}
	loc := c.Param("locale")
	if !s.locales.Supported(loc) {
		return content.ErrNotFound
	}
	a, err := s.content.DeleteTranslation(c.Request().Context(), actorOf(c), id, version, loc)
	if err != nil {
		return err
	}
	return s.articleWritten(c, "article.translation.delete", a, version, http.StatusOK)
}

// adminPublishArticle godoc
//
//	@Summary		Publish or schedule an article
//	@Description	Without published_at the article is public now, except that an article public before (unpublished or archived since) keeps its publication date unless date is "now"; with a future published_at it is scheduled and becomes public at that time with nothing else to call. first_published_at records the first publication and never changes once the article has been public. Editors and admins only; the version read must be sent.
//	@Tags			admin-articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string			true	"Article id"
//	@Param			If-Match	header		string			false	"The version read, quoted"	example("3")
//	@Param			body		body		PublishRequest	false	"When, and the version if not in If-Match"
//	@Success		200			{object}	AdminArticleDTO
//	@Header			200			{string}	ETag	"The new version, quoted"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		412			{object}	Problem	"Stale version"
//	@Failure		415			{object}	Problem
//	@Failure		428			{object}	Problem	"No version sent"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/publish [post]
func (s *Server) adminPublishArticle(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	var req PublishRequest
	if err := decodeOptionalJSON(c, &req); err != nil {
		return err
	}
	version, err := requestVersion(c, req.Version)
	if err != nil {
		return err
	}
	var fe fieldErrors
	switch {
	case req.Date != "" && req.Date != "keep" && req.Date != "now":
		fe.add("date", "must be keep or now")
	case req.Date != "" && req.PublishedAt != nil:
		fe.add("date", "cannot be combined with published_at")
	}
	if err := fe.err(); err != nil {
		return err
	}
	a, err := s.content.PublishWith(c.Request().Context(), actorOf(c), id, version,
		content.PublishOptions{At: req.PublishedAt, ResetDate: req.Date == "now"})
	if err != nil {
		return err
	}
	return s.articleWritten(c, "article.publish", a, version, http.StatusOK)
}

// adminUnpublishArticle godoc
//
//	@Summary		Unpublish an article
//	@Description	Back to draft: off the public site, a schedule cancelled. The publication date of an article that was public is kept (published_at, first_published_at), so publishing it again keeps it unless told otherwise. Editors and admins only; the version read must be sent.
//	@Tags			admin-articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string			true	"Article id"
//	@Param			If-Match	header		string			false	"The version read, quoted"	example("3")
//	@Param			body		body		VersionRequest	false	"The version, if not in If-Match"
//	@Success		200			{object}	AdminArticleDTO
//	@Header			200			{string}	ETag	"The new version, quoted"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		412			{object}	Problem	"Stale version"
//	@Failure		428			{object}	Problem	"No version sent"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/unpublish [post]
func (s *Server) adminUnpublishArticle(c echo.Context) error {
	id, version, err := s.versionOnly(c)
	if err != nil {
		return err
	}
	a, err := s.content.Unpublish(c.Request().Context(), actorOf(c), id, version)
	if err != nil {
		return err
	}
	return s.articleWritten(c, "article.unpublish", a, version, http.StatusOK)
}

// adminArchiveArticle godoc
//
//	@Summary		Archive an article
//	@Description	Off the public site, publication date kept. Editors and admins only; the version read must be sent.
//	@Tags			admin-articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string			true	"Article id"
//	@Param			If-Match	header		string			false	"The version read, quoted"	example("3")
//	@Param			body		body		VersionRequest	false	"The version, if not in If-Match"
//	@Success		200			{object}	AdminArticleDTO
//	@Header			200			{string}	ETag	"The new version, quoted"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		412			{object}	Problem	"Stale version"
//	@Failure		428			{object}	Problem	"No version sent"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/archive [post]
func (s *Server) adminArchiveArticle(c echo.Context) error {
	id, version, err := s.versionOnly(c)
	if err != nil {
		return err
	}
	a, err := s.content.Archive(c.Request().Context(), actorOf(c), id, version)
	if err != nil {
		return err
	}
	return s.articleWritten(c, "article.archive", a, version, http.StatusOK)
}

// adminListRevisions godoc
//
//	@Summary		List an article's revisions
//	@Description	Every saved version, newest first, with the title per locale. Authors see only their own articles unless HERALD_AUTHORS_READ_ALL is set; another's is 404.
//	@Tags			admin-articles
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string	true	"Article id"
//	@Param			page		query		integer	false	"Page number"		minimum(1)	default(1)
//	@Param			per_page	query		integer	false	"Items per page"	minimum(1)	maximum(100)	default(20)
//	@Success		200			{object}	RevisionList
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/revisions [get]
func (s *Server) adminListRevisions(c echo.Context) error {
	id, err := articleIDParam(c)
	if err != nil {
		return err
	}
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", content.DefaultPerPage, 1, content.MaxPerPage)
	if err := qe.err(); err != nil {
		return err
	}
	revs, total, err := s.content.Revisions(c.Request().Context(), actorOf(c), id, perPage, (page-1)*perPage)
	if err != nil {
		return err
	}
	out := RevisionList{Data: make([]RevisionDTO, len(revs)), Meta: ListMeta{Page: page, PerPage: perPage}}
	for i, r := range revs {
		out.Data[i] = newRevisionDTO(r, false)
	}
	setPageMeta(c, &out.Meta, total, page, perPage)
	return c.JSON(http.StatusOK, out)
}

// adminGetRevision godoc
//
//	@Summary		Get one revision
//	@Description	The article as saved at that version, every translation in full. Authors see only their own articles unless HERALD_AUTHORS_READ_ALL is set; another's is 404.
//	@Tags			admin-articles
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id		path		string	true	"Article id"
//	@Param			version	path		integer	true	"Version"	minimum(1)
//	@Success		200		{object}	RevisionDTO
//	@Failure		401		{object}	Problem
//	@Failure		403		{object}	Problem
//	@Failure		404		{object}	Problem
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/revisions/{version} [get]
func (s *Server) adminGetRevision(c echo.Context) error {
	id, n, err := revisionParams(c)
	if err != nil {
		return err
	}
	r, err := s.content.Revision(c.Request().Context(), actorOf(c), id, n)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newRevisionDTO(r, true))
}

// adminRestoreRevision godoc
//
//	@Summary		Restore a revision
//	@Description	Saves the content of that version (translations, category, cover, featured, tags) as a new version; history is never rewritten, and the status stays as it is. The version read (the current one) must be sent.
//	@Tags			admin-articles
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id			path		string			true	"Article id"
//	@Param			version		path		integer			true	"Version to restore"				minimum(1)
//	@Param			If-Match	header		string			false	"The current version read, quoted"	example("3")
//	@Param			body		body		VersionRequest	false	"The current version, if not in If-Match"
//	@Success		200			{object}	AdminArticleDTO
//	@Header			200			{string}	ETag	"The new version, quoted"
//	@Failure		400			{object}	Problem
//	@Failure		401			{object}	Problem
//	@Failure		403			{object}	Problem
//	@Failure		404			{object}	Problem	"No such article or revision"
//	@Failure		409			{object}	Problem	"A slug of that version is now used by another article"
//	@Failure		412			{object}	Problem	"Stale version"
//	@Failure		428			{object}	Problem	"No version sent"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/articles/{id}/revisions/{version}/restore [post]
func (s *Server) adminRestoreRevision(c echo.Context) error {
	id, n, err := revisionParams(c)
	if err != nil {
		return err
	}
	var req VersionRequest
	if err := decodeOptionalJSON(c, &req); err != nil {
		return err
	}
	version, err := requestVersion(c, req.Version)
	if err != nil {
		return err
	}
	a, err := s.content.RestoreRevision(c.Request().Context(), actorOf(c), id, version, n)
	if err != nil {
		return err
	}
	return s.articleWritten(c, "article.restore", a, version, http.StatusOK)
}

// versionOnly reads the article id and the version of a write whose body, if any, holds
// only the version.
func (s *Server) versionOnly(c echo.Context) (uuid.UUID, int, error) {
	id, err := articleIDParam(c)
	if err != nil {
		return uuid.Nil, 0, err
	}
	var req VersionRequest
	if err := decodeOptionalJSON(c, &req); err != nil {
		return uuid.Nil, 0, err
	}
	version, err := requestVersion(c, req.Version)
	return id, version, err
}

func revisionParams(c echo.Context) (uuid.UUID, int, error) {
	id, err := articleIDParam(c)
	if err != nil {
		return uuid.Nil, 0, err
	}
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil || n <= 0 {
		return uuid.Nil, 0, content.ErrNotFound
	}
	return id, n, nil
}

// articleWritten answers a successful article write with the new version (the service
// recorded the write: its audit entry and change row committed with it).
func (s *Server) articleWritten(c echo.Context, action string, a content.Article, from, status int) error {
	setVersionETag(c, a.Version)
	return c.JSON(status, newAdminArticleDTO(a, true))
}
