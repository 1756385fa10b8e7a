package locale

import (
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// CollationVersion names the collation data TitleKey uses; stored keys made with another
// version must be rebuilt (see store.Content.EnsureTitleKeys).
const CollationVersion = "cldr/x-text-v0.44.0/1"

// titleKeyRunes bounds the title prefix a key covers: order beyond it is irrelevant to a
// reader and long keys would bloat the index (ties are broken by id).
const titleKeyRunes = 64

var collators sync.Map // language code → *sync.Pool of *collate.Collator

// TitleKey is the sort key of title in code's alphabet (Unicode CLDR collation: Ç after C
// and Ə after E in az, Ё with Е in ru). Keys compare bytewise (memcmp), so both databases
// order them alike with a plain index. Case and accents only break ties.
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
	p, ok := collators.Load(code)
	if !ok {
		tag, err := language.Parse(code)
		if err != nil {
			tag = language.Und
		}
		p, _ = collators.LoadOrStore(code, &sync.Pool{New: func() any { return collate.New(tag) }})
	}
	pool := p.(*sync.Pool)
	c := pool.Get().(*collate.Collator) // a Collator keeps buffers: one goroutine at a time
	defer pool.Put(c)
	var buf collate.Buffer
	return append([]byte(nil), c.KeyFromString(&buf, title)...)
}
