package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

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

// fieldsProblem turns any domain's field errors (each domain has its own FieldError of
// this shape, since domains do not import each other) into a validation problem.
func fieldsProblem[F ~struct {
	Field   string
	Message string
}](fields []F) *Problem {
	fs := make([]FieldError, len(fields))
	for i, f := range fields {
		fs[i] = FieldError(f)
	}
	return validationProblem(fs...)
}

// toProblem is the one mapping from errors to HTTP.
func toProblem(err error) *Problem {
	var p *Problem
	var ve *content.ValidationError
	var uf *content.UnknownFilterError
	var he *echo.HTTPError
	var vc *content.VersionConflictError
	var ave *auth.ValidationError
	var rl *rateLimitedError
	if mp := mediaProblem(err); mp != nil {
		return mp
	}
	if vp := viewsProblem(err); vp != nil {
		return vp
	}
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &ve):
		return fieldsProblem(ve.Fields)
	case errors.As(err, &uf):
		pr := fieldsProblem(uf.Fields)
		pr.Type, pr.Title, pr.Status = typeUnknownFilter, http.StatusText(http.StatusNotFound), http.StatusNotFound
		if len(uf.Fields) > 1 {
			pr.Detail = "filters name categories or tags that do not exist; see errors"
		}
		return pr
	case errors.Is(err, content.ErrNotFound):
		return newProblem(http.StatusNotFound, "no such resource")
	case errors.Is(err, content.ErrConflict):
		pr := newProblem(http.StatusConflict, err.Error())
		pr.Type = typeConflict
		return pr
	case errors.As(err, &vc):
		cur := vc.Current
		pr := newProblem(http.StatusPreconditionFailed, fmt.Sprintf("the article changed since you read it: it is at version %d; re-read it, re-apply your change and send If-Match: \"%d\"", cur, cur))
		pr.Type, pr.CurrentVersion = typeVersionConflict, &cur
		pr.header = map[string]string{"ETag": `"` + strconv.Itoa(cur) + `"`}
		return pr
	case errors.Is(err, content.ErrVersionRequired):
		pr := newProblem(http.StatusPreconditionRequired, `this write must say which version it is based on: send If-Match: "<version>" (the ETag of GET) or a version field`)
		pr.Type = typeVersionRequired
		return pr
	case errors.Is(err, content.ErrForbidden):
		pr := newProblem(http.StatusForbidden, strings.TrimPrefix(err.Error(), content.ErrForbidden.Error()+": "))
		pr.Type = typeForbidden
		return pr
	case errors.As(err, &ave):
		return fieldsProblem(ave.Fields)
	case errors.Is(err, auth.ErrNotFound):
		return newProblem(http.StatusNotFound, "no such resource")
	case errors.Is(err, auth.ErrConflict):
		pr := newProblem(http.StatusConflict, "a user with this email already exists")
		pr.Type = typeConflict
		return pr
	case errors.Is(err, auth.ErrLastAdmin):
		pr := newProblem(http.StatusConflict, auth.ErrLastAdmin.Error())
		pr.Type = typeConflict
		return pr
	case errors.Is(err, auth.ErrInvalidCredentials):
		return unauthorized(auth.ErrInvalidCredentials.Error(), `Bearer realm="herald"`)
	case errors.Is(err, errMissingToken):
		return unauthorized(errMissingToken.Error(), `Bearer realm="herald"`)
	case errors.Is(err, auth.ErrTokenReused):
		return unauthorized(auth.ErrTokenReused.Error(), `Bearer realm="herald", error="invalid_token"`)
	case errors.Is(err, auth.ErrInvalidToken):
		return unauthorized(auth.ErrInvalidToken.Error(), `Bearer realm="herald", error="invalid_token"`)
	case errors.Is(err, auth.ErrScope):
		pr := newProblem(http.StatusForbidden, auth.ErrScope.Error())
		pr.Type = typeForbidden
		return pr
	case errors.Is(err, auth.ErrTokenLimit):
		pr := newProblem(http.StatusConflict, auth.ErrTokenLimit.Error())
		pr.Type = typeConflict
		return pr
	case errors.Is(err, auth.ErrBusy):
		// Every password-hashing slot is taken and the short line is full: refused, not queued (memory stays bounded).
		pr := newProblem(http.StatusServiceUnavailable, "too many sign-ins are being checked right now; retry in a second")
		pr.header = map[string]string{"Retry-After": "1"}
		return pr
	case errors.Is(err, auth.ErrForbidden):
		pr := newProblem(http.StatusForbidden, "your role does not allow this action")
		pr.Type = typeForbidden
		return pr
	case errors.As(err, &rl):
		secs := int((rl.RetryAfter + time.Second - 1) / time.Second)
		pr := newProblem(http.StatusTooManyRequests, fmt.Sprintf("too many attempts; retry in %d seconds", secs))
		pr.Type = typeRateLimited
		pr.header = map[string]string{"Retry-After": strconv.Itoa(secs)}
		return pr
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads this, but logs and metrics should not call it ours.
		pr := newProblem(statusClientClosed, "the client closed the request")
		pr.Title = "Client Closed Request"
		return pr
	case errors.Is(err, context.DeadlineExceeded):
		return newProblem(http.StatusServiceUnavailable, "the request took too long; try again")
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
	return newProblem(http.StatusInternalServerError, "")
}

func unauthorized(detail, challenge string) *Problem {
	p := newProblem(http.StatusUnauthorized, detail)
	p.Type = typeUnauthorized
	p.header = map[string]string{"WWW-Authenticate": challenge}
	return p
}

// rateLimitedError is a refused attempt; toProblem makes it 429 with Retry-After.
type rateLimitedError = auth.RateLimitedError

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
