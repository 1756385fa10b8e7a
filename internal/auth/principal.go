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
	Role   Role
}
