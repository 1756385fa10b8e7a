package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/api"
	"github.com/heraldcms/herald/internal/auth"
)

// caller is a column of the role matrix: a role, or nobody signed in.
type caller string

const anonymous caller = "anonymous"

var callers = []caller{anonymous, caller(auth.RoleAuthor), caller(auth.RoleEditor), caller(auth.RoleAdmin)}

// matrixRow is one endpoint of the role matrix: the request, and the status each caller
// gets. Rows are built per app because paths name fixtures created for it.
type matrixRow struct {
	method, path string
	body         any
	want         map[caller]int
}

// only returns the statuses of an endpoint that the listed roles may call with status ok;
// other signed-in roles get 403 and anonymous callers 401.
func only(ok int, roles ...auth.Role) map[caller]int {
	m := map[caller]int{anonymous: http.StatusUnauthorized}
	for _, c := range callers[1:] {
		m[c] = http.StatusForbidden
	}
	for _, r := range roles {
		m[caller(r)] = ok
	}
	return m
}

// TestRoleMatrix: role × endpoint → status, for every Admin API route this file knows.
// Each request runs on its own fixtures where it writes, so rows do not affect each other.
func TestRoleMatrix(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tokens := map[caller]string{}
		for _, c := range callers[1:] {
			tokens[c], _ = app.token(t, auth.Role(c))
		}
		ctx := context.Background()
		newUser := func(role auth.Role) uuid.UUID {
			u, err := app.auth.CreateUser(ctx, auth.NewUser{Email: "m-" + uuid.NewString()[:8] + "@example.com", Role: role, Password: testPassword})
			if err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		rows := func() []matrixRow {
			target := newUser(auth.RoleAuthor).String()
			return []matrixRow{
				{"GET", "/api/v1/auth/me", nil, map[caller]int{anonymous: 401, "author": 200, "editor": 200, "admin": 200}},
				{"GET", "/api/v1/admin/users", nil, only(200, auth.RoleAdmin)},
				{"GET", "/api/v1/admin/users/" + target, nil, only(200, auth.RoleAdmin)},
				{"POST", "/api/v1/admin/users", api.CreateUserRequest{Email: "n-" + uuid.NewString()[:8] + "@example.com", Role: "admin", Password: testPassword}, only(201, auth.RoleAdmin)},
				{"PATCH", "/api/v1/admin/users/" + target, api.UpdateUserRequest{Role: ptr("admin")}, only(200, auth.RoleAdmin)},
				{"PUT", "/api/v1/admin/users/" + target + "/password", api.PasswordResetRequest{Password: "another long password"}, only(204, auth.RoleAdmin)},
				{"GET", "/api/v1/admin/audit", nil, only(200, auth.RoleAdmin)},
			}
		}
		for i, row := range rows() {
			for _, c := range callers {
				name := uuidPattern.ReplaceAllString(row.path, "{id}")
				t.Run(fmt.Sprintf("%s %s as %s", row.method, name, c), func(t *testing.T) {
					r := rows()[i] // fresh fixtures for every caller
					var headers []string
					if c != anonymous {
						headers = append(headers, bearer(tokens[c]))
					}
					rec := app.send(r.method, r.path, r.body, headers...)
					if rec.Code != r.want[c] {
						t.Fatalf("status %d, want %d; body %.300s", rec.Code, r.want[c], rec.Body.String())
					}
					if rec.Code >= 400 {
						problem(t, rec, rec.Code)
					}
				})
			}
		}
	})
}

var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

func ptr[T any](v T) *T { return &v }

