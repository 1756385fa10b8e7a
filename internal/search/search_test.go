package search

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestFoldAndTerms(t *testing.T) {
	for _, c := range []struct{ locale, in, want string }{
		{"az", "Gələcək GƏLƏCƏK gelecek", "gelecek gelecek gelecek"},
		{"az", "İSTANBUL İstanbul Istanbul ıstanbul", "istanbul istanbul istanbul istanbul"},
		{"az", "Şəhər çay ağac gözəl üzüm", "seher cay agac gozel uzum"},
		{"ru", "Ёлка ёлки елка", "елк елк елк"},
		{"ru", "новости Новость", "новост новост"},
		{"en", "Running runs policies policy", "run run polici polici"},
		{"en", "the cat and the hat", "cat hat"},
		{"en", "ax\u0301b", "axb"}, // a combining mark stays in the word, out of the term
	} {
		got := strings.Join(Terms(c.locale, c.in), " ")
		if c.locale == "az" {
			// az is stemmed too; compare with the stems of the folded words
			var want []string
			for _, w := range strings.Fields(c.want) {
				want = append(want, Term("az", w))
			}
			c.want = strings.Join(want, " ")
		}
		if got != c.want {
			t.Errorf("%s %q: %q, want %q", c.locale, c.in, got, c.want)
		}
	}
}

func TestText(t *testing.T) {
	if got := Text(`<p>Salt &amp; <b>vinegar</b></p><p>&laquo;x&raquo;`); got != " Salt &  vinegar   «x»" {
		t.Errorf("Text = %q", got)
	}
	if got := Text("a < b"); got != "a " {
		t.Errorf("unclosed tag: %q", got)
	}
}

func TestParse(t *testing.T) {
	q, err := Parse(`"election results" hous* plain -neg NEAR(x) "open phrase*`, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, term := range q.Terms {
		s := strings.Join(term.Words, "_")
		if term.Prefix {
			s += "*"
		}
		got = append(got, s)
	}
	if strings.Join(got, " ") != "election_results hous* plain neg NEAR_x open_phrase" {
		t.Errorf("terms %v", got)
	}
	m := q.For("en")
	if got := m.FTS5(false); got != `"elect result" AND "hous" * AND "plain" AND "neg" AND "near x" AND "open phrase"` {
		t.Errorf("FTS5 %s", got)
	}
	if got := m.TSQuery(false); got != `('elect' <-> 'result') & ('hous':*) & ('plain') & ('neg') & ('near' <-> 'x') & ('open' <-> 'phrase')` {
		t.Errorf("tsquery %s", got)
	}
	if got := m.FTS5(true); !strings.HasPrefix(got, "{title_terms title_words} : (") {
		t.Errorf("title-only FTS5 %s", got)
	}
	if got := m.TSQuery(true); !strings.Contains(got, "'hous':*AD") {
		t.Errorf("title-only tsquery %s", got)
	}
	for _, bad := range []string{"", "  ", "\xff", "a\x00b", strings.Repeat("a", MaxQueryBytes+1), "a b c d e f g h i j k l m"} {
		if _, err := Parse(bad, false); err == nil {
			t.Errorf("Parse(%.20q) accepted", bad)
		}
	}
	if q, err := Parse("gel", true); err != nil || !q.Terms[0].Prefix {
		t.Errorf("prefixLast: %+v %v", q, err)
	}
	if m := mustParse(t, "g*").For("az"); !m.Empty() {
		t.Errorf("a one-letter prefix matched: %+v", m)
	}
}

func mustParse(t *testing.T, s string) Query {
	t.Helper()
	q, err := Parse(s, false)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestTSVector(t *testing.T) {
	d := Analyze("en", "City election results", "Voters elected", "<p>The election results</p>")
	want := "'citi':1A 'elect':2A,7B,10C 'result':3A,11C 'voter':6B 'city':14 'election':15 'results':16"
	if got := d.TSVector(); got != want {
		t.Errorf("tsvector\n got %s\nwant %s", got, want)
	}
	long := Analyze("en", "t", "", strings.Repeat("word ", 3*MaxPositions))
	if n := len(long.Title) + len(long.Summary) + len(long.Body) + len(long.TitleWords); n > MaxPositions {
		t.Errorf("%d terms indexed, want at most %d", n, MaxPositions)
	}
}

func TestHighlightEscapes(t *testing.T) {
	m := mustParse(t, "chips").For("en")
	if got := Highlight(m, "Fish & Chips <tasty>"); got != "Fish &amp; <mark>Chips</mark> &lt;tasty&gt;" {
		t.Errorf("Highlight = %q", got)
	}
	body := strings.Repeat("filler ", 40) + "chips " + strings.Repeat("more ", 40)
	s := Snippet(m, body, 10)
	if !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") || !strings.Contains(s, "<mark>chips</mark>") {
		t.Errorf("Snippet = %q", s)
	}
	if Snippet(m, "nothing here", 10) != "" {
		t.Error("a snippet without a match")
	}
}

// FuzzParse: no query makes parsing, analysis or either query language fail or emit a
// quote that is not its own.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`"election results" hous*`, `NEAR(a b) {title_terms}: ^x -y`, `'; DROP TABLE x; --`,
		"gelecek:* & !x | (a <-> b)", "\xff\xfe", `"""`, "**", "İı\u0307"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, prefix bool) {
		q, err := Parse(s, prefix)
		if err != nil {
			return
		}
		for _, l := range []string{"az", "en", "ru"} {
			m := q.For(l)
			for _, term := range m.Terms {
				for _, x := range term.Terms {
					if x == "" || !utf8.ValidString(x) || strings.ContainsAny(x, `"' *:&|!()<>{}^-`) {
						t.Fatalf("term %q of %q", x, s)
					}
				}
			}
			_ = m.FTS5(prefix)
			_ = m.TSQuery(prefix)
			_ = Highlight(m, s)
		}
	})
}

