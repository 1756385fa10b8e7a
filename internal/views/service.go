package views

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"

	"github.com/google/uuid"
)

// Period is the time span of a ranking.
type Period string

const (
	PeriodDay   Period = "day"   // today (UTC)
	PeriodWeek  Period = "week"  // the last 7 days, today included
	PeriodMonth Period = "month" // the last 30 days, today included
	PeriodAll   Period = "all"   // all time, by read_count (imported counts included)
)

// Periods lists the accepted periods.
var Periods = []Period{PeriodDay, PeriodWeek, PeriodMonth, PeriodAll}

// ParsePeriod checks s against Periods; "" means week.
func ParsePeriod(s string) (Period, error) {
	if s == "" {
		return PeriodWeek, nil
	}
	for _, p := range Periods {
		if string(p) == s {
			return p, nil
		}
	}
	return "", invalid("period", "must be one of day, week, month, all")
}

// Ranking limits.
const (
	DefaultPopular = 10
	MaxPopular     = 50
	// MaxStatsDays bounds the daily series one stats request returns.
	MaxStatsDays = 366
	// MaxImport bounds the items of one import.
	MaxImport = 1000
	// MaxCount is the largest count an editor may set (far above any real counter).
	MaxCount = 1 << 50
)

// Service answers rankings and stats and applies editors' corrections.
type Service struct {
	store Store
	clock func() time.Time
	log   *changes.Log
}

// NewService returns a Service over store; clock is injected so periods are testable.
func NewService(store Store, clock func() time.Time, opts ...Option) *Service {
	if clock == nil {
		clock = time.Now
	}
	s := &Service{store: store, clock: clock}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Option configures a Service.
type Option func(*Service)

// WithChanges runs the service's writes (read counts set by an admin) through the write
// seam l, which records their audit entries and change rows; without it they record nothing.
func WithChanges(l *changes.Log) Option { return func(s *Service) { s.log = l } }

func (s *Service) writes() *changes.Log {
	if s.log == nil {
		return changes.Unlogged(s.store.InTx)
	}
	return s.log
}

// countChange records a read count set on an article: public, lists and details show it.
func countChange(id uuid.UUID) changes.Change {
	return changes.Change{EntityType: "article", EntityID: id.String(), Kind: changes.Upsert, Public: true, Locales: []string{}}
}

// Since returns the first day of period p at now, or nil for all time.
func Since(p Period, now time.Time) *time.Time {
	today := Day(now)
	var from time.Time
	switch p {
	case PeriodDay:
		from = today
	case PeriodWeek:
		from = today.AddDate(0, 0, -6)
	case PeriodMonth:
		from = today.AddDate(0, 0, -29)
	default:
		return nil
	}
	return &from
}

// Popular returns the most-read visible articles of the period, most read first.
func (s *Service) Popular(ctx context.Context, p Period, limit int) ([]Ranked, error) {
	if limit <= 0 {
		limit = DefaultPopular
	}
	limit = min(limit, MaxPopular)
	now := s.clock().UTC()
	return s.store.TopArticles(ctx, Since(p, now), now, limit)
}

// ArticleStats is an article's all-time count and its daily series over a range of days.
type ArticleStats struct {
	ArticleID uuid.UUID
	ReadCount int64
	From, To  time.Time // days, inclusive
	Total     int64     // reads in the range
	Days      []DayCount
}

// Stats returns an article's daily reads from from to to (UTC days, inclusive; every day
// present, zeros included). A nil to means today; a nil from means 29 days before to.
func (s *Service) Stats(ctx context.Context, id uuid.UUID, from, to *time.Time) (ArticleStats, error) {
	end := Day(s.clock())
	if to != nil {
		end = Day(*to)
	}
	start := end.AddDate(0, 0, -29)
	if from != nil {
		start = Day(*from)
	}
	if start.After(end) {
		return ArticleStats{}, invalid("from", "must not be after to")
	}
	days := int(end.Sub(start)/(24*time.Hour)) + 1
	if days > MaxStatsDays {
		return ArticleStats{}, invalid("from", fmt.Sprintf("the range may span at most %d days", MaxStatsDays))
	}
	total, err := s.store.ReadCount(ctx, id)
	if err != nil {
		return ArticleStats{}, err
	}
	counts, err := s.store.DailyViews(ctx, id, start, end)
	if err != nil {
		return ArticleStats{}, err
	}
	st := ArticleStats{ArticleID: id, ReadCount: total, From: start, To: end, Days: make([]DayCount, days)}
	byDay := make(map[time.Time]int64, len(counts))
	for _, c := range counts {
		byDay[Day(c.Day)] = c.Count
	}
	for i := range st.Days {
		d := start.AddDate(0, 0, i)
		st.Days[i] = DayCount{Day: d, Count: byDay[d]}
		st.Total += byDay[d]
	}
	return st, nil
}

// SetReadCount replaces an article's all-time count, e.g. with a legacy site's counter.
// Daily counts are left alone: an imported total has no days.
func (s *Service) SetReadCount(ctx context.Context, id uuid.UUID, n int64) error {
	if n < 0 || n > MaxCount {
		return invalid("read_count", fmt.Sprintf("must be between 0 and %d", int64(MaxCount)))
	}
	return s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		if err := s.store.SetReadCount(ctx, id, n); err != nil {
			return err
		}
		tx.Audit("article.read_count", "article", id.String(), "read count set to "+strconv.FormatInt(n, 10))
		tx.Change(countChange(id))
		return nil
	})
}

