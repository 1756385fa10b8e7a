package store

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/heraldcms/herald/internal/auth"
)

// Auth implements auth.Store.
type Auth struct{ db *DB }

// NewAuth returns the auth repository over db.
func NewAuth(db *DB) *Auth { return &Auth{db: db} }

var _ auth.Store = (*Auth)(nil)

type userRow struct {
	ID           uuid.UUID `gorm:"primaryKey"`
	Email        string
	Name         string
	Role         string
	Active       bool
	PasswordHash string
	TokenVersion int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

type refreshTokenRow struct {
	ID        uuid.UUID `gorm:"primaryKey"`
	UserID    uuid.UUID
	Family    uuid.UUID
	TokenHash string
	ExpiresAt time.Time
	CreatedAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	Successor *string
}

func (refreshTokenRow) TableName() string { return "refresh_tokens" }

func userFromRow(r userRow) auth.User {
	return auth.User{ID: r.ID, Email: r.Email, Name: r.Name, Role: auth.Role(r.Role), Active: r.Active,
		PasswordHash: r.PasswordHash, TokenVersion: r.TokenVersion, CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt)}
}

func userToRow(u auth.User) userRow {
	return userRow{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Active: u.Active,
		PasswordHash: u.PasswordHash, TokenVersion: u.TokenVersion, CreatedAt: utc(u.CreatedAt), UpdatedAt: utc(u.UpdatedAt)}
}

// InTx implements auth.Store.
func (s *Auth) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.InTx(ctx, fn)
}

// CreateUser implements auth.Store.
func (s *Auth) CreateUser(ctx context.Context, u auth.User) error {
	r := userToRow(u)
	return mapErr(s.db.conn(ctx).Create(&r).Error)
}

// UserByID implements auth.Store.
func (s *Auth) UserByID(ctx context.Context, id uuid.UUID) (auth.User, error) {
	var r userRow
	if err := s.db.conn(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return auth.User{}, mapErr(err)
	}
	return userFromRow(r), nil
}

// UserByEmail implements auth.Store; emails are stored normalized (auth.NormalizeEmail).
func (s *Auth) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	var r userRow
	if err := s.db.conn(ctx).Where("email = ?", email).Take(&r).Error; err != nil {
		return auth.User{}, mapErr(err)
	}
	return userFromRow(r), nil
}

// UpdateUser implements auth.Store.
func (s *Auth) UpdateUser(ctx context.Context, u auth.User) error {
	res := s.db.conn(ctx).Model(&userRow{}).Where("id = ?", u.ID).Updates(map[string]any{
		"name": u.Name, "role": string(u.Role), "active": u.Active, "password_hash": u.PasswordHash,
		"token_version": u.TokenVersion, "updated_at": utc(u.UpdatedAt),
	})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return auth.ErrNotFound
	}
	return nil
}

// ReplacePasswordHash implements auth.Store.
func (s *Auth) ReplacePasswordHash(ctx context.Context, id uuid.UUID, old, next string) error {
	return mapErr(s.db.conn(ctx).Model(&userRow{}).Where("id = ? AND password_hash = ?", id, old).
		Update("password_hash", next).Error)
}

// likeEscaper makes user text literal inside LIKE patterns (with ESCAPE '\').
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// ListUsers implements auth.Store in two queries: count and page.
func (s *Auth) ListUsers(ctx context.Context, q auth.UserQuery) ([]auth.User, int64, error) {
	filter := func() *gorm.DB {
		db := s.db.conn(ctx).Model(&userRow{})
		if q.Role != "" {
			db = db.Where("role = ?", string(q.Role))
		}
		if q.Active != nil {
			db = db.Where("active = ?", *q.Active)
		}
		if q.Q != "" {
			pat := "%" + likeEscaper.Replace(q.Q) + "%"
			db = db.Where(`(email LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\')`, pat, pat)
		}
		return db
	}
	var total int64
	if err := filter().Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []userRow
	if err := filter().Order("created_at, id").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]auth.User, len(rows))
	for i, r := range rows {
		out[i] = userFromRow(r)
	}
	return out, total, nil
}

// CountUsers implements auth.Store.
func (s *Auth) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.conn(ctx).Model(&userRow{}).Count(&n).Error
	return n, err
}

// LockActiveAdmins implements auth.Store. PostgreSQL locks the rows; SQLite transactions
// begin IMMEDIATE (see sqliteDSN), so writers are already serialized.
func (s *Auth) LockActiveAdmins(ctx context.Context) ([]uuid.UUID, error) {
	q := s.db.conn(ctx).Model(&userRow{}).Where("role = ? AND active = ?", string(auth.RoleAdmin), true)
	if s.db.dialect == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var ids []uuid.UUID
	err := q.Pluck("id", &ids).Error
	return ids, err
}

// CreateRefreshToken implements auth.Store.
func (s *Auth) CreateRefreshToken(ctx context.Context, t auth.RefreshToken) error {
	r := refreshTokenRow{ID: t.ID, UserID: t.UserID, Family: t.Family, TokenHash: t.Hash,
		ExpiresAt: utc(t.ExpiresAt), CreatedAt: utc(t.CreatedAt), UsedAt: utcPtr(t.UsedAt), RevokedAt: utcPtr(t.RevokedAt)}
	return mapErr(s.db.conn(ctx).Create(&r).Error)
}

// RefreshTokenByHash implements auth.Store.
func (s *Auth) RefreshTokenByHash(ctx context.Context, hash string) (auth.RefreshToken, error) {
	var r refreshTokenRow
	if err := s.db.conn(ctx).Where("token_hash = ?", hash).Take(&r).Error; err != nil {
		return auth.RefreshToken{}, mapErr(err)
	}
	rt := auth.RefreshToken{ID: r.ID, UserID: r.UserID, Family: r.Family, Hash: r.TokenHash,
		ExpiresAt: utc(r.ExpiresAt), CreatedAt: utc(r.CreatedAt), UsedAt: utcPtr(r.UsedAt), RevokedAt: utcPtr(r.RevokedAt)}
	if r.Successor != nil {
		rt.Successor = *r.Successor
	}
	return rt, nil
}

// MarkRefreshTokenUsed implements auth.Store with a conditional update, so of two
// concurrent rotations exactly one wins.
func (s *Auth) MarkRefreshTokenUsed(ctx context.Context, id uuid.UUID, at time.Time, successor string) (bool, error) {
	res := s.db.conn(ctx).Model(&refreshTokenRow{}).
		Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", id).
		Updates(map[string]any{"used_at": utc(at), "successor": successor})
	return res.RowsAffected == 1, res.Error
}

// RevokeRefreshFamily implements auth.Store.
func (s *Auth) RevokeRefreshFamily(ctx context.Context, family uuid.UUID, at time.Time) error {
	return s.db.conn(ctx).Model(&refreshTokenRow{}).
		Where("family = ? AND revoked_at IS NULL", family).Update("revoked_at", utc(at)).Error
}

// RevokeUserRefreshTokens implements auth.Store.
func (s *Auth) RevokeUserRefreshTokens(ctx context.Context, userID uuid.UUID, at time.Time) error {
	return s.db.conn(ctx).Model(&refreshTokenRow{}).
		Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", utc(at)).Error
}
