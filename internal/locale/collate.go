package locale

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// CollationVersion names the collation data TitleKey uses; stored keys made with another
// version must be rebuilt (see store.Content.EnsureTitleKeys).
const CollationVersion = "cldr/x-text-v0.44.0/2"

// titleKeyRunes bounds the title prefix a key covers: order beyond it is irrelevant to a
// reader and long keys would bloat the index (ties are broken by id).
const titleKeyRunes = 64

// ownScriptFirst are the scripts whose locales' CLDR collation sorts their own script before
// every other ([reorder Cyrl] in ru, uk, bg…, [reorder Grek] in el, and so on): a Russian
// list puts А–Я before a Latin title. Latin locales need nothing (Latin leads the root order).
var ownScriptFirst = map[string]*unicode.RangeTable{
	"Cyrl": unicode.Cyrillic, "Grek": unicode.Greek, "Arab": unicode.Arabic, "Hebr": unicode.Hebrew,
	"Geor": unicode.Georgian, "Armn": unicode.Armenian,
}

// collator is one locale's: a pool of x/text collators and the script it puts first.
type collator struct {
	pool sync.Pool
	own  *unicode.RangeTable // nil: no reordering
}

var collators sync.Map // language code → *collator

// TitleKey is the sort key of title in code's alphabet (Unicode CLDR collation: Ç after C
// and Ə after E in az, Ё with Е in ru, Cyrillic before Latin in ru). Keys compare bytewise
// (memcmp), so both databases order them alike with a plain index. Case and accents only
// break ties.
//
// x/text/collate does not reorder scripts (its collate.Reorder panics "TODO"), so for a
// locale of ownScriptFirst the key starts with a byte placing the title by its first rune:
// 0 for anything but a letter (punctuation and digits lead in CLDR too), 1 for a letter of
// the locale's script, 2 for another letter. Only the first rune is reordered: after a
// leading quote or digit, Latin still precedes Cyrillic, where ICU would reorder there too.
func TitleKey(code, title string) []byte {
	title = strings.TrimSpace(title)
	if utf8.RuneCountInString(title) > titleKeyRunes {
		n := 0
		for i := range title {
			if n == titleKeyRunes {
				title = title[:i]
				break
			}
			n++
		}
	}
	v, ok := collators.Load(code)
	if !ok {
		tag, err := language.Parse(code)
		if err != nil {
			tag = language.Und
		}
		c := &collator{pool: sync.Pool{New: func() any { return collate.New(tag) }}}
		if script, conf := tag.Script(); conf != language.No {
			c.own = ownScriptFirst[script.String()]
		}
		v, _ = collators.LoadOrStore(code, c)
	}
	lc := v.(*collator)
	c := lc.pool.Get().(*collate.Collator) // a Collator keeps buffers: one goroutine at a time
	defer lc.pool.Put(c)
	var buf collate.Buffer
	var key []byte
	if lc.own != nil {
		group := byte(0)
		if r, _ := utf8.DecodeRuneInString(title); unicode.IsLetter(r) {
			group = 2
			if unicode.Is(lc.own, r) {
				group = 1
			}
		}
		key = append(key, group)
	}
	return append(key, c.KeyFromString(&buf, title)...)
}