func TestRoleEscalation(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		editor, editorID := app.token(t, auth.RoleEditor)
		author, authorID := app.token(t, auth.RoleAuthor)

		// Nobody below admin can promote themselves or create an admin.
		problem(t, app.send(http.MethodPatch, "/api/v1/admin/users/"+editorID.String(), api.UpdateUserRequest{Role: ptr("admin")}, bearer(editor)), http.StatusForbidden)
		problem(t, app.send(http.MethodPatch, "/api/v1/admin/users/"+authorID.String(), api.UpdateUserRequest{Role: ptr("admin")}, bearer(author)), http.StatusForbidden)
		problem(t, app.send(http.MethodPost, "/api/v1/admin/users", api.CreateUserRequest{Email: "evil@example.com", Role: "admin", Password: testPassword}, bearer(author)), http.StatusForbidden)
		// /auth/me has no writable role, and the body cannot add one.
		problem(t, app.send(http.MethodPut, "/api/v1/auth/me/password", `{"current_password":"`+testPassword+`","new_password":"whatever long one","role":"admin"}`, bearer(author)), http.StatusBadRequest)
		if me := decode[api.UserDTO](t, app.get("/api/v1/auth/me", bearer(author)), http.StatusOK); me.Role != "author" {
			t.Fatalf("author became %s", me.Role)
		}

		// A demoted admin's existing token loses admin rights at once: roles come from the
		// database on every request, not from the token.
		boss, bossID := app.token(t, auth.RoleAdmin)
		admin2, _ := app.token(t, auth.RoleAdmin)
		decode[api.UserList](t, app.get("/api/v1/admin/users", bearer(boss)), http.StatusOK)
		decode[api.UserDTO](t, app.send(http.MethodPatch, "/api/v1/admin/users/"+bossID.String(), api.UpdateUserRequest{Role: ptr("editor")}, bearer(admin2)), http.StatusOK)
		problem(t, app.get("/api/v1/admin/users", bearer(boss)), http.StatusForbidden)
	})
}

func TestLastAdmin(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		a1, a1ID := app.token(t, auth.RoleAdmin)
		path := "/api/v1/admin/users/" + a1ID.String()
		p := problem(t, app.send(http.MethodPatch, path, api.UpdateUserRequest{Role: ptr("editor")}, bearer(a1)), http.StatusConflict)
		if !strings.Contains(p.Detail, "last active admin") {
			t.Errorf("detail %q", p.Detail)
		}
		problem(t, app.send(http.MethodPatch, path, api.UpdateUserRequest{Active: ptr(false)}, bearer(a1)), http.StatusConflict)
		// Renaming the last admin is fine.
		decode[api.UserDTO](t, app.send(http.MethodPatch, path, api.UpdateUserRequest{Name: ptr("Chief")}, bearer(a1)), http.StatusOK)

		// With a second admin, the first may step down; then the second is the last.
		_, a2ID := app.token(t, auth.RoleAdmin)
		off := false
		// An inactive admin does not count.
		_, a3ID := app.token(t, auth.RoleAdmin)
		if _, _, err := app.auth.UpdateUser(context.Background(), a3ID, auth.UserPatch{Active: &off}); err != nil {
			t.Fatal(err)
		}
		decode[api.UserDTO](t, app.send(http.MethodPatch, "/api/v1/admin/users/"+a2ID.String(), api.UpdateUserRequest{Role: ptr("author")}, bearer(a1)), http.StatusOK)
		problem(t, app.send(http.MethodPatch, path, api.UpdateUserRequest{Active: ptr(false)}, bearer(a1)), http.StatusConflict)
	})
}

