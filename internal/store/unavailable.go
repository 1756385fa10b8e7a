package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/heraldcms/herald/internal/errs"
)

// An unreachable database (PostgreSQL restarting, a partition, SQLite's file locked past
// the busy timeout) is the caller's signal to retry later, not a fault of the request: the
// store gives such errors the code errs.Unavailable, which api answers 503 with Retry-After
// instead of 500.

// errUnavailable is the message clients see; the driver's error stays the cause.
const errUnavailable = "the database is unavailable right now; retry shortly"

// unavailable reports whether err means the database is unreachable or refusing work.
func unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errs.CodeOf(err) == errs.Unavailable {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case strings.HasPrefix(pg.Code, "08"), // connection exception
			pg.Code == "57P01", pg.Code == "57P02", pg.Code == "57P03", // shutdown, crash, starting up
			pg.Code == "53300", // too many connections
			pg.Code == "25006" && strings.Contains(pg.Message, "recovery"):
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.As(err, &ce), errors.As(err, &oe), errors.As(err, &ne),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		pgconn.SafeToRetry(err):
		return true
	}
	msg := err.Error()
	for _, s := range []string{"conn closed", "connection refused", "connection reset", "broken pipe",
		"database is locked", "SQLITE_BUSY", "unexpected EOF", "failed to connect"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// markUnavailable gives err the code errs.Unavailable (503 with Retry-After) when it means
// the database is unreachable.
func markUnavailable(err error) error {
	if err == nil || errs.CodeOf(err) == errs.Unavailable || !unavailable(err) {
		return err
	}
	return &errs.Error{Code: errs.Unavailable, Message: errUnavailable, Err: err}
}

// registerUnavailable marks connectivity errors on every GORM operation.
func registerUnavailable(g *gorm.DB) error {
	mark := func(tx *gorm.DB) {
		if tx.Error != nil {
			tx.Error = markUnavailable(tx.Error)
		}
	}
	cb := g.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("herald:unavailable", mark),
		cb.Query().After("gorm:query").Register("herald:unavailable", mark),
		cb.Update().After("gorm:update").Register("herald:unavailable", mark),
		cb.Delete().After("gorm:delete").Register("herald:unavailable", mark),
		cb.Row().After("gorm:row").Register("herald:unavailable", mark),
		cb.Raw().After("gorm:raw").Register("herald:unavailable", mark),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
