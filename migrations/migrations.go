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
	// Out of order: changes are developed in parallel with reserved number ranges, so a
	// release can bring a migration numbered below one a database already has (00010 after
	// 00060). Each migration touches only its own objects, so applying it late is safe;
	// without this, goose refuses to upgrade such a database at all.
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
