package content

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"
)

// Preview links let the public frontend fetch one article that is not public yet (a draft,
// a scheduled article) as it will look: what Next.js draft mode and Nuxt preview expect. A
// token is "hpv1." + base64url(id ‖ expiry ‖ nonce) + "." + base64url(HMAC-SHA256): a
// forged or altered token fails the signature and an expired one its expiry before the
// database is asked; a genuine one must still match the stored SHA-256 and not be revoked.
// The key is derived from the server's JWT secret, so rotating that secret ends every link.

// Limits on preview links.
const (
	DefaultPreviewTTL = 24 * time.Hour
	MinPreviewTTL     = time.Minute
	// MaxLivePreviews bounds the unexpired, unrevoked links of one article.
	MaxLivePreviews = 20
	// MaxPreviewTokenLen is longer than any token Herald issues; longer input is not parsed.
	MaxPreviewTokenLen = 200
	// MaxPreviewsListed bounds the list of an article's links (live or not), newest first.
	MaxPreviewsListed = 100
)

// ErrPreviewGone is a genuine preview link that expired, was revoked, or whose article was
// deleted.
var ErrPreviewGone = errs.New(errs.Gone, "this preview link has expired or was revoked")

// errPreviewNotFound is any token Herald did not issue.
var errPreviewNotFound = errs.New(errs.NotFound, "no such preview link")

// Preview is one preview link of an article. The token itself is shown once, at creation.
type Preview struct {
	ID        uuid.UUID
	ArticleID uuid.UUID
	// Hash is the hex SHA-256 of the token.
	Hash      string
	CreatedBy *uuid.UUID
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
	RevokedBy *uuid.UUID
}

// Live reports whether the link still opens its article at now.
func (p Preview) Live(now time.Time) bool { return p.RevokedAt == nil && now.Before(p.ExpiresAt) }

// PreviewStore is what preview links need from persistence (part of Store).
type PreviewStore interface {
	CreatePreview(ctx context.Context, p Preview) error
	PreviewByID(ctx context.Context, id uuid.UUID) (Preview, error)
	// Previews lists an article's links, newest first (at most limit).
	Previews(ctx context.Context, articleID uuid.UUID, limit int) ([]Preview, error)
	// CountLivePreviews counts an article's links neither revoked nor expired at now.
	CountLivePreviews(ctx context.Context, articleID uuid.UUID, now time.Time) (int64, error)
	// RevokePreview sets revoked_at and revoked_by unless already revoked.
	RevokePreview(ctx context.Context, id uuid.UUID, by *uuid.UUID, at time.Time) error
	// ArticleExtras fills a's byline and related articles as o says, in one query.
	ArticleExtras(ctx context.Context, a *Article, o DetailOptions) error
}

// PreviewPolicy is the operator's say over preview links.
type PreviewPolicy struct {
	// Key signs tokens; DefaultTTL and MaxTTL bound their lifetime.
	Key                []byte
	DefaultTTL, MaxTTL time.Duration
}

// WithPreviews sets the signing key and lifetimes of preview links. Without it a random
// key (links die with the process) and the defaults apply.
func WithPreviews(p PreviewPolicy) Option { return func(s *Service) { s.previews = p } }

// previewPolicy is s's policy with defaults filled in.
func (s *Service) previewPolicy() PreviewPolicy {
	s.previewOnce.Do(func() {
		p := &s.previews
		if len(p.Key) == 0 {
			p.Key = make([]byte, 32)
			if _, err := rand.Read(p.Key); err != nil {
				panic("content: no randomness for the preview key: " + err.Error())
			}
		}
		if p.DefaultTTL <= 0 {
			p.DefaultTTL = DefaultPreviewTTL
		}
		if p.MaxTTL <= 0 {
			p.MaxTTL = 7 * 24 * time.Hour
		}
		p.DefaultTTL = min(p.DefaultTTL, p.MaxTTL)
	})
	return s.previews
}

// PreviewKey derives the preview signing key from a server secret, so the key differs from
// the one that signs access tokens.
func PreviewKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("herald preview links v1"))
	return m.Sum(nil)
}

// CreatePreview issues a preview link to the article for ttl (0: the default) and returns
// it with its token. Whoever may edit the article may share it: editors any article,
// authors their own drafts.
func (s *Service) CreatePreview(ctx context.Context, actor Actor, articleID uuid.UUID, ttl time.Duration) (Preview, string, error) {
	pol := s.previewPolicy()
	if ttl == 0 {
		ttl = pol.DefaultTTL
	}
	if ttl < MinPreviewTTL || ttl > pol.MaxTTL {
		return Preview{}, "", errs.Invalidf("expires_in", "must be from %d to %d seconds", int(MinPreviewTTL/time.Second), int(pol.MaxTTL/time.Second))
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Preview{}, "", err
	}
	now := s.Now().Truncate(time.Second)
	p := Preview{ID: id, ArticleID: articleID, CreatedBy: actorID(actor), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	token, err := signPreview(pol.Key, id, p.ExpiresAt)
	if err != nil {
		return Preview{}, "", err
	}
	p.Hash = hashToken(token)
	err = s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		if _, err := s.editable(ctx, actor, articleID); err != nil {
			return err
		}
		n, err := s.store.CountLivePreviews(ctx, articleID, now)
		if err != nil {
			return err
		}
		if n >= MaxLivePreviews {
			return errs.Wrap(ErrConflict, fmt.Sprintf("the article has %d live preview links, the most allowed; revoke one first", n))
		}
		if err := s.store.CreatePreview(ctx, p); err != nil {
			return err
		}
		tx.Audit("article.preview.create", "article", articleID.String(), "preview "+id.String()+" until "+p.ExpiresAt.Format(time.RFC3339))
		// A preview changes nothing the public API serves.
		tx.Change(changes.Change{EntityType: "article_preview", EntityID: id.String(), Kind: changes.Upsert})
		return nil
	})
	if err != nil {
		return Preview{}, "", err
	}
	return p, token, nil
}

