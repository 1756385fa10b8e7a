package auth

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// Default lifetimes of the two kinds of token.
const (
	DefaultAccessTTL  = 15 * time.Minute
	DefaultRefreshTTL = 30 * 24 * time.Hour
	// MinSecretBytes is the shortest HS256 secret the service accepts (RFC 7518 §3.2).
	MinSecretBytes = 32
	// MaxPerPage bounds ListUsers.
	MaxPerPage = 100
)

// Service holds the auth rules: sign-in, token issue and rotation, user management.
type Service struct {
	log        *changes.Log
	store      Store
	secret     []byte
	clock      func() time.Time
	accessTTL  time.Duration
	refreshTTL time.Duration
	// refreshGrace is how long a spent refresh token gets its successor pair (grace.go).
	refreshGrace time.Duration
	params       PasswordParams
	// slots bounds the argon2 runs in flight (each holds params.MemoryKiB); waiting bounds
	// the checks that may wait a moment for one (see hashSlot).
	slots, waiting chan struct{}
	// dummyHash is verified against when an email is unknown, so a bad email costs the
	// same argon2 work as a bad password.
	dummyHash string
	// tokenPolicy bounds API token lifetimes; usage buffers their last-used records.
	tokenPolicy TokenPolicy
	usage       tokenUsage
}

// Option configures a Service.
type Option func(*Service)

// WithChanges runs the service's writes through the write seam l, which records their
// audit entries and change rows in their transactions (internal/app wires it); without it
// writes record nothing.
func WithChanges(l *changes.Log) Option { return func(s *Service) { s.log = l } }

// writes is the seam of s: the configured log, or one that records nothing.
func (s *Service) writes() *changes.Log {
	if s.log == nil {
		return changes.Unlogged(s.store.InTx)
	}
	return s.log
}

// WithClock injects the clock that stamps and checks every token.
func WithClock(clock func() time.Time) Option { return func(s *Service) { s.clock = clock } }

// WithAccessTTL sets the lifetime of access tokens.
func WithAccessTTL(d time.Duration) Option { return func(s *Service) { s.accessTTL = d } }

// WithRefreshTTL sets the lifetime of refresh tokens.
func WithRefreshTTL(d time.Duration) Option { return func(s *Service) { s.refreshTTL = d } }

// WithPasswordParams sets the argon2id cost of new hashes; tests use cheap ones.
func WithPasswordParams(p PasswordParams) Option { return func(s *Service) { s.params = p } }

// WithHashSlots sets how many password hashes may run at once (default GOMAXPROCS: more
// cannot run faster, only hold more memory). A check that finds every slot taken waits a
// moment in a short line, then fails with ErrBusy.
func WithHashSlots(n int) Option {
	return func(s *Service) { s.slots = make(chan struct{}, max(n, 1)) }
}

// NewService returns a Service over store that signs access tokens with secret (HS256).
func NewService(store Store, secret []byte, opts ...Option) (*Service, error) {
	if len(secret) < MinSecretBytes {
		return nil, fmt.Errorf("auth: the JWT secret must be at least %d bytes", MinSecretBytes)
	}
	s := &Service{store: store, secret: append([]byte(nil), secret...), clock: time.Now,
		accessTTL: DefaultAccessTTL, refreshTTL: DefaultRefreshTTL, refreshGrace: DefaultRefreshGrace, params: DefaultPasswordParams, tokenPolicy: DefaultTokenPolicy}
	for _, o := range opts {
		o(s)
	}
	if s.slots == nil {
		s.slots = make(chan struct{}, runtime.GOMAXPROCS(0))
	}
	s.waiting = make(chan struct{}, 4*cap(s.slots))
	if s.accessTTL <= 0 || s.refreshTTL <= 0 || s.tokenPolicy.MaxTTL <= 0 {
		return nil, errors.New("auth: token lifetimes must be positive")
	}
	dummy, err := hashPassword("not a real password: "+uuid.NewString(), s.params)
	if err != nil {
		return nil, err
	}
	s.dummyHash = dummy
	return s, nil
}

// now is the service clock in UTC at the microsecond, the precision both databases keep, so
// a user returned on create equals the one read back.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// AccessTTL is the lifetime of access tokens.
func (s *Service) AccessTTL() time.Duration { return s.accessTTL }

// Tokens is the result of a login or a refresh.
type Tokens struct {
	AccessToken      string
	ExpiresIn        time.Duration
	RefreshToken     string
	RefreshExpiresAt time.Time
	User             User
}

