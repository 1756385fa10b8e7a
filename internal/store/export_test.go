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

// KeepListTexts turns the kept list texts on or off (off: every list page is GORM's).
func KeepListTexts(on bool) { keepListTexts.Store(on) }

// ForgetListTexts drops the kept list texts and reports each shape's next first rendering
// to f (nil: to nobody).
func ForgetListTexts(f func(gormText string, gormVars, args []any, kept bool)) {
	listTexts.Range(func(k, _ any) bool { listTexts.Delete(k); return true })
	listTextCount.Store(0)
	stmtTexts.m.Range(func(k, _ any) bool { stmtTexts.m.Delete(k); return true })
	if f == nil {
		listTextKept.Store(nil)
	} else {
		listTextKept.Store(&f)
	}
}

// SetMaxListTexts bounds the kept list texts and returns the previous bound.
func SetMaxListTexts(n int64) int64 { return maxListTexts.Swap(n) }

// ListTexts is how many list texts are kept, and statements kept whole.
func ListTexts() (texts, statements int) {
	listTexts.Range(func(_, _ any) bool { texts++; return true })
	stmtTexts.m.Range(func(_, _ any) bool { statements++; return true })
	return texts, statements
}
