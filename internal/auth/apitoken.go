package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// Scope bounds what an API token may do; the creator's role bounds it further.
type Scope string

const (
	// ScopeRead reads what the role may read (admin reads, previews) and writes nothing.
	ScopeRead Scope = "read"
	// ScopeContent writes content as the role may (write, translate, upload, publish when
	// the role may), but never manages users, tokens or the audit log.
	ScopeContent Scope = "content"
	// ScopeFull is everything the role may do.
	ScopeFull Scope = "full"
)

// Scopes lists the valid scopes, narrowest first.
var Scopes = []Scope{ScopeRead, ScopeContent, ScopeFull}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return s == ScopeRead || s == ScopeContent || s == ScopeFull }

// TokenKind tells personal tokens (acting as their creator, who must stay active) from
// service tokens (an admin's integration, not tied to a person).
type TokenKind string

const (
	KindPersonal TokenKind = "personal"
	KindService  TokenKind = "service"
)

// Prefixes of the two kinds of secret. They, and the checksum at the end, let secret
// scanners find leaked tokens: hrld_(pat|svc)_[0-9A-Za-z]{38}.
const (
	PersonalPrefix = "hrld_pat_"
	ServicePrefix  = "hrld_svc_"
	// secretRandLen base62 characters carry ≈190 random bits; checksumLen more hold the
	// CRC-32 of prefix and random part.
	secretRandLen = 32
	checksumLen   = 6
	secretLen     = len(PersonalPrefix) + secretRandLen + checksumLen
)

// APIToken is the stored form of an API token: the secret itself is never kept, only its
// SHA-256 and its last four characters (so people can tell their tokens apart).
type APIToken struct {
	ID    uuid.UUID
	Kind  TokenKind
	Name  string
	Scope Scope
	Hash  string
	Hint  string
	// UserID is the creator: the person a personal token acts as, or the admin who made a
	// service token.
	UserID     uuid.UUID
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	LastUsedIP string
	RevokedAt  *time.Time
	RevokedBy  *uuid.UUID
}

// TokenWithCreator is a token and the creator's current record.
type TokenWithCreator struct {
	APIToken
	Creator User
}

// Prefix is the visible start of the token's secret.
func (t APIToken) Prefix() string {
	if t.Kind == KindService {
		return ServicePrefix
	}
	return PersonalPrefix
}

// Active reports whether t is neither revoked nor expired at now.
func (t APIToken) Active(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// Token limits and defaults; the operator sets the maximum lifetime and whether tokens may
// never expire (TokenPolicy).
const (
	DefaultTokenTTL = 90 * 24 * time.Hour
	// MaxTokensPerUser bounds the active tokens one user (or, for service tokens, one
	// admin) has created.
	MaxTokensPerUser = 50
	maxTokenNameLen  = 100
)

// TokenPolicy is the operator's say over API tokens.
type TokenPolicy struct {
	// MaxTTL bounds expires_at; DefaultTokenTTL is cut to it.
	MaxTTL time.Duration
	// AllowNoExpiry lets tokens be created without an expiry.
	AllowNoExpiry bool
}

// DefaultTokenPolicy allows tokens of up to a year, always expiring.
var DefaultTokenPolicy = TokenPolicy{MaxTTL: 365 * 24 * time.Hour}

// NewToken is the input of CreateToken.
type NewToken struct {
	Kind  TokenKind
	Name  string
	Scope Scope
	// ExpiresAt nil means the default lifetime, unless NoExpiry.
	ExpiresAt *time.Time
	NoExpiry  bool
}

// CreatedToken is a new token with its secret, which is shown once and never again.
type CreatedToken struct {
	TokenWithCreator
	Secret string
}

// TokenQuery filters and pages ListTokens.
type TokenQuery struct {
	UserID *uuid.UUID
	Kind   TokenKind
	// Active only lists tokens neither revoked nor expired at Now.
	Active bool
	Now    time.Time
	Limit  int
	Offset int
}

// TokenUse is one observed use of a token, as last-used records keep it.
type TokenUse struct {
	At time.Time
	IP string
}

// Errors of API tokens; api maps them to HTTP.
var (
	// ErrTokenLimit refuses a token beyond MaxTokensPerUser.
	ErrTokenLimit = errs.Errorf(errs.Conflict, "at most %d active API tokens per user: revoke unused ones first", MaxTokensPerUser)
	// ErrScope is a token used beyond its scope (a write with a read-only token, token
	// management with a content token).
	ErrScope = errs.New(errs.Forbidden, "this API token's scope does not allow this request")
	// ErrServicePersonal is a service token asking for a personal token: it would act as
	// the admin who made the integration, as a person, and outlive the service token's
	// revocation.
	ErrServicePersonal = errs.New(errs.Forbidden, "a service token cannot create personal tokens; sign in as the person")
)

// IsAPIToken reports whether a bearer credential looks like an API token rather than a JWT.
func IsAPIToken(s string) bool { return strings.HasPrefix(s, "hrld_") }

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newSecret returns a fresh secret with prefix: random base62 and a CRC-32 checksum.
func newSecret(prefix string) (string, error) {
	var b strings.Builder
	b.Grow(secretLen)
	b.WriteString(prefix)
	max := big.NewInt(int64(len(base62)))
	for i := 0; i < secretRandLen; i++ {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", err
		}
		b.WriteByte(base62[n.Int64()])
	}
	b.WriteString(checksum(b.String()))
	return b.String(), nil
}

// checksum is the CRC-32 of s in checksumLen base62 characters (zero-padded).
func checksum(s string) string {
	n := crc32.ChecksumIEEE([]byte(s))
	out := make([]byte, checksumLen)
	for i := checksumLen - 1; i >= 0; i-- {
		out[i] = base62[n%62]
		n /= 62
	}
	return string(out)
}

// wellFormed checks prefix, length, alphabet and checksum, so a mistyped or tampered
// token is refused without touching the database.
func wellFormed(s string) bool {
	if len(s) != secretLen || !(strings.HasPrefix(s, PersonalPrefix) || strings.HasPrefix(s, ServicePrefix)) {
		return false
	}
	for i := len(PersonalPrefix); i < len(s); i++ {
		if strings.IndexByte(base62, s[i]) < 0 {
			return false
		}
	}
	body := s[:len(s)-checksumLen]
	return checksum(body) == s[len(s)-checksumLen:]
}

// hashSecret is SHA-256: secrets carry ≈190 random bits, so a lookup by hash is safe and
// stays an index probe.
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// effectiveRole is what a token may do: never more than its creator (or, for a service
// token, an admin), and a content token never administers.
func effectiveRole(base Role, scope Scope) Role {
	if scope == ScopeContent && base == RoleAdmin {
		return RoleEditor
	}
	return base
}

func (f *fieldErrors) tokenName(field, s string) {
	switch {
	case s == "":
		f.add(field, "is required")
	case !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxTokenNameLen:
		f.add(field, fmt.Sprintf("must be text of at most %d characters", maxTokenNameLen))
	}
}
