package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/auth"
)

// APITokenDTO is an API token as listed: never its secret, only the prefix and the last
// four characters.
type APITokenDTO struct {
	ID    uuid.UUID `json:"id" example:"01936f0e-8a3c-7c5e-9a1b-2f4d6e8a0b1c"`
	Kind  string    `json:"kind" enums:"personal,service" example:"personal"`
	Name  string    `json:"name" example:"agency copy importer"`
	Scope string    `json:"scope" enums:"read,content,full" example:"content"`
	// Hint is how the secret starts and ends, to tell tokens apart.
	Hint string `json:"hint" example:"hrld_pat_…x7Qa"`
	// Active is false once revoked or expired.
	Active     bool       `json:"active" example:"true"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	LastUsedIP string     `json:"last_used_ip,omitempty" example:"203.0.113.7"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	RevokedBy  *uuid.UUID `json:"revoked_by,omitempty"`
	// CreatedBy is the creator: whom a personal token acts as, or the admin who made a
	// service token.
	CreatedBy TokenCreatorDTO `json:"created_by"`
} //	@name	APIToken

// TokenCreatorDTO is who created a token, as they are now.
type TokenCreatorDTO struct {
	ID     uuid.UUID `json:"id"`
	Email  string    `json:"email" example:"editor@example.com"`
	Name   string    `json:"name,omitempty" example:"Aysel Mammadova"`
	Role   string    `json:"role" enums:"admin,editor,author" example:"editor"`
	Active bool      `json:"active" example:"true"`
} //	@name	TokenCreator

// CreatedAPITokenDTO is a new token with its secret, shown this once.
type CreatedAPITokenDTO struct {
	APITokenDTO
	// Token is the secret: send it as "Authorization: Bearer <token>". It is not stored
	// and cannot be shown again.
	Token string `json:"token" example:"hrld_pat_3kTq9ZbV0m1xR7cLw2pN8sYd4hGf6jUe0aB1c2"`
} //	@name	CreatedAPIToken

// APITokenList is one page of tokens.
type APITokenList struct {
	Data []APITokenDTO `json:"data"`
	Meta ListMeta      `json:"meta"`
} //	@name	APITokenList

// CreateTokenRequest is the body of POST /auth/tokens and /admin/tokens.
type CreateTokenRequest struct {
	Name string `json:"name" example:"agency copy importer"`
	// Scope is read (admin reads and previews), content (write, translate, upload; publish
	// if the role may) or full (everything the role may, including managing tokens). A token
	// never does more than its creator's role.
	Scope string `json:"scope" enums:"read,content,full" example:"content"`
	// ExpiresAt defaults to 90 days from now (or HERALD_API_TOKEN_MAX_TTL if shorter).
	ExpiresAt *time.Time `json:"expires_at,omitempty" example:"2027-03-01T00:00:00Z"`
	// NeverExpires needs HERALD_API_TOKEN_ALLOW_NO_EXPIRY=true on the server.
	NeverExpires bool `json:"never_expires,omitempty" example:"false"`
} //	@name	CreateTokenRequest

// IdentifyTokenRequest is the body of POST /admin/tokens/identify.
type IdentifyTokenRequest struct {
	Token string `json:"token" example:"hrld_pat_3kTq9ZbV0m1xR7cLw2pN8sYd4hGf6jUe0aB1c2"`
} //	@name	IdentifyTokenRequest

func newAPITokenDTO(t auth.TokenWithCreator, now time.Time) APITokenDTO {
	return APITokenDTO{ID: t.ID, Kind: string(t.Kind), Name: t.Name, Scope: string(t.Scope),
		Hint: t.Prefix() + "…" + t.Hint, Active: t.Active(now), CreatedAt: t.CreatedAt.UTC(),
		ExpiresAt: utcPtr(t.ExpiresAt), LastUsedAt: utcPtr(t.LastUsedAt), LastUsedIP: t.LastUsedIP,
		RevokedAt: utcPtr(t.RevokedAt), RevokedBy: t.RevokedBy,
		CreatedBy: TokenCreatorDTO{ID: t.Creator.ID, Email: t.Creator.Email, Name: t.Creator.Name,
			Role: string(t.Creator.Role), Active: t.Creator.Active}}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// tokenIDParam parses the :id path parameter; junk is 404 without touching the database.
func tokenIDParam(c echo.Context) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return uuid.Nil, auth.ErrNotFound
	}
	return id, nil
}

// createToken is the shared body of both create endpoints.
func (s *Server) createToken(c echo.Context, kind auth.TokenKind) error {
	var req CreateTokenRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t, err := s.auth.CreateToken(c.Request().Context(), principalOf(c), auth.NewToken{Kind: kind, Name: req.Name,
		Scope: auth.Scope(req.Scope), ExpiresAt: req.ExpiresAt, NoExpiry: req.NeverExpires})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, CreatedAPITokenDTO{APITokenDTO: newAPITokenDTO(t.TokenWithCreator, s.auth.Now()), Token: t.Secret})
}