func BenchmarkAnalyze(b *testing.B) {
	body := "<p>" + strings.Repeat("Ombudsman hüquq insan vətəndaş müraciət şikayət məruzə görüş təlim uşaq qadın ahıl. ", 40) + "</p>"
	for i := 0; i < b.N; i++ {
		_ = Analyze("az", "Gələcək planları açıqlandı", "Şəhərin gələcək inkişafı", body).TSVector()
	}
}

// TestStemKeepsFirstLetter: a snippet analyses only the words whose folded first letter
// starts a query term (matcher.cannotMatch), which is right only if stemming never changes
// a word's first letter. Checked on the az test forms, the search corpus and English and
// Russian words whose stems differ most from them.
func TestStemKeepsFirstLetter(t *testing.T) {
	var texts []string
	for _, f := range []string{"testdata/azstem.txt", "../../api/testdata/search_corpus.json"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	texts = append(texts, "dying lying tying skies idly gently ugly early only singly news yelling Yes yoyo ies",
		"ёлка Ёж ещё новости Йошкар-Олы шли ИЗ")
	checked := 0
	for _, l := range []string{"az", "en", "ru"} {
		for _, text := range texts {
			for _, tok := range Tokens(l, Normalize(text)) {
				w := Normalize(text)[tok.Start:tok.End]
				if tok.Term == "" {
					continue
				}
				checked++
				if r, _ := utf8.DecodeRuneInString(tok.Term); r != firstFolded(l, w) {
					t.Errorf("%s %q: term %q starts with another letter than the word", l, w, tok.Term)
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d words checked", checked)
	}
}

// TestSnippetFindsLateMatch: a body whose first match is its 3,000th word gives the passage
// around it, the words before it skipped unanalysed.
func TestSnippetFindsLateMatch(t *testing.T) {
	body := strings.Repeat("alpha beta gamma ", 1000) + "the Running man " + strings.Repeat("delta ", 50)
	q, err := Parse("runs", false)
	if err != nil {
		t.Fatal(err)
	}
	got := Snippet(q.For("en"), body, 10)
	if want := "…gamma the <mark>Running</mark> man delta delta delta delta delta delta…"; got != want {
		t.Errorf("snippet %q, want %q", got, want)
	}
	if got := Snippet(q.For("en"), strings.Repeat("rest ", 100), 10); got != "" {
		t.Errorf("no match, snippet %q", got)
	}
}

// BenchmarkHitSnippet is a hit whose summary lacks the query's words: its body, HTML, is
// made text and read up to its match (late in the body: the common case of a match in the
// body alone), in English and in Azerbaijani.
func BenchmarkHitSnippet(b *testing.B) {
	for _, c := range []struct{ locale, words, q string }{
		{"en", "Ombudsman human rights citizen complaint report meeting training women child labour. ", "pension reform"},
		{"az", "Ombudsman hüquq insan vətəndaş müraciət şikayət məruzə görüş təlim uşaq qadın ahıl. ", "pensiya islahatı"},
	} {
		body := "<p>" + strings.Repeat(c.words, 30) + "</p><p>" + c.q + " " + strings.Repeat(c.words, 3) + "</p>"
		q, err := Parse(c.q, false)
		if err != nil {
			b.Fatal(err)
		}
		mt := newMatcher(q.For(c.locale))
		b.Run(c.locale, func(b *testing.B) {
			for b.Loop() {
				if mt.hitSnippet("A summary without the words.", body) == "" {
					b.Fatal("no snippet")
				}
			}
		})
	}
}

// TestNFCSafe: every rune nfcSafe admits is in NFC alone, starts a new composition (nothing
// before it combines with it) and is not a combining mark, so a text of such runes is NFC
// as it is (Normalize skips norm for it); text with others is normalized.
func TestNFCSafe(t *testing.T) {
	checked := 0
	for r := rune(utf8.RuneSelf); r < 0x3000; r++ {
		if !nfcSafe(r) || !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		if !norm.NFC.IsNormalString(s) || !p.BoundaryBefore() || p.CCC() != 0 {
			t.Errorf("U+%04X %q: normal %v, boundary before %v, combining class %d", r, s, norm.NFC.IsNormalString(s), p.BoundaryBefore(), p.CCC())
		}
		checked++
	}
	if checked < 1000 {
		t.Fatalf("only %d runes checked", checked)
	}
	for _, c := range []struct{ in, want string }{
		{"Gələcək planları", "Gələcək planları"},
		{"Ge\u0301le", "Géle"},                  // a combining acute composes
		{"и\u0306од", "йод"},                    // Cyrillic short i, decomposed
		{"ə\u0308", norm.NFC.String("ə\u0308")}, // a mark after an az letter is left to norm
	} {
		if got := Normalize(c.in); got != c.want || !norm.NFC.IsNormalString(got) {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
