// Package store is Herald's persistence: the only package that imports GORM. It opens
// PostgreSQL or the embedded SQLite file, runs migrations, and implements the Store
// interfaces the domain packages declare, mapping rows to domain types and driver errors
// to domain errors.
package store

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/heraldcms/herald/internal/errs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/heraldcms/herald/internal/config"
	"github.com/heraldcms/herald/internal/readpref"
	"github.com/heraldcms/herald/migrations"
)

// DB is an open database of either dialect.
type DB struct {
	gorm    *gorm.DB
	sql     *sql.DB
	dialect string

	// replicas answer public reads (see readpref) when configured; next picks one.
	replicas []*DB
	next     atomic.Uint64
	// maxConns is the PostgreSQL pool's bound (SetMaxConns), replicas' too.
	maxConns int
	// nativeTap sees public reads that bypass GORM (TapNativeReads).
	nativeTap atomic.Pointer[func(ctx context.Context, sql string, args []any)]
}

// defaultPGConns bounds a PostgreSQL pool until SetMaxConns is called (config's
// HERALD_DATABASE_MAX_CONNS chooses it for the server).
const defaultPGConns = 20

// SetMaxConns bounds the PostgreSQL pools, the primary's and each replica's, to n
// connections, all kept open when idle: a pool that closes what it cannot keep idle
// reconnects under load and prepares each statement again. A request past the bound waits
// in Go for a connection, in arrival order, rather than in PostgreSQL's scheduler beside
// the others. SQLite's pool is fixed (see Open).
func (db *DB) SetMaxConns(n int) {
	if db.dialect != "postgres" || n < 1 {
		return
	}
	db.maxConns = n
	db.sql.SetMaxOpenConns(n)
	db.sql.SetMaxIdleConns(n)
	for _, r := range db.replicas {
		r.SetMaxConns(n)
	}
}

// AddReplica opens a read replica of the PostgreSQL primary; public reads outside a
// transaction then go to the replicas in turn, everything else to the primary.
func (db *DB) AddReplica(ctx context.Context, url string) error {
	r, err := Open(ctx, url)
	if err != nil {
		return fmt.Errorf("read replica: %w", err)
	}
	if r.dialect != "postgres" || db.dialect != "postgres" {
		_ = r.Close()
		return errors.New("read replicas need PostgreSQL for the primary and every replica")
	}
	if db.maxConns > 0 {
		r.SetMaxConns(db.maxConns)
	}
	db.replicas = append(db.replicas, r)
	return nil
}

