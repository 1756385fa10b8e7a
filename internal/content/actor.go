package content

import "github.com/google/uuid"

// Actor is who performs a write, as the content rules need to know it: api builds it from
// the authenticated principal (the domain does not import auth).
type Actor struct {
	UserID uuid.UUID
	// Editor may edit anyone's articles, publish, unpublish, archive and delete, and manage
	// taxonomy and settings. Without it the actor is an author: own drafts only.
	Editor bool
	// Email and TokenID name the actor in audit entries: TokenID is the API token the
	// write was made with (UserID is then its creator), nil for a password session.
	Email   string
	TokenID *uuid.UUID
}
