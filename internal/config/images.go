package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Images bounds on-demand renditions (issue 18): the allow-lists of widths, heights and
// qualities, and the largest AVIF rendition. Empty lists are the media package's defaults.
type Images struct {
	Widths, Heights, Qualities []int
	AVIFMaxPixels              int
}

// loadImages reads the rendition variables.
func (c *Config) loadImages(getenv func(string) string, get func(name, def string) string) []error {
	var errs []error
	list := func(name string, lo, hi int) []int {
		v := get(name, "")
		if v == "" {
			return nil
		}
		var out []int
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < lo || n > hi {
				errs = append(errs, fmt.Errorf("%s=%q: want comma-separated whole numbers from %d to %d", name, getenv(name), lo, hi))
				return nil
			}
			out = append(out, n)
		}
		slices.Sort(out)
		if out = slices.Compact(out); len(out) > 64 {
			// Each value multiplies the renditions one original can have.
			errs = append(errs, fmt.Errorf("%s=%q: at most 64 values", name, getenv(name)))
			return nil
		}
		return out
	}
	c.Images.Widths = list("HERALD_MEDIA_WIDTHS", 1, 8192)
	c.Images.Heights = list("HERALD_MEDIA_HEIGHTS", 1, 8192)
	c.Images.Qualities = list("HERALD_MEDIA_QUALITIES", 1, 100)
	if v := get("HERALD_MEDIA_AVIF_MAX_PIXELS", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100_000_000 {
			errs = append(errs, fmt.Errorf("HERALD_MEDIA_AVIF_MAX_PIXELS=%q: want a pixel count from 1 to 100000000, such as 1600000", v))
		}
		c.Images.AVIFMaxPixels = n
	}
	return errs
}
