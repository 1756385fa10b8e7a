package api_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// secretPattern is what a secret scanner would look for.
var secretPattern = regexp.MustCompile(`^hrld_(pat|svc)_[0-9A-Za-z]{38}$`)

// newAPIToken creates a token through the real endpoint (personal at /auth/tokens, service
// at /admin/tokens) with the credential as, and returns it with its secret.
func newAPIToken(t *testing.T, app *testApp, as, path, scope string) api.CreatedAPITokenDTO {
	t.Helper()
	ct := decode[api.CreatedAPITokenDTO](t, app.send(http.MethodPost, path,
		api.CreateTokenRequest{Name: "script " + scope, Scope: scope}, as), http.StatusCreated)
	if !secretPattern.MatchString(ct.Token) {
		t.Fatalf("secret %q does not match %s", ct.Token, secretPattern)
	}
	return ct
}

// draft creates an article with credential as and returns its path.
func draft(t *testing.T, app *testApp, as string) string {
	t.Helper()
	a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, adminArticles, api.CreateArticleRequest{
		Translations: []api.TranslationRequest{{Locale: "en", Title: "Agency copy " + uuid.NewString()[:8], Body: "<p>Text</p>"}}}, as),
		http.StatusCreated)
	return adminArticles + "/" + a.ID
}

// TestAPITokenScopes: a content token of an editor creates and publishes but cannot manage
// users; an admin's content token is an editor; a read-only token reads and never writes;
// an author's token cannot publish; a full token of an admin administers.
func TestAPITokenScopes(t *testing.T) {
	eachDialectLean(t, func(t *testing.T, app *testApp) {
		editorJWT, editorID := app.token(t, auth.RoleEditor)
		content := newAPIToken(t, app, bearer(editorJWT), "/api/v1/auth/tokens", "content")
		if content.Kind != "personal" || content.CreatedBy.ID != editorID || !content.Active || content.ExpiresAt == nil ||
			content.ExpiresAt.Sub(app.clock.Now()).Round(time.Hour) != 90*24*time.Hour || !strings.HasPrefix(content.Hint, "hrld_pat_…") {
			t.Fatalf("created %+v", content.APITokenDTO)
		}
		ed := bearer(content.Token)
		path := draft(t, app, ed)
		a := decode[api.AdminArticleDTO](t, app.send(http.MethodPost, path+"/publish", nil, ed, ifMatch(1)), http.StatusOK)
		if a.Status != "published" || a.AuthorID == nil || *a.AuthorID != editorID.String() {
			t.Fatalf("published %+v", a)
		}
		problem(t, app.get("/api/v1/admin/users", ed), http.StatusForbidden)
		problem(t, app.send(http.MethodPost, "/api/v1/admin/users", api.CreateUserRequest{Email: "x@example.com", Role: "admin", Password: testPassword}, ed), http.StatusForbidden)
		// Only a password session or a full token manages tokens, and passwords need a session.
		problem(t, app.send(http.MethodPost, "/api/v1/auth/tokens", api.CreateTokenRequest{Name: "n", Scope: "full"}, ed), http.StatusForbidden)
		problem(t, app.send(http.MethodPut, "/api/v1/auth/me/password", api.PasswordChangeRequest{CurrentPassword: testPassword, NewPassword: "another long one"}, ed), http.StatusForbidden)

		adminJWT, _ := app.token(t, auth.RoleAdmin)
		adminContent := bearer(newAPIToken(t, app, bearer(adminJWT), "/api/v1/auth/tokens", "content").Token)
		problem(t, app.get("/api/v1/admin/users", adminContent), http.StatusForbidden)
		problem(t, app.get("/api/v1/admin/audit", adminContent), http.StatusForbidden)
		problem(t, app.get("/api/v1/admin/tokens", adminContent), http.StatusForbidden)
		draft(t, app, adminContent)
		adminFull := bearer(newAPIToken(t, app, bearer(adminJWT), "/api/v1/auth/tokens", "full").Token)
		decode[api.UserList](t, app.get("/api/v1/admin/users", adminFull), http.StatusOK)
		newAPIToken(t, app, adminFull, "/api/v1/admin/tokens", "read") // a full token manages tokens

		read := bearer(newAPIToken(t, app, bearer(editorJWT), "/api/v1/auth/tokens", "read").Token)
		decode[api.AdminArticleDTO](t, app.get(path, read), http.StatusOK)
		if rec := app.get(path+"/preview?locale=en", read); rec.Code != http.StatusOK {
			t.Fatalf("preview with a read token: %d", rec.Code)
		}
		for _, w := range []struct{ method, path string }{
			{http.MethodPost, adminArticles}, {http.MethodPatch, path}, {http.MethodPost, path + "/unpublish"},
			{http.MethodDelete, path}, {http.MethodPut, "/api/v1/admin/settings"}, {http.MethodDelete, "/api/v1/auth/tokens/" + content.ID.String()},
		} {
			p := problem(t, app.send(w.method, w.path, "{}", read, ifMatch(2)), http.StatusForbidden)
			if !strings.Contains(p.Detail, "scope") {
				t.Errorf("%s %s with a read token: %q", w.method, w.path, p.Detail)
			}
		}

		authorJWT, _ := app.token(t, auth.RoleAuthor)
		author := bearer(newAPIToken(t, app, bearer(authorJWT), "/api/v1/auth/tokens", "full").Token)
		own := draft(t, app, author)
		problem(t, app.send(http.MethodPost, own+"/publish", nil, author, ifMatch(1)), http.StatusForbidden)
		problem(t, app.send(http.MethodPost, "/api/v1/admin/tokens", api.CreateTokenRequest{Name: "svc", Scope: "read"}, bearer(authorJWT)), http.StatusForbidden)
	})
}

