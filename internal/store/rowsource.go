package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/google/uuid"
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
	// uuid and nullUUID are the scan destinations of a uuid column, time and nullTime of
	// a timestamp's.
	uuid(u *uuid.UUID) any
	nullUUID(u **uuid.UUID) any
	time(t *time.Time) any
	nullTime(t **time.Time) any
	// skip is the scan destination of a column the caller does not read.
	skip() any
}

type sqlRows struct {
	*sql.Rows
	cols []string
}

func (r sqlRows) columns() []string      { return r.cols }
func (r sqlRows) next() bool             { return r.Next() }
func (r sqlRows) scan(dest ...any) error { return r.Scan(dest...) }
func (r sqlRows) err() error             { return r.Err() }
func (r sqlRows) bytes(b *[]byte) any    { return textBytes{b} }
func (r sqlRows) uuid(u *uuid.UUID) any  { return u }
func (r sqlRows) nullUUID(u **uuid.UUID) any {
	return u
}
func (r sqlRows) time(t *time.Time) any      { return &sqliteTime{t: t} }
func (r sqlRows) nullTime(t **time.Time) any { return &sqliteTime{null: t} }

// skip discards the value: into a sql.RawBytes, a timestamp the driver had parsed was
// formatted again.
func (r sqlRows) skip() any { return discard{} }

type discard struct{}

// textBytes scans a text column as the bytes of the string the driver made for it: into a
// sql.RawBytes, database/sql copied each one again, 40 % of an uncached SQLite detail's
// allocation (its cards, related cards and body; pprof, 100,000 articles). The bytes are
// read only, as rowSource.bytes' callers treat them; a Go string is never written to.
type textBytes struct{ b *[]byte }

func (d textBytes) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*d.b = unsafe.Slice(unsafe.StringData(v), len(v))
	case []byte: // a blob: the driver's copy
		*d.b = v
	case nil:
		*d.b = nil
	default:
		return fmt.Errorf("store: scan %T into bytes", src)
	}
	return nil
}

func (discard) Scan(any) error { return nil }

// sqliteTime scans a timestamp that SQLite returns as text (articleCols) into t, or null
// when nullable; a value the driver parsed (a column with its declared type) passes as is.
type sqliteTime struct {
	t    *time.Time
	null **time.Time
}

func (d *sqliteTime) Scan(src any) error {
	var t time.Time
	switch v := src.(type) {
	case nil:
		if d.null == nil {
			return errors.New("store: NULL scanned into a timestamp that cannot be NULL")
		}
		*d.null = nil
		return nil
	case time.Time:
		t = v
	case string:
		var err error
		if t, err = parseSQLiteTime(v); err != nil {
			return err
		}
	case []byte:
		var err error
		if t, err = parseSQLiteTime(string(v)); err != nil {
			return err
		}
	default:
		return fmt.Errorf("store: %T scanned into a timestamp", src)
	}
	if d.null != nil {
		*d.null = &t
	} else {
		*d.t = t
	}
	return nil
}

