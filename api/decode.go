package api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/content"
)

// queryErrors collects field errors while parsing query parameters.
type queryErrors []FieldError

func (q *queryErrors) add(field, msg string) { *q = append(*q, FieldError{field, msg}) }

func (q queryErrors) err() error {
	if len(q) == 0 {
		return nil
	}
	return validationProblem(q...)
}

func (q *queryErrors) intParam(c echo.Context, name string, def, min, max int) int {
	v := c.QueryParam(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		q.add(name, fmt.Sprintf("must be an integer between %d and %d", min, max))
		return def
	}
	return n
}

func (q *queryErrors) boolParam(c echo.Context, name string) *bool {
	v := c.QueryParam(name)
	if v == "" {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		q.add(name, "must be true or false")
		return nil
	}
	return &b
}

// timeParam accepts RFC 3339 or a plain date (midnight UTC).
func (q *queryErrors) timeParam(c echo.Context, name string) *time.Time {
	v := c.QueryParam(name)
	if v == "" {
		return nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			t = t.UTC()
			return &t
		}
	}
	q.add(name, "must be an RFC 3339 time (2021-02-19T10:00:00Z) or a date (2021-02-19)")
	return nil
}

// listParam splits a comma-separated parameter and checks each value against allowed.
func (q *queryErrors) listParam(c echo.Context, name string, allowed []string) []string {
	v := c.QueryParam(name)
	if v == "" {
		return nil
	}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !ok[p] {
			q.add(name, fmt.Sprintf("unknown value %q; allowed: %s", p, strings.Join(allowed, ", ")))
			continue
		}
		out = append(out, p)
	}
	return out
}

// refParam is an id or slug path parameter, bounded so junk never reaches the database.
func (q *queryErrors) textParam(c echo.Context, name string, max int) string {
	v := strings.TrimSpace(c.QueryParam(name))
	if len(v) > max {
		q.add(name, fmt.Sprintf("must be at most %d bytes", max))
		return ""
	}
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		q.add(name, "must be valid UTF-8 text")
		return ""
	}
	return v
}

type cursorJSON struct {
	S string    `json:"s"`
	K string    `json:"k"`
	I uuid.UUID `json:"i"`
}

func encodeCursor(c *content.Cursor) string {
	if c == nil {
		return ""
	}
	b, _ := json.Marshal(cursorJSON{S: string(c.Sort), K: c.Key, I: c.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

func (q *queryErrors) cursorParam(c echo.Context) *content.Cursor {
	v := c.QueryParam("cursor")
	if v == "" {
		return nil
	}
	var cj cursorJSON
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err == nil && len(v) < 2048 {
		err = json.Unmarshal(b, &cj)
	}
	if err != nil || cj.I == uuid.Nil {
		q.add("cursor", "is not a cursor this list issued")
		return nil
	}
	return &content.Cursor{Sort: content.Sort(cj.S), Key: cj.K, ID: cj.I}
}

// withQuery returns the request URL with params replaced, for Link headers.
func withQuery(c echo.Context, set map[string]string) string {
	u := *c.Request().URL
	q := u.Query()
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return (&url.URL{Path: u.Path, RawQuery: u.RawQuery}).String()
}