// TestAPITokenCreatorChanges: demoting the creator narrows a personal token on the next
// request, deactivating stops it; a service token does not depend on its creator's role.
func TestAPITokenCreatorChanges(t *testing.T) {
	eachDialectLean(t, func(t *testing.T, app *testApp) {
		adminJWT, _ := app.token(t, auth.RoleAdmin)
		editorJWT, editorID := app.token(t, auth.RoleEditor)
		tok := bearer(newAPIToken(t, app, bearer(editorJWT), "/api/v1/auth/tokens", "content").Token)
		path := draft(t, app, tok)
		app.send(http.MethodPatch, "/api/v1/admin/users/"+editorID.String(), api.UpdateUserRequest{Role: ptr("author")}, bearer(adminJWT))
		problem(t, app.send(http.MethodPost, path+"/publish", nil, tok, ifMatch(1)), http.StatusForbidden)
		app.send(http.MethodPatch, "/api/v1/admin/users/"+editorID.String(), api.UpdateUserRequest{Active: ptr(false)}, bearer(adminJWT))
		problem(t, app.get(adminArticles, tok), http.StatusUnauthorized)
		app.send(http.MethodPatch, "/api/v1/admin/users/"+editorID.String(), api.UpdateUserRequest{Active: ptr(true), Role: ptr("editor")}, bearer(adminJWT))
		decode[api.AdminArticleDTO](t, app.send(http.MethodPost, path+"/publish", nil, tok, ifMatch(1)), http.StatusOK)

		svc := newAPIToken(t, app, bearer(adminJWT), "/api/v1/admin/tokens", "content")
		if svc.Kind != "service" || !strings.HasPrefix(svc.Token, "hrld_svc_") {
			t.Fatalf("service token %+v", svc)
		}
		s := bearer(svc.Token)
		decode[api.AdminArticleDTO](t, app.send(http.MethodPost, draft(t, app, s)+"/publish", nil, s, ifMatch(1)), http.StatusOK)
		problem(t, app.get("/api/v1/admin/users", s), http.StatusForbidden)
	})
}

