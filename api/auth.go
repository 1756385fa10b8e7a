package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/heraldcms/herald/internal/auth"
)

// LoginRequest is the body of POST /auth/login.
type LoginRequest struct {
	Email    string `json:"email" example:"admin@example.com"`
	Password string `json:"password" example:"correct horse battery staple"`
} //	@name	LoginRequest

// RefreshRequest carries a refresh token (refresh and logout).
type RefreshRequest struct {
	RefreshToken string `json:"refresh_token" example:"x3vQk1m0l8Zf3oVYtqkq0uFvL1mC2o9yZ4q1mTqD7aE"`
} //	@name	RefreshRequest

// TokenResponse is a new token pair (RFC 6749 §5.1 shape).
type TokenResponse struct {
	AccessToken string `json:"access_token" example:"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…"`
	TokenType   string `json:"token_type" example:"Bearer"`
	// ExpiresIn is the access token's lifetime in seconds.
	ExpiresIn    int    `json:"expires_in" example:"900"`
	RefreshToken string `json:"refresh_token" example:"x3vQk1m0l8Zf3oVYtqkq0uFvL1mC2o9yZ4q1mTqD7aE"`
	// RefreshExpiresAt is when the refresh token stops working unless rotated before.
	RefreshExpiresAt time.Time `json:"refresh_expires_at" example:"2026-12-25T10:00:00Z"`
} //	@name	TokenResponse

// PasswordChangeRequest is the body of PUT /auth/me/password.
type PasswordChangeRequest struct {
	CurrentPassword string `json:"current_password" example:"old password here"`
	NewPassword     string `json:"new_password" example:"a new long passphrase"`
} //	@name	PasswordChangeRequest

func newTokenResponse(t auth.Tokens) TokenResponse {
	return TokenResponse{AccessToken: t.AccessToken, TokenType: "Bearer", ExpiresIn: int(t.ExpiresIn / time.Second),
		RefreshToken: t.RefreshToken, RefreshExpiresAt: t.RefreshExpiresAt.UTC()}
}

// Login attempt limits: per client IP, and per account (reset by a successful login).
const (
	passwordCheckBurst = 10
	passwordCheckEvery = time.Minute
	limiterMaxKeys     = 50_000
)

// Per-token request limits when Deps.TokenLimit is nil (HERALD_API_TOKEN_RATE and
// HERALD_API_TOKEN_BURST configure the server's).
const (
	DefaultTokenRate  = 20
	DefaultTokenBurst = 200
)

// login godoc
//
//	@Summary		Log in
//	@Description	Exchanges an email and password for a short-lived JWT access token and a rotating refresh token. A wrong email, a wrong password and an inactive account get the same 401. Attempts are limited per client address, per account and address, and per account (a slower budget that does not hold back the right password from an address the account signed in from before); only wrong credentials count. Over a limit the answer is 429 with Retry-After.
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			body	body		LoginRequest	true	"Credentials"
//	@Success		200		{object}	TokenResponse
//	@Failure		400		{object}	Problem		"Malformed body"
//	@Failure		401		{object}	Problem		"Invalid email or password"
//	@Failure		413		{object}	Problem		"Body too large"
//	@Failure		415		{object}	Problem		"Body is not JSON"
//	@Failure		429		{object}	Problem		"Too many attempts"
//	@Header			429		{integer}	Retry-After	"Seconds until the next attempt is allowed"
//	@Failure		500		{object}	Problem
//	@Failure		503		{object}	Problem		"Too many passwords being checked at once (every hashing slot busy); retry"
//	@Header			503		{integer}	Retry-After	"Seconds to wait (1)"
//	@Router			/api/v1/auth/login [post]
func (s *Server) login(c echo.Context) error {
	var req LoginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var qe queryErrors
	if req.Email == "" {
		qe.add("email", "is required")
	}
	if req.Password == "" {
		qe.add("password", "is required")
	}
	if err := qe.err(); err != nil {
		return err
	}
	attempt, err := s.loginThrottle.Begin(auth.NormalizeEmail(req.Email), clientKey(c.RealIP()))
	if err != nil {
		return err
	}
	t, err := s.auth.Login(c.Request().Context(), req.Email, req.Password)
	attempt.Done(err)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, newTokenResponse(t))
}

