package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/docs"
)

// Public reads are what an anonymous client can multiply, so each is bounded: a query
// parameter the endpoint does not declare is a 400 naming the ones it does (a typo such as
// ?search= used to return everything, and a junk parameter per request defeated the
// response cache), and the database work of one read ends after ReadTimeout with a 503 and
// Retry-After instead of holding a pooled connection.

// DefaultPublicReadTimeout bounds a public read's database work when CacheOptions leaves
// ReadTimeout zero.
const DefaultPublicReadTimeout = 5 * time.Second

// cacheBusters are query parameters clients and CDNs append to defeat caches (jQuery's
// _=<time>, t=, v=). Every public GET accepts them and ignores them: they are not part of
// the cache key, so they create no cache entries.
var cacheBusters = map[string]bool{"_": true, "t": true, "v": true}

// publicQueryParams maps each public GET route (Echo's path, /articles/:ref) to the query
// parameters its annotations declare: the generated OpenAPI document is the one list of what
// an endpoint accepts, for clients and for this check alike.
func publicQueryParams() (map[string][]string, error) {
	var spec struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if err := json.Unmarshal(docs.OpenAPI3, &spec); err != nil {
		return nil, err
	}
	brace := regexp.MustCompile(`\{([^}]+)\}`)
	out := map[string][]string{}
	for path, ops := range spec.Paths {
		get, ok := ops["get"]
		if !ok {
			continue
		}
		names := []string{}
		for _, p := range get.Parameters {
			if p.In == "query" {
				names = append(names, p.Name)
			}
		}
		sort.Strings(names)
		out[brace.ReplaceAllString(path, ":$1")] = names
	}
	return out, nil
}

// checkQuery refuses query parameters the route does not declare.
func (s *Server) checkQuery(c echo.Context) error {
	accepted, known := s.cache.queryParams[c.Path()]
	if !known {
		return nil // not in the spec: TestRoutesMatchSpec fails for it
	}
	var unknown []string
	for name := range c.QueryParams() {
		if !cacheBusters[name] && !contains(accepted, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	msg := "is not a parameter of this endpoint; it accepts "
	if len(accepted) == 0 {
		msg += "none"
	} else {
		msg += strings.Join(accepted, ", ")
	}
	msg += " (and the cache busters _, t and v, which are ignored)"
	fields := make([]FieldError, len(unknown))
	for i, n := range unknown {
		fields[i] = FieldError{Field: n, Message: msg}
	}
	return validationProblem(fields...)
}

// dropCacheBusters removes the cache busters from the request before the handler sees it,
// so nothing it builds (Link headers, the cached entry) depends on them.
func dropCacheBusters(c echo.Context) {
	q := c.QueryParams() // parsed once per request, by checkQuery
	found := false
	for b := range cacheBusters {
		if q.Has(b) {
			q.Del(b)
			found = true
		}
	}
	if found {
		r := c.Request()
		r.URL.RawQuery = q.Encode()
		c.SetRequest(r)
	}
}

// withReadTimeout runs a public read's handler with its context bounded by readBound; a
// read that runs out answers 503 with Retry-After whatever the driver made of the
// cancellation (SQLite reports an interrupt, not the context's error).
func (s *Server) withReadTimeout(c echo.Context, next echo.HandlerFunc) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.readBound())
	defer cancel()
	return readWithin(ctx, c, next)
}

// readBound is how long a public read's database work may take: the read timeout, within
// the request's.
func (s *Server) readBound() time.Duration {
	if d := s.cache.readTimeout; d > 0 && d < s.requestTimeout {
		return d
	}
	return s.requestTimeout
}

// readWithin runs next with ctx, a bound of the request's context, as its request's; past
// the bound the answer is 503 with Retry-After.
func readWithin(ctx context.Context, c echo.Context, next echo.HandlerFunc) error {
	req := c.Request()
	c.SetRequest(req.WithContext(ctx))
	err := next(c)
	c.SetRequest(req)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && req.Context().Err() == nil {
		pr := newProblem(http.StatusServiceUnavailable, "this read took longer than the server allows; retry shortly")
		pr.header = map[string]string{"Retry-After": "2"}
		return pr
	}
	return err
}
