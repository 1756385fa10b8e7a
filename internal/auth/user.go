package auth

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// User is a person who may sign in to the Admin API.
type User struct {
	ID           uuid.UUID
	Email        string
	Name         string
	Role         Role
	Active       bool
	PasswordHash string
	// TokenVersion is carried by access tokens; bumping it (password change or reset)
	// invalidates every token issued before.
	TokenVersion int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Principal returns the user as the caller of a request.
func (u User) Principal() Principal { return Principal{UserID: u.ID, Email: u.Email, Role: u.Role} }

// NewUser is the input of CreateUser.
type NewUser struct {
	Email    string
	Name     string
	Role     Role
	Password string
	// Active defaults to true; set Inactive to create a disabled account.
	Inactive bool
}

// UserPatch changes some fields of a user; nil fields stay as they are.
type UserPatch struct {
	Name   *string
	Role   *Role
	Active *bool
}

// UserQuery filters and pages ListUsers.
type UserQuery struct {
	Role   Role
	Active *bool
	// Q matches a substring of the email or name, case-insensitively.
	Q      string
	Limit  int
	Offset int
}

// RefreshToken is the stored form of an opaque refresh token: only its hash is kept.
// Tokens issued by rotating one another share a Family, so a reused token can revoke them all.
type RefreshToken struct {
	ID        uuid.UUID
	UserID    uuid.UUID
	Family    uuid.UUID
	Hash      string
	ExpiresAt time.Time
	CreatedAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	// Successor is the pair its rotation issued, sealed with a key derived from this token
	// (grace.go); empty until it is used.
	Successor string
}

// Errors of the domain; api maps them to HTTP.
var (
	ErrNotFound = errs.ErrNotFound
	// ErrConflict is a duplicate email.
	ErrConflict = errs.ErrConflict
	// ErrEmailTaken is a new or changed email that another user has.
	ErrEmailTaken = errs.Wrap(errs.ErrConflict, "a user with this email already exists")
	// ErrInvalidCredentials is a failed login. It never says whether the email or the
	// password was wrong, nor whether the account is inactive.
	ErrInvalidCredentials = errs.New(errs.Unauthorized, "invalid email or password")
	// ErrInvalidToken is a missing, malformed, expired or revoked token, or one whose user is
	// gone or inactive.
	ErrInvalidToken = errs.New(errs.Unauthorized, "invalid or expired token")
	// ErrTokenReused is a refresh token presented a second time: its whole family is revoked.
	ErrTokenReused = errs.New(errs.Unauthorized, "refresh token already used; the session has been revoked")
	// ErrForbidden is an authenticated caller whose role does not allow the action.
	ErrForbidden = errs.New(errs.Forbidden, "your role does not allow this action")
	// ErrLastAdmin refuses to demote or deactivate the last active admin.
	ErrLastAdmin = errs.New(errs.Conflict, "the last active admin cannot be demoted or deactivated")
)

type fieldErrors []errs.FieldError

func (f *fieldErrors) add(field, msg string) { *f = append(*f, errs.Field(field, msg)) }

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return errs.InvalidFields(f...)
}

// Password length bounds, in characters and bytes: argon2 hashes anything, but an unbounded
// password is a cheap way to burn CPU.
const (
	MinPasswordLen   = 10
	MaxPasswordBytes = 256
	maxEmailBytes    = 254
	maxNameBytes     = 200
)

// NormalizeEmail trims and lower-cases an email, so lookups and the unique index agree.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (f *fieldErrors) email(field, s string) {
	switch {
	case s == "":
		f.add(field, "is required")
	case len(s) > maxEmailBytes || !utf8.ValidString(s):
		f.add(field, fmt.Sprintf("must be a valid address of at most %d bytes", maxEmailBytes))
	default:
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s || a.Name != "" {
			f.add(field, "must be a plain email address such as editor@example.com")
		}
	}
}

// password checks a new password of a user of role (see PasswordWeakness).
func (f *fieldErrors) password(field, s string, role Role) {
	switch {
	case len(s) > MaxPasswordBytes:
		f.add(field, fmt.Sprintf("must be at most %d bytes", MaxPasswordBytes))
	case !utf8.ValidString(s):
		f.add(field, "must be valid UTF-8")
	default:
		if w := PasswordWeakness(s, role); w != "" {
			f.add(field, w)
		}
	}
}

func (f *fieldErrors) name(field, s string) {
	if len(s) > maxNameBytes || !utf8.ValidString(s) {
		f.add(field, fmt.Sprintf("must be valid text of at most %d bytes", maxNameBytes))
	}
}

func (f *fieldErrors) role(field string, r Role) {
	if !r.Valid() {
		f.add(field, "must be one of admin, editor, author")
	}
}

// emailTaken names the conflict a unique email makes.
func emailTaken(err error) error {
	if errs.CodeOf(err) == errs.Conflict {
		return ErrEmailTaken
	}
	return err
}