// TestAPITokenRevokeExpireTamper: revoked, expired and tampered tokens get 401; only the
// hash is stored; users revoke only their own, admins any.
func TestAPITokenRevokeExpireTamper(t *testing.T) {
	eachDialectLean(t, func(t *testing.T, app *testApp) {
		editorJWT, editorID := app.token(t, auth.RoleEditor)
		otherJWT, _ := app.token(t, auth.RoleEditor)
		adminJWT, _ := app.token(t, auth.RoleAdmin)
		ct := newAPIToken(t, app, bearer(editorJWT), "/api/v1/auth/tokens", "content")
		tok := bearer(ct.Token)
		decode[api.UserDTO](t, app.get("/api/v1/auth/me", tok), http.StatusOK)

		var stored int64
		if err := app.db.Gorm().Raw("SELECT COUNT(*) FROM api_tokens WHERE token_hash LIKE ? OR hint = ?", "%"+ct.Token[9:20]+"%", ct.Token[len(ct.Token)-4:]).Scan(&stored).Error; err != nil || stored != 1 {
			t.Fatalf("hint row count %d, %v", stored, err)
		}
		if err := app.db.Gorm().Raw("SELECT COUNT(*) FROM api_tokens WHERE token_hash LIKE ?", "%"+ct.Token[9:20]+"%").Scan(&stored).Error; err != nil || stored != 0 {
			t.Fatalf("the secret is stored in clear (%d rows), %v", stored, err)
		}

		// Tampering breaks the checksum; a well-formed unknown secret is unknown.
		flipped := []byte(ct.Token)
		flipped[15] ^= 'a' ^ 'b'
		if flipped[15] == ct.Token[15] {
			flipped[15] = 'Z'
		}
		for _, bad := range []string{string(flipped), ct.Token[:len(ct.Token)-1], ct.Token + "x", "hrld_pat_", "hrld_pat_" + strings.Repeat("0", 38)} {
			p := problem(t, app.get("/api/v1/auth/me", bearer(bad)), http.StatusUnauthorized)
			if !strings.Contains(p.Detail, "invalid") {
				t.Errorf("%q: %q", bad, p.Detail)
			}
		}

		// Another user cannot revoke it (404), its owner can; twice is fine.
		problem(t, app.send(http.MethodDelete, "/api/v1/auth/tokens/"+ct.ID.String(), nil, bearer(otherJWT)), http.StatusNotFound)
		decode[api.UserDTO](t, app.get("/api/v1/auth/me", tok), http.StatusOK)
		for range 2 {
			if rec := app.send(http.MethodDelete, "/api/v1/auth/tokens/"+ct.ID.String(), nil, bearer(editorJWT)); rec.Code != http.StatusNoContent {
				t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
			}
		}
		problem(t, app.get("/api/v1/auth/me", tok), http.StatusUnauthorized)

		// Admins revoke anyone's.
		other := newAPIToken(t, app, bearer(otherJWT), "/api/v1/auth/tokens", "read")
		if rec := app.send(http.MethodDelete, "/api/v1/admin/tokens/"+other.ID.String(), nil, bearer(adminJWT)); rec.Code != http.StatusNoContent {
			t.Fatalf("admin revoke: %d", rec.Code)
		}
		problem(t, app.get("/api/v1/auth/me", bearer(other.Token)), http.StatusUnauthorized)
		got := decode[api.APITokenDTO](t, app.get("/api/v1/admin/tokens/"+other.ID.String(), bearer(adminJWT)), http.StatusOK)
		if got.Active || got.RevokedAt == nil || got.RevokedBy == nil {
			t.Errorf("revoked token reads %+v", got)
		}

		// Expiry, on the service clock.
		at := app.clock.Now().Add(time.Hour)
		exp := decode[api.CreatedAPITokenDTO](t, app.send(http.MethodPost, "/api/v1/auth/tokens",
			api.CreateTokenRequest{Name: "short", Scope: "read", ExpiresAt: &at}, bearer(editorJWT)), http.StatusCreated)
		decode[api.UserDTO](t, app.get("/api/v1/auth/me", bearer(exp.Token)), http.StatusOK)
		mine := decode[api.APITokenList](t, app.get("/api/v1/auth/tokens?active=true", bearer(editorJWT)), http.StatusOK)
		if len(mine.Data) != 1 || mine.Data[0].ID != exp.ID {
			t.Errorf("active tokens %+v", mine.Data)
		}
		app.clock.Set(at)
		problem(t, app.get("/api/v1/auth/me", bearer(exp.Token)), http.StatusUnauthorized)
		editorJWT = app.login(t, mustEmail(t, app, editorID), testPassword).AccessToken
		if mine := decode[api.APITokenList](t, app.get("/api/v1/auth/tokens?active=true", bearer(editorJWT)), http.StatusOK); len(mine.Data) != 0 {
			t.Errorf("expired token still listed as active")
		}
		if all := decode[api.APITokenList](t, app.get("/api/v1/auth/tokens", bearer(editorJWT)), http.StatusOK); len(all.Data) != 2 {
			t.Errorf("own tokens: %d, want 2", len(all.Data))
		}
	})
}

