// Package delta is Herald's delta sync over the change log (internal/changes): the opaque,
// signed sync tokens, the windows of the log one page of a sync covers (several changes of
// one entity coalesced, no position skipped), the retention that prunes old change rows,
// and the long-poll waiters. It knows nothing of HTTP or SQL; api composes it with the
// content service, which serves the entities' current state.
package delta

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/errs"
)

// Phase is where in a sync a token continues.
type Phase uint8

// The phases: an initial sync walks articles, then categories, then tags (each in id
// order), then hands out a delta token that reads the change log.
const (
	PhaseArticles   Phase = 1
	PhaseCategories Phase = 2
	PhaseTags       Phase = 3
	PhaseDelta      Phase = 4
)

// Token is the state a client carries between requests of a sync.
type Token struct {
	Phase Phase
	// Position is the change-log position the client's state is complete up to (an initial
	// sync: the snapshot position its delta starts from).
	Position int64
	// After is the last id an initial phase served.
	After uuid.UUID
	// Issued is when the token was made; older than the retention it is refused (410).
	Issued time.Time
	// Locales are the locales the sync serves, fixed at its start.
	Locales []string
}

const (
	tokenVersion = 1
	macLen       = 16
	// maxTokenLen bounds what Decode reads before it checks anything.
	maxTokenLen = 512
)

// Codec makes and checks tokens for one database: they carry its install id and are signed
// with a key derived from the configured secret, so they survive restarts, work on every
// instance of that database, and a token from another database or a tampered one is
// refused.
type Codec struct {
	key     []byte
	install [16]byte
}

// NewCodec returns the codec of the database whose install id is installID (32 hex digits),
// keyed from secret.
func NewCodec(secret []byte, installID string) (*Codec, error) {
	if len(secret) == 0 {
		return nil, errors.New("delta: a secret is required to sign sync tokens")
	}
	raw, err := hex.DecodeString(installID)
	if err != nil || len(raw) != 16 {
		return nil, fmt.Errorf("delta: install id %q is not 16 bytes of hex", installID)
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("herald sync token v1"))
	c := &Codec{key: m.Sum(nil)}
	copy(c.install[:], raw)
	return c, nil
}

// Encode returns t as an opaque URL-safe string.
func (c *Codec) Encode(t Token) string {
	b := make([]byte, 0, 64)
	b = append(b, tokenVersion, byte(t.Phase))
	b = append(b, c.install[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(t.Position))
	b = append(b, t.After[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(t.Issued.Unix()))
	loc := strings.Join(t.Locales, ",")
	b = append(b, byte(len(loc)))
	b = append(b, loc...)
	b = append(b, c.mac(b)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (c *Codec) mac(b []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write(b)
	return m.Sum(nil)[:macLen]
}

// badToken is the 400 of every token Decode refuses; it says no more than that, so a
// forger learns nothing from the difference.
func badToken(why string) error {
	return errs.Invalidf("sync_token", "is not a sync token of this server (%s); start over with a sync without sync_token", why)
}

// Decode checks s and returns its token: a 400 naming sync_token for anything that is not
// a token this codec made (garbage, tampered, another database's).
func (c *Codec) Decode(s string) (Token, error) {
	if len(s) > maxTokenLen {
		return Token{}, badToken("too long")
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Token{}, badToken("not base64url")
	}
	const fixed = 2 + 16 + 8 + 16 + 8 + 1
	if len(b) < fixed+macLen {
		return Token{}, badToken("too short")
	}
	body, sum := b[:len(b)-macLen], b[len(b)-macLen:]
	if !hmac.Equal(sum, c.mac(body)) {
		return Token{}, badToken("bad signature")
	}
	if body[0] != tokenVersion {
		return Token{}, badToken("unknown version")
	}
	if [16]byte(body[2:18]) != c.install {
		return Token{}, badToken("made by another database")
	}
	t := Token{Phase: Phase(body[1])}
	if t.Phase < PhaseArticles || t.Phase > PhaseDelta {
		return Token{}, badToken("unknown phase")
	}
	t.Position = int64(binary.BigEndian.Uint64(body[18:26]))
	copy(t.After[:], body[26:42])
	t.Issued = time.Unix(int64(binary.BigEndian.Uint64(body[42:50])), 0).UTC()
	n := int(body[50])
	if len(body) != fixed+n {
		return Token{}, badToken("bad length")
	}
	if n > 0 {
		t.Locales = strings.Split(string(body[fixed:]), ",")
	}
	return t, nil
}
