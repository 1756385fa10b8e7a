package auth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"
)

// The refresh grace window. Two tabs (or a tab and a retried request) that refresh with the
// same token at once would otherwise look like theft: the second presentation of a spent
// token revokes the whole family and logs the user out. Within the window the spent token
// is answered with the very pair its rotation issued; after it, reuse revokes the family as
// before.
//
// To answer with the same pair the server must keep it, yet a stored refresh token must not
// be usable by whoever reads the database. So the pair is sealed (AES-256-GCM) with a key
// derived from the spent token, which the database holds only as a SHA-256: only a caller
// who presents that token can open it.

// DefaultRefreshGrace is how long a spent refresh token is answered with its successor pair.
const DefaultRefreshGrace = 30 * time.Second

// WithRefreshGrace sets the grace window; 0 turns it off (every reuse revokes the family).
func WithRefreshGrace(d time.Duration) Option {
	return func(s *Service) { s.refreshGrace = max(d, 0) }
}

// successorPair is what a rotation seals for its grace window.
type successorPair struct {
	AccessToken      string    `json:"a"`
	AccessExpiresAt  time.Time `json:"ae"`
	RefreshToken     string    `json:"r"`
	RefreshExpiresAt time.Time `json:"re"`
}

// graceAEAD is the cipher keyed by a refresh token. The token carries 256 random bits, so
// an HMAC with a label (distinct from the lookup hash) is a sound key derivation.
func graceAEAD(token string) (cipher.AEAD, error) {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("herald refresh grace v1"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealSuccessor encrypts p under a key only token opens.
func sealSuccessor(token string, p successorPair) (string, error) {
	aead, err := graceAEAD(token)
	if err != nil {
		return "", err
	}
	plain, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawStdEncoding.EncodeToString(aead.Seal(nonce, nonce, plain, nil)), nil
}

// openSuccessor decrypts what sealSuccessor made with the same token.
func openSuccessor(token, sealed string) (successorPair, error) {
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil {
		return successorPair{}, err
	}
	aead, err := graceAEAD(token)
	if err != nil {
		return successorPair{}, err
	}
	if len(raw) < aead.NonceSize() {
		return successorPair{}, errors.New("sealed pair too short")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], nil)
	if err != nil {
		return successorPair{}, err
	}
	var p successorPair
	err = json.Unmarshal(plain, &p)
	return p, err
}

// replay answers a spent refresh token: within the grace window, with the pair its rotation
// issued (ok true); otherwise the family is revoked, as theft, and ok is false.
func (s *Service) replay(ctx context.Context, token string, rt RefreshToken, now time.Time) (out Tokens, ok bool, err error) {
	if s.refreshGrace > 0 && rt.RevokedAt == nil && rt.UsedAt != nil && rt.Successor != "" && now.Sub(*rt.UsedAt) <= s.refreshGrace {
		if p, err := openSuccessor(token, rt.Successor); err == nil && now.Before(p.AccessExpiresAt) {
			u, err := s.store.UserByID(ctx, rt.UserID)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return Tokens{}, false, err
			}
			if err == nil && u.Active {
				return Tokens{AccessToken: p.AccessToken, ExpiresIn: p.AccessExpiresAt.Sub(now), RefreshToken: p.RefreshToken,
					RefreshExpiresAt: p.RefreshExpiresAt, User: u}, true, nil
			}
		}
	}
	return Tokens{}, false, s.store.RevokeRefreshFamily(ctx, rt.Family, now)
}