// TestAPITokenLimits hits every limit of token creation.
func TestAPITokenLimits(t *testing.T) {
	eachDialectLean(t, func(t *testing.T, app *testApp) {
		jwt, _ := app.token(t, auth.RoleEditor)
		h := bearer(jwt)
		past, far := app.clock.Now().Add(-time.Minute), app.clock.Now().Add(366*24*time.Hour)
		for _, c := range []struct {
			req   any
			field string
		}{
			{api.CreateTokenRequest{Scope: "read"}, "name"},
			{api.CreateTokenRequest{Name: strings.Repeat("n", 101), Scope: "read"}, "name"},
			{api.CreateTokenRequest{Name: "n", Scope: "admin"}, "scope"},
			{api.CreateTokenRequest{Name: "n", Scope: "read", ExpiresAt: &past}, "expires_at"},
			{api.CreateTokenRequest{Name: "n", Scope: "read", ExpiresAt: &far}, "expires_at"},
			{api.CreateTokenRequest{Name: "n", Scope: "read", NeverExpires: true}, "never_expires"},
			{api.CreateTokenRequest{Name: "n", Scope: "read", NeverExpires: true, ExpiresAt: &far}, "expires_at"},
			{`{"name":"n","scope":"read","expires_at":"tomorrow"}`, ""},
			{`{"name":"n","scope":"read","role":"admin"}`, ""},
		} {
			p := problem(t, app.send(http.MethodPost, "/api/v1/auth/tokens", c.req, h), http.StatusBadRequest)
			if c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field) {
				t.Errorf("%+v: errors %+v, want field %s", c.req, p.Errors, c.field)
			}
		}
		for i := range auth.MaxTokensPerUser {
			decode[api.CreatedAPITokenDTO](t, app.send(http.MethodPost, "/api/v1/auth/tokens",
				api.CreateTokenRequest{Name: "t" + string(rune('a'+i%26)), Scope: "read"}, h), http.StatusCreated)
		}
		problem(t, app.send(http.MethodPost, "/api/v1/auth/tokens", api.CreateTokenRequest{Name: "one too many", Scope: "read"}, h), http.StatusConflict)
		l := decode[api.APITokenList](t, app.get("/api/v1/auth/tokens?per_page=100", h), http.StatusOK)
		if l.Meta.Total == nil || *l.Meta.Total != auth.MaxTokensPerUser {
			t.Errorf("total %v", l.Meta.Total)
		}
		for _, bad := range []string{"per_page=0", "active=maybe"} {
			problem(t, app.get("/api/v1/auth/tokens?"+bad, h), http.StatusBadRequest)
		}
	})
}

// TestAPITokenNeverExpiresWhenAllowed: the operator may allow tokens without expiry, and a
// maximum lifetime shorter than 90 days cuts the default.
func TestAPITokenNeverExpiresWhenAllowed(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			in := newTokenInstance(t, testkit.URL(t, d), nil, auth.WithTokenPolicy(auth.TokenPolicy{MaxTTL: 24 * time.Hour, AllowNoExpiry: true}))
			app := in.app(t)
			u, err := in.auth.CreateUser(context.Background(), auth.NewUser{Email: "ed@example.com", Role: auth.RoleEditor, Password: testPassword})
			if err != nil {
				t.Fatal(err)
			}
			h := bearer(app.login(t, u.Email, testPassword).AccessToken)
			ct := decode[api.CreatedAPITokenDTO](t, app.send(http.MethodPost, "/api/v1/auth/tokens", api.CreateTokenRequest{Name: "n", Scope: "read", NeverExpires: true}, h), http.StatusCreated)
			if ct.ExpiresAt != nil {
				t.Errorf("expires_at %v", ct.ExpiresAt)
			}
			in.clock.Set(in.clock.Now().Add(10 * 365 * 24 * time.Hour))
			decode[api.UserDTO](t, app.get("/api/v1/auth/me", bearer(ct.Token)), http.StatusOK)
			def := decode[api.CreatedAPITokenDTO](t, app.send(http.MethodPost, "/api/v1/auth/tokens", api.CreateTokenRequest{Name: "n", Scope: "read"}, bearer(ct.Token)), http.StatusForbidden)
			_ = def
		})
	}
}

