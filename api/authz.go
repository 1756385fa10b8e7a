package api

// Authorization lives here, in one place.
//
// Routes under /api/v1/admin sit in a group guarded by s.requireAuth, which verifies the
// bearer access token, reloads the user (a deactivated user or a token issued before a
// password change gets 401 at once) and stores the principal in the context. On top of it,
// each route names the roles it allows with s.requireRole, in routes.go:
//
//	admin.GET("/users", s.listUsers, s.requireRole(auth.RoleAdmin))
//	admin.POST("/articles/:id/publish", s.publishArticle, s.requireRole(staffRoles...))
//	admin.POST("/articles", s.createArticle, s.requireRole(anyRole...))
//
// Route-level roles are the coarse policy (who may call the endpoint at all). Rules that
// depend on the entity ("an author edits only their own drafts") belong to the domain: a
// handler passes actorOf(c) to the content service, which returns content.ErrForbidden or
// similar; the role × endpoint matrix in authz_test.go covers both layers.
//
// Handlers read the caller with principalOf(c) (auth.Principal) or actorOf(c) (content.Actor).
//
// Audit and the rest of a write's consequences are not the handler's business: a handler
// calls one service method, and the service records the audit entry and the change in the
// write's transaction (internal/changes). requireAuth puts the caller in the request context
// (changes.WithActor) so those entries name who wrote.

import (
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/content"
)

// Role sets used by routes.go.
var (
	// anyRole is every signed-in user.
	anyRole = []auth.Role{auth.RoleAdmin, auth.RoleEditor, auth.RoleAuthor}
	// staffRoles may touch all content, publish, and manage taxonomy and settings.
	staffRoles = []auth.Role{auth.RoleAdmin, auth.RoleEditor}
	// adminRoles manage users and read the audit log.
	adminRoles = []auth.Role{auth.RoleAdmin}
)

const principalKey = "herald.principal"

// errMissingToken is a request to a protected route without a bearer token.
var errMissingToken = errs.New(errs.Unauthorized, "this endpoint needs a bearer access token (Authorization: Bearer <token>)")

// requireAuth authenticates the bearer credential, a JWT access token or an API token
// (hrld_pat_…, hrld_svc_…), and stores the principal. An API token is held to its rate
// limit, and a read-only one to safe methods.
func (s *Server) requireAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := bearerToken(c.Request())
		if !ok {
			return errMissingToken
		}
		if s.auth == nil {
			return auth.ErrInvalidToken
		}
		var p auth.Principal
		if auth.IsAPIToken(token) {
			var err error
			if p, err = s.auth.AuthenticateToken(c.Request().Context(), token, c.RealIP()); err != nil {
				return err
			}
			if ok, wait := s.tokenLimit.Allow(p.Token.ID.String()); !ok {
				return &rateLimitedError{RetryAfter: wait}
			}
			if m := c.Request().Method; p.ReadOnly() && m != http.MethodGet && m != http.MethodHead {
				return auth.ErrScope
			}
		} else {
			u, err := s.auth.Authenticate(c.Request().Context(), token)
			if err != nil {
				return err
			}
			p = u.Principal()
		}
		c.Set(principalKey, p)
		// The writes this request makes are audited as this caller.
		actor := changes.Actor{Email: p.Email, TokenID: tokenIDOf(p), RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
		if p.UserID != [16]byte{} {
			id := p.UserID
			actor.UserID = &id
		}
		c.SetRequest(c.Request().WithContext(changes.WithActor(c.Request().Context(), actor)))
		// Responses for a signed-in user are theirs alone.
		c.Response().Header().Set("Cache-Control", "private, no-store")
		c.Response().Header().Add("Vary", "Authorization")
		return next(c)
	}
}

// bearerToken reads "Authorization: Bearer <token>" (scheme case-insensitive, RFC 7235).
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get(echo.HeaderAuthorization)
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// requireRole lets through principals whose role is one of roles; others get 403. It must
// run after requireAuth (the admin group does that); without a principal it answers 401.
func (s *Server) requireRole(roles ...auth.Role) echo.MiddlewareFunc {
	allowed := map[auth.Role]bool{}
	for _, r := range roles {
		allowed[r] = true
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p, ok := c.Get(principalKey).(auth.Principal)
			if !ok {
				return errMissingToken
			}
			if !allowed[p.Role] {
				return auth.ErrForbidden
			}
			return next(c)
		}
	}
}

// principalOf is the authenticated caller; the zero Principal outside requireAuth.
func principalOf(c echo.Context) auth.Principal {
	p, _ := c.Get(principalKey).(auth.Principal)
	return p
}

// actorOf is the caller as the content rules see it: admins and editors are editors.
func actorOf(c echo.Context) content.Actor {
	p := principalOf(c)
	a := content.Actor{UserID: p.UserID, Email: p.Email, Editor: p.Role == auth.RoleAdmin || p.Role == auth.RoleEditor}
	if p.Token != nil {
		id := p.Token.ID
		a.TokenID = &id
	}
	return a
}

// tokenIDOf is the id of the API token p signed in with, or nil.
func tokenIDOf(p auth.Principal) *uuid.UUID {
	if p.Token == nil {
		return nil
	}
	id := p.Token.ID
	return &id
}
