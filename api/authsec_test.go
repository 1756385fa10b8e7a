package api_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
	"github.com/heraldcms/herald/internal/views"
)

// TestLoginFloodIsRefusedNotQueued is the memory-exhaustion attack of issue 11: many
// parallel logins (known and unknown emails, each from its own address) against a server
// with one hashing slot. Password checks beyond the slot and its short waiting line are
// refused at once with 503 and Retry-After instead of each holding argon2 memory; nothing
// fails otherwise, and the account can sign in once the flood is over.
func TestLoginFloodIsRefusedNotQueued(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			// Slow enough that the flood overlaps, small enough for CI.
			app := newTestAppWith(t, d, nil, auth.WithHashSlots(1),
				auth.WithPasswordParams(auth.PasswordParams{MemoryKiB: 8 * 1024, Time: 6, Threads: 1}))
			ctx := context.Background()
			u, err := app.auth.CreateUser(ctx, auth.NewUser{Email: "flooded@example.com", Role: auth.RoleEditor, Password: testPassword})
			if err != nil {
				t.Fatal(err)
			}
			const n = 40
			codes := make([]int, n)
			retry := make([]string, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					email := fmt.Sprintf("nobody%d@example.com", i) // unknown emails must cost a slot too
					if i%8 == 0 {
						email = u.Email // fewer than the account's attempt budget
					}
					rec := app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: email, Password: "wrong password!!"},
						fmt.Sprintf("Peer: 198.51.100.%d", i+1))
					codes[i], retry[i] = rec.Code, rec.Header().Get("Retry-After")
				}()
			}
			wg.Wait()
			busy := map[bool]int{}
			for i, c := range codes {
				switch c {
				case http.StatusUnauthorized:
				case http.StatusServiceUnavailable:
					busy[i%8 != 0]++
					if retry[i] != "1" {
						t.Errorf("503 with Retry-After %q", retry[i])
					}
				default:
					t.Errorf("login %d: status %d", i, c)
				}
			}
			if busy[false]+busy[true] == 0 {
				t.Fatalf("40 parallel logins on one hashing slot: none refused (%v)", codes)
			}
			if busy[true] == 0 {
				t.Errorf("no login with an unknown email was refused for want of a slot: unknown emails skip the hashing")
			}
			app.login(t, u.Email, testPassword)
		})
	}
}

// TestOldHashesVerifyAndAreRehashed: a password hashed with other (older, costlier)
// parameters still signs in, and that login replaces the hash with one of the current
// parameters; the password keeps working.
func TestOldHashesVerifyAndAreRehashed(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		ctx := context.Background()
		old, err := auth.NewService(store.NewAuth(app.db), testSecret, auth.WithPasswordParams(auth.PasswordParams{MemoryKiB: 256, Time: 3, Threads: 2}))
		if err != nil {
			t.Fatal(err)
		}
		u, err := old.CreateUser(ctx, auth.NewUser{Email: "veteran@example.com", Role: auth.RoleAuthor, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(u.PasswordHash, "$m=256,t=3,p=2$") {
			t.Fatalf("old hash %q", u.PasswordHash)
		}
		problem(t, app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: u.Email, Password: "wrong password!!"}), http.StatusUnauthorized)
		if got, _ := app.auth.User(ctx, u.ID); got.PasswordHash != u.PasswordHash {
			t.Fatal("a failed login changed the hash")
		}
		app.login(t, u.Email, testPassword)
		got, err := app.auth.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got.PasswordHash, "$m=64,t=1,p=1$") || got.TokenVersion != u.TokenVersion {
			t.Fatalf("after login the hash is %q (version %d), want the current parameters and the same token version", got.PasswordHash, got.TokenVersion)
		}
		app.login(t, u.Email, testPassword)
	})
}