// editable loads an article that actor may edit; one that actor may not even read is not
// found.
func (s *Service) editable(ctx context.Context, actor Actor, id uuid.UUID) (Article, error) {
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return Article{}, err
	}
	if a.DeletedAt != nil || !s.mayRead(actor, a) {
		return Article{}, ErrNotFound
	}
	return a, canEdit(actor, a)
}

// Previews lists the article's preview links, newest first, live or not.
func (s *Service) Previews(ctx context.Context, actor Actor, articleID uuid.UUID) ([]Preview, error) {
	if _, err := s.editable(ctx, actor, articleID); err != nil {
		return nil, err
	}
	return s.store.Previews(ctx, articleID, MaxPreviewsListed)
}

// RevokePreview ends a preview link of the article at once. Revoking a revoked link is a
// no-op.
func (s *Service) RevokePreview(ctx context.Context, actor Actor, articleID, previewID uuid.UUID) error {
	return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		if _, err := s.editable(ctx, actor, articleID); err != nil {
			return err
		}
		p, err := s.store.PreviewByID(ctx, previewID)
		if err != nil {
			return err
		}
		if p.ArticleID != articleID {
			return ErrNotFound
		}
		if p.RevokedAt != nil {
			return nil
		}
		if err := s.store.RevokePreview(ctx, previewID, actorID(actor), s.Now()); err != nil {
			return err
		}
		tx.Audit("article.preview.revoke", "article", articleID.String(), "preview "+previewID.String())
		tx.Change(changes.Change{EntityType: "article_preview", EntityID: previewID.String(), Kind: changes.Delete})
		return nil
	})
}

// PreviewArticle returns the article a preview token opens, in any status, with its byline
// and the articles related to it in the first locale of chain it has, and the preview. A token Herald did not issue (malformed, tampered, unknown) is not found; a
// genuine one that expired or was revoked, or whose article was deleted, is ErrPreviewGone.
func (s *Service) PreviewArticle(ctx context.Context, token string, chain []string) (Article, Preview, error) {
	pol := s.previewPolicy()
	id, exp, ok := verifyPreview(pol.Key, token)
	if !ok {
		return Article{}, Preview{}, errPreviewNotFound
	}
	now := s.Now()
	if !now.Before(exp) {
		return Article{}, Preview{}, ErrPreviewGone
	}
	p, err := s.store.PreviewByID(ctx, id)
	if errs.CodeOf(err) == errs.NotFound {
		return Article{}, Preview{}, errPreviewNotFound
	}
	if err != nil {
		return Article{}, Preview{}, err
	}
	if subtle.ConstantTimeCompare([]byte(p.Hash), []byte(hashToken(token))) != 1 {
		return Article{}, Preview{}, errPreviewNotFound
	}
	if !p.Live(now) {
		return Article{}, Preview{}, ErrPreviewGone
	}
	a, err := s.store.ArticleByID(ctx, p.ArticleID)
	if err != nil {
		return Article{}, Preview{}, err
	}
	if a.DeletedAt != nil {
		return Article{}, Preview{}, ErrPreviewGone
	}
	if err := s.store.ArticleExtras(ctx, &a, DetailOptions{Related: MaxRelated, Chain: chain, Now: now}); err != nil {
		return Article{}, Preview{}, err
	}
	return a, p, nil
}

const previewPrefix = "hpv1."

// previewPayloadLen is id (16) ‖ expiry in Unix seconds (8) ‖ nonce (16).
const previewPayloadLen = 16 + 8 + 16

func signPreview(key []byte, id uuid.UUID, exp time.Time) (string, error) {
	payload := make([]byte, previewPayloadLen)
	copy(payload, id[:])
	binary.BigEndian.PutUint64(payload[16:24], uint64(exp.Unix()))
	if _, err := rand.Read(payload[24:]); err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	return previewPrefix + enc.EncodeToString(payload) + "." + enc.EncodeToString(previewMAC(key, payload)), nil
}

// verifyPreview checks a token's form and signature and returns its id and expiry.
func verifyPreview(key []byte, token string) (uuid.UUID, time.Time, bool) {
	if len(token) > MaxPreviewTokenLen || !strings.HasPrefix(token, previewPrefix) {
		return uuid.Nil, time.Time{}, false
	}
	body, sig, ok := strings.Cut(strings.TrimPrefix(token, previewPrefix), ".")
	if !ok {
		return uuid.Nil, time.Time{}, false
	}
	enc := base64.RawURLEncoding.Strict()
	payload, err1 := enc.DecodeString(body)
	mac, err2 := enc.DecodeString(sig)
	// The decoder skips CR and LF even when strict: only the canonical spelling is the token,
	// so one link never has two accepted forms.
	if err1 != nil || err2 != nil || enc.EncodeToString(payload) != body || enc.EncodeToString(mac) != sig {
		return uuid.Nil, time.Time{}, false
	}
	if len(payload) != previewPayloadLen || !hmac.Equal(mac, previewMAC(key, payload)) {
		return uuid.Nil, time.Time{}, false
	}
	id, err := uuid.FromBytes(payload[:16])
	if err != nil {
		return uuid.Nil, time.Time{}, false
	}
	exp := binary.BigEndian.Uint64(payload[16:24])
	if exp > 1<<40 {
		return uuid.Nil, time.Time{}, false
	}
	return id, time.Unix(int64(exp), 0).UTC(), true
}

func previewMAC(key, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(payload)
	return m.Sum(nil)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
