package permalink

import (
	"strings"
	"testing"
	"time"
)

var locales = []string{"az", "en", "ru"}

func TestDefaults(t *testing.T) {
	l, err := New("https://news.example/", locales, nil)
	if err != nil {
		t.Fatal(err)
	}
	pub := time.Date(2021, 2, 19, 23, 30, 0, 0, time.FixedZone("+04", 4*3600))
	for _, c := range []struct {
		k    Kind
		t    Target
		want string
	}{
		{Article, Target{Locale: "az", Slug: "ombudsman-gorus"}, "https://news.example/az/news/ombudsman-gorus"},
		{Article, Target{Locale: "ru", Slug: "встреча"}, "https://news.example/ru/news/%D0%B2%D1%81%D1%82%D1%80%D0%B5%D1%87%D0%B0"},
		{Category, Target{Locale: "en", Slug: "news"}, "https://news.example/en/category/news"},
		{Tag, Target{Locale: "en", Slug: "children"}, "https://news.example/en/tag/children"},
		{Home, Target{Locale: "ru"}, "https://news.example/ru"},
		{Article, Target{Locale: "fr", Slug: "x"}, ""},
		{Article, Target{Locale: "az", Slug: "a/b?c"}, "https://news.example/az/news/a%2Fb%3Fc"},
	} {
		c.t.Published = pub
		if got := l.URL(c.k, c.t); got != c.want {
			t.Errorf("%s %+v = %q, want %q", c.k, c.t, got, c.want)
		}
	}
}

func TestOverridesAndDates(t *testing.T) {
	l, err := New("https://news.example/site", locales, map[Kind]string{
		Article: "/{locale}/{year}/{month}/{day}/{slug}, az=/{slug}",
		Home:    "/{locale}/,az=/",
		Tag:     "/{locale}/t/{id}",
	})
	if err != nil {
		t.Fatal(err)
	}
	pub := time.Date(2021, 2, 19, 23, 30, 0, 0, time.FixedZone("+04", 4*3600)) // 19:30 UTC
	if got := l.URL(Article, Target{Locale: "en", Slug: "talks", Published: pub}); got != "https://news.example/site/en/2021/02/19/talks" {
		t.Errorf("en article = %q", got)
	}
	if got := l.URL(Article, Target{Locale: "az", Slug: "gorus"}); got != "https://news.example/site/gorus" {
		t.Errorf("az article = %q", got)
	}
	if got := l.Path(Home, Target{Locale: "az"}); got != "/" {
		t.Errorf("az home = %q", got)
	}
	if got := l.URL(Tag, Target{Locale: "ru", ID: "0195"}); got != "https://news.example/site/ru/t/0195" {
		t.Errorf("tag by id = %q", got)
	}
	if p := l.Patterns()[Article]["az"]; p != "/{slug}" {
		t.Errorf("patterns = %v", l.Patterns())
	}
}

func TestNoSiteGivesPaths(t *testing.T) {
	l, err := New("", locales, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.URL(Article, Target{Locale: "en", Slug: "x"}); got != "/en/news/x" || l.Absolute() {
		t.Errorf("without a site: %q", got)
	}
	var none *Links
	if none.URL(Article, Target{Locale: "en", Slug: "x"}) != "" || none.Site() != "" {
		t.Error("nil Links built a URL")
	}
}

func TestInvalid(t *testing.T) {
	for _, c := range []struct {
		site  string
		specs map[Kind]string
		want  string
	}{
		{"news.example", nil, "origin"},
		{"ftp://news.example", nil, "origin"},
		{"https://news.example/?q=1", nil, "origin"},
		{"https://u:p@news.example", nil, "origin"},
		{"", map[Kind]string{Article: "az={locale}/{slug}"}, "must start with /"},
		{"", map[Kind]string{Article: "{locale}/{slug}"}, "neither a pattern"},
		{"", map[Kind]string{Article: "/{locale}/news"}, "neither {slug} nor {id}"},
		{"", map[Kind]string{Article: "/{locale}/{title}"}, "unknown placeholder {title}"},
		{"", map[Kind]string{Category: "/{locale}/{year}/{slug}"}, "unknown placeholder {year}"},
		{"", map[Kind]string{Article: "/{locale}/{slug"}, "unclosed {"},
		{"", map[Kind]string{Article: "/{locale}//{slug}"}, "empty or dot segment"},
		{"", map[Kind]string{Article: "/{locale}/../{slug}"}, "empty or dot segment"},
		{"", map[Kind]string{Article: "/{locale}/a b/{slug}"}, "not allowed"},
		{"", map[Kind]string{Article: "/{locale}/{slug}?x"}, "not allowed"},
		{"", map[Kind]string{Article: "/{slug}"}, "would share paths"},
		{"", map[Kind]string{Article: "/{locale}/{slug},az=/{slug},en=/{slug}"}, "would share paths"},
		{"", map[Kind]string{Article: "/a/{slug},/b/{slug}"}, "two default patterns"},
		{"", map[Kind]string{Article: "fr=/{slug}"}, "for one of the locales"},
		{"", map[Kind]string{Article: "az=/{slug},az=/x/{slug}"}, "two patterns for az"},
		{"", map[Kind]string{Home: "/"}, "would share paths"},
	} {
		_, err := New(c.site, locales, c.specs)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%q, %v) = %v, want an error with %q", c.site, c.specs, err, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"/{locale}/news/{slug}", "/{slug},en=/en/{slug}", "/{", "/{locale}/{year}/{slug}", "az=/x/{id}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		l, err := New("https://n.example", locales, map[Kind]string{Article: spec})
		if err != nil {
			return
		}
		seen := map[string]string{}
		for _, loc := range locales {
			u := l.URL(Article, Target{Locale: loc, Slug: "same", ID: "1", Published: time.Unix(0, 0)})
			if !strings.HasPrefix(u, "https://n.example/") {
				t.Fatalf("%q: %s URL %q", spec, loc, u)
			}
			if other, ok := seen[u]; ok {
				t.Fatalf("%q: %s and %s share %q", spec, other, loc, u)
			}
			seen[u] = loc
		}
	})
}
