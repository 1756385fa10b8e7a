package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/audit"
	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/testkit"
)

// TestUserCreateSameThroughHTTPAndCLI: `herald user create` and POST /api/v1/admin/users go
// through the same service, so they leave the same audit entry and the same change row
// (only the actor and the email differ).
func TestUserCreateSameThroughHTTPAndCLI(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			env := envOf(map[string]string{"HERALD_DATABASE_URL": testkit.URL(t, d), "HERALD_DEMO_CONTENT": "false",
				"HERALD_MEDIA_DIR": t.TempDir(), "HERALD_JWT_SECRET": "0123456789abcdef0123456789abcdef-test"})
			const password = "a long editor password"

			var out bytes.Buffer
			if err := userCommand(ctx, []string{"create", "--email", "cli@example.com", "--role", "editor", "--name", "Same"}, env,
				strings.NewReader(password+"\n"), &out); err != nil {
				t.Fatal(err)
			}
			_, cliID, _ := strings.Cut(out.String(), "(id ")
			cliID, _, _ = strings.Cut(cliID, ")")

			a, closeApp, err := openApp(ctx, env)
			if err != nil {
				t.Fatal(err)
			}
			defer closeApp()
			if _, err := a.Auth.CreateUser(ctx, auth.NewUser{Email: "root@example.com", Role: auth.RoleAdmin, Password: "a long admin password"}); err != nil {
				t.Fatal(err)
			}
			session, err := a.Auth.Login(ctx, "root@example.com", "a long admin password")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := json.Marshal(map[string]string{"email": "http@example.com", "role": "editor", "name": "Same", "password": password})
			req := httptest.NewRequest(http.MethodPost, "/api/v1/admin/users", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+session.AccessToken)
			rec := httptest.NewRecorder()
			a.Server.ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				t.Fatalf("POST /admin/users: %d %s", rec.Code, rec.Body)
			}
			var created struct{ ID string }
			if err := json.Unmarshal(rec.Body.Bytes(), &created); err != nil {
				t.Fatal(err)
			}

			cliEntry, httpEntry := auditOf(t, a, cliID), auditOf(t, a, created.ID)
			if cliEntry.ActorEmail != "" || httpEntry.ActorEmail != "root@example.com" {
				t.Errorf("actors: CLI %q, HTTP %q", cliEntry.ActorEmail, httpEntry.ActorEmail)
			}
			same := func(e audit.Entry, email string) string {
				return e.Action + "|" + e.EntityType + "|" + strings.ReplaceAll(e.Summary, email, "EMAIL")
			}
			if c, h := same(cliEntry, "cli@example.com"), same(httpEntry, "http@example.com"); c != h || c == "||" {
				t.Errorf("audit entries differ:\nCLI  %s\nHTTP %s", c, h)
			}
			cliChange, httpChange := changeOf(t, a, cliID), changeOf(t, a, created.ID)
			cliChange.EntityID, httpChange.EntityID = "", ""
			if c, h := changeKey(cliChange), changeKey(httpChange); c != h || cliChange.Kind != changes.Upsert {
				t.Errorf("change rows differ:\nCLI  %s\nHTTP %s", c, h)
			}
		})
	}
}

func auditOf(t *testing.T, a *app.App, id string) audit.Entry {
	t.Helper()
	es, _, err := a.Audit.List(context.Background(), audit.Query{EntityID: id})
	if err != nil || len(es) != 1 {
		t.Fatalf("audit entries of %s: %+v, %v; want one", id, es, err)
	}
	return es[0]
}

func changeOf(t *testing.T, a *app.App, id string) changes.Record {
	t.Helper()
	recs, err := a.Changes.After(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []changes.Record
	for _, r := range recs {
		if r.EntityID == id {
			out = append(out, r)
		}
	}
	if len(out) != 1 {
		t.Fatalf("change rows of %s: %+v; want one", id, out)
	}
	return out[0]
}

func changeKey(r changes.Record) string {
	b, _ := json.Marshal(r.Change)
	return string(b)
}
