package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// HEAD is answered wherever GET is (RFC 9110 §9.3.2: link checkers, CDNs and uptime probes
// use it): routeHeadAsGet routes a HEAD request to the GET route of its path, and
// restoreHead gives the handlers back a HEAD request whose response body is dropped, so a
// HEAD costs what the GET costs and carries the same headers (ETag, Content-Length of the
// cached ones, Link). Echo routes only registered methods, and registering a HEAD beside
// every GET would let a new GET route forget it.

// headKey marks, in the request's context, a HEAD routed as GET.
const headKey = "herald.head"

// routeHeadAsGet is a Pre middleware: Echo routes on the request's method after the Pre
// chain, so a HEAD becomes GET for routing (restoreHead undoes it).
func routeHeadAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if r := c.Request(); r.Method == http.MethodHead {
			r.Method = http.MethodGet
			c.Set(headKey, true)
		}
		return next(c)
	}
}

// restoreHead is the outermost middleware after routing: the request is a HEAD again for
// everything that runs (handlers skip bodies, logs and metrics say HEAD) and the response
// drops any body written anyway. Allow headers (405, OPTIONS) list HEAD beside GET.
func restoreHead(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if h, _ := c.Get(headKey).(bool); h {
			c.Request().Method = http.MethodHead
			res := c.Response()
			res.Writer = headWriter{res.Writer}
		}
		if c.Get(echo.ContextKeyHeaderAllow) != nil {
			res := c.Response()
			res.Before(func() { res.Header().Set(echo.HeaderAllow, allowWithHead(res.Header().Get(echo.HeaderAllow))) })
		}
		return next(c)
	}
}

// getOnly adapts a handler that refuses every method but GET: it sees a HEAD as the GET it
// was routed as (restoreHead drops the body).
func getOnly(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if r := c.Request(); r.Method == http.MethodHead {
			r.Method = http.MethodGet
			defer func() { r.Method = http.MethodHead }()
		}
		return h(c)
	}
}

// headWriter drops the body of a HEAD response.
type headWriter struct{ http.ResponseWriter }

func (w headWriter) Write(b []byte) (int, error) { return len(b), nil }

// Unwrap lets http.ResponseController reach the connection's writer.
func (w headWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// allowWithHead adds HEAD to an Allow list that has GET.
func allowWithHead(allow string) string {
	var hasGet, hasHead bool
	for _, m := range strings.Split(allow, ",") {
		switch strings.TrimSpace(m) {
		case http.MethodGet:
			hasGet = true
		case http.MethodHead:
			hasHead = true
		}
	}
	if !hasGet || hasHead {
		return allow
	}
	return strings.Replace(allow, http.MethodGet, http.MethodGet+", "+http.MethodHead, 1)
}

// routeMethods are the methods Allow may list, in its order.
var routeMethods = []string{http.MethodOptions, http.MethodDelete, http.MethodGet, http.MethodHead, http.MethodPatch,
	http.MethodPost, http.MethodPut}

// wrongMethodsAre405 replaces the catch-all route of every group with middleware (see
// groupNoRoute).
func (s *Server) wrongMethodsAre405() {
	var catchAll []string
	for _, rt := range s.echo.Routes() {
		if rt.Method == echo.RouteNotFound {
			catchAll = append(catchAll, rt.Path)
		}
	}
	for _, p := range catchAll {
		s.echo.RouteNotFound(p, s.groupNoRoute(catchAll...))
	}
}

// groupNoRoute answers requests under a group with middleware that match none of its
// routes. Echo gives such a group a catch-all route running the group's middleware (for the
// admin group: authentication first), which turns a wrong method into 401 or 404; here a
// path that exists with other methods is 405 with Allow, like every other path, and an
// unknown one is 404 — before any authentication, as the routes are public knowledge
// (the OpenAPI document lists them).
func (s *Server) groupNoRoute(catchAll ...string) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		path := echo.GetPath(r)
		var allow []string
		probe := s.echo.NewContext(r, nil)
		for _, m := range routeMethods {
			s.echo.Router().Find(m, path, probe)
			if p := probe.Path(); p != "" && !contains(catchAll, p) && s.routed(m, p) {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			return echo.ErrNotFound
		}
		if !contains(allow, http.MethodOptions) {
			allow = append([]string{http.MethodOptions}, allow...)
		}
		list := allowWithHead(strings.Join(allow, ", "))
		c.Response().Header().Set(echo.HeaderAllow, list)
		if r.Method == http.MethodOptions {
			return c.NoContent(http.StatusNoContent)
		}
		return echo.ErrMethodNotAllowed
	}
}

// routed reports whether method and path (a route pattern) name a registered route.
func (s *Server) routed(method, path string) bool {
	for _, rt := range s.echo.Routes() {
		if rt.Method == method && rt.Path == path {
			return true
		}
	}
	return false
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
