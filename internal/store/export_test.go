package store

import (
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// CancelLate is keepOnCancel's handler with another grace, for tests that need timing to
// hold on a loaded machine.
func CancelLate(c *pgconn.PgConn, grace time.Duration) ctxwatch.Handler {
	return &cancelLate{conn: c, grace: grace}
}

// SetFewTags sets how many live articles a tag filter's tags may have for s to read them
// from the tags (0: always walk the sort's index; a large n: always read the tags).
func SetFewTags(s *Content, n int) { s.fewTags = n }
