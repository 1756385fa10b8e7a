package api

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"
)

// DefaultRequestTimeout bounds a request's context when Deps leaves RequestTimeout zero. It
// equals HTTPServer's WriteTimeout: past it no answer can be written anyway.
const DefaultRequestTimeout = 60 * time.Second

// requestDeadline bounds each request's context, and so every database query a handler
// runs with it, to d. A client that disconnects cancels the context already; this also
// stops work for a client that waits, so a slow query cannot pin a goroutine and a
// database connection after the server has given up on the response. Requests for which
// own is true (media transfers) bound their work themselves.
func requestDeadline(d time.Duration, own func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if own(c) {
				return next(c)
			}
			ctx, cancel := context.WithTimeout(c.Request().Context(), d)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}