func TestUsersAPI(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		admin, adminID := app.token(t, auth.RoleAdmin)
		h := bearer(admin)

		rec := app.send(http.MethodPost, "/api/v1/admin/users", api.CreateUserRequest{Email: " New.Author@Example.com ", Name: "Nərmin Əliyeva", Role: "author", Password: "a long first password"}, h)
		u := decode[api.UserDTO](t, rec, http.StatusCreated)
		if u.Email != "new.author@example.com" || u.Role != "author" || !u.Active || u.Name != "Nərmin Əliyeva" {
			t.Fatalf("created %+v", u)
		}
		if loc := rec.Header().Get("Location"); loc != "/api/v1/admin/users/"+u.ID.String() {
			t.Errorf("Location %q", loc)
		}
		decode[api.UserDTO](t, app.get("/api/v1/admin/users/"+u.ID.String(), h), http.StatusOK)
		app.login(t, "NEW.author@example.com", "a long first password")

		// Duplicate email (any case) is a conflict; bad fields are named.
		problem(t, app.send(http.MethodPost, "/api/v1/admin/users", api.CreateUserRequest{Email: "NEW.AUTHOR@example.com", Role: "author", Password: "a long first password"}, h), http.StatusConflict)
		p := problem(t, app.send(http.MethodPost, "/api/v1/admin/users", api.CreateUserRequest{Email: "not-an-email", Role: "superuser", Password: "short", Name: strings.Repeat("n", 300)}, h), http.StatusBadRequest)
		fields := map[string]bool{}
		for _, f := range p.Errors {
			fields[f.Field] = true
		}
		for _, f := range []string{"email", "role", "password", "name"} {
			if !fields[f] {
				t.Errorf("no error for %s in %+v", f, p.Errors)
			}
		}
		problem(t, app.send(http.MethodPost, "/api/v1/admin/users", api.CreateUserRequest{Email: strings.Repeat("a", 300) + "@example.com", Role: "author", Password: "a long first password"}, h), http.StatusBadRequest)
		problem(t, app.send(http.MethodPost, "/api/v1/admin/users", api.CreateUserRequest{Email: "x@example.com", Role: "author", Password: strings.Repeat("p", 300)}, h), http.StatusBadRequest)

		// SQL-looking text is data.
		sqlName := `Robert'); DROP TABLE users;--`
		sqlUser := decode[api.UserDTO](t, app.send(http.MethodPost, "/api/v1/admin/users", api.CreateUserRequest{Email: "bobby@example.com", Name: sqlName, Role: "editor", Password: "a long first password"}, h), http.StatusCreated)
		if sqlUser.Name != sqlName {
			t.Errorf("name %q", sqlUser.Name)
		}
		for _, q := range []string{`' OR '1'='1`, `%`, `_`, `\`} {
			l := decode[api.UserList](t, app.get("/api/v1/admin/users?q="+url.QueryEscape(q), h), http.StatusOK)
			if len(l.Data) != 0 {
				t.Errorf("q=%q matched %d users", q, len(l.Data))
			}
		}
		if l := decode[api.UserList](t, app.get("/api/v1/admin/users?q=DROP+TABLE", h), http.StatusOK); len(l.Data) != 1 {
			t.Errorf("q=DROP TABLE matched %d users, want 1", len(l.Data))
		}
		problem(t, app.get("/api/v1/admin/users?q="+strings.Repeat("x", 300), h), http.StatusBadRequest)
		problem(t, app.get("/api/v1/admin/users?role=root", h), http.StatusBadRequest)
		problem(t, app.get("/api/v1/admin/users?per_page=1000", h), http.StatusBadRequest)

		// Filters and pagination.
		l := decode[api.UserList](t, app.get("/api/v1/admin/users?per_page=2&page=1", h), http.StatusOK)
		if len(l.Data) != 2 || l.Meta.Total == nil || *l.Meta.Total != 3 || *l.Meta.TotalPages != 2 {
			t.Fatalf("page 1: %d items, meta %+v", len(l.Data), l.Meta)
		}
		if l.Data[0].ID != adminID {
			t.Errorf("not oldest first: %v", l.Data[0].Email)
		}
		l2 := decode[api.UserList](t, app.get("/api/v1/admin/users?per_page=2&page=2", h), http.StatusOK)
		if len(l2.Data) != 1 || l2.Data[0].ID == l.Data[0].ID || l2.Data[0].ID == l.Data[1].ID {
			t.Fatalf("page 2: %+v", l2.Data)
		}
		if l := decode[api.UserList](t, app.get("/api/v1/admin/users?role=editor", h), http.StatusOK); len(l.Data) != 1 || l.Data[0].ID != sqlUser.ID {
			t.Errorf("role=editor: %+v", l.Data)
		}

		// Not found: unknown and junk ids never reach a 500.
		problem(t, app.get("/api/v1/admin/users/"+uuid.NewString(), h), http.StatusNotFound)
		problem(t, app.get("/api/v1/admin/users/1%27%20OR%201=1", h), http.StatusNotFound)
		problem(t, app.send(http.MethodPatch, "/api/v1/admin/users/"+uuid.NewString(), api.UpdateUserRequest{Name: ptr("x")}, h), http.StatusNotFound)

		// Reset password: the old one stops working, and so do the user's tokens.
		old := app.login(t, "new.author@example.com", "a long first password")
		if rec := app.send(http.MethodPut, "/api/v1/admin/users/"+u.ID.String()+"/password", api.PasswordResetRequest{Password: "the admin chose this"}, h); rec.Code != http.StatusNoContent {
			t.Fatalf("reset: %d %s", rec.Code, rec.Body.String())
		}
		problem(t, app.send(http.MethodPost, "/api/v1/auth/login", api.LoginRequest{Email: "new.author@example.com", Password: "a long first password"}), http.StatusUnauthorized)
		problem(t, app.get("/api/v1/auth/me", bearer(old.AccessToken)), http.StatusUnauthorized)
		app.login(t, "new.author@example.com", "the admin chose this")
		problem(t, app.send(http.MethodPut, "/api/v1/admin/users/"+u.ID.String()+"/password", api.PasswordResetRequest{Password: "short"}, h), http.StatusBadRequest)
	})
}

func TestAuditLog(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		admin, adminID := app.token(t, auth.RoleAdmin)
		h := bearer(admin)
		u := decode[api.UserDTO](t, app.send(http.MethodPost, "/api/v1/admin/users", api.CreateUserRequest{Email: "audited@example.com", Role: "author", Password: testPassword}, h), http.StatusCreated)
		decode[api.UserDTO](t, app.send(http.MethodPatch, "/api/v1/admin/users/"+u.ID.String(), api.UpdateUserRequest{Role: ptr("editor"), Name: ptr("Renamed")}, h), http.StatusOK)
		// A patch that changes nothing records nothing.
		decode[api.UserDTO](t, app.send(http.MethodPatch, "/api/v1/admin/users/"+u.ID.String(), api.UpdateUserRequest{Role: ptr("editor")}, h), http.StatusOK)
		app.send(http.MethodPut, "/api/v1/admin/users/"+u.ID.String()+"/password", api.PasswordResetRequest{Password: "another long password"}, h)

		// The admin itself was created through the service outside any request: recorded too,
		// with no actor (the system).
		all := decode[api.AuditList](t, app.get("/api/v1/admin/audit", h), http.StatusOK)
		if len(all.Data) != 4 || all.Data[3].Action != "user.create" || all.Data[3].EntityID != adminID.String() || all.Data[3].ActorID != nil {
			t.Fatalf("all entries %+v", all.Data)
		}
		byAdmin := "actor=" + adminID.String()
		l := decode[api.AuditList](t, app.get("/api/v1/admin/audit?"+byAdmin, h), http.StatusOK)
		if len(l.Data) != 3 || *l.Meta.Total != 3 {
			t.Fatalf("entries %+v", l.Data)
		}
		wantActions := []string{"user.password_reset", "user.update", "user.create"} // newest first
		for i, e := range l.Data {
			if e.Action != wantActions[i] || e.EntityType != "user" || e.EntityID != u.ID.String() ||
				e.ActorID == nil || *e.ActorID != adminID || !strings.HasPrefix(e.ActorEmail, "admin-") || e.At.IsZero() {
				t.Errorf("entry %d: %+v", i, e)
			}
		}
		if s := l.Data[1].Summary; !strings.Contains(s, `role: "author" → "editor"`) || !strings.Contains(s, `name: "" → "Renamed"`) || strings.Contains(s, "active") {
			t.Errorf("update summary %q", s)
		}
		if l.Data[2].RequestID == "" {
			t.Error("no request id")
		}

		// Filters and pages.
		f := decode[api.AuditList](t, app.get("/api/v1/admin/audit?action=user.update&entity_type=user&entity_id="+u.ID.String()+"&actor="+adminID.String(), h), http.StatusOK)
		if len(f.Data) != 1 || f.Data[0].Action != "user.update" {
			t.Errorf("filtered %+v", f.Data)
		}
		if f := decode[api.AuditList](t, app.get("/api/v1/admin/audit?actor="+uuid.NewString(), h), http.StatusOK); len(f.Data) != 0 {
			t.Errorf("other actor: %+v", f.Data)
		}
		p1 := decode[api.AuditList](t, app.get("/api/v1/admin/audit?per_page=2&"+byAdmin, h), http.StatusOK)
		p2 := decode[api.AuditList](t, app.get("/api/v1/admin/audit?per_page=2&page=2&"+byAdmin, h), http.StatusOK)
		if len(p1.Data) != 2 || len(p2.Data) != 1 || p2.Data[0].Action != "user.create" {
			t.Errorf("pages %d + %d", len(p1.Data), len(p2.Data))
		}
		since := app.clock.Now().Add(-1).Format("2006-01-02T15:04:05.999999999Z07:00")
		if f := decode[api.AuditList](t, app.get("/api/v1/admin/audit?since="+url.QueryEscape(since)+"&"+byAdmin, h), http.StatusOK); len(f.Data) != 3 {
			t.Errorf("since: %d", len(f.Data))
		}
		if f := decode[api.AuditList](t, app.get("/api/v1/admin/audit?until=2000-01-01", h), http.StatusOK); len(f.Data) != 0 {
			t.Errorf("until 2000: %d", len(f.Data))
		}
		for _, bad := range []string{"actor=nope", "since=yesterday", "per_page=0", "page=-1", "action=" + strings.Repeat("a", 300)} {
			problem(t, app.get("/api/v1/admin/audit?"+bad, h), http.StatusBadRequest)
		}
	})
}

// policy is the role matrix of every Admin API route: the roles allowed to call it. Others
// signed in get 403, anonymous callers 401. A route missing here fails the test below, so a
// new admin route must state its policy. Entity rules (an author's own drafts only) are
// tested with the resources, e.g. TestAuthorsOwnDraftsOnly.
var policy = map[string][]auth.Role{
	"GET /api/v1/auth/me":          anyone,
	"PUT /api/v1/auth/me/password": anyone,

	"GET /api/v1/admin/articles":                                 anyone,
	"POST /api/v1/admin/articles":                                anyone,
	"GET /api/v1/admin/articles/:id":                             anyone,
	"PATCH /api/v1/admin/articles/:id":                           anyone,
	"DELETE /api/v1/admin/articles/:id":                          staff,
	"GET /api/v1/admin/articles/:id/preview":                     anyone,
	"PUT /api/v1/admin/articles/:id/translations/:locale":        anyone,
	"DELETE /api/v1/admin/articles/:id/translations/:locale":     anyone,
	"POST /api/v1/admin/articles/:id/publish":                    staff,
	"POST /api/v1/admin/articles/:id/unpublish":                  staff,
	"POST /api/v1/admin/articles/:id/archive":                    staff,
	"GET /api/v1/admin/articles/:id/revisions":                   anyone,
	"GET /api/v1/admin/articles/:id/revisions/:version":          anyone,
	"POST /api/v1/admin/articles/:id/revisions/:version/restore": anyone,
	"POST /api/v1/admin/categories":                              staff,
	"PATCH /api/v1/admin/categories/:id":                         staff,
	"DELETE /api/v1/admin/categories/:id":                        staff,
	"POST /api/v1/admin/tags":                                    staff,
	"PATCH /api/v1/admin/tags/:id":                               staff,
	"DELETE /api/v1/admin/tags/:id":                              staff,
	"PUT /api/v1/admin/articles/:id/read-count":                  staff,
	"GET /api/v1/admin/articles/:id/stats":                       staff,
	"POST /api/v1/admin/read-counts/import":                      staff,
	"GET /api/v1/admin/settings":                                 anyone,
	"PUT /api/v1/admin/settings":                                 staff,
	"GET /api/v1/admin/users":                                    admins,
	"POST /api/v1/admin/users":                                   admins,
	"GET /api/v1/admin/users/:id":                                admins,
	"PATCH /api/v1/admin/users/:id":                              admins,
	"PUT /api/v1/admin/users/:id/password":                       admins,
	"GET /api/v1/admin/audit":                                    admins,
	"GET /api/v1/admin/tokens":                                   admins,
	"POST /api/v1/admin/tokens":                                  admins,
	"POST /api/v1/admin/tokens/identify":                         admins,
	"GET /api/v1/admin/tokens/:id":                               admins,
	"DELETE /api/v1/admin/tokens/:id":                            admins,

	"GET /api/v1/admin/webhooks":                                     admins,
	"POST /api/v1/admin/webhooks":                                    admins,
	"GET /api/v1/admin/webhooks/:id":                                 admins,
	"PATCH /api/v1/admin/webhooks/:id":                               admins,
	"DELETE /api/v1/admin/webhooks/:id":                              admins,
	"POST /api/v1/admin/webhooks/:id/secret":                         admins,
	"POST /api/v1/admin/webhooks/:id/ping":                           admins,
	"GET /api/v1/admin/webhooks/:id/deliveries":                      admins,
	"GET /api/v1/admin/webhooks/:id/deliveries/:delivery":            admins,
	"POST /api/v1/admin/webhooks/:id/deliveries/:delivery/redeliver": admins,
	"GET /api/v1/admin/media":                                        anyone,
	"POST /api/v1/admin/media":                                       anyone,
	"GET /api/v1/admin/media/:id":                                    anyone,
	"PATCH /api/v1/admin/media/:id":                                  anyone,
	"DELETE /api/v1/admin/media/:id":                                 anyone,
	// Issue 17: preview links, bylines and author profiles.
	"POST /api/v1/admin/articles/:id/previews":            anyone,
	"GET /api/v1/admin/articles/:id/previews":             anyone,
	"DELETE /api/v1/admin/articles/:id/previews/:preview": anyone,
	"PUT /api/v1/admin/articles/:id/bylines":              anyone,
	"GET /api/v1/admin/authors":                           anyone,
	"POST /api/v1/admin/authors":                          staff,
	"GET /api/v1/admin/authors/:id":                       anyone,
	"PATCH /api/v1/admin/authors/:id":                     staff,
	"DELETE /api/v1/admin/authors/:id":                    staff,
	// Archive imports (issue 20).
	"POST /api/v1/admin/import":    admins,
	"GET /api/v1/admin/import/:id": admins,
}

var (
	anyone = []auth.Role{auth.RoleAuthor, auth.RoleEditor, auth.RoleAdmin}
	staff  = []auth.Role{auth.RoleEditor, auth.RoleAdmin}
	admins = []auth.Role{auth.RoleAdmin}
)

var routeParam = regexp.MustCompile(`:[a-z_]+`)

// TestEveryAdminRouteFollowsThePolicy sends a request to every registered route under
// /api/v1/admin and /api/v1/auth/me as each caller: anonymous gets 401, a role outside the
// policy 403, a role inside it anything but 401/403 (the body and ids are placeholders, so
// 400, 404 or 428 are expected there).
func TestEveryAdminRouteFollowsThePolicy(t *testing.T) {
	eachDialect(t, func(t *testing.T, app *testApp) {
		tokens := map[auth.Role]string{}
		for _, r := range auth.Roles {
			tokens[r], _ = app.token(t, r)
		}
		seen := map[string]bool{}
		for _, r := range app.srv.Echo().Routes() {
			if r.Method == "echo_route_not_found" || !(strings.HasPrefix(r.Path, "/api/v1/admin/") || strings.HasPrefix(r.Path, "/api/v1/auth/me")) {
				continue
			}
			key := r.Method + " " + r.Path
			seen[key] = true
			allowed, ok := policy[key]
			if !ok {
				t.Errorf("%s has no entry in the role policy of authz_test.go", key)
				continue
			}
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
			if rec := app.send(r.Method, target, body); rec.Code != http.StatusUnauthorized {
				t.Errorf("%s anonymous: %d, want 401", key, rec.Code)
			}
			for _, role := range auth.Roles {
				rec := app.send(r.Method, target, body, bearer(tokens[role]), `If-Match: "1"`)
				in := false
				for _, a := range allowed {
					in = in || a == role
				}
				switch {
				case !in && rec.Code != http.StatusForbidden:
					t.Errorf("%s as %s: %d, want 403", key, role, rec.Code)
				case in && (rec.Code == http.StatusForbidden || rec.Code == http.StatusUnauthorized):
					t.Errorf("%s as %s: %d, want the role to pass; body %.200s", key, role, rec.Code, rec.Body.String())
				}
			}
		}
		for key := range policy {
			if !seen[key] {
				t.Errorf("policy names %s, which is not routed", key)
			}
		}
	})
}
