package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

const jsonCT = "Content-Type: application/json"

func bearer(token string) string { return "Authorization: Bearer " + token }

// send marshals body (a string is sent as is) and sends it with a JSON Content-Type.
func (a *testApp) send(method, target string, body any, headers ...string) *httptest.ResponseRecorder {
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		raw, _ = json.Marshal(b)
	}
	return a.do(method, target, bytes.NewReader(raw), append([]string{jsonCT}, headers...)...)
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder, status int) T {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %.400s", rec.Code, status, rec.Body.String())
	}
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode: %v; body %s", err, rec.Body.String())
	}
	return v
}

func TestLoginAndMe(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		token, id := app.token(t, auth.RoleEditor)
		rec := app.get("/api/v1/auth/me", bearer(token))
		me := decode[api.UserDTO](t, rec, http.StatusOK)
		if me.ID != id || me.Role != "editor" || !me.Active || !strings.HasPrefix(me.Email, "editor-") {
			t.Fatalf("me = %+v", me)
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("Cache-Control %q on an authenticated response", cc)
		}
		if strings.Contains(rec.Body.String(), "argon2") || strings.Contains(rec.Body.String(), "password") {
			t.Errorf("me leaks the password hash: %s", rec.Body.String())
		}

		// The email is case-insensitive; the response has the documented shape.
		tr := app.login(t, strings.ToUpper(me.Email), testPassword)
		if tr.TokenType != "Bearer" || tr.ExpiresIn != 900 || tr.RefreshToken == "" || tr.RefreshExpiresAt.Sub(app.clock.Now()) < 29*24*time.Hour {
			t.Fatalf("token response %+v", tr)
		}
		claims := jwt.MapClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(tr.AccessToken, claims); err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"iss", "aud", "exp", "iat", "sub"} {
			if claims[c] == nil {
				t.Errorf("access token lacks %s: %v", c, claims)
			}
		}
	})
}

func TestLoginFailuresLookAlike(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		_, inactiveID := app.token(t, auth.RoleAuthor)
		off := false
		if _, _, err := app.auth.UpdateUser(context.Background(), inactiveID, auth.UserPatch{Active: &off}); err != nil {
			t.Fatal(err)
		}
		inactive, _ := app.auth.User(context.Background(), inactiveID)
		_, activeID := app.token(t, auth.RoleEditor)
		active, _ := app.auth.User(context.Background(), activeID)

		var bodies []string
		for _, c := range []struct{ name, email, password string }{
			{"unknown email", "nobody@example.com", testPassword},
			{"wrong password", active.Email, "wrong password!!"},
			{"inactive account", inactive.Email, testPassword},
			{"SQL in the email", `' OR '1'='1' --`, `' OR '1'='1`},
			{"oversized password", active.Email, strings.Repeat("p", 10_000)},
		} {
			rec := app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: c.email, Password: c.password})
			p := problem(t, rec, http.StatusUnauthorized)
			if rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("%s: no WWW-Authenticate", c.name)
			}
			p.Instance = ""
			b, _ := json.Marshal(p)
			bodies = append(bodies, string(b))
		}
		for i := range bodies {
			if bodies[i] != bodies[0] {
				t.Errorf("failure %d differs:\n%s\n%s", i, bodies[i], bodies[0])
			}
		}
	})
}