// TestAPITokenRateLimit: each token has its own budget; over it the answer is 429 with
// Retry-After, and another token is unaffected.
func TestAPITokenRateLimit(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			var clk *clock
			app := newTokenInstance(t, testkit.URL(t, d), func(deps *api.Deps) {
				clk = &clock{now: time.Now().UTC()}
				deps.TokenLimit = auth.NewLimiter(3, time.Second, 100, clk.Now)
			}).app(t)
			jwt, _ := app.token(t, auth.RoleEditor)
			a := bearer(newAPIToken(t, app, bearer(jwt), "/api/v1/auth/tokens", "read").Token)
			b := bearer(newAPIToken(t, app, bearer(jwt), "/api/v1/auth/tokens", "read").Token)
			for range 3 {
				decode[api.UserDTO](t, app.get("/api/v1/auth/me", a), http.StatusOK)
			}
			rec := app.get("/api/v1/auth/me", a)
			problem(t, rec, http.StatusTooManyRequests)
			if rec.Header().Get("Retry-After") != "1" {
				t.Errorf("Retry-After %q", rec.Header().Get("Retry-After"))
			}
			decode[api.UserDTO](t, app.get("/api/v1/auth/me", b), http.StatusOK)
			decode[api.UserDTO](t, app.get("/api/v1/auth/me", bearer(jwt)), http.StatusOK) // sessions are not token-limited
			clk.Set(clk.Now().Add(time.Second))
			decode[api.UserDTO](t, app.get("/api/v1/auth/me", a), http.StatusOK)
		})
	}
}

// TestLeakedTokenTracesToCreator: a secret found in the wild is identified by an admin, and
// the audit log shows each write it made with the token and its creator.
func TestLeakedTokenTracesToCreator(t *testing.T) {
	eachDialectLean(t, func(t *testing.T, app *testApp) {
		adminJWT, _ := app.token(t, auth.RoleAdmin)
		editorJWT, editorID := app.token(t, auth.RoleEditor)
		leaked := newAPIToken(t, app, bearer(editorJWT), "/api/v1/auth/tokens", "content")
		path := draft(t, app, bearer(leaked.Token))
		app.send(http.MethodPost, path+"/publish", nil, bearer(leaked.Token), ifMatch(1))
		draft(t, app, bearer(editorJWT)) // the same person in a browser session

		h := bearer(adminJWT)
		got := decode[api.APITokenDTO](t, app.send(http.MethodPost, "/api/v1/admin/tokens/identify", api.IdentifyTokenRequest{Token: leaked.Token}, h), http.StatusOK)
		if got.ID != leaked.ID || got.CreatedBy.ID != editorID || got.CreatedBy.Email != mustEmail(t, app, editorID) {
			t.Fatalf("identified %+v", got)
		}
		l := decode[api.AuditList](t, app.get("/api/v1/admin/audit?token="+got.ID.String(), h), http.StatusOK)
		actions := []string{}
		for _, e := range l.Data {
			actions = append(actions, e.Action)
			if e.TokenID == nil || *e.TokenID != leaked.ID || e.ActorID == nil || *e.ActorID != editorID || e.ActorEmail != got.CreatedBy.Email {
				t.Errorf("entry %+v", e)
			}
		}
		if strings.Join(actions, ",") != "article.publish,article.create" {
			t.Errorf("audit of the token: %v", actions)
		}
		all := decode[api.AuditList](t, app.get("/api/v1/admin/audit?actor="+editorID.String(), h), http.StatusOK)
		if len(all.Data) != 4 || all.Data[0].TokenID != nil {
			t.Errorf("the creator's writes: %+v", all.Data)
		}
		// Revoke, and it can still be identified.
		app.send(http.MethodDelete, "/api/v1/admin/tokens/"+leaked.ID.String(), nil, h)
		if got := decode[api.APITokenDTO](t, app.send(http.MethodPost, "/api/v1/admin/tokens/identify", api.IdentifyTokenRequest{Token: leaked.Token}, h), http.StatusOK); got.Active {
			t.Error("revoked token reads as active")
		}
		problem(t, app.send(http.MethodPost, "/api/v1/admin/tokens/identify", api.IdentifyTokenRequest{Token: "hrld_pat_" + strings.Repeat("0", 38)}, h), http.StatusBadRequest)
		// One character changed (to "1" when it was "0": the same token was identified 1 run in 62).
		swap := "0"
		if leaked.Token[9] == '0' {
			swap = "1"
		}
		unknown := leaked.Token[:9] + swap + leaked.Token[10:]
		problem(t, app.send(http.MethodPost, "/api/v1/admin/tokens/identify", api.IdentifyTokenRequest{Token: unknown}, h), http.StatusBadRequest)
		problem(t, app.get("/api/v1/admin/audit?token=nope", h), http.StatusBadRequest)

		// Admin listing: filters by creator and kind.
		byUser := decode[api.APITokenList](t, app.get("/api/v1/admin/tokens?user="+editorID.String(), h), http.StatusOK)
		if len(byUser.Data) != 1 || byUser.Data[0].ID != leaked.ID {
			t.Errorf("by user %+v", byUser.Data)
		}
		if svc := decode[api.APITokenList](t, app.get("/api/v1/admin/tokens?kind=service", h), http.StatusOK); len(svc.Data) != 0 {
			t.Errorf("service tokens %+v", svc.Data)
		}
		for _, bad := range []string{"user=x", "kind=robot"} {
			problem(t, app.get("/api/v1/admin/tokens?"+bad, h), http.StatusBadRequest)
		}
	})
}

