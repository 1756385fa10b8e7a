package auth

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/heraldcms/herald/internal/errs"
)

// ThrottleLimits are the sign-in budgets of a Throttle: Burst attempts at once, one more
// every Every.
type ThrottleLimits struct {
	// PerAddress bounds one client address spraying many accounts.
	PerAddress LimiterRate
	// PerPair bounds one address guessing one account's password.
	PerPair LimiterRate
	// PerAccount is the slower global bound on one account, whatever the addresses (a
	// botnet); a correct password from an address the account signed in from before is not
	// held by it, so spoofed or distributed failures cannot lock the owner out.
	PerAccount LimiterRate
	// MaxKeys bounds each limiter's memory.
	MaxKeys int
}

// LimiterRate is a token bucket: Burst at once, one more every Every.
type LimiterRate struct {
	Burst int
	Every time.Duration
}

// DefaultThrottleLimits: 30 attempts per address then one per 2 s; 10 per account and
// address then one a minute; 30 per account from anywhere then one every 2 minutes (at most
// about 750 guesses a day at one account, from any number of addresses).
var DefaultThrottleLimits = ThrottleLimits{
	PerAddress: LimiterRate{30, 2 * time.Second},
	PerPair:    LimiterRate{10, time.Minute},
	PerAccount: LimiterRate{30, 2 * time.Minute},
	MaxKeys:    50_000,
}

// knownAddrsPerAccount is how many recent good addresses are remembered per account.
const knownAddrsPerAccount = 8

// Throttle is the sign-in attempt policy. Attempts are counted per address, per (account,
// address) and per account; only wrong credentials count: an attempt that fails for any
// other reason (a database error, a busy hasher) is given back. It is in memory, per process.
type Throttle struct {
	byAddr, byPair, byAccount *Limiter
	maxKeys                   int

	mu    sync.Mutex
	known map[string][]string // account → addresses it signed in from, newest last
}

// NewThrottle returns a Throttle; clock is injected so tests need not sleep.
func NewThrottle(l ThrottleLimits, clock func() time.Time) *Throttle {
	return &Throttle{
		byAddr:    NewLimiter(l.PerAddress.Burst, l.PerAddress.Every, l.MaxKeys, clock),
		byPair:    NewLimiter(l.PerPair.Burst, l.PerPair.Every, l.MaxKeys, clock),
		byAccount: NewLimiter(l.PerAccount.Burst, l.PerAccount.Every, l.MaxKeys, clock),
		maxKeys:   max(l.MaxKeys, 1),
		known:     map[string][]string{},
	}
}

// RateLimitedError refuses an attempt; RetryAfter is when the next may come.
type RateLimitedError struct{ RetryAfter time.Duration }

// ErrorCode implements errs.Coder.
func (e *RateLimitedError) ErrorCode() errs.Code { return errs.RateLimited }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many attempts; retry in %s", e.RetryAfter.Round(time.Second))
}

// Attempt is one admitted sign-in attempt; Done reports its outcome.
type Attempt struct {
	t             *Throttle
	account, addr string
	spentAccount  bool
}

func pairKey(account, addr string) string { return account + "\x00" + addr }

// Begin admits an attempt at account from addr (a normalized email and a client address),
// or refuses it with a *RateLimitedError.
func (t *Throttle) Begin(account, addr string) (*Attempt, error) {
	if ok, wait := t.byAddr.Allow(addr); !ok {
		return nil, &RateLimitedError{wait}
	}
	if ok, wait := t.byPair.Allow(pairKey(account, addr)); !ok {
		return nil, &RateLimitedError{wait}
	}
	a := &Attempt{t: t, account: account, addr: addr}
	ok, wait := t.byAccount.Allow(account)
	switch {
	case ok:
		a.spentAccount = true
	case !t.isKnown(account, addr):
		t.byPair.Refund(pairKey(account, addr))
		return nil, &RateLimitedError{wait}
	}
	// A known address goes on past an exhausted account budget: its own pair budget still
	// bounds it.
	return a, nil
}

// Done records the outcome: err nil is a successful sign-in (the address becomes known for
// the account and its pair budget is restored); ErrInvalidCredentials counts; any other
// error gives the attempt back.
func (a *Attempt) Done(err error) {
	t := a.t
	switch {
	case err == nil:
		t.byPair.Reset(pairKey(a.account, a.addr))
		t.remember(a.account, a.addr)
	case errors.Is(err, ErrInvalidCredentials):
	default:
		t.byAddr.Refund(a.addr)
		t.byPair.Refund(pairKey(a.account, a.addr))
		if a.spentAccount {
			t.byAccount.Refund(a.account)
		}
	}
}

func (t *Throttle) isKnown(account, addr string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range t.known[account] {
		if k == addr {
			return true
		}
	}
	return false
}

func (t *Throttle) remember(account, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	list, ok := t.known[account]
	if !ok && len(t.known) >= t.maxKeys {
		for k := range t.known { // forget an arbitrary account: it only loses the bypass
			delete(t.known, k)
			break
		}
	}
	out := list[:0:0]
	for _, k := range list {
		if k != addr {
			out = append(out, k)
		}
	}
	out = append(out, addr)
	if len(out) > knownAddrsPerAccount {
		out = out[len(out)-knownAddrsPerAccount:]
	}
	t.known[account] = out
}
