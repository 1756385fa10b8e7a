package media

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/heraldcms/herald/internal/changes"
)

// Sweep removes what a process that died mid-upload can leave: stored files no media row
// references, and spooled uploads in the temporary directory. Anything younger than minAge
// is left alone, so uploads in flight (on this instance or another) are never touched. A
// failed or aborted upload in a live process cleans up after itself; this is for crashes.
func (s *Service) Sweep(ctx context.Context, minAge time.Duration) (removed []string, err error) {
	cutoff := s.cfg.Clock().Add(-minAge)
	keys, err := s.blobs.Keys(ctx, "")
	if err != nil {
		return nil, err
	}
	bySum := map[string][]string{}
	for _, k := range keys {
		if ValidKey(k) {
			sum := k[:strings.IndexByte(k, '/')]
			bySum[sum] = append(bySum[sum], k)
		}
	}
	var errs []error
	for sum, ks := range bySum {
		if err := ctx.Err(); err != nil {
			return removed, err
		}
		m, err := s.store.MediaBySHA256(ctx, sum)
		live := err == nil // renditions live as long as their original
		referenced := map[string]bool{}
		switch {
		case err == nil:
			for _, k := range m.Keys() {
				referenced[k] = true
			}
		case !errors.Is(err, ErrNotFound):
			errs = append(errs, err)
			continue
		}
		for _, k := range ks {
			if referenced[k] || live && IsRendition(k) {
				continue
			}
			b, err := s.blobs.Open(ctx, k)
			if err != nil {
				continue
			}
			old := b.ModTime.Before(cutoff)
			_ = b.Close()
			if !old {
				continue
			}
			if err := s.blobs.Delete(ctx, k); err != nil {
				errs = append(errs, err)
				continue
			}
			removed = append(removed, k)
		}
	}
	dir := s.cfg.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	for _, pattern := range []string{"herald-upload-*", "herald-clean-*"} {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, p := range matches {
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.ModTime().Before(cutoff) {
				if err := os.Remove(p); err == nil {
					removed = append(removed, p)
				}
			}
		}
	}
	if len(removed) > 0 {
		// Files only, no rows: audited so an operator's sweep is on record, but no change.
		werr := s.writes().Write(ctx, func(ctx context.Context, tx *changes.Tx) error {
			tx.Audit("media.sweep", "media", "", fmt.Sprintf("%d leftover file(s) removed", len(removed)))
			return nil
		})
		errs = append(errs, werr)
	}
	return removed, errors.Join(errs...)
}
