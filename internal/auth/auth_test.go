package auth

import (
	"strings"
	"testing"
	"time"
)

var cheap = PasswordParams{MemoryKiB: 64, Time: 1, Threads: 1}

func TestPasswordHashing(t *testing.T) {
	h, err := hashPassword("correct horse battery staple", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id", h)
	}
	h2, _ := hashPassword("correct horse battery staple", cheap)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"correct horse battery staple": true, "correct horse battery stapl": false, "": false} {
		if ok, err := verifyPassword(pw, h); err != nil || ok != want {
			t.Errorf("verify %q = %v, %v; want %v", pw, ok, err, want)
		}
	}
	// Parameters are read from the hash, so stronger defaults later keep old hashes valid.
	strong, _ := hashPassword("pw", PasswordParams{MemoryKiB: 128, Time: 2, Threads: 2})
	if ok, err := verifyPassword("pw", strong); !ok || err != nil {
		t.Errorf("verify with other params: %v %v", ok, err)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=0,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5"} {
		if ok, err := verifyPassword("pw", bad); ok || err == nil {
			t.Errorf("malformed hash %q accepted (%v, %v)", bad, ok, err)
		}
	}
}

func TestNewServiceRefusesShortSecret(t *testing.T) {
	if _, err := NewService(nil, []byte("short"), WithPasswordParams(cheap)); err == nil {
		t.Fatal("a 5-byte secret was accepted")
	}
	if _, err := NewService(nil, []byte(strings.Repeat("s", 32)), WithPasswordParams(cheap), WithAccessTTL(-time.Second)); err == nil {
		t.Fatal("a negative TTL was accepted")
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	l := NewLimiter(3, time.Minute, 100, clock)
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("attempt %d refused within the burst", i)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != time.Minute {
		t.Fatalf("4th attempt: %v, wait %s; want refused, 1m", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key is limited")
	}
	now = now.Add(30 * time.Second)
	if ok, wait := l.Allow("a"); ok || wait != 30*time.Second {
		t.Fatalf("after 30s: %v %s", ok, wait)
	}
	now = now.Add(30 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("after a minute one attempt should be back")
	}
	l.Reset("a")
	if w := l.Wait("a"); w != 0 {
		t.Fatalf("after reset wait %s", w)
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	now := time.Now()
	l := NewLimiter(2, time.Second, 50, func() time.Time { return now })
	for i := range 10_000 {
		l.Allow(strings.Repeat("k", i%7) + string(rune('a'+i%26)) + time.Duration(i).String())
	}
	if n := l.Len(); n > 50 {
		t.Fatalf("%d keys held, bound is 50", n)
	}
}
