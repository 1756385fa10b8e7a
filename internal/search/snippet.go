package search

import (
	"html"
	"strings"
)

// Snippets are made in Go from the stored text, so both databases give the same ones.

// matcher tells whether a word of text matches one of m's terms.
type matcher struct {
	locale string
	exact  map[string]bool
	prefix []string
}

func newMatcher(m Match) matcher {
	mt := matcher{locale: m.Locale, exact: map[string]bool{}}
	for _, t := range m.Terms {
		for i, term := range t.Terms {
			if t.Prefix && i == len(t.Terms)-1 {
				mt.prefix = append(mt.prefix, term)
			} else {
				mt.exact[term] = true
			}
		}
	}
	return mt
}

func (mt matcher) matches(tok Token, text string) bool {
	if tok.Term == "" {
		return false
	}
	if mt.exact[tok.Term] {
		return true
	}
	if len(mt.prefix) == 0 {
		return false
	}
	folded := Fold(mt.locale, text[tok.Start:tok.End])
	for _, p := range mt.prefix {
		if strings.HasPrefix(tok.Term, p) || strings.HasPrefix(folded, p) {
			return true
		}
	}
	return false
}

// Highlight is text, HTML-escaped, with the words that match m in <mark>.
func Highlight(m Match, text string) string {
	text = Normalize(text)
	html, _ := mark(newMatcher(m), text, Tokens(m.Locale, text), 0, -1)
	return html
}

// Snippet is about words words of text around its first match of m, HTML-escaped, matches
// in <mark>, an ellipsis where it was cut; "" when text has no match. Words are analysed
// only up to the end of the passage: a body's snippet is made for every hit of a page.
func Snippet(m Match, text string, words int) string {
	text = Normalize(text)
	mt := newMatcher(m)
	ws := newWordScanner(m.Locale, text)
	var toks []Token
	first := -1
	for first < 0 {
		t, ok := ws.next()
		if !ok {
			return ""
		}
		toks = append(toks, t)
		if mt.matches(t, text) {
			first = len(toks) - 1
		}
	}
	from := max(0, first-words/4)
	// One word past the passage tells mark whether text goes on after it.
	for len(toks) <= from+words {
		t, ok := ws.next()
		if !ok {
			break
		}
		toks = append(toks, t)
	}
	to := min(len(toks), from+words)
	out, _ := mark(mt, text, toks, from, to)
	return out
}

// Lead is the first words words of text, HTML-escaped, for a hit matched elsewhere.
func Lead(locale, text string, words int) string {
	text = Normalize(text)
	toks := Tokens(locale, text)
	out, _ := mark(matcher{exact: map[string]bool{}}, text, toks, 0, min(len(toks), words))
	return out
}

// mark renders toks[from:to] of text (to < 0: all of text) with matches marked.
func mark(mt matcher, text string, toks []Token, from, to int) (string, int) {
	start, end := 0, len(text)
	if to >= 0 && len(toks) > 0 {
		if from > 0 {
			start = toks[from].Start
		}
		if to < len(toks) {
			end = toks[to-1].End
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	n, pos := 0, start
	for _, t := range toks {
		if t.Start < start || t.End > end || !mt.matches(t, text) {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:t.Start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[t.Start:t.End]))
		b.WriteString("</mark>")
		pos = t.End
		n++
	}
	b.WriteString(html.EscapeString(text[pos:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String()), n
}
