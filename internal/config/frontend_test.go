package config

import (
	"strings"
	"testing"

	"github.com/heraldcms/herald/internal/permalink"
)

func TestFrontendLinks(t *testing.T) {
	c, err := Load(env(map[string]string{"HERALD_SITE_URL": "https://news.example/", "HERALD_PERMALINK_ARTICLE": "/{locale}/news/{slug},az=/{slug}"}))
	if err != nil {
		t.Fatal(err)
	}
	if u := c.Links.URL(permalink.Article, permalink.Target{Locale: "az", Slug: "x"}); u != "https://news.example/x" {
		t.Errorf("az article URL %q", u)
	}
	if c.SitemapURLsPerFile != DefaultSitemapURLsPerFile {
		t.Errorf("sitemap URLs per file %d", c.SitemapURLsPerFile)
	}
	dev, err := Load(env(nil))
	if err != nil || dev.Links.Site() != DevSiteURL {
		t.Errorf("development site %q, %v", dev.Links.Site(), err)
	}
	prod, err := Load(env(map[string]string{"HERALD_ENV": "production", "HERALD_JWT_SECRET": "q8Jm2LwV0xRkT5nY7cPzA3sHdF6gUbE1", "HERALD_SITEMAP_URLS_PER_FILE": "50000"}))
	if err != nil {
		t.Fatal(err)
	}
	if prod.Links.Absolute() || prod.SitemapURLsPerFile != 50000 {
		t.Errorf("production without HERALD_SITE_URL: site %q, per file %d", prod.Links.Site(), prod.SitemapURLsPerFile)
	}
	for name, bad := range map[string]string{
		"HERALD_SITE_URL":              "news.example",
		"HERALD_PERMALINK_ARTICLE":     "/{slug}",
		"HERALD_PERMALINK_CATEGORY":    "/{locale}/{year}/{slug}",
		"HERALD_PERMALINK_TAG":         "fr=/{slug}",
		"HERALD_PERMALINK_HOME":        "/{slug}",
		"HERALD_SITEMAP_URLS_PER_FILE": "50001",
	} {
		if _, err := Load(env(map[string]string{name: bad})); err == nil || !strings.Contains(err.Error(), name+"=") {
			t.Errorf("%s=%q: %v", name, bad, err)
		}
	}
	if _, err := Load(env(map[string]string{"HERALD_SITEMAP_URLS_PER_FILE": "0"})); err == nil {
		t.Error("HERALD_SITEMAP_URLS_PER_FILE=0 accepted")
	}
}