// forge signs claims with method and key, for attack tests.
func forge(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAccessTokenAttacks(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		good, id := app.token(t, auth.RoleAdmin)
		now := app.clock.Now()
		valid := func(change func(jwt.MapClaims)) jwt.MapClaims {
			c := jwt.MapClaims{"iss": auth.Issuer, "aud": auth.Audience, "sub": id.String(), "ver": 1, "role": "admin",
				"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(10 * time.Minute).Unix()}
			if change != nil {
				change(c)
			}
			return c
		}
		// The forger's baseline works, so each case below fails for its one reason.
		if rec := app.get("/api/v1/auth/me", bearer(forge(t, jwt.SigningMethodHS256, testSecret, valid(nil)))); rec.Code != http.StatusOK {
			t.Fatalf("baseline forged token: %d %s", rec.Code, rec.Body.String())
		}
		parts := strings.Split(good, ".")
		noneToken, _ := jwt.NewWithClaims(jwt.SigningMethodNone, valid(nil)).SignedString(jwt.UnsafeAllowNoneSignatureType)
		cases := []struct{ name, header string }{
			{"missing", ""},
			{"not bearer", "Authorization: Basic " + good},
			{"empty bearer", "Authorization: Bearer "},
			{"garbage", bearer("not.a.jwt")},
			{"oversized", bearer(strings.Repeat("a", 10_000))},
			{"wrong signature", bearer(forge(t, jwt.SigningMethodHS256, []byte("another-secret-0123456789abcdefghijkl"), valid(nil)))},
			{"tampered payload", bearer(parts[0] + "." + strings.TrimRight(parts[1], "A") + "B." + parts[2])},
			{"alg none", bearer(noneToken)},
			{"alg none, no signature", bearer(strings.Join(strings.Split(noneToken, ".")[:2], ".") + ".")},
			{"HS512", bearer(forge(t, jwt.SigningMethodHS512, testSecret, valid(nil)))},
			{"wrong audience", bearer(forge(t, jwt.SigningMethodHS256, testSecret, valid(func(c jwt.MapClaims) { c["aud"] = "someone-else" })))},
			{"wrong issuer", bearer(forge(t, jwt.SigningMethodHS256, testSecret, valid(func(c jwt.MapClaims) { c["iss"] = "evil" })))},
			{"no exp", bearer(forge(t, jwt.SigningMethodHS256, testSecret, valid(func(c jwt.MapClaims) { delete(c, "exp") })))},
			{"no iat", bearer(forge(t, jwt.SigningMethodHS256, testSecret, valid(func(c jwt.MapClaims) { delete(c, "iat") })))},
			{"expired", bearer(forge(t, jwt.SigningMethodHS256, testSecret, valid(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Second).Unix() })))},
			{"future-dated", bearer(forge(t, jwt.SigningMethodHS256, testSecret, valid(func(c jwt.MapClaims) {
				c["iat"], c["nbf"], c["exp"] = now.Add(time.Hour).Unix(), now.Add(time.Hour).Unix(), now.Add(2*time.Hour).Unix()
			})))},
			{"not yet valid", bearer(forge(t, jwt.SigningMethodHS256, testSecret, valid(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() })))},
			{"unknown user", bearer(forge(t, jwt.SigningMethodHS256, testSecret, valid(func(c jwt.MapClaims) { c["sub"] = uuid.NewString() })))},
			{"subject not a uuid", bearer(forge(t, jwt.SigningMethodHS256, testSecret, valid(func(c jwt.MapClaims) { c["sub"] = "1 OR 1=1" })))},
			{"old token version", bearer(forge(t, jwt.SigningMethodHS256, testSecret, valid(func(c jwt.MapClaims) { c["ver"] = 0 })))},
			{"refresh token as access token", bearer(app.login(t, mustEmail(t, app, id), testPassword).RefreshToken)},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var rec *httptest.ResponseRecorder
				if c.header == "" {
					rec = app.get("/api/v1/admin/users")
				} else {
					rec = app.get("/api/v1/admin/users", c.header)
				}
				problem(t, rec, http.StatusUnauthorized)
				if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate %q", rec.Header().Get("WWW-Authenticate"))
				}
			})
		}

		// A real token expires after 15 minutes on the service clock.
		if rec := app.get("/api/v1/auth/me", bearer(good)); rec.Code != http.StatusOK {
			t.Fatalf("fresh token: %d", rec.Code)
		}
		app.clock.Set(now.Add(15*time.Minute + time.Second))
		problem(t, app.get("/api/v1/auth/me", bearer(good)), http.StatusUnauthorized)
	})
}

