package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	echoSwagger "github.com/swaggo/echo-swagger"

	"github.com/heraldcms/herald/docs"
)

// docsRoutes serves the OpenAPI 3.0 document (the one clients are generated from) at
// /docs/openapi.json and swag's Swagger 2.0 source at /docs/doc.json always, and Swagger UI
// at /docs/ (showing the OpenAPI 3.0 document) unless it is turned off (HERALD_DOCS; off in
// production by default).
func (s *Server) docsRoutes() {
	e := s.echo
	e.GET("/docs/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, docs.OpenAPI3)
	})
	if !s.swaggerUI {
		e.GET("/docs/doc.json", func(c echo.Context) error {
			return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, []byte(docs.SwaggerInfo.ReadDoc()))
		})
		return
	}
	toIndex := func(c echo.Context) error { return c.Redirect(http.StatusFound, "/docs/index.html") }
	e.GET("/", toIndex)
	e.GET("/docs", toIndex)
	e.GET("/docs/", toIndex)
	e.GET("/docs/*", getOnly(echoSwagger.EchoWrapHandler(echoSwagger.URL("/docs/openapi.json"), echoSwagger.PersistAuthorization(true))))
}