// Login checks an email and password and starts a new token family. Every failure is
// ErrInvalidCredentials, after the same argon2 work, whether the email is unknown, the
// password wrong or the account inactive; ErrBusy when every hashing slot is taken. A
// hash made with other parameters than the service's is replaced by a new one on success.
func (s *Service) Login(ctx context.Context, email, password string) (Tokens, error) {
	email = NormalizeEmail(email)
	if email == "" || len(email) > maxEmailBytes || password == "" || len(password) > MaxPasswordBytes {
		return Tokens{}, ErrInvalidCredentials
	}
	u, err := s.store.UserByEmail(ctx, email)
	known := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Tokens{}, err
	}
	hash := s.dummyHash
	if known {
		hash = u.PasswordHash
	}
	ok, verr := s.verify(ctx, password, hash)
	if errors.Is(verr, ErrBusy) || ctx.Err() != nil {
		// Not a wrong password: the caller must not count it as one.
		return Tokens{}, errors.Join(verr, ctx.Err())
	}
	if !known || verr != nil || !ok || !u.Active {
		return Tokens{}, ErrInvalidCredentials
	}
	if err := s.rehash(ctx, u, password); err != nil {
		return Tokens{}, err
	}
	family, err := uuid.NewV7()
	if err != nil {
		return Tokens{}, err
	}
	return s.issue(ctx, u, family, s.now())
}

// rehash replaces u's hash when it was made with other parameters (older defaults), so
// the cost and memory of every login converge on the configured ones. A busy hasher only
// postpones it to the next login.
func (s *Service) rehash(ctx context.Context, u User, password string) error {
	if p, err := hashParams(u.PasswordHash); err == nil && p == s.params {
		return nil
	}
	next, err := s.hash(ctx, password)
	if errors.Is(err, ErrBusy) {
		return nil
	} else if err != nil {
		return err
	}
	return s.store.ReplacePasswordHash(ctx, u.ID, u.PasswordHash, next)
}

// issue signs an access token and stores a new refresh token in family.
func (s *Service) issue(ctx context.Context, u User, family uuid.UUID, now time.Time) (Tokens, error) {
	out, rt, err := s.newPair(u, family, now)
	if err != nil {
		return Tokens{}, err
	}
	if err := s.store.CreateRefreshToken(ctx, rt); err != nil {
		return Tokens{}, err
	}
	return out, nil
}

// newPair signs an access token and makes a refresh token in family, not yet stored.
func (s *Service) newPair(u User, family uuid.UUID, now time.Time) (Tokens, RefreshToken, error) {
	access, err := s.signAccess(u, now)
	if err != nil {
		return Tokens{}, RefreshToken{}, err
	}
	refresh, hash, err := newOpaqueToken()
	if err != nil {
		return Tokens{}, RefreshToken{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Tokens{}, RefreshToken{}, err
	}
	rt := RefreshToken{ID: id, UserID: u.ID, Family: family, Hash: hash, ExpiresAt: now.Add(s.refreshTTL), CreatedAt: now}
	return Tokens{AccessToken: access, ExpiresIn: s.accessTTL, RefreshToken: refresh, RefreshExpiresAt: rt.ExpiresAt, User: u}, rt, nil
}

// maxRefreshBytes bounds refresh tokens before hashing; ours are 43 bytes.
const maxRefreshBytes = 256

// Refresh rotates a refresh token: the presented one is spent and a new pair is issued in
// the same family. Presenting a spent token again within the grace window (two tabs
// refreshing at once) returns the same new pair (see grace.go); after it, it is taken as
// theft: the whole family is revoked (also the newest token, held by whoever rotated
// first) and ErrTokenReused returned.
func (s *Service) Refresh(ctx context.Context, token string) (Tokens, error) {
	if token == "" || len(token) > maxRefreshBytes {
		return Tokens{}, ErrInvalidToken
	}
	var out Tokens
	reused := false
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		now := s.now()
		rt, err := s.store.RefreshTokenByHash(ctx, hashToken(token))
		if errors.Is(err, ErrNotFound) {
			return ErrInvalidToken
		} else if err != nil {
			return err
		}
		if rt.RevokedAt != nil {
			return ErrInvalidToken
		}
		if rt.UsedAt != nil {
			var ok bool
			out, ok, err = s.replay(ctx, token, rt, now)
			reused = !ok
			return err
		}
		if !now.Before(rt.ExpiresAt) {
			return ErrInvalidToken
		}
		u, err := s.store.UserByID(ctx, rt.UserID)
		if errors.Is(err, ErrNotFound) || (err == nil && !u.Active) {
			if err := s.store.RevokeRefreshFamily(ctx, rt.Family, now); err != nil {
				return err
			}
			// Commit the revocation, then refuse.
			out = Tokens{}
			return nil
		} else if err != nil {
			return err
		}
		next, nextRow, err := s.newPair(u, rt.Family, now)
		if err != nil {
			return err
		}
		sealed, err := sealSuccessor(token, successorPair{AccessToken: next.AccessToken, AccessExpiresAt: now.Add(next.ExpiresIn),
			RefreshToken: next.RefreshToken, RefreshExpiresAt: next.RefreshExpiresAt})
		if err != nil {
			return err
		}
		won, err := s.store.MarkRefreshTokenUsed(ctx, rt.ID, now, sealed)
		if err != nil {
			return err
		}
		if !won {
			// A concurrent rotation spent it between our read and our write. It has
			// committed (on PostgreSQL our update waited for its row lock; SQLite runs one
			// writer at a time), so read what it left and answer as a replay.
			if rt, err = s.store.RefreshTokenByHash(ctx, hashToken(token)); err != nil {
				return err
			}
			var ok bool
			out, ok, err = s.replay(ctx, token, rt, now)
			reused = !ok
			return err
		}
		if err := s.store.CreateRefreshToken(ctx, nextRow); err != nil {
			return err
		}
		out = next
		return nil
	})
	switch {
	case err != nil:
		return Tokens{}, err
	case reused:
		return Tokens{}, ErrTokenReused
	case out.AccessToken == "":
		return Tokens{}, ErrInvalidToken
	}
	return out, nil
}

