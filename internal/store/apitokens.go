package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heraldcms/herald/internal/auth"
)

type apiTokenRow struct {
	ID         uuid.UUID `gorm:"primaryKey"`
	Kind       string
	Name       string
	Scope      string
	TokenHash  string
	Hint       string
	UserID     uuid.UUID
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	LastUsedIP string `gorm:"column:last_used_ip"`
	RevokedAt  *time.Time
	RevokedBy  *uuid.UUID
}

func (apiTokenRow) TableName() string { return "api_tokens" }

// tokenWithCreatorRow is a token joined with its creator (columns u_*).
type tokenWithCreatorRow struct {
	ID            uuid.UUID
	Kind          string
	Name          string
	Scope         string
	TokenHash     string
	Hint          string
	UserID        uuid.UUID
	CreatedAt     time.Time
	ExpiresAt     *time.Time
	LastUsedAt    *time.Time
	LastUsedIP    string `gorm:"column:last_used_ip"`
	RevokedAt     *time.Time
	RevokedBy     *uuid.UUID
	UEmail        string    `gorm:"column:u_email"`
	UName         string    `gorm:"column:u_name"`
	URole         string    `gorm:"column:u_role"`
	UActive       bool      `gorm:"column:u_active"`
	UTokenVersion int       `gorm:"column:u_token_version"`
	UCreatedAt    time.Time `gorm:"column:u_created_at"`
	UUpdatedAt    time.Time `gorm:"column:u_updated_at"`
}

const tokenWithCreatorColumns = `t.id, t.kind, t.name, t.scope, t.token_hash, t.hint, t.user_id, t.created_at,
	t.expires_at, t.last_used_at, t.last_used_ip, t.revoked_at, t.revoked_by,
	u.email AS u_email, u.name AS u_name, u.role AS u_role, u.active AS u_active,
	u.token_version AS u_token_version, u.created_at AS u_created_at, u.updated_at AS u_updated_at`

func (r tokenWithCreatorRow) domain() auth.TokenWithCreator {
	return auth.TokenWithCreator{
		APIToken: auth.APIToken{ID: r.ID, Kind: auth.TokenKind(r.Kind), Name: r.Name, Scope: auth.Scope(r.Scope),
			Hash: r.TokenHash, Hint: r.Hint, UserID: r.UserID, CreatedAt: utc(r.CreatedAt), ExpiresAt: utcPtr(r.ExpiresAt),
			LastUsedAt: utcPtr(r.LastUsedAt), LastUsedIP: r.LastUsedIP, RevokedAt: utcPtr(r.RevokedAt), RevokedBy: r.RevokedBy},
		// The password hash is not read: nothing that works with tokens needs it.
		Creator: auth.User{ID: r.UserID, Email: r.UEmail, Name: r.UName, Role: auth.Role(r.URole), Active: r.UActive,
			TokenVersion: r.UTokenVersion, CreatedAt: utc(r.UCreatedAt), UpdatedAt: utc(r.UUpdatedAt)},
	}
}

// tokensWithCreator is the join every token read goes through.
func (s *Auth) tokensWithCreator(ctx context.Context) *gorm.DB {
	return s.db.conn(ctx).Table("api_tokens AS t").Select(tokenWithCreatorColumns).
		Joins("JOIN users AS u ON u.id = t.user_id")
}

// CreateAPIToken implements auth.Store.
func (s *Auth) CreateAPIToken(ctx context.Context, t auth.APIToken) error {
	r := apiTokenRow{ID: t.ID, Kind: string(t.Kind), Name: t.Name, Scope: string(t.Scope), TokenHash: t.Hash,
		Hint: t.Hint, UserID: t.UserID, CreatedAt: utc(t.CreatedAt), ExpiresAt: utcPtr(t.ExpiresAt),
		LastUsedAt: utcPtr(t.LastUsedAt), LastUsedIP: t.LastUsedIP, RevokedAt: utcPtr(t.RevokedAt), RevokedBy: t.RevokedBy}
	return mapErr(s.db.conn(ctx).Create(&r).Error)
}

// APITokenByHash implements auth.Store: one indexed probe, with the creator.
func (s *Auth) APITokenByHash(ctx context.Context, hash string) (auth.TokenWithCreator, error) {
	var r tokenWithCreatorRow
	if err := s.tokensWithCreator(ctx).Where("t.token_hash = ?", hash).Take(&r).Error; err != nil {
		return auth.TokenWithCreator{}, mapErr(err)
	}
	return r.domain(), nil
}

// APITokenByID implements auth.Store.
func (s *Auth) APITokenByID(ctx context.Context, id uuid.UUID) (auth.TokenWithCreator, error) {
	var r tokenWithCreatorRow
	if err := s.tokensWithCreator(ctx).Where("t.id = ?", id).Take(&r).Error; err != nil {
		return auth.TokenWithCreator{}, mapErr(err)
	}
	return r.domain(), nil
}

// ListAPITokens implements auth.Store in two queries: count and page.
func (s *Auth) ListAPITokens(ctx context.Context, q auth.TokenQuery) ([]auth.TokenWithCreator, int64, error) {
	filter := func(db *gorm.DB) *gorm.DB {
		if q.UserID != nil {
			db = db.Where("t.user_id = ?", *q.UserID)
		}
		if q.Kind != "" {
			db = db.Where("t.kind = ?", string(q.Kind))
		}
		if q.Active {
			db = db.Where("t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)", utc(q.Now))
		}
		return db
	}
	var total int64
	if err := filter(s.db.conn(ctx).Table("api_tokens AS t")).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []tokenWithCreatorRow
	if err := filter(s.tokensWithCreator(ctx)).Order("t.created_at DESC, t.id DESC").
		Limit(q.Limit).Offset(q.Offset).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]auth.TokenWithCreator, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, total, nil
}

// CountActiveAPITokens implements auth.Store.
func (s *Auth) CountActiveAPITokens(ctx context.Context, userID uuid.UUID, now time.Time) (int64, error) {
	var n int64
	err := s.db.conn(ctx).Model(&apiTokenRow{}).
		Where("user_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)", userID, utc(now)).
		Count(&n).Error
	return n, err
}

// RevokeAPIToken implements auth.Store.
func (s *Auth) RevokeAPIToken(ctx context.Context, id, by uuid.UUID, at time.Time) error {
	return s.db.conn(ctx).Model(&apiTokenRow{}).Where("id = ? AND revoked_at IS NULL", id).
		Updates(map[string]any{"revoked_at": utc(at), "revoked_by": by}).Error
}

// RecordAPITokenUses implements auth.Store: one conditional UPDATE per token, in one
// transaction, so an older record flushed late by another instance never wins.
func (s *Auth) RecordAPITokenUses(ctx context.Context, uses map[uuid.UUID]auth.TokenUse) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		for id, u := range uses {
			at := utc(u.At)
			err := s.db.conn(ctx).Model(&apiTokenRow{}).
				Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", id, at).
				Updates(map[string]any{"last_used_at": at, "last_used_ip": u.IP}).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// LockUser implements auth.TokenStore. PostgreSQL locks the row; SQLite transactions begin
// IMMEDIATE (see sqliteDSN), so writers are already serialized.
func (s *Auth) LockUser(ctx context.Context, id uuid.UUID) (auth.User, error) {
	q := s.db.conn(ctx).Where("id = ?", id)
	if s.db.dialect == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var r userRow
	if err := q.Take(&r).Error; err != nil {
		return auth.User{}, mapErr(err)
	}
	return userFromRow(r), nil
}