func mustEmail(t *testing.T, app *testApp, id uuid.UUID) string {
	t.Helper()
	u, err := app.auth.User(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u.Email
}

func TestDeactivationAndPasswordChangeRevokeTokens(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		admin, _ := app.token(t, auth.RoleAdmin)
		victim, victimID := app.token(t, auth.RoleEditor)
		tr := app.login(t, mustEmail(t, app, victimID), testPassword)

		rec := app.send(http.MethodPatch, "/api/v1/admin/users/"+victimID.String(), `{"active": false}`, bearer(admin))
		if u := decode[api.UserDTO](t, rec, http.StatusOK); u.Active {
			t.Fatal("still active")
		}
		problem(t, app.get("/api/v1/auth/me", bearer(victim)), http.StatusUnauthorized)
		problem(t, app.send(http.MethodPost, "/api/v1/auth/refresh", api.RefreshRequest{RefreshToken: tr.RefreshToken}), http.StatusUnauthorized)
		problem(t, app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: mustEmail(t, app, victimID), Password: testPassword}), http.StatusUnauthorized)

		// Own password change: old tokens stop working, the new password logs in.
		me, meID := app.token(t, auth.RoleAuthor)
		meTokens := app.login(t, mustEmail(t, app, meID), testPassword)
		p := problem(t, app.send(http.MethodPut, "/api/v1/auth/me/password", api.PasswordChangeRequest{CurrentPassword: "not it at all", NewPassword: "a brand new passphrase"}, bearer(me)), http.StatusBadRequest)
		if p.Errors[0].Field != "current_password" {
			t.Fatalf("problem %+v", p)
		}
		rec = app.send(http.MethodPut, "/api/v1/auth/me/password", api.PasswordChangeRequest{CurrentPassword: testPassword, NewPassword: "a brand new passphrase"}, bearer(me))
		if rec.Code != http.StatusNoContent {
			t.Fatalf("change password: %d %s", rec.Code, rec.Body.String())
		}
		problem(t, app.get("/api/v1/auth/me", bearer(me)), http.StatusUnauthorized)
		problem(t, app.send(http.MethodPost, "/api/v1/auth/refresh", api.RefreshRequest{RefreshToken: meTokens.RefreshToken}), http.StatusUnauthorized)
		fresh := app.login(t, mustEmail(t, app, meID), "a brand new passphrase")
		if rec := app.get("/api/v1/auth/me", bearer(fresh.AccessToken)); rec.Code != http.StatusOK {
			t.Fatalf("new token: %d", rec.Code)
		}
	})
}

// TestReactivationKeepsOldTokensDead: an access token taken before a deactivation must not
// come back to life when the account is reactivated (issue 11).
func TestReactivationKeepsOldTokensDead(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		admin, _ := app.token(t, auth.RoleAdmin)
		old, id := app.token(t, auth.RoleEditor)
		target := "/api/v1/admin/users/" + id.String()
		for _, active := range []bool{false, true} {
			if rec := app.send(http.MethodPatch, target, map[string]bool{"active": active}, bearer(admin)); rec.Code != http.StatusOK {
				t.Fatalf("active=%v: %d %s", active, rec.Code, rec.Body)
			}
		}
		problem(t, app.get("/api/v1/auth/me", bearer(old)), http.StatusUnauthorized)
		fresh := app.login(t, mustEmail(t, app, id), testPassword)
		if rec := app.get("/api/v1/auth/me", bearer(fresh.AccessToken)); rec.Code != http.StatusOK {
			t.Fatalf("token after reactivation: %d", rec.Code)
		}
		// A change that does not touch activity leaves tokens alone.
		if rec := app.send(http.MethodPatch, target, map[string]string{"name": "Renamed"}, bearer(admin)); rec.Code != http.StatusOK {
			t.Fatalf("rename: %d", rec.Code)
		}
		if rec := app.get("/api/v1/auth/me", bearer(fresh.AccessToken)); rec.Code != http.StatusOK {
			t.Fatalf("token after rename: %d", rec.Code)
		}
	})
}