// Logout revokes the family of a refresh token. Unknown tokens are ignored, so logging out
// twice is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" || len(token) > maxRefreshBytes {
		return nil
	}
	rt, err := s.store.RefreshTokenByHash(ctx, hashToken(token))
	if errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	return s.store.RevokeRefreshFamily(ctx, rt.Family, s.now())
}

// Authenticate verifies an access token and returns its user, reloaded: a token of a
// deactivated user, or one issued before a password change, is ErrInvalidToken.
func (s *Service) Authenticate(ctx context.Context, token string) (User, error) {
	claims, err := s.parseAccess(token)
	if err != nil {
		return User{}, err
	}
	id, err := uuid.Parse(claims.Subject)
	if err != nil {
		return User{}, ErrInvalidToken
	}
	u, err := s.store.UserByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return User{}, ErrInvalidToken
	} else if err != nil {
		return User{}, err
	}
	if !u.Active || claims.Version != u.TokenVersion {
		return User{}, ErrInvalidToken
	}
	return u, nil
}

// User returns one user.
func (s *Service) User(ctx context.Context, id uuid.UUID) (User, error) {
	return s.store.UserByID(ctx, id)
}

// CountUsers returns how many users exist (any role, active or not).
func (s *Service) CountUsers(ctx context.Context) (int64, error) { return s.store.CountUsers(ctx) }

// ListUsers returns one page of users, oldest first, and the number of matches.
func (s *Service) ListUsers(ctx context.Context, q UserQuery) ([]User, int64, error) {
	var fe fieldErrors
	if q.Role != "" {
		fe.role("role", q.Role)
	}
	if len(q.Q) > maxEmailBytes {
		fe.add("q", fmt.Sprintf("must be at most %d bytes", maxEmailBytes))
	}
	if err := fe.err(); err != nil {
		return nil, 0, err
	}
	q.Q = strings.ToLower(strings.TrimSpace(q.Q))
	if q.Limit <= 0 || q.Limit > MaxPerPage {
		q.Limit = MaxPerPage
	}
	return s.store.ListUsers(ctx, q)
}

