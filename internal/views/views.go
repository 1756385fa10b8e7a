// Package views counts article reads. A Counter takes hits at memory speed, aggregates them
// per article and UTC day, and writes them in one batched transaction per flush interval and
// on Close, keeping a failed batch for the next attempt so a brief database outage loses
// nothing. Counts are additive, so several instances can flush into one database. Service
// answers the read side: rankings for a period, an article's daily series, and editors'
// corrections and imports of legacy counters. The package knows nothing of HTTP or SQL.
package views

import (
	"context"
	"time"

	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// Store is what the views domain needs from persistence; internal/store implements it.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error

	// AddViews adds each delta to its article's read_count and to the article's count for
	// that day, all in one transaction. Deltas of articles that no longer exist are dropped.
	AddViews(ctx context.Context, deltas []Delta) error
	// LiveArticles returns up to limit live articles (published or scheduled, not deleted),
	// newest first, with their publication times.
	LiveArticles(ctx context.Context, limit int) ([]Live, error)
	// LiveArticle returns one live article, or ErrNotFound.
	LiveArticle(ctx context.Context, id uuid.UUID) (Live, error)

	// ReadCount returns the all-time count of an article that is not deleted, or ErrNotFound.
	ReadCount(ctx context.Context, id uuid.UUID) (int64, error)
	// SetReadCount replaces the all-time count of an article that is not deleted, or
	// returns ErrNotFound.
	SetReadCount(ctx context.Context, id uuid.UUID, n int64) error
	// ArticleIDBySlug resolves the slug of an article's translation in locale.
	ArticleIDBySlug(ctx context.Context, locale, slug string) (uuid.UUID, error)
	// DailyViews returns the article's non-zero daily counts for days in [from, to], by day.
	DailyViews(ctx context.Context, id uuid.UUID, from, to time.Time) ([]DayCount, error)
	// TopArticles ranks articles visible at now by the sum of their daily counts since
	// from, or by their all-time read_count when from is nil; ties go to the newer id.
	TopArticles(ctx context.Context, from *time.Time, now time.Time, limit int) ([]Ranked, error)
}

// Delta is a number of reads of one article on one UTC day, not yet written.
type Delta struct {
	ArticleID uuid.UUID
	Day       time.Time // midnight UTC
	Count     int64
}

// Live is an article the public can see once PublishedAt has passed.
type Live struct {
	ID          uuid.UUID
	PublishedAt time.Time
}

// DayCount is the number of reads on one UTC day.
type DayCount struct {
	Day   time.Time // midnight UTC
	Count int64
}

// Ranked is an article's place in a ranking: its reads in the period.
type Ranked struct {
	ArticleID uuid.UUID
	Views     int64
}

// Errors of the domain; api maps them to HTTP.
var (
	ErrNotFound = errs.New(errs.NotFound, "no such article")
	// ErrNotCounting is returned by Hit after Close.
	ErrNotCounting = errs.New(errs.Unavailable, "the server is shutting down")
)

func invalid(field, msg string) *errs.Error { return errs.Invalidf(field, "%s", msg) }

// Day returns the UTC day of t, as midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dayNumber is t's UTC day as days since 1970-01-01: a small map key for the hot path.
func dayNumber(t time.Time) int32 {
	return int32(t.Unix() / 86400)
}

func dayOfNumber(n int32) time.Time {
	return time.Unix(int64(n)*86400, 0).UTC()
}
