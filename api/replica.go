package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/readpref"
)

// preferReplica lets a read replica answer public reads: GET and HEAD under /api/v1
// except the Admin API and auth. An editor's reads and every write stay on the primary,
// so an editor never reads behind their own write.
func preferReplica(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && strings.HasPrefix(r.URL.Path, "/api/v1/") &&
			!strings.HasPrefix(r.URL.Path, "/api/v1/admin/") && !strings.HasPrefix(r.URL.Path, "/api/v1/auth/") {
			c.SetRequest(r.WithContext(readpref.Replica(r.Context())))
		}
		return next(c)
	}
}
