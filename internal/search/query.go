package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/heraldcms/herald/internal/errs"
)

// Limits of a query: a longer one is refused (400) rather than cut, so a reader never gets
// results for a query other than the one typed.
const (
	MaxQueryBytes = 500
	MaxQueryTerms = 12
	// MinPrefix is the shortest prefix matched: a one-letter prefix matches most of the
	// archive and is dropped.
	MinPrefix = 2
	// IndexedPrefix is the longest prefix the typeahead's prefix index holds (TitlePrefixes):
	// the short prefixes, which match thousands of titles, are read from it newest first;
	// a longer one matches few and goes through the full-text index.
	IndexedPrefix = 3
)

// Query is a reader's query, parsed: terms all of which a hit contains. A term is a word,
// a "quoted phrase" (also a hyphenated word), or either with a trailing * (a prefix).
type Query struct {
	Raw   string
	Terms []QueryTerm
}

// QueryTerm is one term as typed.
type QueryTerm struct {
	Words  []string // as typed, NFC
	Prefix bool     // the last word is a prefix
}

// Parse parses q. Operators of either database's query language mean nothing here: only
// words, quotes and a trailing * do. prefixLast makes the last term a prefix (typeahead).
// Errors name the field "q".
func Parse(q string, prefixLast bool) (Query, error) {
	if !ValidUTF8(q) {
		return Query{}, errs.InvalidFields(errs.Field("q", "must be valid UTF-8 text"))
	}
	if len(q) > MaxQueryBytes {
		return Query{}, errs.InvalidFields(errs.Field("q", "must be at most 500 bytes"))
	}
	q = Normalize(strings.TrimSpace(q))
	if q == "" {
		return Query{}, errs.InvalidFields(errs.Field("q", "is required"))
	}
	out := Query{Raw: q}
	rest := q
	for rest != "" {
		rest = strings.TrimLeftFunc(rest, func(r rune) bool { return unicode.IsSpace(r) })
		if rest == "" {
			break
		}
		var chunk string
		phrase := rest[0] == '"'
		if phrase {
			rest = rest[1:]
			end := strings.IndexByte(rest, '"')
			if end < 0 {
				end = len(rest) // an unclosed quote runs to the end
			}
			chunk, rest = rest[:end], rest[min(end+1, len(rest)):]
		} else {
			end := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
			if end < 0 {
				end = len(rest)
			}
			chunk, rest = rest[:end], rest[end:]
		}
		prefix := strings.HasPrefix(rest, "*")
		if !phrase {
			prefix = strings.HasSuffix(chunk, "*")
		} else if prefix {
			rest = rest[1:]
		}
		var words []string
		for _, t := range Tokens("", chunk) {
			words = append(words, chunk[t.Start:t.End])
		}
		if prefix && len(words) > 0 && !endsWithWord(chunk, words[len(words)-1]) {
			prefix = false // "word* more" or "word *": the star is not on the word
		}
		if len(words) > 0 {
			out.Terms = append(out.Terms, QueryTerm{Words: words, Prefix: prefix})
		}
	}
	if len(out.Terms) > MaxQueryTerms {
		return Query{}, errs.InvalidFields(errs.Field("q", "must have at most 12 words or phrases"))
	}
	if prefixLast && len(out.Terms) > 0 {
		out.Terms[len(out.Terms)-1].Prefix = true
	}
	return out, nil
}

// endsWithWord reports whether chunk ends with word followed only by stars.
func endsWithWord(chunk, word string) bool {
	return strings.HasSuffix(strings.TrimRight(chunk, "*"), word)
}

// Match is a query analysed for one locale: what the index of that locale's translations
// is searched for. A term whose words are all stop words (or too short a prefix) is
// dropped; a Match with no terms finds nothing.
type Match struct {
	Locale string
	Terms  []MatchTerm
}

// MatchTerm is one analysed term: consecutive index terms, the last a prefix if Prefix.
type MatchTerm struct {
	Terms  []string
	Prefix bool
}

