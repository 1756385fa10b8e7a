// Package locale knows the content locales a site supports, picks one for a request
// (explicit choice, then Accept-Language, then the default) and orders the fallbacks used
// when a translation is missing. It is pure: no I/O, no HTTP types.
package locale

import (
	"errors"
	"sort"
	"strconv"
	"strings"
)

// ErrUnsupported is returned for a locale the site does not serve.
var ErrUnsupported = errors.New("unsupported locale")

// Set is the supported locales with their fallback chains.
type Set struct {
	codes  []string
	def    string
	chains map[string][]string
	known  map[string]bool
}

// NewSet builds a Set. fallback maps a locale to the locales tried after it; every chain is
// completed with the default locale and then the remaining locales in order, so content in
// any supported locale can always be served.
func NewSet(codes []string, def string, fallback map[string][]string) *Set {
	s := &Set{codes: append([]string(nil), codes...), def: def, chains: map[string][]string{}, known: map[string]bool{}}
	for _, c := range codes {
		s.known[c] = true
	}
	for _, c := range codes {
		chain := []string{c}
		seen := map[string]bool{c: true}
		add := func(l string) {
			if s.known[l] && !seen[l] {
				seen[l] = true
				chain = append(chain, l)
			}
		}
		for _, f := range fallback[c] {
			add(f)
		}
		add(def)
		for _, o := range codes {
			add(o)
		}
		s.chains[c] = chain
	}
	return s
}

// Codes returns the supported locales in configured order.
func (s *Set) Codes() []string { return append([]string(nil), s.codes...) }

// Default returns the default locale.
func (s *Set) Default() string { return s.def }

// Supported reports whether code is served.
func (s *Set) Supported(code string) bool { return s.known[code] }

// Chain returns code followed by its fallbacks; it covers every supported locale.
func (s *Set) Chain(code string) []string { return s.chains[code] }

// Fallbacks returns the configured fallbacks of code (without code itself).
func (s *Set) Fallbacks(code string) []string { return append([]string(nil), s.chains[code][1:]...) }

// Parse normalises an explicit locale such as "EN" or "en_US" and checks it is supported;
// a regional variant falls back to its base language ("en-gb" → "en").
func (s *Set) Parse(code string) (string, error) {
	c := normalize(code)
	if s.known[c] {
		return c, nil
	}
	if base, _, ok := strings.Cut(c, "-"); ok && s.known[base] {
		return base, nil
	}
	return "", ErrUnsupported
}

// Negotiate picks the locale for a request: the explicit query value if present (an
// unsupported one is an error), else the best Accept-Language match, else the default.
func (s *Set) Negotiate(query, acceptLanguage string) (string, error) {
	if strings.TrimSpace(query) != "" {
		return s.Parse(query)
	}
	if l, ok := s.FromAcceptLanguage(acceptLanguage); ok {
		return l, nil
	}
	return s.def, nil
}

// FromAcceptLanguage returns the supported locale the header prefers most (RFC 9110 §12.5.4).
func (s *Set) FromAcceptLanguage(h string) (string, bool) {
	if r := s.Ranked(h); len(r) > 0 {
		return r[0], true
	}
	return "", false
}

// Ranked returns the supported locales an Accept-Language header asks for, most preferred
// first (by q, then by position), each once; a regional tag counts as its base language
// and "*" as the default. Nil when the header names none of them.
func (s *Set) Ranked(h string) []string {
	type pref struct {
		tag string
		q   float64
	}
	var prefs []pref
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = normalize(tag)
		if tag == "" || len(tag) > 35 {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.TrimSpace(k) == "q" {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				q = f
			}
		}
		if q > 0 {
			prefs = append(prefs, pref{tag, q})
		}
		if len(prefs) > 32 { // a header is not a place to make us loop
			break
		}
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	var out []string
	seen := map[string]bool{}
	for _, p := range prefs {
		l := s.def
		if p.tag != "*" {
			var err error
			if l, err = s.Parse(p.tag); err != nil {
				continue
			}
		}
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// ReaderChain is the fallback order for a reader who ranked ranked (from Ranked): the
// reader's choices first, then the configured chain of the first of them, each locale
// once, so it covers every supported locale. Empty ranked gives the default's chain.
func (s *Set) ReaderChain(ranked []string) []string {
	if len(ranked) == 0 {
		return s.Chain(s.def)
	}
	out := make([]string, 0, len(s.codes))
	seen := map[string]bool{}
	for _, l := range append(append([]string(nil), ranked...), s.Chain(ranked[0])...) {
		if s.known[l] && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// Pick returns the first locale of code's chain present in available, or "" if none is.
func (s *Set) Pick(code string, available func(string) bool) string {
	for _, l := range s.Chain(code) {
		if available(l) {
			return l
		}
	}
	return ""
}

func normalize(code string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(code)), "_", "-")
}