// tokenInstance is one herald over a shared database: its own pool, auth service and clock.
type tokenInstance struct {
	srv   *api.Server
	db    *store.DB
	auth  *auth.Service
	clock *clock
}

// app is the instance as a testApp.
func (in *tokenInstance) app(t *testing.T) *testApp {
	return &testApp{t: t, srv: in.srv, db: in.db, clock: in.clock, auth: in.auth}
}

// eachDialectLean is eachDialect without the demo content, which token tests do not need
// and which costs most of a fresh app's time.
func eachDialectLean(t *testing.T, fn func(t *testing.T, app *testApp)) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newTokenInstance(t, testkit.URL(t, d), nil).app(t))
		})
	}
}

func newTokenInstance(t *testing.T, url string, tune func(*api.Deps), opts ...auth.Option) *tokenInstance {
	t.Helper()
	ta := wire(t, url, map[string]string{"HERALD_DEMO_CONTENT": "false"}, &clock{now: time.Now().UTC()},
		app.WithDeps(tune), app.WithAuthOptions(opts...))
	return &tokenInstance{srv: ta.srv, db: ta.db, auth: ta.auth, clock: ta.clock}
}

// TestAPITokenTwoInstances: two instances on one database (PostgreSQL: two pools, as two
// processes have); a token revoked, expired or tampered with through one gets 401 from the
// other on the very next request, well within a second.
func TestAPITokenTwoInstances(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			url := testkit.URL(t, d)
			a, b := newTokenInstance(t, url, nil), newTokenInstance(t, url, nil)
			ta, tb := a.app(t), b.app(t)
			u, err := a.auth.CreateUser(context.Background(), auth.NewUser{Email: "ed@example.com", Role: auth.RoleEditor, Password: testPassword})
			if err != nil {
				t.Fatal(err)
			}
			jwt := bearer(ta.login(t, u.Email, testPassword).AccessToken)
			revoked := newAPIToken(t, ta, jwt, "/api/v1/auth/tokens", "content")
			in := a.clock.Now().Add(time.Minute)
			expiring := decode[api.CreatedAPITokenDTO](t, ta.send(http.MethodPost, "/api/v1/auth/tokens", api.CreateTokenRequest{Name: "n", Scope: "read", ExpiresAt: &in}, jwt), http.StatusCreated)
			for _, s := range []string{revoked.Token, expiring.Token} {
				decode[api.UserDTO](t, tb.get("/api/v1/auth/me", bearer(s)), http.StatusOK)
			}

			start := time.Now()
			if rec := ta.send(http.MethodDelete, "/api/v1/auth/tokens/"+revoked.ID.String(), nil, jwt); rec.Code != http.StatusNoContent {
				t.Fatalf("revoke: %d", rec.Code)
			}
			problem(t, tb.get("/api/v1/auth/me", bearer(revoked.Token)), http.StatusUnauthorized)
			b.clock.Set(in)
			problem(t, tb.get("/api/v1/auth/me", bearer(expiring.Token)), http.StatusUnauthorized)
			tampered := expiring.Token[:20] + strings.ToUpper(expiring.Token[20:21]) + expiring.Token[21:]
			if tampered == expiring.Token {
				tampered = expiring.Token[:20] + "0" + expiring.Token[21:]
			}
			problem(t, tb.get("/api/v1/auth/me", bearer(tampered)), http.StatusUnauthorized)
			if el := time.Since(start); el > time.Second {
				t.Errorf("took %v", el)
			}
		})
	}
}