// listTokens is the shared body of both list endpoints; mine limits it to the caller's
// personal tokens.
func (s *Server) listTokens(c echo.Context, mine bool) error {
	var qe queryErrors
	page := qe.intParam(c, "page", 1, 1, 1_000_000)
	perPage := qe.intParam(c, "per_page", 20, 1, auth.MaxPerPage)
	q := auth.TokenQuery{Limit: perPage, Offset: (page - 1) * perPage}
	if a := qe.boolParam(c, "active"); a != nil {
		q.Active = *a
	}
	if mine {
		id := principalOf(c).UserID
		q.UserID, q.Kind = &id, auth.KindPersonal
	} else {
		if v := c.QueryParam("user"); v != "" {
			if id, err := uuid.Parse(v); err != nil {
				qe.add("user", "must be a user id")
			} else {
				q.UserID = &id
			}
		}
		switch k := auth.TokenKind(c.QueryParam("kind")); k {
		case "", auth.KindPersonal, auth.KindService:
			q.Kind = k
		default:
			qe.add("kind", "must be personal or service")
		}
	}
	if err := qe.err(); err != nil {
		return err
	}
	tokens, total, err := s.auth.ListTokens(c.Request().Context(), q)
	if err != nil {
		return err
	}
	now := s.auth.Now()
	out := APITokenList{Data: make([]APITokenDTO, len(tokens)), Meta: ListMeta{Page: page, PerPage: perPage}}
	for i, t := range tokens {
		out.Data[i] = newAPITokenDTO(t, now)
	}
	setPageMeta(c, &out.Meta, total, page, perPage)
	return c.JSON(http.StatusOK, out)
}

