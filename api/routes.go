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
	v1.GET("/articles/:ref", s.getArticle)
	v1.GET("/categories", s.listCategories)
	v1.GET("/categories/:ref", s.getCategory)
	v1.GET("/tags", s.listTags)
	v1.GET("/tags/:ref", s.getTag)
	v1.GET("/locales", s.listLocales)
	v1.GET("/settings", s.getSettings)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)

	s.docsRoutes()
	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/docs/index.html") })
}