// TestAPITokenLastUsed: uses are remembered in memory, then written in one flush per
// token, however many requests were made, with the newest time and address.
func TestAPITokenLastUsed(t *testing.T) {
	eachDialectLean(t, func(t *testing.T, app *testApp) {
		jwt, _ := app.token(t, auth.RoleEditor)
		ct := newAPIToken(t, app, bearer(jwt), "/api/v1/auth/tokens", "read")
		updates := countUpdates(t, app)
		for i := range 20 {
			app.clock.Set(app.clock.Now().Add(time.Second))
			rec := app.do(http.MethodGet, "/api/v1/auth/me", nil, bearer(ct.Token))
			if rec.Code != http.StatusOK {
				t.Fatalf("request %d: %d", i, rec.Code)
			}
		}
		if n := updates(); n != 0 {
			t.Fatalf("%d writes during 20 requests", n)
		}
		if err := app.auth.FlushTokenUsage(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n := updates(); n != 1 {
			t.Fatalf("%d writes in the flush, want 1", n)
		}
		l := decode[api.APITokenList](t, app.get("/api/v1/auth/tokens", bearer(jwt)), http.StatusOK)
		if l.Data[0].LastUsedAt == nil || !l.Data[0].LastUsedAt.Equal(app.clock.Now().Truncate(time.Microsecond)) || l.Data[0].LastUsedIP != "192.0.2.1" {
			t.Errorf("last used %v from %q, want %v from 192.0.2.1", l.Data[0].LastUsedAt, l.Data[0].LastUsedIP, app.clock.Now())
		}
	})
}

// countUpdates counts the UPDATE statements GORM runs on app's database from now on.
func countUpdates(t *testing.T, app *testApp) func() int {
	t.Helper()
	var n atomic.Int64
	name := "test:updates:" + t.Name()
	cb := app.db.Gorm().Callback()
	if err := cb.Update().After("gorm:update").Register(name, func(*gorm.DB) { n.Add(1) }); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cb.Update().Remove(name) })
	return func() int { return int(n.Load()) }
}

// TestEveryAdminRouteHonoursTokenScopes sends a request to every route under /api/v1/admin
// and /api/v1/auth/me with an admin's read-only and content tokens: a read token passes
// every GET an admin may make and gets 403 on every other method; a content token acts as
// an editor (the policy's editor column decides) and a full token as an admin.
func TestEveryAdminRouteHonoursTokenScopes(t *testing.T) {
	eachDialectLean(t, func(t *testing.T, app *testApp) {
		adminJWT, _ := app.token(t, auth.RoleAdmin)
		tokens := map[string]string{}
		for _, scope := range []string{"read", "content", "full"} {
			tokens[scope] = bearer(newAPIToken(t, app, bearer(adminJWT), "/api/v1/auth/tokens", scope).Token)
		}
		for _, r := range app.srv.Echo().Routes() {
			if r.Method == "echo_route_not_found" || !(strings.HasPrefix(r.Path, "/api/v1/admin/") || strings.HasPrefix(r.Path, "/api/v1/auth/me")) {
				continue
			}
			key := r.Method + " " + r.Path
			allowed := policy[key]
			target := routeParam.ReplaceAllStringFunc(r.Path, func(p string) string {
				switch p {
				case ":locale":
					return "en"
				case ":version":
					return "1"
				}
				return uuid.NewString()
			})
			body := any(nil)
			if r.Method != http.MethodGet && r.Method != http.MethodDelete {
				body = "{}"
			}
			for scope, h := range tokens {
				role := auth.RoleAdmin
				if scope == "content" {
					role = auth.RoleEditor
				}
				in := false
				for _, a := range allowed {
					in = in || a == role
				}
				if scope == "read" && r.Method != http.MethodGet {
					in = false
				}
				if key == "PUT /api/v1/auth/me/password" {
					in = false // a password changes only in a password session
				}
				rec := app.send(r.Method, target, body, h, `If-Match: "1"`)
				switch {
				case !in && rec.Code != http.StatusForbidden:
					t.Errorf("%s with a %s token: %d, want 403", key, scope, rec.Code)
				case in && (rec.Code == http.StatusForbidden || rec.Code == http.StatusUnauthorized):
					t.Errorf("%s with a %s token: %d, want it to pass; body %.200s", key, scope, rec.Code, rec.Body.String())
				}
			}
		}
	})
}