// TestForwardedForOnlyFromTrustedProxies is the address-spoofing attack of issue 11: a
// client on a private network (formerly trusted by default) rotates X-Forwarded-For to get
// a fresh login budget per request. Without HERALD_TRUSTED_PROXIES it stays one client;
// behind a configured proxy, the proxy's forwarded address is the client, while a peer
// outside the configured range is again one client whatever it forwards. Logs carry the
// address that counted.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	spray := func(app *testApp, peer string) (last int) {
		for i := range 40 {
			last = app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: fmt.Sprintf("spray%d@example.com", i), Password: "x"},
				"Peer: "+peer, fmt.Sprintf("X-Forwarded-For: 203.0.113.%d", i), fmt.Sprintf("X-Real-IP: 203.0.113.%d", i)).Code
		}
		return last
	}
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app, logs := newLoggedApp(t, d)
			if last := spray(app, "10.1.2.3"); last != http.StatusTooManyRequests {
				t.Fatalf("40 logins from one private address with rotated X-Forwarded-For: last %d, want 429", last)
			}
			for _, l := range logs.lines(t) {
				if l["msg"] == "request" && l["client_ip"] != "10.1.2.3" {
					t.Fatalf("request logged with client_ip %v, want the peer", l["client_ip"])
				}
			}

			_, proxyNet, _ := net.ParseCIDR("10.0.0.0/8")
			behind := newTestAppWith(t, d, func(deps *api.Deps) { deps.TrustedProxies = []*net.IPNet{proxyNet} })
			if last := spray(behind, "10.1.2.3"); last != http.StatusUnauthorized {
				t.Fatalf("40 clients behind a trusted proxy: last %d, want 401 (each its own budget)", last)
			}
			if last := spray(behind, "192.168.7.7"); last != http.StatusTooManyRequests {
				t.Fatalf("an untrusted peer with rotated X-Forwarded-For: last %d, want 429", last)
			}
		})
	}
}

// TestViewsRateLimitPerAddress: one address flooding the read beacon (8,700 hits/s in the
// attack) gets 429 with Retry-After beyond its budget, however it rotates forwarding headers
// or its IPv6 interface id, while another address is still counted.
func TestViewsRateLimitPerAddress(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			app := newViewsAppWith(t, d, views.Options{}, func(deps *api.Deps) { deps.ViewsPerMinute = 5 })
			fx := app.article(demo.FixtureSlugEN)
			for i := range 5 {
				if code := app.hit(fx.ID, "Peer: 198.51.100.9"); code != http.StatusAccepted {
					t.Fatalf("hit %d: %d", i, code)
				}
			}
			rec := app.do(http.MethodPost, "/api/v1/articles/"+fx.ID+"/views", nil, "Peer: 198.51.100.9", "X-Forwarded-For: 203.0.113.77")
			problem(t, rec, http.StatusTooManyRequests)
			if rec.Header().Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			if code := app.hit(fx.ID, "Peer: 198.51.100.10"); code != http.StatusAccepted {
				t.Fatalf("another address: %d", code)
			}
			for i := range 5 {
				app.hit(fx.ID, fmt.Sprintf("Peer: 2001:db8:1:2::%x", i+1))
			}
			if code := app.hit(fx.ID, "Peer: 2001:db8:1:2:ffff::1"); code != http.StatusTooManyRequests {
				t.Fatalf("a sixth address in one IPv6 /64: %d, want 429", code)
			}
			app.flush()
			if got := app.article(fx.ID).ReadCount; got != 310+5+1+5 {
				t.Fatalf("read_count %d, want 321: refused hits must not count", got)
			}
		})
	}
}