// sqliteTimeLayouts are the layouts modernc.org/sqlite reads text timestamps in, the one
// it writes (_time_format=sqlite, store.Open) first.
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseSQLiteTime reads s as the driver would have read it from a DATETIME column: a
// trailing Z means UTC, and time.Time.String's layout is accepted last.
func parseSQLiteTime(s string) (time.Time, error) {
	if t, ok := parseWrittenTime(s); ok {
		return t, nil
	}
	if t, err := time.Parse(sqliteTimeLayouts[0], s); err == nil {
		return t, nil
	}
	ts, _ := strings.CutSuffix(s, "Z")
	for _, l := range sqliteTimeLayouts[1:] {
		if t, err := time.Parse(l, ts); err == nil {
			return t, nil
		}
	}
	if m := strings.Index(s, " m="); m > 0 {
		s = s[:m] // the monotonic reading of a time.Time's String
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", strings.TrimSpace(s)); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("store: %q is not a timestamp", s)
}

// parseWrittenTime is time.Parse(sqliteTimeLayouts[0], s) for the text Herald writes
// ("2026-12-05 19:29:56.121134+00:00"), by hand: a list page parses four per article, and
// time.Parse's layout walk was 2.3 % of an uncached SQLite category page's CPU (pprof, 0.4 µs
// a value; this: under 0.05). ok is false for any other text, which goes to time.Parse.
// FuzzParseWrittenTime holds it to time.Parse.
func parseWrittenTime(s string) (time.Time, bool) {
	if len(s) < 25 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 7)
	day, ok3 := num(8, 10)
	hour, ok4 := num(11, 13)
	minute, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || month < 1 || month > 12 || day < 1 ||
		day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	i, nsec := 19, 0
	if s[i] == '.' {
		j := i + 1
		for j < len(s) && j-i <= 9 && s[j] >= '0' && s[j] <= '9' {
			nsec = nsec*10 + int(s[j]-'0')
			j++
		}
		if j == i+1 {
			return time.Time{}, false
		}
		for k := j - i - 1; k < 9; k++ {
			nsec *= 10
		}
		i = j
	}
	if len(s) != i+6 || (s[i] != '+' && s[i] != '-') || s[i+3] != ':' {
		return time.Time{}, false
	}
	zh, ok1 := num(i+1, i+3)
	zm, ok2 := num(i+4, i+6)
	if !ok1 || !ok2 || zh > 24 || zm > 59 {
		return time.Time{}, false
	}
	offset := zh*3600 + zm*60
	if s[i] == '-' {
		offset = -offset
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC).Add(-time.Duration(offset) * time.Second)
	// As time.Parse: the local zone when it has this offset at that instant, else a fixed one.
	if _, local := t.In(time.Local).Zone(); local == offset {
		return t.In(time.Local), true
	}
	return t.In(time.FixedZone("", offset)), true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

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
func (r pgxRows) uuid(u *uuid.UUID) any  { return &pgxUUID{u} }
func (r pgxRows) nullUUID(u **uuid.UUID) any {
	return &pgxNullUUID{u}
}

// nullTime and skip spare pgx its reflective plans: a pointer to a pointer, or an any it
// boxes the value into (a list's sort columns), were 3 % of an uncached latest-20 list's
// CPU. pgx does not decode a column scanned into nil.
func (r pgxRows) time(t *time.Time) any      { return t }
func (r pgxRows) nullTime(t **time.Time) any { return &pgxNullTime{t} }
func (r pgxRows) skip() any                  { return nil }

// pgxNullTime scans a nullable timestamptz into a *time.Time.
type pgxNullTime struct{ t **time.Time }

func (d *pgxNullTime) ScanTimestamptz(v pgtype.Timestamptz) error {
	if !v.Valid {
		*d.t = nil
		return nil
	}
	t := v.Time
	*d.t = &t
	return nil
}

// pgxUUID scans pgx's binary uuid into a uuid.UUID. As a sql.Scanner, uuid.UUID went
// through pgx's text form and a parse: with the nullable ones, 6 % of an uncached
// latest-20 list's CPU.
type pgxUUID struct{ u *uuid.UUID }

func (d *pgxUUID) ScanUUID(v pgtype.UUID) error {
	if !v.Valid {
		return errors.New("store: NULL scanned into a uuid that cannot be NULL")
	}
	*d.u = v.Bytes
	return nil
}

// pgxNullUUID is pgxUUID for a nullable column.
type pgxNullUUID struct{ u **uuid.UUID }

func (d *pgxNullUUID) ScanUUID(v pgtype.UUID) error {
	if !v.Valid {
		*d.u = nil
		return nil
	}
	u := uuid.UUID(v.Bytes)
	*d.u = &u
	return nil
}

// queryRows runs the raw statement q and hands its rows to scan. On PostgreSQL outside a
// transaction the statement runs on pgx itself: database/sql's driver copies every text and
// JSON value of every row into a new slice (a third of a list page's allocation, its cards
// mostly), where pgx lets the scan reference its buffer. A statement whose arguments GORM
// need not render (pgNative) skips GORM on either database; one that needs it is rendered
// by GORM, in dry run on PostgreSQL, so GORM's callbacks (the tests' statement counters)
// see it, as TapNativeReads sees the others.
func (db *DB) queryRows(ctx context.Context, q string, args []any, scan func(rowSource) error) error {
	g := db.connOf(ctx)
	if pool := pgxPool(db.dialect, g); pool != nil {
		text, ok := pgNative(q, args)
		vars := args
		if ok {
			db.tapNative(ctx, text, args)
		} else {
			tx := raw(g.WithContext(ctx).Session(&gorm.Session{DryRun: true}).Set(NativeRead, true), q, args)
			if _, err := tx.Rows(); err != nil && !errors.Is(err, gorm.ErrDryRunModeUnsupported) {
				return err
			}
			text, vars = tx.Statement.SQL.String(), tx.Statement.Vars
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
			rows, err := sc.Conn().Query(ctx, text, vars...)
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
	var rows *sql.Rows
	var err error
	if _, ok := pgNative(q, args); ok && g.Statement.ConnPool != nil {
		// SQLite's placeholders are GORM's; the pool is GORM's, which keeps the statement
		// prepared (PrepareStmt).
		db.tapNative(ctx, q, args)
		rows, err = g.Statement.ConnPool.QueryContext(ctx, q, args...)
	} else {
		rows, err = raw(g.WithContext(ctx), q, args).Rows()
	}
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

// raw is g.Raw(q, args...) without its copy of q a byte at a time (a WriteByte call per
// byte of a detail's 4 KB statement: 8 % of an uncached detail's CPU): the text between
// placeholders is written whole. It renders what clause.Expr.Build renders: an argument
// right after '(' is expanded when it is a slice, one left over is a named argument; a
// statement with '@' (named arguments) goes to Raw.
func raw(g *gorm.DB, q string, args []any) *gorm.DB {
	if strings.Contains(q, "@") {
		return g.Raw(q, args...)
	}
	tx := g.Raw("")
	st := tx.Statement
	// Sized once: grown by doubling, the text of a detail's statement allocated twice its
	// 4 KB per request, a fifth of the request's allocation.
	st.SQL.Grow(len(q) + 4*len(args))
	if st.Vars == nil {
		st.Vars = make([]any, 0, len(args))
	}
	afterParen, n := false, 0
	for n < len(args) {
		i := strings.IndexByte(q, '?')
		if i < 0 {
			break
		}
		if i > 0 {
			st.WriteString(q[:i])
			afterParen = q[i-1] == '('
		}
		if v := args[n]; afterParen {
			expandVar(st, v)
		} else {
			st.AddVar(st, v)
		}
		n++
		q = q[i+1:]
	}
	st.WriteString(q)
	for _, v := range args[n:] {
		st.AddVar(st, sql.NamedArg{Value: v})
	}
	return tx
}

// expandVar adds v as clause.Expr.Build does after '(': a slice or array element by element.
func expandVar(st *gorm.Statement, v any) {
	if _, ok := v.(driver.Valuer); ok {
		st.AddVar(st, v)
		return
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Len() == 0 {
			st.AddVar(st, nil)
			return
		}
		for i := 0; i < rv.Len(); i++ {
			if i > 0 {
				_ = st.WriteByte(',')
			}
			st.AddVar(st, rv.Index(i).Interface())
		}
	default:
		st.AddVar(st, v)
	}
}

// pgNative is q as PostgreSQL takes it ($1, $2, … for its placeholders; the arguments
// are passed as they are), when no argument needs GORM to render it (a subquery, a slice
// to expand, a named argument): then a public read skips GORM's session, dry run and rendering, which
// were 6 % of an uncached detail's CPU and a fifth of its allocation (PostgreSQL, pprof).
// SQLite's reads skip them too when ok (their text is q). The text of a memoized statement
// (sqlTexts, stmtTexts) is numbered once.
func pgNative(q string, args []any) (string, bool) {
	for _, a := range args {
		switch a.(type) {
		case nil, string, bool, int, int64, float64, time.Time, *time.Time, uuid.UUID, *uuid.UUID, []byte:
		default:
			return "", false
		}
	}
	var t pgText
	if v, ok := pgTexts.Load(q); ok {
		t = v.(pgText)
	} else if t = numberPlaceholders(q); pgTextCount.Add(1) <= maxPGTexts {
		pgTexts.Store(q, t)
	}
	return t.text, t.ok && t.n == len(args)
}

// pgText is a statement numbered for PostgreSQL: n placeholders; ok false when it has
// named arguments (GORM renders those).
type pgText struct {
	text string
	n    int
	ok   bool
}

var (
	pgTexts     sync.Map // statement → pgText
	pgTextCount atomic.Int64
)

// maxPGTexts bounds pgTexts: public reads have a bounded number of statement shapes, and a
// statement past the bound is numbered per call.
const maxPGTexts = 4096

// numberPlaceholders numbers q's placeholders as GORM's PostgreSQL dialect does: every '?'.
func numberPlaceholders(q string) pgText {
	if strings.Contains(q, "@") {
		return pgText{}
	}
	var b strings.Builder
	b.Grow(len(q) + 3*strings.Count(q, "?"))
	n := 0
	for {
		i := strings.IndexByte(q, '?')
		if i < 0 {
			break
		}
		n++
		b.WriteString(q[:i])
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
		q = q[i+1:]
	}
	b.WriteString(q)
	return pgText{text: b.String(), n: n, ok: true}
}

// TapNativeReads calls f with the text and arguments of every public read that runs without GORM's
// statement (pgNative), before it runs: statement counters in tests see them as they see
// GORM's statements through callbacks. nil stops it.
func (db *DB) TapNativeReads(f func(ctx context.Context, sql string, args []any)) {
	if f == nil {
		db.nativeTap.Store(nil)
		return
	}
	db.nativeTap.Store(&f)
}

// tapNative shows a read that skips GORM to TapNativeReads' function, if any.
func (db *DB) tapNative(ctx context.Context, sql string, args []any) {
	if tap := db.nativeTap.Load(); tap != nil {
		(*tap)(ctx, sql, args)
	}
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