// CreateUser validates and stores a new user with a hashed password.
func (s *Service) CreateUser(ctx context.Context, n NewUser) (User, error) {
	n.Email = NormalizeEmail(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	var fe fieldErrors
	fe.email("email", n.Email)
	fe.name("name", n.Name)
	fe.role("role", n.Role)
	fe.password("password", n.Password, n.Role)
	if err := fe.err(); err != nil {
		return User{}, err
	}
	hash, err := s.hash(ctx, n.Password)
	if err != nil {
		return User{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return User{}, err
	}
	now := s.now()
	u := User{ID: id, Email: n.Email, Name: n.Name, Role: n.Role, Active: !n.Inactive, PasswordHash: hash,
		TokenVersion: 1, CreatedAt: now, UpdatedAt: now}
	err = s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		if err := s.store.CreateUser(ctx, u); err != nil {
			return emailTaken(err)
		}
		tx.Audit("user.create", "user", u.ID.String(), audit.Summary(audit.Change{Field: "email", To: u.Email},
			audit.Change{Field: "role", To: u.Role}, audit.Change{Field: "active", From: false, To: u.Active}))
		tx.Change(userChange(u.ID))
		return nil
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// userChange records a write to a user (nothing the public API serves).
func userChange(id uuid.UUID) changes.Change {
	return changes.Change{EntityType: "user", EntityID: id.String(), Kind: changes.Upsert}
}

// EnsureUser creates n unless a user with its email exists, and reports whether it did.
// Several instances starting at once may race; the loser sees the winner's row.
func (s *Service) EnsureUser(ctx context.Context, n NewUser) (bool, error) {
	_, err := s.store.UserByEmail(ctx, NormalizeEmail(n.Email))
	if err == nil {
		return false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	if _, err := s.CreateUser(ctx, n); err != nil {
		if errors.Is(err, ErrConflict) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// UpdateUser applies a patch and returns the user before and after it. Demoting or
// deactivating the last active admin is ErrLastAdmin; deactivating a user also revokes
// their refresh tokens (their access tokens stop working at once, see Authenticate), and
// deactivating or reactivating bumps their token version, so a reactivated user's old
// access tokens stay dead.
func (s *Service) UpdateUser(ctx context.Context, id uuid.UUID, p UserPatch) (before, after User, err error) {
	var fe fieldErrors
	if p.Name != nil {
		*p.Name = strings.TrimSpace(*p.Name)
		fe.name("name", *p.Name)
	}
	if p.Role != nil {
		fe.role("role", *p.Role)
	}
	if err := fe.err(); err != nil {
		return User{}, User{}, err
	}
	err = s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		u, err := s.store.UserByID(ctx, id)
		if err != nil {
			return err
		}
		before, after = u, u
		if p.Name != nil {
			after.Name = *p.Name
		}
		if p.Role != nil {
			after.Role = *p.Role
		}
		if p.Active != nil {
			after.Active = *p.Active
		}
		if after == before {
			return nil
		}
		wasAdmin := before.Active && before.Role == RoleAdmin
		if wasAdmin && !(after.Active && after.Role == RoleAdmin) {
			admins, err := s.store.LockActiveAdmins(ctx)
			if err != nil {
				return err
			}
			others := 0
			for _, a := range admins {
				if a != id {
					others++
				}
			}
			if others == 0 {
				return ErrLastAdmin
			}
		}
		now := s.now()
		after.UpdatedAt = now
		if before.Active != after.Active {
			// Access tokens issued before a deactivation must stay dead when the account is
			// reactivated: they carry the old version. (Bumping on both edges also covers
			// users deactivated before this rule existed.)
			after.TokenVersion++
		}
		if err := emailTaken(s.store.UpdateUser(ctx, after)); err != nil {
			return err
		}
		tx.Audit("user.update", "user", id.String(), audit.Summary(
			audit.Change{Field: "name", From: before.Name, To: after.Name},
			audit.Change{Field: "role", From: before.Role, To: after.Role},
			audit.Change{Field: "active", From: before.Active, To: after.Active}))
		tx.Change(userChange(id))
		if before.Active && !after.Active {
			return s.store.RevokeUserRefreshTokens(ctx, id, now)
		}
		return nil
	})
	if err != nil {
		return User{}, User{}, err
	}
	return before, after, nil
}

// ChangePassword sets a user's own password after checking the current one. Every token
// issued before stops working; the caller logs in again.
func (s *Service) ChangePassword(ctx context.Context, id uuid.UUID, current, next string) error {
	var fe fieldErrors
	if current == "" {
		fe.add("current_password", "is required")
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	fe.password("new_password", next, u.Role)
	if err := fe.err(); err != nil {
		return err
	}
	ok, err := s.verify(ctx, current, u.PasswordHash)
	if errors.Is(err, ErrBusy) {
		return err
	}
	if err != nil || !ok || len(current) > MaxPasswordBytes {
		return errs.Invalidf("current_password", "does not match your current password")
	}
	return s.setPassword(ctx, "user.password_change", "own password changed", id, next)
}

// ResetPassword sets a user's password (an admin action). Every token of the user issued
// before stops working.
func (s *Service) ResetPassword(ctx context.Context, id uuid.UUID, password string) error {
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	var fe fieldErrors
	fe.password("password", password, u.Role)
	if err := fe.err(); err != nil {
		return err
	}
	return s.setPassword(ctx, "user.password_reset", "password reset by an admin", id, password)
}

func (s *Service) setPassword(ctx context.Context, action, summary string, id uuid.UUID, password string) error {
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		tx.Audit(action, "user", id.String(), summary)
		tx.Change(userChange(id))
		u, err := s.store.UserByID(ctx, id)
		if err != nil {
			return err
		}
		now := s.now()
		u.PasswordHash, u.TokenVersion, u.UpdatedAt = hash, u.TokenVersion+1, now
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.store.RevokeUserRefreshTokens(ctx, id, now)
	})
}
