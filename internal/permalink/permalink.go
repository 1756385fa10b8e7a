// Package permalink builds the public frontend's URLs of articles, categories, tags and
// locale home pages from the site's origin (HERALD_SITE_URL) and a path pattern per kind and
// locale (HERALD_PERMALINK_ARTICLE and its siblings). It is pure: the API puts the URLs in responses, feeds and
// sitemaps, and other consumers (webhook payloads) can build the same ones.
package permalink

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Kind is what a pattern links to.
type Kind string

const (
	Home     Kind = "home"
	Article  Kind = "article"
	Category Kind = "category"
	Tag      Kind = "tag"
)

// Defaults are the patterns used when a variable is empty.
var Defaults = map[Kind]string{
	Home:     "/{locale}",
	Article:  "/{locale}/news/{slug}",
	Category: "/{locale}/category/{slug}",
	Tag:      "/{locale}/tag/{slug}",
}

// placeholders lists what each kind's patterns may name.
var placeholders = map[Kind][]string{
	Home:     {"locale"},
	Article:  {"locale", "slug", "id", "year", "month", "day"},
	Category: {"locale", "slug", "id"},
	Tag:      {"locale", "slug", "id"},
}

// Target is what a link points at: the locale, and the record's slug in it, its id and (for
// articles) its publication time.
type Target struct {
	Locale    string
	Slug      string
	ID        string
	Published time.Time
}

// Links builds URLs. The zero value and nil build nothing ("").
type Links struct {
	site     string
	patterns map[Kind]map[string][]part // kind → locale → pattern
}

// part is a literal path piece or a placeholder name.
type part struct {
	lit, name string
}

// New checks site (an http(s) origin, possibly with a path prefix; "" makes every URL a
// site-relative path) and the patterns of each kind (see Parse), for the site's locales.
func New(site string, locales []string, specs map[Kind]string) (*Links, error) {
	l := &Links{patterns: map[Kind]map[string][]part{}}
	if site != "" {
		u, err := url.Parse(site)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(site, "?#") {
			return nil, fmt.Errorf("want the public site's origin, such as https://news.example")
		}
		l.site = strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/")
	}
	for _, k := range []Kind{Home, Article, Category, Tag} {
		spec := specs[k]
		if strings.TrimSpace(spec) == "" {
			spec = Defaults[k]
		}
		ps, err := Parse(k, spec, locales)
		if err != nil {
			return nil, err
		}
		l.patterns[k] = ps
	}
	return l, nil
}

// Parse reads one kind's patterns: a default pattern for every locale and locale=pattern
// overrides, comma-separated ("/{locale}/news/{slug},az=/{slug}"). Each pattern is a path
// starting with "/" of literal segments and placeholders in braces; records' patterns name
// {slug} or {id}. Two locales may not share a pattern's shape, so every path names one
// locale: a locale without {locale} needs its own literal prefix or segment count.
func Parse(k Kind, spec string, locales []string) (map[string][]part, error) {
	known := map[string]bool{}
	for _, l := range locales {
		known[l] = true
	}
	var def string
	over := map[string]string{}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.HasPrefix(item, "/") {
			if def != "" {
				return nil, fmt.Errorf("%s: two default patterns (%q, %q); prefix overrides with a locale, as az=/{slug}", k, def, item)
			}
			def = item
			continue
		}
		loc, p, ok := strings.Cut(item, "=")
		loc = strings.ToLower(strings.TrimSpace(loc))
		if !ok || !known[loc] {
			return nil, fmt.Errorf("%s: %q is neither a pattern starting with / nor locale=pattern for one of the locales (%s)", k, item, strings.Join(locales, ","))
		}
		if _, dup := over[loc]; dup {
			return nil, fmt.Errorf("%s: two patterns for %s", k, loc)
		}
		over[loc] = strings.TrimSpace(p)
	}
	if def == "" {
		def = Defaults[k]
	}
	out := map[string][]part{}
	shapes := map[string]string{}
	for _, loc := range locales {
		p := def
		if o, ok := over[loc]; ok {
			p = o
		}
		parts, err := compile(k, p)
		if err != nil {
			return nil, fmt.Errorf("%s pattern for %s: %w", k, loc, err)
		}
		out[loc] = parts
		shape := render(parts, Target{Locale: loc}, "*")
		if other, ok := shapes[shape]; ok {
			return nil, fmt.Errorf("%s: %s and %s would share paths (%s); give one of them {locale} or a prefix of its own", k, other, loc, shape)
		}
		shapes[shape] = loc
	}
	return out, nil
}