func (s *Server) revokeToken(c echo.Context, ownOnly bool) error {
	id, err := tokenIDParam(c)
	if err != nil {
		return err
	}
	if _, err := s.auth.RevokeToken(c.Request().Context(), principalOf(c), id, ownOnly); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// createMyToken godoc
//
//	@Summary		Create a personal API token
//	@Description	A long-lived credential for scripts and integrations, acting as you: send it as "Authorization: Bearer hrld_pat_…" wherever an access token goes. It never does more than your role (a content token of an admin is an editor) and stops at once if you are deactivated; a demotion narrows it at once. The secret is in this response only. Needs a password session or a full-scope personal token (a service token cannot create personal tokens).
//	@Tags			tokens
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body		CreateTokenRequest	true	"Name, scope, expiry"
//	@Success		201		{object}	CreatedAPITokenDTO
//	@Failure		400		{object}	Problem	"Invalid name, scope or expiry"
//	@Failure		401		{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403		{object}	Problem	"A token whose scope is not full, or a service token"
//	@Failure		409		{object}	Problem	"Too many active tokens"
//	@Failure		415		{object}	Problem	"Body is not JSON"
//	@Failure		429		{object}	Problem	"Rate limit of the token"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/auth/tokens [post]
func (s *Server) createMyToken(c echo.Context) error { return s.createToken(c, auth.KindPersonal) }

// listMyTokens godoc
//
//	@Summary		List my API tokens
//	@Description	Your personal tokens, newest first, with when and from where each was last used (recorded in batches, so up to HERALD_API_TOKEN_USAGE_FLUSH late).
//	@Tags			tokens
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			active		query		boolean	false	"Only tokens neither revoked nor expired"
//	@Param			page		query		integer	false	"Page number"		minimum(1)	default(1)
//	@Param			per_page	query		integer	false	"Items per page"	minimum(1)	maximum(100)	default(20)
//	@Success		200			{object}	APITokenList
//	@Header			200			{integer}	X-Total-Count	"Total matches"
//	@Failure		400			{object}	Problem			"Invalid parameter"
//	@Failure		401			{object}	Problem			"Missing, invalid or expired token"
//	@Failure		429			{object}	Problem			"Rate limit of the token"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/auth/tokens [get]
func (s *Server) listMyTokens(c echo.Context) error { return s.listTokens(c, true) }

// revokeMyToken godoc
//
//	@Summary		Revoke one of my API tokens
//	@Description	The token stops working at once, on every instance. Revoking twice is not an error.
//	@Tags			tokens
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path	string	true	"Token id"
//	@Success		204
//	@Failure		401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403	{object}	Problem	"A token whose scope is not full"
//	@Failure		404	{object}	Problem	"No such token of yours"
//	@Failure		429	{object}	Problem	"Rate limit of the token"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/auth/tokens/{id} [delete]
func (s *Server) revokeMyToken(c echo.Context) error { return s.revokeToken(c, true) }

// createServiceToken godoc
//
//	@Summary		Create a service token
//	@Description	A token for an integration, not tied to a person: it acts as an admin narrowed by its scope (content: an editor) and keeps working when its creator leaves. Sent as "Authorization: Bearer hrld_svc_…". The secret is in this response only. Admins only, with a password session or a full-scope token.
//	@Tags			tokens
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body		CreateTokenRequest	true	"Name, scope, expiry"
//	@Success		201		{object}	CreatedAPITokenDTO
//	@Failure		400		{object}	Problem	"Invalid name, scope or expiry"
//	@Failure		401		{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403		{object}	Problem	"Not an admin, or a token whose scope is not full"
//	@Failure		409		{object}	Problem	"Too many active tokens"
//	@Failure		415		{object}	Problem	"Body is not JSON"
//	@Failure		429		{object}	Problem	"Rate limit of the token"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/tokens [post]
func (s *Server) createServiceToken(c echo.Context) error { return s.createToken(c, auth.KindService) }

// listAllTokens godoc
//
//	@Summary		List every API token
//	@Description	Personal and service tokens of everyone, newest first, with creator and last use. Admins only.
//	@Tags			tokens
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			user		query		string	false	"Only tokens this user created"
//	@Param			kind		query		string	false	"Only this kind"	Enums(personal, service)
//	@Param			active		query		boolean	false	"Only tokens neither revoked nor expired"
//	@Param			page		query		integer	false	"Page number"		minimum(1)	default(1)
//	@Param			per_page	query		integer	false	"Items per page"	minimum(1)	maximum(100)	default(20)
//	@Success		200			{object}	APITokenList
//	@Header			200			{integer}	X-Total-Count	"Total matches"
//	@Failure		400			{object}	Problem			"Invalid parameter"
//	@Failure		401			{object}	Problem			"Missing, invalid or expired token"
//	@Failure		403			{object}	Problem			"Not an admin"
//	@Failure		429			{object}	Problem			"Rate limit of the token"
//	@Failure		500			{object}	Problem
//	@Router			/api/v1/admin/tokens [get]
func (s *Server) listAllTokens(c echo.Context) error { return s.listTokens(c, false) }

// getToken godoc
//
//	@Summary	Get one API token
//	@Tags		tokens
//	@Produce	json
//	@Security	BearerAuth
//	@Security	APITokenAuth
//	@Param		id	path		string	true	"Token id"
//	@Success	200	{object}	APITokenDTO
//	@Failure	401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure	403	{object}	Problem	"Not an admin"
//	@Failure	404	{object}	Problem	"No such token"
//	@Failure	429	{object}	Problem	"Rate limit of the token"
//	@Failure	500	{object}	Problem
//	@Router		/api/v1/admin/tokens/{id} [get]
func (s *Server) getToken(c echo.Context) error {
	id, err := tokenIDParam(c)
	if err != nil {
		return err
	}
	t, err := s.auth.Token(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAPITokenDTO(t, s.auth.Now()))
}

// revokeAnyToken godoc
//
//	@Summary		Revoke any API token
//	@Description	The token stops working at once, on every instance. Admins only, with a password session or a full-scope token.
//	@Tags			tokens
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			id	path	string	true	"Token id"
//	@Success		204
//	@Failure		401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403	{object}	Problem	"Not an admin, or a token whose scope is not full"
//	@Failure		404	{object}	Problem	"No such token"
//	@Failure		429	{object}	Problem	"Rate limit of the token"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/admin/tokens/{id} [delete]
func (s *Server) revokeAnyToken(c echo.Context) error { return s.revokeToken(c, false) }

// identifyToken godoc
//
//	@Summary		Identify a leaked token
//	@Description	Given a secret found somewhere it should not be (a repository, a log, a secret scanner's report), returns its record, revoked or not: creator, scope, last use. Its writes are in the audit log under its id (GET /api/v1/admin/audit?token=<id>). Admins only.
//	@Tags			tokens
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body		IdentifyTokenRequest	true	"The secret"
//	@Success		200		{object}	APITokenDTO
//	@Failure		400		{object}	Problem	"Not a Herald API token"
//	@Failure		401		{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403		{object}	Problem	"Not an admin"
//	@Failure		404		{object}	Problem	"No token has this secret"
//	@Failure		415		{object}	Problem	"Body is not JSON"
//	@Failure		429		{object}	Problem	"Rate limit of the token"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/admin/tokens/identify [post]
func (s *Server) identifyToken(c echo.Context) error {
	var req IdentifyTokenRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t, err := s.auth.IdentifyToken(c.Request().Context(), req.Token)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAPITokenDTO(t, s.auth.Now()))
}