// refresh godoc
//
//	@Summary		Rotate a refresh token
//	@Description	Spends the refresh token and returns a new pair. Within HERALD_REFRESH_GRACE (30 s) of its rotation, the same token presented again gets the same new pair (two tabs refreshing at once). Later, a spent token presented again is treated as stolen: every token of its family is revoked, including the newest, and the answer is 401.
//	@Tags			auth
//	@Accept			json
//	@Produce		json
//	@Param			body	body		RefreshRequest	true	"The refresh token"
//	@Success		200		{object}	TokenResponse
//	@Failure		400		{object}	Problem	"Malformed body"
//	@Failure		401		{object}	Problem	"Unknown, expired, revoked or reused refresh token"
//	@Failure		415		{object}	Problem	"Body is not JSON"
//	@Failure		500		{object}	Problem
//	@Router			/api/v1/auth/refresh [post]
func (s *Server) refresh(c echo.Context) error {
	var req RefreshRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.RefreshToken == "" {
		return validationProblem(FieldError{"refresh_token", "is required"})
	}
	t, err := s.auth.Refresh(c.Request().Context(), req.RefreshToken)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, newTokenResponse(t))
}

// logout godoc
//
//	@Summary		Log out
//	@Description	Revokes the refresh token and every token rotated from the same login. Needs no access token (it may have expired); unknown tokens are ignored. Access tokens already issued stay valid until they expire (15 minutes by default).
//	@Tags			auth
//	@Accept			json
//	@Param			body	body	RefreshRequest	true	"The refresh token"
//	@Success		204
//	@Failure		400	{object}	Problem	"Malformed body"
//	@Failure		415	{object}	Problem	"Body is not JSON"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/auth/logout [post]
func (s *Server) logout(c echo.Context) error {
	var req RefreshRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.RefreshToken == "" {
		return validationProblem(FieldError{"refresh_token", "is required"})
	}
	if err := s.auth.Logout(c.Request().Context(), req.RefreshToken); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// me godoc
//
//	@Summary		Who am I
//	@Description	The signed-in user.
//	@Tags			auth
//	@Produce		json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Success		200	{object}	UserDTO
//	@Failure		401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/auth/me [get]
func (s *Server) me(c echo.Context) error {
	u, err := s.auth.User(c.Request().Context(), principalOf(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newUserDTO(u))
}

// changePassword godoc
//
//	@Summary		Change my password
//	@Description	Needs the current password. Every token issued before, access and refresh, stops working: log in again with the new password. Attempts are limited per account.
//	@Tags			auth
//	@Accept			json
//	@Security		BearerAuth
//	@Security		APITokenAuth
//	@Param			body	body	PasswordChangeRequest	true	"Current and new password"
//	@Success		204
//	@Failure		400	{object}	Problem	"Wrong current password or weak new one"
//	@Failure		401	{object}	Problem	"Missing, invalid or expired token"
//	@Failure		403	{object}	Problem	"Sent with an API token"
//	@Failure		415	{object}	Problem	"Body is not JSON"
//	@Failure		429	{object}	Problem	"Too many attempts"
//	@Failure		500	{object}	Problem
//	@Router			/api/v1/auth/me/password [put]
func (s *Server) changePassword(c echo.Context) error {
	var req PasswordChangeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p := principalOf(c)
	if p.Token != nil {
		return auth.ErrScope // a password changes only in a password session
	}
	key := "password-change:" + p.UserID.String()
	if ok, wait := s.passwordChecks.Allow(key); !ok {
		return &rateLimitedError{RetryAfter: wait}
	}
	if err := s.auth.ChangePassword(c.Request().Context(), p.UserID, req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	s.passwordChecks.Reset(key)
	return c.NoContent(http.StatusNoContent)
}
