package config

import (
	"fmt"
	"strconv"

	"github.com/heraldcms/herald/internal/permalink"
)

// DevSiteURL is HERALD_SITE_URL's default in development.
const DevSiteURL = "http://localhost:3000"

// Sitemap URLs per file: the protocol allows 50,000 (and 50 MB). BenchmarkSitemaps at
// 100,000 articles × 3 locales, each with a cover (December 2026, a 2-core machine under a
// load of 17–31, so wall times are inflated; CPU is this process's: handler, driver, GC,
// and SQLite itself):
//
//	URLs/file  bytes (gzip)      CPU SQLite  CPU PG (app)  wall SQLite  wall PG     peak heap  peak RSS
//	 5,000      4.8 MB (0.5 MB)  0.23–0.32 s  0.12 s        0.24–2.1 s   0.73–1.6 s  41–54 MB   100–137 MB
//	10,000      9.6 MB (1.0 MB)  0.49–0.56 s  0.17 s        1.3–3.2 s    1.2–4.1 s   66–77 MB   135–152 MB
//	25,000     24.1 MB (2.6 MB)  1.2 s        -             2.6–3.1 s    12 s        128–141 MB 198–215 MB
//	50,000     48.2 MB (5.1 MB)  2.8 s        -             14 s         25 s        267–273 MB 335–353 MB
//
// (~965 bytes an entry; 9–11 KB allocated an entry, mostly the body's growing buffers and the driver.)
// 5,000 stays the default: a file costs a quarter of a second of CPU and fits the 5 s
// public read timeout even on a loaded machine (with the default timeout, SQLite's tenth
// 10,000-URL file and first 50,000-URL file answered 503 under that load); it fits the 64 MiB
// response cache a dozen times over, where a 50,000-URL file (~48 MB, and past the protocol's
// 50 MB with a fourth locale or longer slugs) would not fit at all and cost 270 MB of heap
// per request. 100,000 articles make 20 files a locale; the index allows 50,000 files.
const (
	DefaultSitemapURLsPerFile = 5_000
	MaxSitemapURLsPerFile     = 50_000
)

// loadFrontend reads the public site's origin and permalink patterns (internal/permalink)
// and the sitemap file size.
func (c *Config) loadFrontend(getenv func(string) string, get func(name, def string) string) []error {
	site := get("HERALD_SITE_URL", "")
	if site == "" && c.Env == Development {
		site = DevSiteURL
	}
	var errs []error
	vars := map[permalink.Kind]string{permalink.Home: "HERALD_PERMALINK_HOME", permalink.Article: "HERALD_PERMALINK_ARTICLE",
		permalink.Category: "HERALD_PERMALINK_CATEGORY", permalink.Tag: "HERALD_PERMALINK_TAG"}
	specs := map[permalink.Kind]string{}
	for _, k := range []permalink.Kind{permalink.Home, permalink.Article, permalink.Category, permalink.Tag} {
		specs[k] = getenv(vars[k])
		if _, err := permalink.Parse(k, get(vars[k], permalink.Defaults[k]), c.Locales); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", vars[k], getenv(vars[k]), err))
		}
	}
	if len(errs) == 0 {
		links, err := permalink.New(site, c.Locales, specs)
		if err != nil {
			errs = append(errs, fmt.Errorf("HERALD_SITE_URL=%q: %w", site, err))
		}
		c.Links = links
	}
	n, perr := strconv.Atoi(get("HERALD_SITEMAP_URLS_PER_FILE", strconv.Itoa(DefaultSitemapURLsPerFile)))
	if perr != nil || n < 1 || n > MaxSitemapURLsPerFile {
		errs = append(errs, fmt.Errorf("HERALD_SITEMAP_URLS_PER_FILE=%q: want a number from 1 to %d", getenv("HERALD_SITEMAP_URLS_PER_FILE"), MaxSitemapURLsPerFile))
	}
	c.SitemapURLsPerFile = n
	return errs
}
