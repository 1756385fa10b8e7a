package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// NativeRead is the GORM setting on a statement that public reads render through GORM (its
// callbacks see it, in dry run) and then run on pgx directly; statement counters count it.
const NativeRead = "herald:native_read"

// rowSource is the result of a public read, from database/sql or from pgx.
type rowSource interface {
	columns() []string
	next() bool
	scan(dest ...any) error
	err() error
	// bytes is the scan destination that makes *b reference the driver's buffer for the
	// current row, without a copy.
	bytes(b *[]byte) any
}

type sqlRows struct {
	*sql.Rows
	cols []string
}

func (r sqlRows) columns() []string      { return r.cols }
func (r sqlRows) next() bool             { return r.Next() }
func (r sqlRows) scan(dest ...any) error { return r.Scan(dest...) }
func (r sqlRows) err() error             { return r.Err() }
func (r sqlRows) bytes(b *[]byte) any    { return (*sql.RawBytes)(b) }

type pgxRows struct {
	pgx.Rows
	cols []string
}

func newPgxRows(rows pgx.Rows) pgxRows {
	fs := rows.FieldDescriptions()
	cols := make([]string, len(fs))
	for i, f := range fs {
		cols[i] = f.Name
	}
	return pgxRows{Rows: rows, cols: cols}
}

func (r pgxRows) columns() []string      { return r.cols }
func (r pgxRows) next() bool             { return r.Next() }
func (r pgxRows) scan(dest ...any) error { return r.Scan(dest...) }
func (r pgxRows) err() error             { return r.Err() }
func (r pgxRows) bytes(b *[]byte) any    { return (*pgtype.DriverBytes)(b) }

// queryRows runs the raw statement q and hands its rows to scan. On PostgreSQL outside a
// transaction the statement runs on pgx itself: database/sql's driver copies every text and
// JSON value of every row into a new slice (a third of a list page's allocation, its cards
// mostly), where pgx lets the scan reference its buffer. It is still rendered by GORM, in
// dry run, so GORM's callbacks (the tests' statement counters) see it.
func (db *DB) queryRows(ctx context.Context, q string, args []any, scan func(rowSource) error) error {
	g := db.conn(ctx)
	if pool := pgxPool(db.dialect, g); pool != nil {
		tx := g.Session(&gorm.Session{DryRun: true}).Set(NativeRead, true).Raw(q, args...)
		if _, err := tx.Rows(); err != nil && !errors.Is(err, gorm.ErrDryRunModeUnsupported) {
			return err
		}
		conn, err := pool.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return conn.Raw(func(dc any) error {
			sc, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("store: PostgreSQL connection is %T, not pgx", dc)
			}
			rows, err := sc.Conn().Query(ctx, tx.Statement.SQL.String(), tx.Statement.Vars...)
			if err != nil {
				return err
			}
			defer rows.Close()
			if err := scan(newPgxRows(rows)); err != nil {
				return err
			}
			rows.Close()
			return rows.Err()
		})
	}
	rows, err := g.Raw(q, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	return scan(sqlRows{Rows: rows, cols: cols})
}

// pgxPool is the pool under g when g is PostgreSQL's, outside a transaction.
func pgxPool(dialect string, g *gorm.DB) *sql.DB {
	if dialect != "postgres" {
		return nil
	}
	switch p := g.Statement.ConnPool.(type) {
	case *sql.DB:
		return p
	case *gorm.PreparedStmtDB:
		if db, ok := p.ConnPool.(*sql.DB); ok {
			return db
		}
	}
	return nil
}
