package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// TokenStore is what API tokens need from persistence; it is part of Store.
type TokenStore interface {
	CreateAPIToken(ctx context.Context, t APIToken) error
	// LockUser reads a user and locks the row until the transaction ends (PostgreSQL: FOR
	// UPDATE; SQLite transactions already run one writer at a time).
	LockUser(ctx context.Context, id uuid.UUID) (User, error)
	// APITokenByHash and APITokenByID return the token with its creator, in one query.
	APITokenByHash(ctx context.Context, hash string) (TokenWithCreator, error)
	APITokenByID(ctx context.Context, id uuid.UUID) (TokenWithCreator, error)
	// ListAPITokens returns matching tokens, newest first, and their number.
	ListAPITokens(ctx context.Context, q TokenQuery) ([]TokenWithCreator, int64, error)
	// CountActiveAPITokens counts the tokens userID created that are neither revoked nor
	// expired at now.
	CountActiveAPITokens(ctx context.Context, userID uuid.UUID, now time.Time) (int64, error)
	// RevokeAPIToken sets revoked_at and revoked_by unless already revoked.
	RevokeAPIToken(ctx context.Context, id, by uuid.UUID, at time.Time) error
	// RecordAPITokenUses stores last-used times and addresses, never moving one backwards
	// (several instances flush into one database).
	RecordAPITokenUses(ctx context.Context, uses map[uuid.UUID]TokenUse) error
}

// WithTokenPolicy sets the operator's limits on API token lifetimes; a zero MaxTTL keeps
// the default.
func WithTokenPolicy(p TokenPolicy) Option {
	return func(s *Service) {
		if p.MaxTTL == 0 {
			p.MaxTTL = DefaultTokenPolicy.MaxTTL
		}
		s.tokenPolicy = p
	}
}

// tokenUsage buffers last-used records in memory: a request costs a map write, and one
// flush writes one row per token used since the last flush, however many requests it made.
type tokenUsage struct {
	mu      sync.Mutex
	pending map[uuid.UUID]TokenUse
}

func (u *tokenUsage) touch(id uuid.UUID, use TokenUse) {
	u.mu.Lock()
	if u.pending == nil {
		u.pending = map[uuid.UUID]TokenUse{}
	}
	if cur, ok := u.pending[id]; !ok || use.At.After(cur.At) {
		u.pending[id] = use
	}
	u.mu.Unlock()
}

// take empties the buffer and returns what it held.
func (u *tokenUsage) take() map[uuid.UUID]TokenUse {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := u.pending
	u.pending = nil
	return out
}

// putBack returns uses a failed flush could not write, unless newer ones arrived meanwhile.
func (u *tokenUsage) putBack(uses map[uuid.UUID]TokenUse) {
	for id, use := range uses {
		u.touch(id, use)
	}
}

// FlushTokenUsage writes the buffered last-used records in one transaction. On failure
// they stay buffered for the next flush.
func (s *Service) FlushTokenUsage(ctx context.Context) error {
	uses := s.usage.take()
	if len(uses) == 0 {
		return nil
	}
	if err := s.store.RecordAPITokenUses(ctx, uses); err != nil {
		s.usage.putBack(uses)
		return fmt.Errorf("record API token use: %w", err)
	}
	return nil
}

// RunTokenUsageFlush flushes last-used records every interval until ctx ends; onErr (may
// be nil) hears about failed flushes. The caller flushes a last time at shutdown.
func (s *Service) RunTokenUsageFlush(ctx context.Context, every time.Duration, onErr func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.FlushTokenUsage(ctx); err != nil && onErr != nil && ctx.Err() == nil {
				onErr(err)
			}
		}
	}
}

// CreateToken makes an API token for the caller: a personal token acting as them, or (for
// an admin) a service token. The secret is in the result only.
func (s *Service) CreateToken(ctx context.Context, by Principal, n NewToken) (CreatedToken, error) {
	now := s.now()
	var fe fieldErrors
	fe.tokenName("name", n.Name)
	if !n.Scope.Valid() {
		fe.add("scope", "must be one of read, content, full")
	}
	var expires *time.Time
	switch {
	case n.NoExpiry && n.ExpiresAt != nil:
		fe.add("expires_at", "cannot be combined with never_expires")
	case n.NoExpiry:
		if !s.tokenPolicy.AllowNoExpiry {
			fe.add("never_expires", "tokens without expiry are not allowed on this server (HERALD_API_TOKEN_ALLOW_NO_EXPIRY)")
		}
	case n.ExpiresAt == nil:
		e := now.Add(min(DefaultTokenTTL, s.tokenPolicy.MaxTTL))
		expires = &e
	default:
		e := n.ExpiresAt.UTC().Truncate(time.Microsecond)
		switch {
		case !e.After(now):
			fe.add("expires_at", "must be in the future")
		case e.Sub(now) > s.tokenPolicy.MaxTTL:
			fe.add("expires_at", fmt.Sprintf("must be at most %s from now (HERALD_API_TOKEN_MAX_TTL)", s.tokenPolicy.MaxTTL))
		}
		expires = &e
	}
	if err := fe.err(); err != nil {
		return CreatedToken{}, err
	}
	if !by.FullAccess() {
		return CreatedToken{}, ErrScope
	}
	if n.Kind == KindService && by.Role != RoleAdmin {
		return CreatedToken{}, ErrForbidden
	}
	if n.Kind != KindService {
		n.Kind = KindPersonal
	}
	if n.Kind == KindPersonal && by.Token != nil && by.Token.Kind == KindService {
		return CreatedToken{}, ErrServicePersonal
	}
	t := APIToken{Kind: n.Kind, Name: n.Name, Scope: n.Scope, UserID: by.UserID, CreatedAt: now, ExpiresAt: expires}
	prefix := t.Prefix()
	secret, err := newSecret(prefix)
	if err != nil {
		return CreatedToken{}, err
	}
	if t.ID, err = uuid.NewV7(); err != nil {
		return CreatedToken{}, err
	}
	t.Hash, t.Hint = hashSecret(secret), secret[len(secret)-4:]
	var out CreatedToken
	err = s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		// The creator's row stays locked until commit, so concurrent creations by one user
		// count and insert one after the other and never overshoot the cap together.
		creator, err := s.store.LockUser(ctx, by.UserID)
		if err != nil {
			return err
		}
		n, err := s.store.CountActiveAPITokens(ctx, by.UserID, now)
		if err != nil {
			return err
		}
		if n >= MaxTokensPerUser {
			return ErrTokenLimit
		}
		if err := s.store.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		expires := "never"
		if t.ExpiresAt != nil {
			expires = t.ExpiresAt.UTC().Format(time.RFC3339)
		}
		tx.Audit("token.create", "api_token", t.ID.String(), audit.Summary(
			audit.Change{Field: "kind", To: t.Kind}, audit.Change{Field: "name", To: t.Name},
			audit.Change{Field: "scope", To: t.Scope}, audit.Change{Field: "expires_at", To: expires}))
		tx.Change(changes.Change{EntityType: "api_token", EntityID: t.ID.String(), Kind: changes.Upsert})
		out = CreatedToken{TokenWithCreator: TokenWithCreator{APIToken: t, Creator: creator}, Secret: secret}
		return nil
	})
	return out, err
}

