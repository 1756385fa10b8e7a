package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/heraldcms/herald/internal/errs"
	"github.com/heraldcms/herald/internal/media"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/content"
)

// Problem is an RFC 9457 problem detail, the body of every error response.
type Problem struct {
	Type     string `json:"type" example:"urn:herald:problem:validation"`
	Title    string `json:"title" example:"Bad Request"`
	Status   int    `json:"status" example:"400"`
	Detail   string `json:"detail,omitempty" example:"per_page: must be between 1 and 100"`
	Instance string `json:"instance,omitempty" example:"/api/v1/articles"`
	// Errors lists invalid fields, for validation problems.
	Errors []FieldError `json:"errors,omitempty"`
	// SupportedLocales is set when a request names a locale the site does not serve.
	SupportedLocales []string `json:"supported_locales,omitempty"`
	// CurrentVersion is the article's version now, on 412 (a write based on a stale one).
	CurrentVersion *int `json:"current_version,omitempty" example:"4"`
	// Articles lists the ids of the articles that use a media item, on 409 for its delete.
	Articles []string `json:"articles,omitempty"`

	// header holds response headers the problem needs (WWW-Authenticate, Retry-After).
	header map[string]string
} //	@name	Problem

// FieldError names one invalid input.
type FieldError struct {
	Field   string `json:"field" example:"per_page"`
	Message string `json:"message" example:"must be between 1 and 100"`
} //	@name	FieldError

func (p *Problem) Error() string { return p.Title + ": " + p.Detail }

const problemJSON = "application/problem+json"

// statusClientClosed is nginx's 499: the client closed the connection before the answer.
const statusClientClosed = 499

// Problem types beyond plain HTTP statuses.
const (
	typeValidation        = "urn:herald:problem:validation"
	typeUnsupportedLocale = "urn:herald:problem:unsupported-locale"
	typeConflict          = "urn:herald:problem:conflict"
	typeVersionConflict   = "urn:herald:problem:version-conflict"
	typeVersionRequired   = "urn:herald:problem:version-required"
	typeUnauthorized      = "urn:herald:problem:unauthorized"
	typeForbidden         = "urn:herald:problem:forbidden"
	typeRateLimited       = "urn:herald:problem:rate-limited"
	typeUnknownFilter     = "urn:herald:problem:unknown-filter"
	typeSyncExpired       = "urn:herald:problem:sync-token-expired"
)

