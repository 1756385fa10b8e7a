package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/config"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

func TestUserCreateCommand(t *testing.T) {
	ctx := context.Background()
	url := "sqlite:" + filepath.Join(t.TempDir(), "u.db")
	env := envOf(map[string]string{"HERALD_DATABASE_URL": url})
	var out bytes.Buffer

	err := userCommand(ctx, []string{"create", "--email", "Root@Example.com", "--role", "admin", "--name", "Root"}, env, strings.NewReader("a long admin password\n"), &out)
	if err != nil || !strings.Contains(out.String(), "created admin root@example.com") {
		t.Fatalf("create from stdin: %v %q", err, out.String())
	}
	file := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(file, []byte("an editor's password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := userCommand(ctx, []string{"create", "--email", "ed@example.com", "--role", "editor", "--password-file", file}, env, strings.NewReader(""), &out); err != nil {
		t.Fatalf("create from file: %v", err)
	}
	for name, c := range map[string]struct {
		args  []string
		stdin string
		want  string
	}{
		"duplicate":   {[]string{"create", "--email", "root@example.com", "--role", "admin"}, "a long admin password\n", "already exists"},
		"bad role":    {[]string{"create", "--email", "x@example.com", "--role", "god"}, "a long admin password\n", "role"},
		"weak":        {[]string{"create", "--email", "x@example.com", "--role", "author"}, "short\n", "password"},
		"no password": {[]string{"create", "--email", "x@example.com", "--role", "author"}, "", "no password"},
		"no email":    {[]string{"create", "--role", "author"}, "a long admin password\n", "usage"},
		"no verb":     {nil, "", "usage"},
	} {
		err := userCommand(ctx, c.args, env, strings.NewReader(c.stdin), io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error mentioning %q", name, err, c.want)
		}
	}
}

func TestEnsureAdmins(t *testing.T) {
	for _, d := range testkit.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			db := testkit.OpenDB(t, d)
			cfg := config.Config{Env: config.Production, JWTSecret: bytes.Repeat([]byte("k"), 32), AccessTokenTTL: 900e9, RefreshTokenTTL: 3600e9,
				BootstrapAdminEmail: "Boot@Example.com", BootstrapAdminPassword: "bootstrap password"}
			svc, err := auth.NewService(store.NewAuth(db), cfg.JWTSecret)
			if err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			for range 2 { // idempotent
				if err := ensureAdmins(ctx, cfg, svc, log); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := svc.Login(ctx, "boot@example.com", "bootstrap password"); err != nil {
				t.Fatalf("bootstrap admin cannot log in: %v", err)
			}
			if n, _ := svc.CountUsers(ctx); n != 1 || strings.Count(logs.String(), "bootstrap admin") != 1 {
				t.Fatalf("%d users; log %s", n, logs.String())
			}

			// Development with an empty database: admin@example.com, password logged once.
			db2 := testkit.OpenDB(t, d)
			dev := config.Config{Env: config.Development, JWTSecret: cfg.JWTSecret, AccessTokenTTL: cfg.AccessTokenTTL, RefreshTokenTTL: cfg.RefreshTokenTTL}
			svc2, _ := auth.NewService(store.NewAuth(db2), dev.JWTSecret)
			logs.Reset()
			if err := ensureAdmins(ctx, dev, svc2, log); err != nil {
				t.Fatal(err)
			}
			_, pw, ok := strings.Cut(logs.String(), "password=")
			pw, _, _ = strings.Cut(pw, "\n")
			if !ok || len(pw) < 20 {
				t.Fatalf("no password in the log: %s", logs.String())
			}
			if _, err := svc2.Login(ctx, "admin@example.com", pw); err != nil {
				t.Fatalf("dev admin cannot log in with the logged password: %v", err)
			}
			logs.Reset()
			if err := ensureAdmins(ctx, dev, svc2, log); err != nil || logs.Len() != 0 {
				t.Fatalf("second start: %v %s", err, logs.String())
			}
		})
	}
}
