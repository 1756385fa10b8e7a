package views

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/changes"
	"github.com/heraldcms/herald/internal/errs"
)

// MaxImportDays bounds the daily counts one imported article may carry (about 30 years).
const MaxImportDays = 11000

// ImportStore is what archive imports and exports of counts need besides Store
// (internal/store implements both).
type ImportStore interface {
	// AllDailyViews returns every non-zero daily count of an article, by day.
	AllDailyViews(ctx context.Context, id uuid.UUID) ([]DayCount, error)
	// PutDailyViews sets the article's count on each day given.
	PutDailyViews(ctx context.Context, id uuid.UUID, days []DayCount) error
}

// ImportCounts brings an article's counts up to an archive's: its all-time count (when
// total is not nil) and its count on each day given. Counts only rise: reads Herald counted
// since an earlier import are kept, and an import of the same counts changes nothing and
// records nothing. It reports whether it changed anything.
func (s *Service) ImportCounts(ctx context.Context, id uuid.UUID, total *int64, days []DayCount) (bool, error) {
	if total != nil && (*total < 0 || *total > MaxCount) {
		return false, invalid("read_count", fmt.Sprintf("must be between 0 and %d", int64(MaxCount)))
	}
	if len(days) > MaxImportDays {
		return false, invalid("daily_reads", fmt.Sprintf("must have at most %d days", MaxImportDays))
	}
	want := map[time.Time]int64{}
	for _, d := range days {
		if d.Count < 0 || d.Count > MaxCount {
			return false, errs.Invalidf("daily_reads."+d.Day.Format("2006-01-02"), "must be between 0 and %d", int64(MaxCount))
		}
		if d.Count > 0 {
			want[Day(d.Day)] = d.Count
		}
	}
	is, err := s.importStore()
	if err != nil {
		return false, err
	}
	changed := false
	err = s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
		changed = false
		if total != nil {
			cur, err := s.store.ReadCount(ctx, id)
			if err != nil {
				return err
			}
			if *total > cur {
				if err := s.store.SetReadCount(ctx, id, *total); err != nil {
					return err
				}
				changed = true
			}
		}
		var raise []DayCount
		if len(want) > 0 {
			have, err := is.AllDailyViews(ctx, id)
			if err != nil {
				return err
			}
			got := make(map[time.Time]int64, len(have))
			for _, h := range have {
				got[Day(h.Day)] = h.Count
			}
			for d, n := range want {
				if n > got[d] {
					raise = append(raise, DayCount{Day: d, Count: n})
				}
			}
			sort.Slice(raise, func(i, j int) bool { return raise[i].Day.Before(raise[j].Day) })
			if err := is.PutDailyViews(ctx, id, raise); err != nil {
				return err
			}
		}
		if changed || len(raise) > 0 {
			changed = true
			tx.Audit("article.read_count_import", "article", id.String(), fmt.Sprintf("read counts imported (%d days)", len(raise)))
			tx.Change(countChange(id))
		}
		return nil
	})
	return changed, err
}

// AllDailyViews returns every non-zero daily count of an article, for exports.
func (s *Service) AllDailyViews(ctx context.Context, id uuid.UUID) ([]DayCount, error) {
	is, err := s.importStore()
	if err != nil {
		return nil, err
	}
	return is.AllDailyViews(ctx, id)
}

func (s *Service) importStore() (ImportStore, error) {
	is, ok := s.store.(ImportStore)
	if !ok {
		return nil, errors.New("views: the store cannot import daily counts")
	}
	return is, nil
}