// TestSpoofedFailuresCannotLockTheOwnerOut is the lockout attack of issue 11: wrong
// passwords for one account from many addresses (a botnet, or spoofed ones) exhaust the
// account's global budget, yet the owner, from an address they signed in from before, still
// signs in with the right password; a new address waits for the slower account backoff.
// Failures that are not wrong passwords (the database gone) count against nobody.
func TestSpoofedFailuresCannotLockTheOwnerOut(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		ctx := context.Background()
		u, err := app.auth.CreateUser(ctx, auth.NewUser{Email: "owner@example.com", Role: auth.RoleEditor, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		home := "Peer: 198.51.100.20"
		app.login(t, u.Email, testPassword, home)

		wrong := api.LoginRequest{Email: u.Email, Password: "wrong password!!"}
		refused := 0
		for i := range 60 {
			rec := app.send(http.MethodPost, "/api/v1/auth/login", wrong, fmt.Sprintf("Peer: 203.0.113.%d", i+1))
			switch rec.Code {
			case http.StatusUnauthorized:
			case http.StatusTooManyRequests:
				refused++
			default:
				t.Fatalf("attempt %d: %d", i, rec.Code)
			}
		}
		if refused == 0 {
			t.Fatal("60 wrong passwords at one account from 60 addresses: none refused (no per-account bound)")
		}
		// The owner, from home, is not locked out; from a new address they wait.
		app.login(t, u.Email, testPassword, home)
		rec := app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: u.Email, Password: testPassword}, "Peer: 192.0.2.200")
		problem(t, rec, http.StatusTooManyRequests)
		if rec.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		// Wrong passwords from home still count against home.
		for range 10 {
			problem(t, app.send(http.MethodPost, "/api/v1/auth/login", wrong, home), http.StatusUnauthorized)
		}
		problem(t, app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: u.Email, Password: testPassword}, home), http.StatusTooManyRequests)

		app.clock.Set(app.clock.Now().Add(2 * time.Hour))
		app.login(t, u.Email, testPassword, "Peer: 192.0.2.200")

		// The database goes away: 20 attempts fail with 500, and none of them counts.
		if err := app.db.Gorm().Exec("ALTER TABLE users RENAME TO users_away").Error; err != nil {
			t.Fatal(err)
		}
		for range 20 {
			problem(t, app.send(http.MethodPost, "/api/v1/auth/login", wrong, "Peer: 192.0.2.201"), http.StatusInternalServerError)
		}
		if err := app.db.Gorm().Exec("ALTER TABLE users_away RENAME TO users").Error; err != nil {
			t.Fatal(err)
		}
		app.login(t, u.Email, testPassword, "Peer: 192.0.2.201")
	})
}

// TestWeakPasswordsRefused: common passwords (from the bundled list, also with digits or
// symbols appended), placeholders and admin passwords under 12 characters are refused when
// a user is created, reset or changes their own, naming the field.
func TestWeakPasswordsRefused(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		admin, _ := app.token(t, auth.RoleAdmin)
		h := bearer(admin)
		for _, c := range []struct{ role, password string }{
			{"editor", "password123"}, {"editor", "Qwertyuiop2024!"}, {"author", "iloveyou!!"}, {"author", "change-me-too"},
			{"admin", "Zk4-pLw9-Rt"}, {"editor", "aaaaaaaaaaaa"},
		} {
			p := problem(t, app.send(http.MethodPost, "/api/v1/admin/users", api.CreateUserRequest{Email: "weak@example.com", Role: c.role, Password: c.password}, h), http.StatusBadRequest)
			if len(p.Errors) != 1 || p.Errors[0].Field != "password" {
				t.Errorf("%s %q: %+v", c.role, c.password, p)
			}
		}
		u := decode[api.UserDTO](t, app.send(http.MethodPost, "/api/v1/admin/users", api.CreateUserRequest{Email: "strong@example.com", Role: "admin", Password: "Zk4-pLw9-Rt-x"}, h), http.StatusCreated)
		problem(t, app.send(http.MethodPut, "/api/v1/admin/users/"+u.ID.String()+"/password", api.PasswordResetRequest{Password: "sunshine1234"}, h), http.StatusBadRequest)
		me := app.login(t, "strong@example.com", "Zk4-pLw9-Rt-x")
		p := problem(t, app.send(http.MethodPut, "/api/v1/auth/me/password", api.PasswordChangeRequest{CurrentPassword: "Zk4-pLw9-Rt-x", NewPassword: "shortadmin1"}, bearer(me.AccessToken)), http.StatusBadRequest)
		if p.Errors[0].Field != "new_password" || !strings.Contains(p.Errors[0].Message, "12") {
			t.Errorf("admin with an 11-character password: %+v", p)
		}
	})
}
