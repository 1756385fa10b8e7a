// Package search is Herald's full-text search in every configured language: the analysis
// of text into index terms per locale (lowercasing, Azerbaijani letter folding, Snowball
// stemming, stop words), the parsing of a reader's query into terms analysed the same way,
// the query languages both databases are given (FTS5 MATCH on SQLite, tsquery on
// PostgreSQL), built only from analysed terms so no user syntax reaches either, and the
// highlighted snippets of hits. Analysis runs in Go so both databases index identical
// terms; ranking is a formula over stored terms both compute alike (see Store).
package search

import (
	"html"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/russian"
	"github.com/blevesearch/snowballstem/turkish"
	"golang.org/x/text/unicode/norm"
)

// Version names the analysis. Stored index terms were made by one version; when it changes
// the index is rebuilt (Store.EnsureIndex).
const Version = "1"

// MaxPositions bounds the terms indexed per translation (title, summary and body together),
// below PostgreSQL's largest tsvector position (16383), so both databases see the same
// positions and phrases match alike; the rest of a very long body is not indexed.
const MaxPositions = 16000

// Token is one word of a text: its analysed term ("" for a stop word) and where it is.
type Token struct {
	Term       string
	Start, End int // byte offsets in the analysed string
}

// Tokens splits text into words and analyses each for locale; text should be in NFC
// (Normalize), as stored text is compared with NFC queries. Letters and digits make
// words; combining marks stay inside a word and are dropped from its term; anything else
// separates words.
func Tokens(locale, text string) []Token {
	var out []Token
	ws := newWordScanner(locale, text)
	for {
		t, ok := ws.next()
		if !ok {
			return out
		}
		out = append(out, t)
	}
}

// wordScanner yields the Tokens of a text one by one, so a caller may stop early.
type wordScanner struct {
	locale, text string
	pos          int
	cache        *sync.Map // Term's cache of locale, looked up once per text
	// A text repeats its words: each is looked up once per text (Term's cache is shared);
	// nil: not remembered.
	seen map[string]string
	// skip, when set, names words whose term is not wanted: their Term is left "".
	skip func(word string) bool
}

func newWordScanner(locale, text string) *wordScanner {
	return &wordScanner{locale: locale, text: text, seen: map[string]string{}, cache: termCacheOf(locale)}
}

// asciiWord marks the ASCII bytes that make words: letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func (ws *wordScanner) next() (Token, bool) {
	text := ws.text
	start := -1
	i := ws.pos
	for i < len(text) {
		r, size := rune(text[i]), 1
		var inWord bool
		if r < utf8.RuneSelf {
			inWord = asciiWord[r]
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
			inWord = unicode.IsLetter(r) || unicode.IsDigit(r) || (start >= 0 && unicode.Is(unicode.Mn, r))
		}
		if inWord && start < 0 {
			start = i
		}
		if !inWord && start >= 0 {
			ws.pos = i
			return Token{Term: ws.term(text[start:i]), Start: start, End: i}, true
		}
		i += size
	}
	ws.pos = len(text)
	if start >= 0 {
		return Token{Term: ws.term(text[start:]), Start: start, End: len(text)}, true
	}
	return Token{}, false
}

func (ws *wordScanner) term(w string) string {
	if ws.skip != nil && ws.skip(w) {
		return ""
	}
	if ws.seen == nil {
		return cachedTerm(ws.cache, ws.locale, w)
	}
	t, ok := ws.seen[w]
	if !ok {
		t = cachedTerm(ws.cache, ws.locale, w)
		ws.seen[w] = t
	}
	return t
}

// Normalize is text in Unicode NFC, the form analysis expects.
func Normalize(text string) string {
	if nfcAsIs(text) {
		return text
	}
	return norm.NFC.String(text)
}

// nfcAsIs reports whether text is NFC because every letter of it is in nfcSafe. It is
// what most Azerbaijani, Russian and English text is made of, and norm's own check was
// over half of a snippet's time on a body that is not ASCII (BenchmarkHitSnippet).
func nfcAsIs(text string) bool {
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !nfcSafe(r) {
			return false
		}
		i += size
	}
	return true
}

// nfcSafe reports whether r is in NFC, never combines with what precedes it and is not a
// combining mark (TestNFCSafe checks each): a text of such runes is in NFC. The Latin
// letters up to the combining diacriticals (az's ə ı ş ç ğ ö ü too), Cyrillic but its
// combining marks, punctuation (but the two quads NFC replaces) and currency signs (₼).
func nfcSafe(r rune) bool {
	return r < 0x300 || (r >= 0x400 && r < 0x483) || (r >= 0x48A && r < 0x530) ||
		(r >= 0x2002 && r < 0x2070) || (r >= 0x20A0 && r < 0x20D0)
}

