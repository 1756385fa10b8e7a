package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/heraldcms/herald/internal/config"
	"github.com/heraldcms/herald/internal/store"
)

// backup writes a consistent copy of the SQLite database to path with VACUUM INTO, which
// reads one snapshot and so is safe while the server runs (a plain cp of the file is not:
// committed pages may still sit in the WAL). PostgreSQL has pg_dump for this.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return errors.New("usage: herald backup PATH (a new file; SQLite databases only)")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	dialect, dsn, err := config.ParseDatabaseURL(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	if dialect != "sqlite" {
		return errors.New("herald backup copies SQLite databases; back up PostgreSQL with pg_dump (see docs/deployment.md)")
	}
	src, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("database %s: %w", src, err)
	}
	target, err := filepath.Abs(args[0])
	if err != nil {
		return err
	}
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s exists: herald backup writes a new file only", target)
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.SQL().ExecContext(ctx, "VACUUM INTO ?", target); err != nil {
		return fmt.Errorf("backup to %s: %w", target, err)
	}
	st, err := os.Stat(target)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes)\n", src, target, st.Size())
	return nil
}
