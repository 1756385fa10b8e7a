package api

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
	echoSwagger "github.com/swaggo/echo-swagger"

	"github.com/heraldcms/herald/docs"
)

// docsRoutes serves the OpenAPI 3.0 document (the one clients are generated from; its
// servers say HERALD_PUBLIC_URL when set) at /docs/openapi.json and swag's Swagger 2.0
// source at /docs/doc.json always, and Swagger UI at /docs/ (showing the OpenAPI 3.0
// document) unless it is turned off (HERALD_DOCS; off in production by default).
func (s *Server) docsRoutes() {
	e := s.echo
	spec := docs.OpenAPI3
	if s.publicURL != "" {
		var err error
		if spec, err = withServer(docs.OpenAPI3, s.publicURL); err != nil {
			s.log.Error("openapi: cannot set servers from HERALD_PUBLIC_URL", "error", err)
			spec = docs.OpenAPI3
		}
	}
	e.GET("/docs/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, spec)
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

// withServer returns the OpenAPI document with servers set to url alone, so that clients
// generated from the served document call this instance where its users reach it.
func withServer(spec []byte, url string) ([]byte, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(spec, &doc); err != nil {
		return nil, err
	}
	servers, err := json.Marshal([]map[string]string{{"url": url, "description": "This instance (HERALD_PUBLIC_URL)"}})
	if err != nil {
		return nil, err
	}
	doc["servers"] = servers
	return json.MarshalIndent(doc, "", "  ")
}