// Open connects to the database named by url (see config.ParseDatabaseURL). It does not
// migrate; call Migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	dialect, dsn, err := config.ParseDatabaseURL(url)
	if err != nil {
		return nil, err
	}
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		SkipDefaultTransaction: true,
		PrepareStmt:            true,
	}
	var g *gorm.DB
	switch dialect {
	case "sqlite":
		if dir := filepath.Dir(sqlitePath(dsn)); dir != "" && !strings.Contains(dsn, ":memory:") {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database directory: %w", err)
			}
		}
		g, err = gorm.Open(sqlite.Open(sqliteDSN(dsn)), gcfg)
	case "postgres":
		var cc *pgx.ConnConfig
		if cc, err = pgx.ParseConfig(sessionDefaults(dsn)); err != nil {
			return nil, fmt.Errorf("open %s database: %w", dialect, err)
		}
		cc.BuildFrontend = bufferedFrontend
		cc.BuildContextWatcherHandler = keepOnCancel
		g, err = gorm.Open(postgres.New(postgres.Config{Conn: stdlib.OpenDB(*cc)}), gcfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	if dialect == "postgres" {
		g.ClauseBuilders["LIMIT"] = literalLimit
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if err := registerUnavailable(g); err != nil {
		return nil, err
	}
	// Every open connection stays idle-ready: under load, a pool that closes what it cannot
	// keep idle reconnects and prepares each statement again (database/sql keeps only 2 idle
	// by default).
	if dialect == "sqlite" {
		// One file, one writer: a small pool avoids lock storms; WAL lets readers run alongside.
		sqlDB.SetMaxOpenConns(4)
		sqlDB.SetMaxIdleConns(4)
	} else {
		sqlDB.SetMaxOpenConns(defaultPGConns)
		sqlDB.SetMaxIdleConns(defaultPGConns)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", dialect, err)
	}
	db := &DB{gorm: g, sql: sqlDB, dialect: dialect}
	if dialect == "sqlite" {
		// A file analysed by an earlier release still holds value samples (see sqliteStats).
		if err := db.sqliteStats(ctx, false); err != nil {
			_ = sqlDB.Close()
			return nil, fmt.Errorf("sqlite statistics: %w", err)
		}
	}
	return db, nil
}

// bufferedFrontend reads what PostgreSQL sent in as few reads as it arrived in: pgx reads
// a result 8 KB at a time, a read (and often a wait for readiness) per 8 KB of a 25 KB list
// page, and a read is costly where the kernel is virtualised.
func bufferedFrontend(r io.Reader, w io.Writer) *pgproto3.Frontend {
	return pgproto3.NewFrontend(bufio.NewReaderSize(r, 64<<10), w)
}

// keepOnCancel keeps a connection whose request went away (a reader who closed the tab, a
// client's timeout) when its statement ends on its own within cancelGrace, as Herald's
// short ones do. pgx's default cut the connection at once, and its replacement is a new
// PostgreSQL backend that prepares every statement again with cold caches (a search probe
// took 17 ms on one, 3 ms on a warm one). A statement still running after the grace has its
// connection cut, as before. No cancel request is sent: one that reached the backend late
// would cancel whatever the reused connection ran next.
func keepOnCancel(c *pgconn.PgConn) ctxwatch.Handler { return &cancelLate{conn: c, grace: cancelGrace} }

// cancelGrace is how long a statement may run on after its context ended and keep its
// connection.
const cancelGrace = 50 * time.Millisecond

// cancelLate is keepOnCancel's handler for one connection; pgx calls HandleUnwatchAfterCancel
// only after HandleCancel, for one statement at a time.
type cancelLate struct {
	conn      *pgconn.PgConn
	grace     time.Duration
	unwatched chan struct{}
	finished  chan struct{}
}

func (h *cancelLate) HandleCancel(context.Context) {
	h.unwatched, h.finished = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(h.finished)
		t := time.NewTimer(h.grace)
		defer t.Stop()
		select {
		case <-h.unwatched:
		case <-t.C:
			// The read in progress fails, and pgx closes the connection.
			_ = h.conn.Conn().SetDeadline(time.Now())
		}
	}()
}

func (h *cancelLate) HandleUnwatchAfterCancel() {
	close(h.unwatched)
	<-h.finished
	// A statement that ended just as the grace did keeps a usable connection.
	_ = h.conn.Conn().SetDeadline(time.Time{})
}

