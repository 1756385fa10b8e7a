package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	echoSwagger "github.com/swaggo/echo-swagger"

	"github.com/heraldcms/herald/docs"
)

// docsRoutes serves Swagger UI at /docs/, the generated Swagger 2.0 spec at /docs/doc.json
// and its OpenAPI 3.0 conversion at /docs/openapi.json.
func (s *Server) docsRoutes() {
	e := s.echo
	toIndex := func(c echo.Context) error { return c.Redirect(http.StatusFound, "/docs/index.html") }
	e.GET("/docs", toIndex)
	e.GET("/docs/", toIndex)
	e.GET("/docs/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, docs.OpenAPI3)
	})
	e.GET("/docs/*", getOnly(echoSwagger.EchoWrapHandler(echoSwagger.PersistAuthorization(true))))
}