// compile splits a pattern into literal parts and placeholders, checking both.
func compile(k Kind, p string) ([]part, error) {
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("%q must start with /", p)
	}
	if strings.Contains(p, "//") || strings.Contains(p, "/./") || strings.Contains(p, "/../") || strings.HasSuffix(p, "/..") {
		return nil, fmt.Errorf("%q has an empty or dot segment", p)
	}
	var parts []part
	names := map[string]bool{}
	for rest := p; rest != ""; {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			open = len(rest)
		}
		if lit := rest[:open]; lit != "" {
			for _, r := range lit {
				if !pathRune(r) {
					return nil, fmt.Errorf("%q: %q is not allowed in a path pattern", p, r)
				}
			}
			parts = append(parts, part{lit: lit})
		}
		if open == len(rest) {
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, fmt.Errorf("%q: unclosed {", p)
		}
		name := rest[open+1 : open+end]
		if !contains(placeholders[k], name) {
			return nil, fmt.Errorf("%q: unknown placeholder {%s}; %s patterns may use {%s}", p, name, k, strings.Join(placeholders[k], "}, {"))
		}
		names[name] = true
		parts = append(parts, part{name: name})
		rest = rest[open+end+1:]
	}
	if k != Home && !names["slug"] && !names["id"] {
		return nil, fmt.Errorf("%q names neither {slug} nor {id}, so every %s would share one URL", p, k)
	}
	return parts, nil
}

// pathRune is an unreserved or sub-delimiter character of a URL path, or /.
func pathRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/-._~!$&'()*+;=:@", r)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// render fills parts for t; wild replaces every placeholder but {locale} (shape checks).
func render(parts []part, t Target, wild string) string {
	var b strings.Builder
	renderTo(&b, parts, t, wild)
	return b.String()
}

// renderTo writes what render returns to b, grown once for the usual case: lists render a
// URL per article and term, and a builder growing as it went allocated three times a URL.
func renderTo(b *strings.Builder, parts []part, t Target, wild string) {
	n := b.Len()
	for _, p := range parts {
		n += len(p.lit)
	}
	b.Grow(n + len(t.Locale) + len(t.Slug) + len(t.ID) + len(wild) + 10)
	for _, p := range parts {
		switch {
		case p.name == "":
			b.WriteString(p.lit)
		case p.name == "locale":
			b.WriteString(t.Locale)
		case wild != "":
			b.WriteString(wild)
		case p.name == "slug":
			b.WriteString(url.PathEscape(t.Slug))
		case p.name == "id":
			b.WriteString(url.PathEscape(t.ID))
		case p.name == "year":
			b.WriteString(t.Published.UTC().Format("2006"))
		case p.name == "month":
			b.WriteString(t.Published.UTC().Format("01"))
		case p.name == "day":
			b.WriteString(t.Published.UTC().Format("02"))
		}
	}
}

// Path is the site-relative path of t, or "" when l is nil or t's locale has no pattern.
func (l *Links) Path(k Kind, t Target) string {
	if l == nil {
		return ""
	}
	parts, ok := l.patterns[k][t.Locale]
	if !ok {
		return ""
	}
	return render(parts, t, "")
}

// URL is t's absolute URL on the site (its path when no site is configured).
func (l *Links) URL(k Kind, t Target) string {
	if l == nil {
		return ""
	}
	parts, ok := l.patterns[k][t.Locale]
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString(l.site)
	renderTo(&b, parts, t, "")
	if b.Len() == len(l.site) {
		return "" // an empty path, as Path returns it
	}
	return b.String()
}

// Site is the site's origin (with its path prefix, no trailing slash); "" when unset.
func (l *Links) Site() string {
	if l == nil {
		return ""
	}
	return l.site
}

// Absolute reports whether URLs are absolute (a site is configured).
func (l *Links) Absolute() bool { return l.Site() != "" }

// Patterns describes the configured patterns, kind by kind and locale by locale (for logs
// and the API's feed index).
func (l *Links) Patterns() map[Kind]map[string]string {
	out := map[Kind]map[string]string{}
	if l == nil {
		return out
	}
	for k, byLoc := range l.patterns {
		out[k] = map[string]string{}
		locs := make([]string, 0, len(byLoc))
		for loc := range byLoc {
			locs = append(locs, loc)
		}
		sort.Strings(locs)
		for _, loc := range locs {
			var b strings.Builder
			for _, p := range byLoc[loc] {
				if p.name != "" {
					b.WriteString("{" + p.name + "}")
				} else {
					b.WriteString(p.lit)
				}
			}
			out[k][loc] = b.String()
		}
	}
	return out
}