func newProblem(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

func validationProblem(fields ...FieldError) *Problem {
	p := &Problem{Type: typeValidation, Title: "Bad Request", Status: http.StatusBadRequest, Errors: fields}
	if len(fields) == 1 {
		p.Detail = fields[0].Field + ": " + fields[0].Message
	} else {
		p.Detail = "the request has invalid fields; see errors"
	}
	return p
}

// fieldsProblem is the validation problem of field errors from the domain.
func fieldsProblem(fields []errs.FieldError) *Problem {
	fs := make([]FieldError, len(fields))
	for i, f := range fields {
		fs[i] = FieldError{Field: f.Field, Message: f.Message}
	}
	return validationProblem(fs...)
}

// problemOf is the one table from error codes (internal/errs) to HTTP: the status and the
// problem type. The detail is the error's safe message unless detail is set.
var problemOf = map[errs.Code]struct {
	status int
	typ    string
	detail string
}{
	errs.Invalid:         {http.StatusBadRequest, typeValidation, ""},
	errs.Unauthorized:    {http.StatusUnauthorized, typeUnauthorized, ""},
	errs.Forbidden:       {http.StatusForbidden, typeForbidden, ""},
	errs.NotFound:        {http.StatusNotFound, "about:blank", ""},
	errs.Gone:            {http.StatusGone, "about:blank", ""},
	errs.Conflict:        {http.StatusConflict, typeConflict, ""},
	errs.SyncExpired:     {http.StatusGone, typeSyncExpired, ""},
	errs.VersionConflict: {http.StatusPreconditionFailed, typeVersionConflict, ""},
	errs.TooLarge:        {http.StatusRequestEntityTooLarge, "about:blank", ""},
	errs.Unsupported:     {http.StatusUnsupportedMediaType, typeUnsupportedMedia, ""},
	errs.Unprocessable:   {http.StatusUnprocessableEntity, typeUnusableImage, ""},
	errs.VersionRequired: {http.StatusPreconditionRequired, typeVersionRequired,
		`this write must say which version it is based on: send If-Match: "<version>" (the ETag of GET) or a version field`},
	errs.RateLimited: {http.StatusTooManyRequests, typeRateLimited, ""},
	errs.Unavailable: {http.StatusServiceUnavailable, "about:blank", ""},
	errs.StorageFull: {http.StatusInsufficientStorage, "about:blank", ""},
}

// toProblem is the one mapping from errors to HTTP: problems and Echo's errors as they are,
// coded errors through the problemOf table (plus the headers and fields a few carry), and
// anything else 500.
func toProblem(err error) *Problem {
	var p *Problem
	var he *echo.HTTPError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &mb):
		return newProblem(http.StatusRequestEntityTooLarge, "the request body is too large")
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads this, but logs and metrics should not call it ours.
		pr := newProblem(statusClientClosed, "the client closed the request")
		pr.Title = "Client Closed Request"
		return pr
	case errors.Is(err, context.DeadlineExceeded):
		pr := newProblem(http.StatusServiceUnavailable, "the request took too long; try again")
		pr.header = map[string]string{"Retry-After": strconv.Itoa(unavailableRetrySecs)}
		return pr
	case errors.As(err, &he):
		detail := ""
		if m, ok := he.Message.(string); ok && he.Code < 500 {
			detail = m
		}
		switch he.Code {
		case http.StatusNotFound:
			detail = "no route matches this path"
		case http.StatusMethodNotAllowed:
			detail = "this path does not accept that method"
		case http.StatusRequestEntityTooLarge:
			detail = "the request body is too large"
		}
		return newProblem(he.Code, detail)
	}
	code := errs.CodeOf(err)
	row, ok := problemOf[code]
	if !ok {
		return newProblem(http.StatusInternalServerError, "")
	}
	if code == errs.Invalid {
		return fieldsProblem(errs.FieldsOf(err))
	}
	pr := newProblem(row.status, errs.MessageOf(err))
	pr.Type = row.typ
	if row.detail != "" {
		pr.Detail = row.detail
	}
	// What a few errors carry beyond their code.
	var vc *content.VersionConflictError
	var uf *content.UnknownFilterError
	var iu *media.InUseError
	var rl *auth.RateLimitedError
	var be *media.BudgetError
	switch {
	case errors.As(err, &vc):
		cur := vc.Current
		pr.Detail = fmt.Sprintf("the article changed since you read it: it is at version %d; re-read it, re-apply your change and send If-Match: \"%d\"", cur, cur)
		pr.CurrentVersion = &cur
		pr.header = map[string]string{"ETag": `"` + strconv.Itoa(cur) + `"`}
	case errors.As(err, &uf):
		pr.Type = typeUnknownFilter
		for _, f := range uf.Fields {
			pr.Errors = append(pr.Errors, FieldError{f.Field, f.Message})
		}
		if len(uf.Fields) > 1 {
			pr.Detail = "filters name categories or tags that do not exist; see errors"
		}
	case errors.As(err, &iu):
		pr.Articles = make([]string, len(iu.Articles))
		for i, id := range iu.Articles {
			pr.Articles[i] = id.String()
		}
	case errors.As(err, &rl):
		secs := int((rl.RetryAfter + time.Second - 1) / time.Second)
		pr.Detail = fmt.Sprintf("too many attempts; retry in %d seconds", secs)
		pr.header = map[string]string{"Retry-After": strconv.Itoa(secs)}
	case errors.As(err, &be):
		pr.Type = typeImageTooLarge
	case errors.Is(err, media.ErrBusy):
		// Every image worker is busy or the memory budget is spent, and the short line did
		// not move: refused, not queued, so memory stays bounded.
		pr.header = map[string]string{"Retry-After": "5"}
	case errors.Is(err, auth.ErrBusy):
		// Every password-hashing slot is taken and the short line is full: refused, not queued.
		pr.header = map[string]string{"Retry-After": "1"}
	case code == errs.Unavailable:
		// The database is restarting or unreachable: the client should come back, not give up.
		pr.header = map[string]string{"Retry-After": strconv.Itoa(unavailableRetrySecs)}
	case code == errs.Unauthorized:
		challenge := `Bearer realm="herald"`
		if errors.Is(err, auth.ErrInvalidToken) || errors.Is(err, auth.ErrTokenReused) {
			challenge += `, error="invalid_token"`
		}
		pr.header = map[string]string{"WWW-Authenticate": challenge}
	}
	return pr
}

// unavailableRetrySecs is the Retry-After of a 503 for an unreachable or overloaded database.
const unavailableRetrySecs = 5

func unauthorized(detail, challenge string) *Problem {
	p := newProblem(http.StatusUnauthorized, detail)
	p.Type = typeUnauthorized
	p.header = map[string]string{"WWW-Authenticate": challenge}
	return p
}

// rateLimitedError is a refused attempt; toProblem makes it 429 with Retry-After.
type rateLimitedError = auth.RateLimitedError

// Problem types of media uploads.
const (
	typeUnsupportedMedia = "urn:herald:problem:unsupported-media-type"
	typeImageTooLarge    = "urn:herald:problem:image-too-large"
	typeUnusableImage    = "urn:herald:problem:unusable-image"
)

// errorHandler writes every error as problem+json; internals of a 500 go to the log only.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := toProblem(err)
	if p.Status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path,
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err)
	}
	out := *p
	out.Instance = c.Request().URL.Path
	c.Response().Header().Set(echo.HeaderContentType, problemJSON)
	c.Response().Header().Set("Cache-Control", "no-store")
	for k, v := range p.header {
		c.Response().Header().Set(k, v)
	}
	if c.Request().Method == http.MethodHead {
		c.Response().WriteHeader(out.Status)
		return
	}
	if werr := c.JSON(out.Status, out); werr != nil {
		s.log.Warn("write problem", "error", werr)
	}
}
