package api

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/readpref"
)

// DefaultRequestTimeout bounds a request's context when Deps leaves RequestTimeout zero. It
// equals HTTPServer's WriteTimeout: past it no answer can be written anyway.
const DefaultRequestTimeout = 60 * time.Second

// requestContext derives each request's context once: bounded to d, and marked for a read
// replica where preferReplica allows one. The bound stops work for a client that waits, so
// a slow query cannot pin a goroutine and a database connection after the server has given
// up on the response (a client that disconnects cancels the context already). Requests for
// which own is true bound their work themselves: media transfers, and public reads, whose
// database work cachedGET bounds by the read timeout (a cached answer needs no bound, and
// a second timer per request was 4 % of a cached 304's CPU, perf).
func requestContext(d time.Duration, own func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			ctx := r.Context()
			replica := preferReplica(r)
			if own(c) {
				if !replica {
					return next(c)
				}
			} else {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, d)
				defer cancel()
			}
			if replica {
				ctx = readpref.Replica(ctx)
			}
			c.SetRequest(r.WithContext(ctx))
			return next(c)
		}
	}
}
