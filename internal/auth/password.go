package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/heraldcms/herald/internal/errs"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id cost parameters of new hashes. Verification reads the
// parameters stored in each hash, so raising them later keeps old hashes working.
type PasswordParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultPasswordParams are OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (about
// 30–60 ms on a current core). Memory is the budget that matters: a hash holds MemoryKiB
// while it runs, and at most one hash per hashing slot runs at once (see WithHashSlots), so
// hashing never holds more than slots × 19 MiB, whatever the number of login attempts.
var DefaultPasswordParams = PasswordParams{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// hashPassword returns a PHC-formatted argon2id hash: $argon2id$v=19$m=…,t=…,p=…$salt$key.
func hashPassword(password string, p PasswordParams) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("auth: malformed password hash")

// verifyPassword reports whether password matches encoded, in time independent of where
// the two differ.
func verifyPassword(password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	p, err := hashParams(encoded)
	if err != nil {
		return false, err
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// hashParams reads the cost parameters of a PHC argon2id hash.
func hashParams(encoded string) (PasswordParams, error) {
	var p PasswordParams
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil ||
		p.MemoryKiB == 0 || p.MemoryKiB > 1<<22 || p.Time == 0 || p.Time > 16 || p.Threads == 0 {
		return p, errBadHash
	}
	return p, nil
}

// ErrBusy is a password operation refused because every hashing slot is taken and the
// short waiting line is full or did not move in time; the caller should retry in a moment
// (api answers 503 with Retry-After). Memory stays bounded however many attempts arrive:
// slots × the hash memory, plus goroutines that wait and hold none.
var ErrBusy = errs.New(errs.Unavailable, "too many sign-ins are being checked right now; retry in a second")

// maxHashWait is how long a password check waits for a slot before ErrBusy: a few hash
// durations, enough for a handful of people signing in at once.
const maxHashWait = 500 * time.Millisecond

// hashSlot takes a hashing slot: at once if one is free, else after a bounded wait in a
// bounded line (4 per slot), else ErrBusy.
func (s *Service) hashSlot(ctx context.Context) (release func(), err error) {
	release = func() { <-s.slots }
	select {
	case s.slots <- struct{}{}:
		return release, nil
	default:
	}
	select {
	case s.waiting <- struct{}{}:
		defer func() { <-s.waiting }()
	default:
		return nil, ErrBusy
	}
	t := time.NewTimer(maxHashWait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// hash hashes password with the service parameters inside a hashing slot.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	release, err := s.hashSlot(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return hashPassword(password, s.params)
}

// verify checks password against encoded inside a hashing slot.
func (s *Service) verify(ctx context.Context, password, encoded string) (bool, error) {
	release, err := s.hashSlot(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return verifyPassword(password, encoded)
}
