package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/heraldcms/herald/internal/app"
	"github.com/heraldcms/herald/internal/errs"

	"github.com/heraldcms/herald/internal/auth"
	"github.com/heraldcms/herald/internal/config"
)

const userUsage = `usage: herald user create --email EMAIL --role admin|editor|author [--name NAME] [--password-file FILE]

The password is read from FILE, or else from the first line of standard input:
  echo "$PASSWORD" | herald user create --email admin@example.com --role admin
`

// ensureAdmins creates the bootstrap admin named by the configuration if absent and, in
// development with no users at all, admin@example.com with a random password logged once.
func ensureAdmins(ctx context.Context, cfg config.Config, svc *auth.Service, log *slog.Logger) error {
	if cfg.BootstrapAdminEmail != "" {
		// Checked even when the admin exists: a weak bootstrap password may be live.
		if w := auth.PasswordWeakness(cfg.BootstrapAdminPassword, auth.RoleAdmin); w != "" {
			return fmt.Errorf("HERALD_BOOTSTRAP_ADMIN_PASSWORD %s", w)
		}
		created, err := svc.EnsureUser(ctx, auth.NewUser{Email: cfg.BootstrapAdminEmail, Name: "Administrator",
			Role: auth.RoleAdmin, Password: cfg.BootstrapAdminPassword})
		if err != nil {
			return fmt.Errorf("bootstrap admin (HERALD_BOOTSTRAP_ADMIN_EMAIL): %w", err)
		}
		if created {
			log.Info("created the bootstrap admin", "email", auth.NormalizeEmail(cfg.BootstrapAdminEmail))
		}
	}
	if cfg.Env != config.Development {
		return nil
	}
	n, err := svc.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	password, err := randomPassword()
	if err != nil {
		return err
	}
	const email = "admin@example.com"
	if _, err := svc.EnsureUser(ctx, auth.NewUser{Email: email, Name: "Development admin", Role: auth.RoleAdmin, Password: password}); err != nil {
		return fmt.Errorf("create the development admin: %w", err)
	}
	log.Warn("created a development admin; this password is shown only once (lost it? run `herald user create` or delete the database)",
		"email", email, "password", password)
	return nil
}

func randomPassword() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// userCommand runs `herald user …`.
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stdout, userUsage)
		return errors.New("usage: herald user create …")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "email address (required)")
	role := fs.String("role", "", "admin, editor or author (required)")
	name := fs.String("name", "", "display name")
	passwordFile := fs.String("password-file", "", "read the password from this file instead of standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w\n%s", err, userUsage)
	}
	if *email == "" || *role == "" || fs.NArg() > 0 {
		fmt.Fprint(stdout, userUsage)
		return errors.New("usage: herald user create needs --email and --role")
	}
	password, err := readPassword(*passwordFile, stdin)
	if err != nil {
		return err
	}
	a, closeApp, err := openApp(ctx, getenv, app.WithoutMedia())
	if err != nil {
		return err
	}
	defer closeApp()
	u, err := a.Auth.CreateUser(ctx, auth.NewUser{Email: *email, Name: *name, Role: auth.Role(*role), Password: password})
	switch {
	case errs.CodeOf(err) == errs.Invalid:
		return fmt.Errorf("cannot create the user: %s", strings.TrimPrefix(err.Error(), "invalid input: "))
	case errors.Is(err, auth.ErrConflict):
		return fmt.Errorf("a user with email %s already exists", auth.NormalizeEmail(*email))
	case err != nil:
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (id %s) at %s\n", u.Role, u.Email, u.ID, u.CreatedAt.Format(time.RFC3339))
	return nil
}

// readPassword reads the first line of the file, or of stdin; the trailing newline is not
// part of the password.
func readPassword(file string, stdin io.Reader) (string, error) {
	r := stdin
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("password file: %w", err)
		}
		defer f.Close()
		r = f
	}
	line, err := bufio.NewReader(io.LimitReader(r, auth.MaxPasswordBytes+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password given: pipe it on standard input or use --password-file")
	}
	return line, nil
}