// ImportItem names an article by id, or by slug and locale, and its all-time count.
type ImportItem struct {
	ID     *uuid.UUID
	Slug   string
	Locale string
	Count  int64
}

// Import sets the counts of many articles in one transaction: all of them or none. Items
// that name no article are reported field by field.
func (s *Service) Import(ctx context.Context, items []ImportItem) (int, error) {
	if len(items) == 0 {
		return 0, invalid("items", "must list at least one article")
	}
	if len(items) > MaxImport {
		return 0, invalid("items", fmt.Sprintf("must list at most %d articles", MaxImport))
	}
	var ve errs.Error
	for i, it := range items {
		f := fmt.Sprintf("items[%d]", i)
		switch {
		case it.ID != nil && (it.Slug != "" || it.Locale != ""):
			ve.Fields = append(ve.Fields, errs.Field(f, "give either id or slug and locale, not both"))
		case it.ID == nil && (strings.TrimSpace(it.Slug) == "" || strings.TrimSpace(it.Locale) == ""):
			ve.Fields = append(ve.Fields, errs.Field(f, "needs id, or slug and locale"))
		}
		if it.Count < 0 || it.Count > MaxCount {
			ve.Fields = append(ve.Fields, errs.Field(f+".count", fmt.Sprintf("must be between 0 and %d", int64(MaxCount))))
		}
	}
	if len(ve.Fields) > 0 {
		return 0, errs.InvalidFields(ve.Fields...)
	}
	err := s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		seen := make(map[uuid.UUID]int, len(items))
		for i, it := range items {
			f := fmt.Sprintf("items[%d]", i)
			var id uuid.UUID
			if it.ID != nil {
				id = *it.ID
			} else {
				var err error
				id, err = s.store.ArticleIDBySlug(ctx, strings.TrimSpace(it.Locale), strings.TrimSpace(it.Slug))
				if errors.Is(err, ErrNotFound) {
					ve.Fields = append(ve.Fields, errs.Field(f, fmt.Sprintf("no article has slug %q in locale %q", it.Slug, it.Locale)))
					continue
				} else if err != nil {
					return err
				}
			}
			if j, dup := seen[id]; dup {
				ve.Fields = append(ve.Fields, errs.Field(f, fmt.Sprintf("names the same article as items[%d]", j)))
				continue
			}
			seen[id] = i
			err := s.store.SetReadCount(ctx, id, it.Count)
			if errors.Is(err, ErrNotFound) {
				ve.Fields = append(ve.Fields, errs.Field(f, "no article has id "+id.String()))
				continue
			} else if err != nil {
				return err
			}
			tx.Change(countChange(id))
		}
		if len(ve.Fields) > 0 {
			return errs.InvalidFields(ve.Fields...)
		}
		tx.Audit("article.read_count_import", "article", "", "read counts imported for "+strconv.Itoa(len(items))+" articles")
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(items), nil
}
