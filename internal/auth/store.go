package auth

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Store is what the auth domain needs from persistence; internal/store implements it.
// Lookups return ErrNotFound when nothing matches; a duplicate email is ErrConflict.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error

	CreateUser(ctx context.Context, u User) error
	UserByID(ctx context.Context, id uuid.UUID) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	// UpdateUser saves every mutable field of u (name, role, active, password hash, token
	// version, updated_at).
	UpdateUser(ctx context.Context, u User) error
	// ReplacePasswordHash sets the password hash of a user whose hash is still old (a
	// stronger rehash of the same password); it changes nothing if the hash moved meanwhile.
	ReplacePasswordHash(ctx context.Context, id uuid.UUID, old, next string) error
	ListUsers(ctx context.Context, q UserQuery) ([]User, int64, error)
	CountUsers(ctx context.Context) (int64, error)
	// LockActiveAdmins returns the ids of active admins, locking their rows until the
	// transaction ends so two concurrent demotions cannot both pass the last-admin check.
	LockActiveAdmins(ctx context.Context) ([]uuid.UUID, error)

	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	RefreshTokenByHash(ctx context.Context, hash string) (RefreshToken, error)
	// MarkRefreshTokenUsed sets used_at and the sealed successor pair (grace.go) if the
	// token is still unused and unrevoked, and reports whether it did: false means someone
	// else used it first.
	MarkRefreshTokenUsed(ctx context.Context, id uuid.UUID, at time.Time, successor string) (bool, error)
	RevokeRefreshFamily(ctx context.Context, family uuid.UUID, at time.Time) error
	RevokeUserRefreshTokens(ctx context.Context, userID uuid.UUID, at time.Time) error

	TokenStore
}
