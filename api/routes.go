package api

// routes lists every route. Content API first, then system endpoints and docs. Public GETs
// go through cachedGET (ETag, Cache-Control, gzip, the in-process cache; see cache.go).
func (s *Server) routes() {
	e := s.echo
	v1 := e.Group("/api/v1")
	s.publicGET(v1, "/articles", s.listArticles)
	s.publicGET(v1, "/articles/popular", s.popularArticles)
	s.publicGET(v1, "/articles/:ref", s.getArticle)
	v1.POST("/articles/:id/views", s.countView)
	v1.OPTIONS("/articles/:id/views", s.countViewPreflight)
	s.publicGET(v1, "/categories", s.listCategories)
	s.publicGET(v1, "/categories/:ref", s.getCategory)
	s.publicGET(v1, "/tags", s.listTags)
	s.publicGET(v1, "/tags/:ref", s.getTag)
	s.publicGET(v1, "/locales", s.listLocales)
	s.publicGET(v1, "/settings", s.getSettings)
	s.publicGET(v1, "/redirects", s.listRedirects)
	// Search (#14)
	s.publicGET(v1, "/search", s.search)
	s.publicGET(v1, "/search/suggest", s.suggest)
	// Delta sync: never in the response cache (each answer depends on its token and the
	// moment); sync.go checks the query parameters and bounds its reads itself.
	v1.GET("/sync", s.syncContent)

	// Auth. Roles per admin route are the policy; see authz.go.
	v1.POST("/auth/login", s.login, noStore)
	v1.POST("/auth/refresh", s.refresh, noStore)
	v1.POST("/auth/logout", s.logout, noStore)
	v1.GET("/auth/me", s.me, noStore, s.requireAuth)
	v1.PUT("/auth/me/password", s.changePassword, noStore, s.requireAuth)
	v1.GET("/auth/tokens", s.listMyTokens, noStore, s.requireAuth)
	v1.POST("/auth/tokens", s.createMyToken, noStore, s.requireAuth)
	v1.DELETE("/auth/tokens/:id", s.revokeMyToken, noStore, s.requireAuth)

	// Admin responses are private. A write's consequences (audit, change log, cache) are the
	// services' (internal/changes), not the routes'.
	admin := v1.Group("/admin", noStore, s.requireAuth)
	admin.GET("/users", s.listUsers, s.requireRole(adminRoles...))
	admin.POST("/users", s.createUser, s.requireRole(adminRoles...))
	admin.GET("/users/:id", s.getUser, s.requireRole(adminRoles...))
	admin.PATCH("/users/:id", s.updateUser, s.requireRole(adminRoles...))
	admin.PUT("/users/:id/password", s.resetPassword, s.requireRole(adminRoles...))
	admin.GET("/audit", s.listAudit, s.requireRole(adminRoles...))
	admin.GET("/tokens", s.listAllTokens, s.requireRole(adminRoles...))
	admin.POST("/tokens", s.createServiceToken, s.requireRole(adminRoles...))
	admin.POST("/tokens/identify", s.identifyToken, s.requireRole(adminRoles...))
	admin.GET("/tokens/:id", s.getToken, s.requireRole(adminRoles...))
	admin.DELETE("/tokens/:id", s.revokeAnyToken, s.requireRole(adminRoles...))
	s.contentAdminRoutes(admin)
	s.frontendSurfaceRoutes(v1, admin) // issue 17: previews, authors, bylines (previews.go, authors.go)
	s.viewsAdminRoutes(admin)
	s.mediaRoutes(v1, admin)
	// Webhooks (issue 16): endpoints, test ping, delivery log, redelivery; api/webhooks.go.
	s.webhookRoutes(admin)
	// Frontend (issue 17): feeds and sitemaps (feeds.go, sitemaps.go).
	s.frontendRoutes(v1)
	// Archive imports (issue 20).
	s.importRoutes(admin)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.getMetrics)

	s.docsRoutes()
}