// AuthenticateToken verifies an API token and returns the caller it stands for. A
// malformed (or tampered: the checksum fails) token is refused before any query; then one
// query reads the token with its creator, so a revocation, an expiry, or the creator's
// demotion or deactivation takes effect on the next request, on every instance. ip is
// remembered as the last-used address.
func (s *Service) AuthenticateToken(ctx context.Context, secret, ip string) (Principal, error) {
	if !wellFormed(secret) {
		return Principal{}, ErrInvalidToken
	}
	t, err := s.store.APITokenByHash(ctx, hashSecret(secret))
	if errors.Is(err, ErrNotFound) {
		return Principal{}, ErrInvalidToken
	} else if err != nil {
		return Principal{}, err
	}
	now := s.now()
	if !t.Active(now) {
		return Principal{}, ErrInvalidToken
	}
	base := RoleAdmin
	if t.Kind == KindPersonal {
		if !t.Creator.Active {
			return Principal{}, ErrInvalidToken
		}
		base = t.Creator.Role
	}
	s.usage.touch(t.ID, TokenUse{At: now, IP: ip})
	return Principal{UserID: t.UserID, Email: t.Creator.Email, Role: effectiveRole(base, t.Scope),
		Token: &TokenRef{ID: t.ID, Name: t.Name, Kind: t.Kind, Scope: t.Scope}}, nil
}

// Token returns one token with its creator.
func (s *Service) Token(ctx context.Context, id uuid.UUID) (TokenWithCreator, error) {
	return s.store.APITokenByID(ctx, id)
}

// ListTokens returns one page of tokens, newest first, and the number of matches.
func (s *Service) ListTokens(ctx context.Context, q TokenQuery) ([]TokenWithCreator, int64, error) {
	if q.Limit <= 0 || q.Limit > MaxPerPage {
		q.Limit = MaxPerPage
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	q.Now = s.now()
	return s.store.ListAPITokens(ctx, q)
}

// RevokeToken stops a token at once. With ownOnly, only the caller's own personal tokens
// are found (others are ErrNotFound); admins revoke any. Revoking twice is not an error.
func (s *Service) RevokeToken(ctx context.Context, by Principal, id uuid.UUID, ownOnly bool) (TokenWithCreator, error) {
	if !by.FullAccess() {
		return TokenWithCreator{}, ErrScope
	}
	var out TokenWithCreator
	err := s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		t, err := s.store.APITokenByID(ctx, id)
		if err != nil {
			return err
		}
		if ownOnly && (t.Kind != KindPersonal || t.UserID != by.UserID) {
			return ErrNotFound
		}
		if t.RevokedAt == nil {
			now := s.now()
			if err := s.store.RevokeAPIToken(ctx, id, by.UserID, now); err != nil {
				return err
			}
			t.RevokedAt, t.RevokedBy = &now, &by.UserID
		}
		tx.Audit("token.revoke", "api_token", id.String(), audit.Summary(
			audit.Change{Field: "name", To: t.Name}, audit.Change{Field: "created_by", To: t.Creator.Email}))
		tx.Change(changes.Change{EntityType: "api_token", EntityID: id.String(), Kind: changes.Delete})
		out = t
		return nil
	})
	return out, err
}

// IdentifyToken finds the record of a token from its secret, revoked or not: what an admin
// needs when a secret scanner reports a leak.
func (s *Service) IdentifyToken(ctx context.Context, secret string) (TokenWithCreator, error) {
	if !wellFormed(secret) {
		return TokenWithCreator{}, errs.Invalidf("token", "is not a Herald API token (hrld_pat_… or hrld_svc_… with a valid checksum)")
	}
	return s.store.APITokenByHash(ctx, hashSecret(secret))
}

// Now is the service clock, by which tokens expire.
func (s *Service) Now() time.Time { return s.now() }