// sessionDefaults turns PostgreSQL's JIT compiler off for Herald's sessions unless the URL
// sets jit itself. Herald's statements are short index walks; a cost estimate off by a table
// not yet analyzed otherwise spends a second or more compiling one that runs in milliseconds
// (measured on GET /categories at 100,000 articles: 2.2 s with JIT, 0.3 s without).
//
// plan_cache_mode is left to PostgreSQL (see also literalLimit). force_generic_plan (planning each prepared statement
// once) made the unfiltered latest-20 list 40 % faster, since PostgreSQL re-plans it on every
// call, but made filtered lists 3-4x slower at 100,000 articles (a tag 12 -> 34 ms, a
// category's page 50 18 -> 72 ms, sort=title 6 -> 18 ms): their generic plans cannot see
// the slug, the offset or the locale. An operator may still set it in the URL.
func sessionDefaults(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if !q.Has("jit") {
		q.Set("jit", "off")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func sqlitePath(dsn string) string {
	p, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	return p
}

// sqliteDSN adds the pragmas every connection needs: WAL, a busy timeout instead of
// "database is locked", foreign keys, immediate transactions so two writers queue
// rather than deadlock on a read-to-write upgrade, and temporary data (the statement
// journals of savepoints, which imports take per line that writes) in memory rather than
// in files. Times are written as "2006-01-02 15:04:05.999999999-07:00" (what earlier
// releases wrote, so stored times still compare as text) and only declared date columns
// read back as times (libtnb's dialector would otherwise turn on _texttotime and
// _inttotime).
func sqliteDSN(dsn string) string {
	if !strings.HasPrefix(dsn, "file:") {
		dsn = "file:" + dsn
	}
	// SQLite reads a file: URI, where '#' would end the path (a test directory named
	// after subtest "x#01", or a user's "news#2.db"): escaped, it stays part of the name.
	path, params, hasParams := strings.Cut(dsn, "?")
	dsn = strings.ReplaceAll(path, "#", "%23")
	if hasParams {
		dsn += "?" + params
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_txlock=immediate" +
		"&_time_format=sqlite&_texttotime=0&_inttotime=0"
}

// Dialect is "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect }

// SQL exposes the pool for migrations and health checks.
func (db *DB) SQL() *sql.DB { return db.sql }

// Gorm exposes the GORM handle to tests in this module (query counting, schema checks).
func (db *DB) Gorm() *gorm.DB { return db.gorm }

// Migrate applies pending migrations: Herald's, then the job queue's (River, which sends
// webhooks; its tables go beside Herald's, in the schema search_path names first).
func (db *DB) Migrate(ctx context.Context) error {
	if err := migrations.Up(ctx, db.sql, db.dialect); err != nil {
		return err
	}
	return db.MigrateQueue(ctx)
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Close closes the pool.
func (db *DB) Close() error {
	errs := []error{db.sql.Close()}
	for _, r := range db.replicas {
		errs = append(errs, r.Close())
	}
	return errors.Join(errs...)
}

// Exec runs one statement in the transaction ctx carries, or on the pool: for tests and
// benchmarks that need a row no repository writes.
func (db *DB) Exec(ctx context.Context, sql string, args ...any) error {
	return db.conn(ctx).Exec(sql, args...).Error
}

type txKey struct{}

// conn returns the transaction riding in ctx, or the pool.
func (db *DB) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return db.connOf(ctx).WithContext(ctx)
}

// connOf is conn without ctx: the transaction ctx carries, else a pool's GORM handle, for
// a caller that only needs its connection pool (WithContext copies the statement).
func (db *DB) connOf(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	if n := len(db.replicas); n > 0 && readpref.AllowsReplica(ctx) {
		return db.replicas[db.next.Add(1)%uint64(n)].gorm
	}
	return db.gorm
}

// InTx runs fn in a transaction carried by ctx; a nested InTx joins the outer one.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	// Begin and Commit fail outside GORM's callbacks when the database is away.
	return markUnavailable(db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	}))
}

// mapErr is the one translation of driver errors into Herald's vocabulary (internal/errs),
// for every repository: no rows is errs.ErrNotFound, a duplicate key errs.ErrConflict
// naming the constraint.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return errs.ErrNotFound
	case isUniqueViolation(err):
		return errs.Wrap(errs.ErrConflict, "conflict: "+constraintOf(err))
	}
	return err
}

func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// constraintOf names the violated constraint in a neutral form ("article_translations.slug").
func constraintOf(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.ConstraintName
	}
	msg := err.Error()
	if i := strings.Index(msg, "UNIQUE constraint failed: "); i >= 0 {
		return strings.TrimSpace(strings.SplitN(msg[i+len("UNIQUE constraint failed: "):], " ", 2)[0])
	}
	return "unique"
}

// literalLimit writes a query's LIMIT as a literal, its OFFSET still a parameter. PostgreSQL
// costs a generic plan's LIMIT $n at a tenth of the rows, so a prepared page query never
// looked cheaper generic than custom and was planned again on every call; with the literal
// the plan cache settles on the generic plan where it costs the same (measured with pgbench
// on the latest-20 list at 100,000 articles: 2,750 -> 3,900 statements/s). A page size is
// one of a few values, so the statements stay few; offsets are unbounded and stay
// parameters. SQLite's driver already writes both as literals.
func literalLimit(c clause.Clause, b clause.Builder) {
	l, ok := c.Expression.(clause.Limit)
	if !ok {
		c.Build(b)
		return
	}
	if l.Limit != nil && *l.Limit >= 0 {
		b.WriteString("LIMIT " + strconv.Itoa(*l.Limit))
	}
	if l.Offset > 0 {
		if l.Limit != nil && *l.Limit >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString("OFFSET ")
		b.AddVar(b, l.Offset)
	}
}