// Terms is Tokens of Normalize(text) without the stop words, as terms.
func Terms(locale, text string) []string {
	var out []string
	for _, t := range Tokens(locale, Normalize(text)) {
		if t.Term != "" {
			out = append(out, t.Term)
		}
	}
	return out
}

// Term analyses one word: lowercase, fold, drop if a stop word, stem. Results are
// remembered (see termCache): snippets analyse the words of every hit's body per request.
func Term(locale, word string) string {
	return cachedTerm(termCacheOf(locale), locale, word)
}

// cachedTerm is Term with locale's cache c (termCacheOf).
func cachedTerm(c *sync.Map, locale, word string) string {
	if t, ok := c.Load(word); ok {
		return t.(string)
	}
	t := term(locale, word)
	if termCacheSize.Add(1) <= termCacheMax {
		// A clone: word may be a slice of a whole body, which the cache must not keep.
		c.Store(strings.Clone(word), t)
	}
	return t
}

// termCacheMax bounds the words remembered by Term, over all locales (some 100 bytes
// each): a language's working vocabulary fits; past it, words are analysed every time
// rather than evicting, so nothing typed into a query can make the cache grow further.
const termCacheMax = 300_000

var (
	termCaches    sync.Map // lang → *sync.Map word → term
	termCacheSize atomic.Int64
)

func termCacheOf(locale string) *sync.Map {
	if c, ok := termCaches.Load(locale); ok {
		return c.(*sync.Map)
	}
	c, _ := termCaches.LoadOrStore(strings.Clone(locale), &sync.Map{})
	return c.(*sync.Map)
}

func term(locale, word string) string {
	w := Fold(locale, word)
	if w == "" || stopWords[lang(locale)][w] {
		return ""
	}
	return stem(locale, w)
}

// Fold lowercases word the way locale does and folds the letters a reader of locale may
// not type: for az, ə ı ş ç ğ ö ü become e i s c g o u (and I, İ both i); for ru, ё is е.
// Combining marks are dropped. The result is what prefixes are matched against.
func Fold(locale, word string) string {
	l := lang(locale)
	var b strings.Builder
	b.Grow(len(word))
	for _, r := range word {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(foldRune(l, r))
	}
	return b.String()
}

// foldRune is one letter (not a combining mark) as Fold makes it for language l.
func foldRune(l string, r rune) rune {
	switch l {
	case "az", "tr":
		r = unicode.TurkishCase.ToLower(r)
	default:
		r = unicode.ToLower(r)
	}
	switch l {
	case "az":
		r = foldAz(r)
	case "ru":
		if r == 'ё' {
			r = 'е'
		}
	}
	return r
}

// firstFolded is the first letter of Fold(locale, word), whose term (stemming never
// changes a word's first letter) starts with it too; word starts with a letter or digit.
func firstFolded(locale, word string) rune {
	r, _ := utf8.DecodeRuneInString(word)
	return foldRune(lang(locale), r)
}

func foldAz(r rune) rune {
	switch r {
	case 'ə', 'ä':
		return 'e'
	case 'ı':
		return 'i'
	case 'ş':
		return 's'
	case 'ç':
		return 'c'
	case 'ğ':
		return 'g'
	case 'ö':
		return 'o'
	case 'ü':
		return 'u'
	}
	return r
}

// lang is the language part of a locale ("ru" of "ru-RU").
func lang(locale string) string {
	if i := strings.IndexAny(locale, "-_"); i > 0 {
		locale = locale[:i]
	}
	return strings.ToLower(locale)
}

// stem applies the Snowball stemmer of locale's language to a folded word: English,
// Russian, and for Azerbaijani the Turkish one, which measurably helps (see
// TestAzerbaijaniStemming); other languages are not stemmed. az is stemmed after folding,
// so a word typed without az letters stems like the word with them.
func stem(locale, w string) string {
	var fn func(*snowball.Env) bool
	switch lang(locale) {
	case "en":
		fn = english.Stem
	case "ru":
		fn = russian.Stem
	case "az", "tr":
		fn = turkish.Stem
	default:
		return w
	}
	env := snowball.NewEnv(w)
	fn(env)
	if s := env.Current(); s != "" {
		return s
	}
	return w
}

