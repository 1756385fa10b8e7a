// Package auth is Herald's identity domain: users and roles, password hashing, JWT access
// tokens and rotating refresh tokens, and the Store interface it needs. It knows nothing of
// HTTP or SQL.
package auth

import "github.com/google/uuid"

// Role is what a user may do; api/authz.go maps roles to endpoints in one place.
type Role string

const (
	RoleAdmin  Role = "admin"
	RoleEditor Role = "editor"
	RoleAuthor Role = "author"
)

// Roles lists the valid roles.
var Roles = []Role{RoleAdmin, RoleEditor, RoleAuthor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID uuid.UUID
	Email  string
	// Role is what the caller may do: for an API token, its creator's role narrowed by the
	// token's scope.
	Role Role
	// Token is the API token the caller authenticated with; nil for a password session (JWT).
	Token *TokenRef
}

// TokenRef names the API token behind a request, for audit entries and scope checks.
type TokenRef struct {
	ID    uuid.UUID
	Name  string
	Kind  TokenKind
	Scope Scope
}

// ReadOnly reports whether the caller may only read.
func (p Principal) ReadOnly() bool { return p.Token != nil && p.Token.Scope == ScopeRead }

// FullAccess reports whether the caller may manage credentials: a password session or a
// full-scope token.
func (p Principal) FullAccess() bool { return p.Token == nil || p.Token.Scope == ScopeFull }
