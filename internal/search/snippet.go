package search

import (
	"html"
	"strings"
	"unicode/utf8"
)

// Snippets are made in Go from the stored text, so both databases give the same ones.

// matcher tells whether a word of text matches one of m's terms.
type matcher struct {
	locale string
	exact  map[string]bool
	prefix []string
	// first holds the first letter of every term and prefix: a word whose folded first
	// letter is not among them cannot match, and is not analysed (firstASCII for speed).
	lang       string
	first      map[rune]bool
	firstASCII [utf8.RuneSelf]bool
}

func newMatcher(m Match) matcher {
	mt := matcher{locale: m.Locale, lang: lang(m.Locale), exact: map[string]bool{}, first: map[rune]bool{}}
	for _, t := range m.Terms {
		for i, term := range t.Terms {
			if t.Prefix && i == len(t.Terms)-1 {
				mt.prefix = append(mt.prefix, term)
			} else {
				mt.exact[term] = true
			}
			r, _ := utf8.DecodeRuneInString(term)
			mt.first[r] = true
			if r < utf8.RuneSelf {
				mt.firstASCII[r] = true
			}
		}
	}
	return mt
}

// cannotMatch reports whether word cannot match (see first): a snippet of a long body
// then analyses only the few words that might, not every word up to the first match.
func (mt *matcher) cannotMatch(word string) bool {
	if c := word[0]; c < utf8.RuneSelf && mt.lang != "tr" {
		// An ASCII letter folds to its lower case in every language but Turkish (I → ı).
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return !mt.firstASCII[c]
	}
	r, _ := utf8.DecodeRuneInString(word)
	return !mt.first[foldRune(mt.lang, r)]
}

func (mt *matcher) matches(tok Token, text string) bool {
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
	mt := newMatcher(m)
	return mt.highlight(text)
}

// highlight is Highlight with mt made once for every hit of a search in its locale.
func (mt *matcher) highlight(text string) string {
	text = Normalize(text)
	ws := mt.scanner(text)
	toks := make([]Token, 0, 16)
	for {
		t, ok := ws.next()
		if !ok {
			break
		}
		toks = append(toks, t)
	}
	html, _ := mark(mt, text, toks, 0, len(text))
	return html
}

// scanner yields the words of text analysed only where they might match mt (cannotMatch):
// a hit's title or passage is otherwise stemmed word by word for a handful of matches.
func (mt *matcher) scanner(text string) *wordScanner {
	ws := newWordScanner(mt.locale, text)
	ws.seen = nil // a text's words are mostly distinct: remembering them costs more than it saves
	ws.skip = mt.cannotMatch
	return ws
}

// Snippet is about words words of text around its first match of m, HTML-escaped, matches
// in <mark>, an ellipsis where it was cut; "" when text has no match. Words are analysed
// only up to the end of the passage: a body's snippet is made for every hit of a page.
func Snippet(m Match, text string, words int) string {
	mt := newMatcher(m)
	return mt.snippet(text, words)
}

// snippet is Snippet with mt made once for every hit of a search in its locale.
func (mt *matcher) snippet(text string, words int) string {
	text = Normalize(text)
	ws := mt.scanner(text)
	// Only the words/4 words before the first match are kept while looking for it, in a
	// ring (ring[n%back] is the n-th word).
	back := words / 4
	ring := make([]Token, back)
	n := 0
	var match Token
	for {
		t, ok := ws.next()
		if !ok {
			return ""
		}
		if mt.matches(t, text) {
			match = t
			break
		}
		if back > 0 {
			ring[n%back] = t
		}
		n++
	}
	kept := min(n, back)
	cut := n > kept
	toks := make([]Token, 0, back+words+1)
	for i := n - kept; i < n; i++ {
		toks = append(toks, ring[i%back])
	}
	toks = append(toks, match)
	// One word past the passage tells whether text goes on after it.
	for len(toks) <= words {
		t, ok := ws.next()
		if !ok {
			break
		}
		toks = append(toks, t)
	}
	start, end := 0, len(text)
	if cut {
		start = toks[0].Start
	}
	if len(toks) > words {
		end = toks[words-1].End
	}
	out, _ := mark(mt, text, toks, start, end)
	return out
}

// Lead is the first words words of text, HTML-escaped, for a hit matched elsewhere.
func Lead(locale, text string, words int) string {
	text = Normalize(text)
	toks := Tokens(locale, text)
	end := len(text)
	if len(toks) > words {
		end = toks[words-1].End
	}
	out, _ := mark(&matcher{exact: map[string]bool{}}, text, toks, 0, end)
	return out
}

// mark renders text[start:end] with the matches among toks marked, and an ellipsis where
// text was cut.
func mark(mt *matcher, text string, toks []Token, start, end int) (string, int) {
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