func TestRefreshRotationAndReuse(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		_, id := app.token(t, auth.RoleEditor)
		first := app.login(t, mustEmail(t, app, id), testPassword)
		refresh := func(tok string) *httptest.ResponseRecorder {
			return app.send(http.MethodPost, "/api/v1/auth/refresh", api.RefreshRequest{RefreshToken: tok})
		}
		second := decode[api.TokenResponse](t, refresh(first.RefreshToken), http.StatusOK)
		if second.RefreshToken == first.RefreshToken || second.AccessToken == "" {
			t.Fatal("refresh did not rotate")
		}
		if rec := app.get("/api/v1/auth/me", bearer(second.AccessToken)); rec.Code != http.StatusOK {
			t.Fatalf("rotated access token: %d", rec.Code)
		}
		third := decode[api.TokenResponse](t, refresh(second.RefreshToken), http.StatusOK)

		// The thief replays the first token after the grace window: refused, and the whole
		// family dies, including the legitimate client's newest token.
		app.clock.Set(app.clock.Now().Add(auth.DefaultRefreshGrace + time.Second))
		p := problem(t, refresh(first.RefreshToken), http.StatusUnauthorized)
		if !strings.Contains(p.Detail, "revoked") {
			t.Errorf("reuse detail %q", p.Detail)
		}
		problem(t, refresh(third.RefreshToken), http.StatusUnauthorized)

		// Another login's family is untouched.
		other := app.login(t, mustEmail(t, app, id), testPassword)
		decode[api.TokenResponse](t, refresh(other.RefreshToken), http.StatusOK)

		// Refresh tokens expire.
		late := app.login(t, mustEmail(t, app, id), testPassword)
		app.clock.Set(app.clock.Now().Add(30*24*time.Hour + time.Second))
		problem(t, refresh(late.RefreshToken), http.StatusUnauthorized)

		// Junk and logout.
		problem(t, refresh("junk"), http.StatusUnauthorized)
		problem(t, refresh(strings.Repeat("x", 5000)), http.StatusUnauthorized)
		problem(t, refresh(""), http.StatusBadRequest)
		app.clock.Set(time.Now().UTC())
		lo := app.login(t, mustEmail(t, app, id), testPassword)
		for range 2 {
			if rec := app.send(http.MethodPost, "/api/v1/auth/logout", api.RefreshRequest{RefreshToken: lo.RefreshToken}); rec.Code != http.StatusNoContent {
				t.Fatalf("logout: %d %s", rec.Code, rec.Body.String())
			}
		}
		problem(t, refresh(lo.RefreshToken), http.StatusUnauthorized)
	})
}