// For analyses q for locale.
func (q Query) For(locale string) Match {
	m := Match{Locale: locale}
	for _, t := range q.Terms {
		var terms []string
		prefix := false
		for i, w := range t.Words {
			if i == len(t.Words)-1 && t.Prefix {
				p := Fold(locale, w)
				if len([]rune(p)) >= MinPrefix {
					terms = append(terms, p)
					prefix = true
				}
				continue
			}
			if a := Term(locale, w); a != "" {
				terms = append(terms, a)
			}
		}
		if len(terms) > 0 {
			m.Terms = append(m.Terms, MatchTerm{Terms: terms, Prefix: prefix})
		}
	}
	return m
}

// Empty reports whether m can match nothing.
func (m Match) Empty() bool { return len(m.Terms) == 0 }

// Key identifies m's terms: locales whose Match has the same Key are searched as one.
func (m Match) Key() string {
	var b strings.Builder
	for _, t := range m.Terms {
		b.WriteString(strings.Join(t.Terms, " "))
		if t.Prefix {
			b.WriteByte('*')
		}
		b.WriteByte('|')
	}
	return b.String()
}

// FTS5 is m as an SQLite FTS5 MATCH expression: each term a quoted phrase (so nothing in
// it is syntax), a prefix marked by *, all joined by AND. titleOnly restricts it to the
// title columns (typeahead).
func (m Match) FTS5(titleOnly bool) string {
	parts := make([]string, len(m.Terms))
	for i, t := range m.Terms {
		p := `"` + strings.ReplaceAll(strings.Join(t.Terms, " "), `"`, `""`) + `"`
		if t.Prefix {
			p += " *"
		}
		parts[i] = p
	}
	expr := strings.Join(parts, " AND ")
	if titleOnly {
		return "{title_terms title_words} : (" + expr + ")"
	}
	return expr
}

// TSQuery is m as a PostgreSQL tsquery literal: quoted lexemes, :* for a prefix, <-> within
// a phrase, & between terms. titleOnly restricts it to the title's weights (A, D).
func (m Match) TSQuery(titleOnly bool) string {
	parts := make([]string, len(m.Terms))
	for i, t := range m.Terms {
		lex := make([]string, len(t.Terms))
		for k, term := range t.Terms {
			flag := ""
			if t.Prefix && k == len(t.Terms)-1 {
				flag = "*"
			}
			if titleOnly {
				flag += "AD"
			}
			if flag != "" {
				flag = ":" + flag
			}
			lex[k] = quoteLexeme(term) + flag
		}
		parts[i] = "(" + strings.Join(lex, " <-> ") + ")"
	}
	return strings.Join(parts, " & ")
}

// Needles are the strings ranking looks for in a field's stored Joined terms, one per term:
// " a b " for a phrase, " a b" for one ending in a prefix.
func (m Match) Needles() []string {
	out := make([]string, len(m.Terms))
	for i, t := range m.Terms {
		n := " " + strings.Join(t.Terms, " ")
		if !t.Prefix {
			n += " "
		}
		out[i] = n
	}
	return out
}

// IndexedPrefix returns the prefix m is when it is a single prefix short enough for the
// typeahead's prefix index (TitlePrefixes): what was typed, folded, MinPrefix to
// IndexedPrefix letters.
func (m Match) IndexedPrefix() (string, bool) {
	if len(m.Terms) != 1 || !m.Terms[0].Prefix || len(m.Terms[0].Terms) != 1 {
		return "", false
	}
	p := m.Terms[0].Terms[0]
	if n := utf8.RuneCountInString(p); n < MinPrefix || n > IndexedPrefix {
		return "", false
	}
	return p, true
}

// LeadTSQuery is a tsquery that every document m could rank above 0 matches in its title's
// and summary's positions (weights A, B, D): any word of any term, a prefix's with :*. A
// phrase or a prefix found in the title or summary has each of its words there, so this
// is a superset of the documents scoring above 0 (the store ranks only those first).
func (m Match) LeadTSQuery() string {
	var lex []string
	for _, t := range m.Terms {
		for k, term := range t.Terms {
			l := quoteLexeme(term)
			if t.Prefix && k == len(t.Terms)-1 {
				l += ":*"
			}
			lex = append(lex, l)
		}
	}
	return strings.Join(lex, " | ")
}
