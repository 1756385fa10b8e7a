package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Issuer and Audience are the iss and aud of every access token; both are checked.
const (
	Issuer   = "herald"
	Audience = "herald-admin"
)

// accessClaims are the claims of an access token. Role is informational: each request
// reloads the user, so a demotion takes effect at once.
type accessClaims struct {
	jwt.RegisteredClaims
	Role    Role `json:"role"`
	Version int  `json:"ver"`
}

func (s *Service) signAccess(u User, now time.Time) (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	claims := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Subject:   u.ID.String(),
			Audience:  jwt.ClaimStrings{Audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(s.accessTTL)),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ID:        id.String(),
		},
		Role:    u.Role,
		Version: u.TokenVersion,
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.secret)
}

// maxTokenBytes bounds what the parser looks at; real tokens are about 400 bytes.
const maxTokenBytes = 4096

// parseAccess verifies signature, algorithm (HS256 only: "none" and RS/ES confusion are
// refused), issuer, audience, expiry, issued-at and not-before, against the service clock.
func (s *Service) parseAccess(token string) (accessClaims, error) {
	var claims accessClaims
	if token == "" || len(token) > maxTokenBytes {
		return claims, ErrInvalidToken
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.now),
		jwt.WithStrictDecoding(),
	)
	_, err := p.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return s.secret, nil })
	if err != nil {
		return claims, errors.Join(ErrInvalidToken, err)
	}
	if claims.IssuedAt == nil {
		return claims, ErrInvalidToken
	}
	return claims, nil
}

// newOpaqueToken returns a random refresh token and the hash stored in its place.
func newOpaqueToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

// hashToken is SHA-256: refresh tokens carry 256 random bits, so no salt or stretching is
// needed, and a lookup by hash stays an index probe.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