// TestRefreshGraceWindow: two tabs refreshing with the same token at once both get the
// same new pair instead of logging the user out (issue 11); the pair is kept sealed, never
// as usable tokens; after the window a replay still revokes the family; with the grace
// off, the first replay does.
func TestRefreshGraceWindow(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		_, id := app.token(t, auth.RoleEditor)
		email := mustEmail(t, app, id)
		refresh := func(a *testApp, tok string) *httptest.ResponseRecorder {
			return a.send(http.MethodPost, "/api/v1/auth/refresh", api.RefreshRequest{RefreshToken: tok})
		}

		// One after the other, within the window: the same pair, which works.
		first := app.login(t, email, testPassword)
		a := decode[api.TokenResponse](t, refresh(app, first.RefreshToken), http.StatusOK)
		app.clock.Set(app.clock.Now().Add(auth.DefaultRefreshGrace - time.Second))
		b := decode[api.TokenResponse](t, refresh(app, first.RefreshToken), http.StatusOK)
		if a.AccessToken != b.AccessToken || a.RefreshToken != b.RefreshToken || b.ExpiresIn <= 0 || b.ExpiresIn > a.ExpiresIn {
			t.Fatalf("replay within the window: %+v, first answer %+v", b, a)
		}
		if rec := app.get("/api/v1/auth/me", bearer(b.AccessToken)); rec.Code != http.StatusOK {
			t.Fatalf("the pair from the replay: %d", rec.Code)
		}
		c := decode[api.TokenResponse](t, refresh(app, b.RefreshToken), http.StatusOK)

		// The database keeps the pair sealed: neither token is readable there.
		rows, err := app.db.SQL().Query("SELECT successor FROM refresh_tokens WHERE successor IS NOT NULL")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var sealed string
			if err := rows.Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			n++
			for _, tok := range []string{a.RefreshToken, a.AccessToken, c.RefreshToken, c.AccessToken} {
				if strings.Contains(sealed, tok) || strings.Contains(sealed, strings.Split(tok, ".")[0]) {
					t.Fatal("a usable token is stored in the clear")
				}
			}
		}
		if err := rows.Close(); err != nil || n < 2 {
			t.Fatalf("%d sealed pairs, err %v", n, err)
		}

		// After the window the same replay is theft: the family is revoked, the newest too.
		app.clock.Set(app.clock.Now().Add(2 * time.Second))
		problem(t, refresh(app, first.RefreshToken), http.StatusUnauthorized)
		problem(t, refresh(app, c.RefreshToken), http.StatusUnauthorized)

		// Two tabs at once: every answer is 200 and the same pair.
		app.clock.Set(time.Now().UTC())
		tabs := app.login(t, email, testPassword)
		const n2 = 4
		recs := make([]*httptest.ResponseRecorder, n2)
		var wg sync.WaitGroup
		for i := range n2 {
			wg.Add(1)
			go func() { defer wg.Done(); recs[i] = refresh(app, tabs.RefreshToken) }()
		}
		wg.Wait()
		var pair api.TokenResponse
		for i, rec := range recs {
			got := decode[api.TokenResponse](t, rec, http.StatusOK)
			if i == 0 {
				pair = got
			} else if got.AccessToken != pair.AccessToken || got.RefreshToken != pair.RefreshToken {
				t.Fatalf("concurrent refreshes got different pairs")
			}
		}
		decode[api.TokenResponse](t, refresh(app, pair.RefreshToken), http.StatusOK)

		// With the grace off (HERALD_REFRESH_GRACE=0), the first replay revokes the family.
		strict := newTestAppWith(t, app.dialect, nil, auth.WithRefreshGrace(0))
		_, sid := strict.token(t, auth.RoleAuthor)
		s1 := strict.login(t, mustEmail(t, strict, sid), testPassword)
		s2 := decode[api.TokenResponse](t, refresh(strict, s1.RefreshToken), http.StatusOK)
		problem(t, refresh(strict, s1.RefreshToken), http.StatusUnauthorized)
		problem(t, refresh(strict, s2.RefreshToken), http.StatusUnauthorized)
	})
}

func TestLoginRateLimit(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		_, id := app.token(t, auth.RoleAuthor)
		email := mustEmail(t, app, id)
		wrong := api.LoginRequest{Email: email, Password: "wrong password!!"}
		for i := range 10 {
			problem(t, app.send(http.MethodPost, "/api/v1/auth/login", wrong, "X-Forwarded-For: 10.9.9."+fmt.Sprint(i)), http.StatusUnauthorized)
		}
		// Per account and address: even the right password waits, from that address
		// (X-Forwarded-For from an untrusted peer does not make other addresses).
		rec := app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: email, Password: testPassword})
		p := problem(t, rec, http.StatusTooManyRequests)
		if rec.Header().Get("Retry-After") == "" || p.Type != "urn:herald:problem:rate-limited" {
			t.Fatalf("429 without Retry-After: %+v %v", p, rec.Header())
		}
		// An unknown account is limited the same way (no enumeration by the limiter).
		for range 10 {
			problem(t, app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: "ghost@example.com", Password: "x"}), http.StatusUnauthorized)
		}
		problem(t, app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: "ghost@example.com", Password: "x"}), http.StatusTooManyRequests)

		app.clock.Set(app.clock.Now().Add(2 * time.Minute))
		app.login(t, email, testPassword)

		// Per IP: spraying many accounts from one address hits the IP limit, and a forged
		// X-Forwarded-For from a client that is not a trusted proxy does not change the key.
		var last int
		for i := range 40 {
			last = app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: fmt.Sprintf("spray%d@example.com", i), Password: "x"},
				fmt.Sprintf("X-Forwarded-For: 203.0.113.%d", i)).Code
		}
		if last != http.StatusTooManyRequests {
			t.Fatalf("40 logins from one IP: last status %d, want 429", last)
		}
	})
}

