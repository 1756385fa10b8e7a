package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
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

// tagsParam reads the tag filter: tag=a,b and tag=a&tag=b alike, each an id or slug.
func (q *queryErrors) tagsParam(c echo.Context) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range c.QueryParams()["tag"] {
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			if t == "" || seen[t] {
				continue
			}
			if len(t) > 200 || !utf8.ValidString(t) || strings.ContainsRune(t, 0) {
				q.add("tag", "each tag must be valid UTF-8 text of at most 200 bytes")
				return nil
			}
			seen[t] = true
			out = append(out, t)
		}
	}
	if len(out) > content.MaxTagFilters {
		q.add("tag", fmt.Sprintf("at most %d tags", content.MaxTagFilters))
		return nil
	}
	return out
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

// publicURLKey holds HERALD_PUBLIC_URL in a request's context (see publicBase).
const publicURLKey = "herald.publicURL"

// publicBase makes URLs built from the request (withQuery) absolute under base, the API's
// public origin: behind a proxy the request's own Host is not what clients use.
func publicBase(base string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(publicURLKey, base)
			return next(c)
		}
	}
}

// withQuery returns the request URL with params replaced, for Link headers: absolute under
// HERALD_PUBLIC_URL when it is set, else relative to the API's origin.
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
	rel := (&url.URL{Path: u.Path, RawQuery: u.RawQuery}).String()
	if base, _ := c.Get(publicURLKey).(string); base != "" {
		return base + rel
	}
	return rel
}

// decodeJSON decodes a request body strictly into dst: the Content-Type must be JSON (415
// otherwise), the body one valid UTF-8 JSON value whose fields dst declares, with matching
// types, no key twice in one object, and nothing after it (400 naming the field
// otherwise). Never c.Bind, which would let
// a body overwrite path parameters.
func decodeJSON(c echo.Context, dst any) error {
	r := c.Request()
	mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err != nil || (mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
		return newProblem(http.StatusUnsupportedMediaType, "the request body must be application/json")
	}
	if r.Body == nil {
		return validationProblem(FieldError{"body", "is required"})
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
		}
		return validationProblem(FieldError{"body", "could not be read"})
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return validationProblem(FieldError{"body", "is required"})
	}
	if !utf8.Valid(raw) {
		return validationProblem(FieldError{"body", "must be valid UTF-8"})
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var pe *time.ParseError
		if errors.As(err, &pe) || strings.HasPrefix(err.Error(), "Time.UnmarshalJSON") {
			return validationProblem(FieldError{timeField(raw, dst), "must be an RFC 3339 time with a zone, such as 2030-01-01T09:00:00Z"})
		}
		return jsonProblem(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return validationProblem(FieldError{"body", "must hold a single JSON value; found data after it"})
	}
	if key := duplicateKey(raw); key != "" {
		return validationProblem(FieldError{key, "is given more than once"})
	}
	return nil
}

// duplicateKey returns the path of the first key that appears twice in one object of the
// JSON document raw ("" when none does). encoding/json keeps the last of duplicates, so
// {"role":"author","role":"admin"} would pass a check that read the first; and it matches
// keys to fields without regard to case, so "Role" counts as "role". raw has decoded
// already, so it is valid and nested at most as deep as encoding/json allows.
func duplicateKey(raw []byte) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	key, _ := duplicateIn(dec, "")
	return key
}

func duplicateIn(dec *json.Decoder, path string) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]struct{}{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return "", err
			}
			k, _ := tok.(string)
			field := k
			if path != "" {
				field = path + "." + k
			}
			folded := foldKey(k)
			if _, dup := seen[folded]; dup {
				return field, nil
			}
			seen[folded] = struct{}{}
			if dup, err := duplicateIn(dec, field); dup != "" || err != nil {
				return dup, err
			}
		}
		_, err = dec.Token()
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if dup, err := duplicateIn(dec, fmt.Sprintf("%s[%d]", path, i)); dup != "" || err != nil {
				return dup, err
			}
		}
		_, err = dec.Token()
	}
	return "", err
}

// foldKey maps a key to one representative of its case-insensitive class (each rune to the
// smallest rune of its Unicode simple-folding orbit), so keys equal under folding collide.
func foldKey(k string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, k)
}

// timeField names the top-level time field of dst whose value in raw time.Time cannot
// parse: encoding/json reports a bad time without saying where it was.
func timeField(raw []byte, dst any) string {
	var fields map[string]json.RawMessage
	t := reflect.TypeOf(dst)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if json.Unmarshal(raw, &fields) != nil || t.Kind() != reflect.Struct {
		return "body"
	}
	timeType := reflect.TypeFor[time.Time]()
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type != timeType && f.Type != reflect.PointerTo(timeType) {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		for k, v := range fields {
			var tm time.Time
			if strings.EqualFold(k, name) && string(v) != "null" && json.Unmarshal(v, &tm) != nil {
				return name
			}
		}
	}
	return "body"
}

// jsonProblem names the field a decoding error is about.
func jsonProblem(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return validationProblem(FieldError{"body", fmt.Sprintf("is not valid JSON (at byte %d)", syntax.Offset)})
	case errors.Is(err, io.ErrUnexpectedEOF):
		return validationProblem(FieldError{"body", "is not valid JSON (it ends too early)"})
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return validationProblem(FieldError{"body", "must be a JSON object"})
		}
		return validationProblem(FieldError{field, "must be " + jsonKind(typ.Type)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return validationProblem(FieldError{field, "is not a known field"})
	}
	return validationProblem(FieldError{"body", "is not valid JSON"})
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a " + t.Kind().String()
}
