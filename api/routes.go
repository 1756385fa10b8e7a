package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routes lists every route. Content API first, then system endpoints and docs.
func (s *Server) routes() {
	e := s.echo
	v1 := e.Group("/api/v1")
	v1.GET("/articles", s.listArticles)
	v1.GET("/articles/popular", s.popularArticles)
	v1.GET("/articles/:ref", s.getArticle)
	v1.POST("/articles/:id/views", s.countView)
	v1.OPTIONS("/articles/:id/views", s.countViewPreflight)
	v1.GET("/categories", s.listCategories)
	v1.GET("/categories/:ref", s.getCategory)
	v1.GET("/tags", s.listTags)
	v1.GET("/tags/:ref", s.getTag)
	v1.GET("/locales", s.listLocales)
	v1.GET("/settings", s.getSettings)

	// Auth. Roles per admin route are the policy; see authz.go.
	v1.POST("/auth/login", s.login)
	v1.POST("/auth/refresh", s.refresh)
	v1.POST("/auth/logout", s.logout)
	v1.GET("/auth/me", s.me, s.requireAuth)
	v1.PUT("/auth/me/password", s.changePassword, s.requireAuth)

	admin := v1.Group("/admin", s.requireAuth)
	admin.GET("/users", s.listUsers, s.requireRole(adminRoles...))
	admin.POST("/users", s.createUser, s.requireRole(adminRoles...))
	admin.GET("/users/:id", s.getUser, s.requireRole(adminRoles...))
	admin.PATCH("/users/:id", s.updateUser, s.requireRole(adminRoles...))
	admin.PUT("/users/:id/password", s.resetPassword, s.requireRole(adminRoles...))
	admin.GET("/audit", s.listAudit, s.requireRole(adminRoles...))
	s.contentAdminRoutes(admin)
	s.viewsAdminRoutes(admin)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)

	s.docsRoutes()
	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/docs/index.html") })
}