func TestStrictBodies(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		admin, _ := app.token(t, auth.RoleAdmin)
		cases := []struct {
			name, body, ct string
			status         int
			field          string
		}{
			{"unknown field", `{"email":"a@example.com","password":"x","role":"admin"}`, "application/json", 400, "role"},
			{"wrong type", `{"email":42,"password":"x"}`, "application/json", 400, "email"},
			{"malformed", `{"email":`, "application/json", 400, "body"},
			{"syntax", `{"email" "x"}`, "application/json", 400, "body"},
			{"trailing data", `{"email":"a@example.com","password":"x"} {}`, "application/json", 400, "body"},
			{"not an object", `["a"]`, "application/json", 400, "body"},
			{"invalid UTF-8", "{\"email\":\"\xff\xfe\",\"password\":\"x\"}", "application/json", 400, "body"},
			{"empty", ``, "application/json", 400, "body"},
			{"duplicate key", `{"email":"a@example.com","password":"x","password":"y"}`, "application/json", 400, "password"},
			{"duplicate key in another case", `{"email":"a@example.com","Email":"b@example.com","password":"x"}`, "application/json", 400, "Email"},
			{"form", `email=a&password=b`, "application/x-www-form-urlencoded", 415, ""},
			{"no content type", `{"email":"a@example.com","password":"x"}`, "", 415, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				rec := app.do(http.MethodPost, "/api/v1/auth/login", strings.NewReader(c.body), "Content-Type: "+c.ct)
				p := problem(t, rec, c.status)
				if c.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != c.field) {
					t.Errorf("errors %+v, want field %s", p.Errors, c.field)
				}
			})
		}
		// Oversized bodies are refused before they are read.
		big := `{"email":"a@example.com","password":"` + strings.Repeat("a", 2<<20) + `"}`
		problem(t, app.do(http.MethodPost, "/api/v1/auth/login", strings.NewReader(big), jsonCT), http.StatusRequestEntityTooLarge)
		// A body cannot smuggle fields that are not in the DTO, such as an id or a hash.
		p := problem(t, app.send(http.MethodPost, "/api/v1/admin/users", `{"email":"x@example.com","role":"author","password":"long enough pass","password_hash":"$argon2id$"}`, bearer(admin)), http.StatusBadRequest)
		if p.Errors[0].Field != "password_hash" {
			t.Errorf("problem %+v", p)
		}
		// Duplicate keys are refused, not resolved to the last (which made an admin), at any
		// depth, in every JSON body.
		p = problem(t, app.send(http.MethodPost, "/api/v1/admin/users", `{"email":"dup@example.com","role":"author","password":"long enough pass","role":"admin"}`, bearer(admin)), http.StatusBadRequest)
		if len(p.Errors) != 1 || p.Errors[0].Field != "role" || !strings.Contains(p.Errors[0].Message, "more than once") {
			t.Errorf("duplicate role: %+v", p)
		}
		if rec := app.get("/api/v1/admin/users?q=dup@example.com", bearer(admin)); strings.Contains(rec.Body.String(), "dup@example.com") {
			t.Error("the user was created")
		}
		p = problem(t, app.send(http.MethodPost, "/api/v1/admin/tags", `{"translations":[{"locale":"az","name":"Bir"},{"locale":"en","name":"One","name":"Two"}]}`, bearer(admin)), http.StatusBadRequest)
		if len(p.Errors) != 1 || p.Errors[0].Field != "translations[1].name" {
			t.Errorf("nested duplicate: %+v", p)
		}
		// The same key in different objects is not a duplicate.
		if rec := app.send(http.MethodPost, "/api/v1/admin/tags", `{"translations":[{"locale":"az","name":"Bir"},{"locale":"en","name":"One"}]}`, bearer(admin)); rec.Code != http.StatusCreated {
			t.Errorf("tag: %d %s", rec.Code, rec.Body)
		}
	})
}
