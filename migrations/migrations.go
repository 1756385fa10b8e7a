// Package migrations holds Herald's versioned SQL schema, one goose file per change and
// dialect (postgres/ and sqlite/ in pairs with the same number and name), embedded in the
// binary so a server migrates itself at start.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Provider returns a goose provider for dialect ("postgres" or "sqlite") over db.
func Provider(db *sql.DB, dialect string) (*goose.Provider, error) {
	var d goose.Dialect
	switch dialect {
	case "postgres":
		d = goose.DialectPostgres
	case "sqlite":
		d = goose.DialectSQLite3
	default:
		return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
	}
	sub, err := fs.Sub(files, dialect)
	if err != nil {
		return nil, err
	}
	// Helpers number their migrations in reserved ranges (00010–19, 00030–39, …) and they
	// land in any order, so a database already at 00060 must still take a new 00030:
	// goose refuses that ("missing (out-of-order) migration") unless allowed.
	return goose.NewProvider(d, db, sub, goose.WithAllowOutofOrder(true))
}

// Up applies every pending migration.
func Up(ctx context.Context, db *sql.DB, dialect string) error {
	p, err := Provider(db, dialect)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	return nil
}

// Files exposes the embedded SQL for tests that check the dialects stay in pairs.
func Files() fs.FS { return files }
