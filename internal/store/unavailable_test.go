package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/heraldcms/herald/internal/errs"
)

// TestUnavailableErrors: what an unreachable or refusing database looks like from each
// driver gets the code errs.Unavailable (503); query faults and cancellations do not.
func TestUnavailableErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{fmt.Errorf("query: %w", io.ErrUnexpectedEOF), true},
		{&pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{&pgconn.PgError{Code: "08006"}, true},
		{&pgconn.PgError{Code: "53300"}, true},
		{errors.New("database is locked (5) (SQLITE_BUSY)"), true},
		{&pgconn.PgError{Code: "23505"}, false},
		{&pgconn.PgError{Code: "42601"}, false},
		{context.Canceled, false},
		{context.DeadlineExceeded, false},
		{errors.New("no such column: x"), false},
	} {
		got := errs.CodeOf(markUnavailable(tc.err)) == errs.Unavailable
		if got != tc.want {
			t.Errorf("%v: unavailable %v, want %v", tc.err, got, tc.want)
		}
	}
}