// Text is the text of sanitized HTML: tags become spaces, entities are decoded. Herald's
// bodies are sanitized on write, so tags are well formed; a stray "<" without a closing
// ">" ends the text.
func Text(htmlText string) string {
	if !strings.ContainsAny(htmlText, "<&") {
		return htmlText
	}
	var b strings.Builder
	b.Grow(len(htmlText))
	for {
		i := strings.IndexByte(htmlText, '<')
		if i < 0 {
			b.WriteString(html.UnescapeString(htmlText))
			break
		}
		b.WriteString(html.UnescapeString(htmlText[:i]))
		j := strings.IndexByte(htmlText[i:], '>')
		if j < 0 {
			break
		}
		b.WriteByte(' ')
		htmlText = htmlText[i+j+1:]
	}
	return b.String()
}

// Doc is what the index holds of one translation: the terms of each field, in order.
type Doc struct {
	Title, Summary, Body []string
	// TitleWords are the title's words folded but not stemmed, for prefix matching
	// (typeahead): "runni" is a prefix of "running", not of its stem "run".
	TitleWords []string
}

// TitlePrefixes are the distinct starts, MinPrefix to IndexedPrefix letters, of the title's
// terms and words: the keys under which typeahead finds the document by a short prefix
// (a word shorter than a length gives no key of that length; migration 00260 derives the
// same keys in SQL from the stored terms).
func (d Doc) TitlePrefixes() []string {
	var out []string
	seen := map[string]bool{}
	for _, words := range [][]string{d.Title, d.TitleWords} {
		for _, w := range words {
			r := []rune(w)
			for n := MinPrefix; n <= IndexedPrefix && n <= len(r); n++ {
				if p := string(r[:n]); !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// Analyze makes the index document of a translation; body is HTML.
func Analyze(locale, title, summary, body string) Doc {
	title = Normalize(title)
	d := Doc{Title: Terms(locale, title), Summary: Terms(locale, summary)}
	for _, t := range Tokens(locale, title) {
		if t.Term != "" {
			d.TitleWords = append(d.TitleWords, Fold(locale, title[t.Start:t.End]))
		}
	}
	room := MaxPositions - len(d.Title) - len(d.Summary) - len(d.TitleWords) - 8
	d.Body = Terms(locale, Text(body))
	if room < 0 {
		room = 0
	}
	if len(d.Body) > room {
		d.Body = d.Body[:room]
	}
	return d
}

// Joined is terms as stored for ranking: space separated, with a space at both ends so a
// term or phrase is found by searching " term ".
func Joined(terms []string) string {
	if len(terms) == 0 {
		return " "
	}
	return " " + strings.Join(terms, " ") + " "
}

// TSVector is d as a PostgreSQL tsvector literal: title terms weighted A, summary B, body
// C, the title's unstemmed words D, each field's positions apart from the next so a phrase
// never spans two fields (as in FTS5, whose columns it mirrors).
func (d Doc) TSVector() string {
	type occ struct {
		pos    int
		weight byte
	}
	lex := map[string][]occ{}
	var order []string
	pos := 1
	add := func(terms []string, w byte) {
		for _, t := range terms {
			if _, ok := lex[t]; !ok {
				order = append(order, t)
			}
			if len(lex[t]) < 256 { // PostgreSQL keeps at most 256 positions per lexeme
				lex[t] = append(lex[t], occ{pos, w})
			}
			pos++
		}
		pos += 2
	}
	add(d.Title, 'A')
	add(d.Summary, 'B')
	add(d.Body, 'C')
	add(d.TitleWords, 'D')
	var b strings.Builder
	for i, t := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(t))
		b.WriteByte(':')
		for k, o := range lex[t] {
			if k > 0 {
				b.WriteByte(',')
			}
			b.WriteString(itoa(o.pos))
			if o.weight != 'D' {
				b.WriteByte(o.weight)
			}
		}
	}
	return b.String()
}

// quoteLexeme quotes a term for tsvector and tsquery input. Terms hold only letters and
// digits, but quoting keeps any other byte literal too.
func quoteLexeme(t string) string {
	if !strings.ContainsAny(t, `\'`) {
		return "'" + t + "'"
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(t) + "'"
}

func itoa(n int) string {
	var buf [12]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(buf[i:])
}

// ValidUTF8 reports whether s is valid UTF-8 without NUL bytes.
func ValidUTF8(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