// TestServiceTokenCannotMintPersonalTokens: a full service token acts for an integration;
// it must not create a personal token, which would act as its admin as a person and
// outlive the service token's revocation (issue 21).
func TestServiceTokenCannotMintPersonalTokens(t *testing.T) {
	eachDialectLean(t, func(t *testing.T, app *testApp) {
		admin, _ := app.token(t, auth.RoleAdmin)
		svc := newAPIToken(t, app, bearer(admin), "/api/v1/admin/tokens", "full")
		p := problem(t, app.send(http.MethodPost, "/api/v1/auth/tokens", api.CreateTokenRequest{Name: "escape", Scope: "full"}, bearer(svc.Token)), http.StatusForbidden)
		if !strings.Contains(p.Detail, "service token") {
			t.Errorf("detail %q", p.Detail)
		}
		l := decode[api.APITokenList](t, app.get("/api/v1/admin/tokens?per_page=100", bearer(admin)), http.StatusOK)
		for _, tok := range l.Data {
			if tok.Kind == "personal" {
				t.Errorf("a personal token was created: %+v", tok)
			}
		}
		// It still administers, and a personal full token or a password session may.
		if rec := app.get("/api/v1/admin/users", bearer(svc.Token)); rec.Code != http.StatusOK {
			t.Errorf("service token: admin read %d", rec.Code)
		}
		pat := newAPIToken(t, app, bearer(admin), "/api/v1/auth/tokens", "full")
		newAPIToken(t, app, bearer(pat.Token), "/api/v1/auth/tokens", "read")
	})
}

// TestAPITokenCapUnderConcurrentCreates: many creations at once by one user stop exactly
// at MaxTokensPerUser (on PostgreSQL the count and the insert of two transactions used to
// interleave; the creator's row is now locked first).
func TestAPITokenCapUnderConcurrentCreates(t *testing.T) {
	eachDialectLean(t, func(t *testing.T, app *testApp) {
		jwt, id := app.token(t, auth.RoleEditor)
		ctx := context.Background()
		p := auth.Principal{UserID: id, Role: auth.RoleEditor}
		const pre = auth.MaxTokensPerUser - 5
		for i := range pre {
			if _, err := app.auth.CreateToken(ctx, p, auth.NewToken{Name: fmt.Sprintf("pre %d", i), Scope: auth.ScopeRead}); err != nil {
				t.Fatal(err)
			}
		}
		const n = 24
		codes := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = app.send(http.MethodPost, "/api/v1/auth/tokens", api.CreateTokenRequest{Name: fmt.Sprintf("race %d", i), Scope: "read"}, bearer(jwt)).Code
			}()
		}
		wg.Wait()
		created := 0
		for _, c := range codes {
			switch c {
			case http.StatusCreated:
				created++
			case http.StatusConflict:
			default:
				t.Errorf("status %d", c)
			}
		}
		l := decode[api.APITokenList](t, app.get("/api/v1/auth/tokens?per_page=100&active=true", bearer(jwt)), http.StatusOK)
		if l.Meta.Total == nil {
			t.Fatal("no total")
		}
		if created != 5 || *l.Meta.Total != auth.MaxTokensPerUser {
			t.Fatalf("%d created concurrently, %d active; want 5 and %d", created, *l.Meta.Total, auth.MaxTokensPerUser)
		}
	})
}
