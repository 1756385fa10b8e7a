package store

import (
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/heraldcms/herald/internal/content"
)

// decodeMemo remembers the decoded form of JSON values by their exact bytes, so the cards a
// list page shows are decoded once however many pages, locales and requests show them.
// Keyed by content, it is never stale: an edited card has other bytes. Decoding the 20 cards
// of a latest-20 page was 27 % of Herald's CPU per uncached request (PostgreSQL, 100,000
// articles, pprof under wrk); a hit costs a map lookup. Values are shared: callers read them
// and never modify them (nor append to their slices).
type decodeMemo[T any] struct {
	mu       sync.Mutex
	cur, old map[string]*T
	max      int
}

func newDecodeMemo[T any](max int) *decodeMemo[T] {
	return &decodeMemo[T]{cur: make(map[string]*T, max), max: max}
}

// get returns b decoded, from memory when these bytes were decoded recently. At most 2×max
// values are kept: when the current generation fills, it becomes the old one, whose values
// move back to the current generation when used again and are dropped otherwise.
func (m *decodeMemo[T]) get(b []byte, decode func([]byte, *T) error) (*T, error) {
	if len(b) > maxMemoBytes {
		v := new(T)
		return v, decode(b, v)
	}
	m.mu.Lock()
	v, ok := m.cur[string(b)]
	if !ok {
		if v, ok = m.old[string(b)]; ok {
			m.put(b, v)
		}
	}
	m.mu.Unlock()
	if ok {
		return v, nil
	}
	v = new(T)
	if err := decode(b, v); err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.put(b, v)
	m.mu.Unlock()
	return v, nil
}

func (m *decodeMemo[T]) put(b []byte, v *T) {
	if len(m.cur) >= m.max {
		m.old, m.cur = m.cur, make(map[string]*T, m.max)
	}
	m.cur[string(b)] = v
}

// maxMemoBytes bounds the values remembered (a card is about 2 KB): the memo holds at most
// 2 × 2,048 × 16 KiB of keys however large the cards an import brings.
const maxMemoBytes = 16 << 10

// cardMemo and termsMemo hold the decoded cards and category translations of public reads;
// translationsMemo the translations with bodies of single articles and lists with bodies
// (decoding a detail's was 2 % of its CPU; larger than maxMemoBytes, they are decoded each
// time).
var (
	cardMemo         = newDecodeMemo[publicCard](2048)
	termsMemo        = newDecodeMemo[publicCategory](256)
	translationsMemo = newDecodeMemo[[]content.Translation](256)
	// bodyMemo holds a detail's served body as a string: its copy out of the driver's
	// buffer was a tenth of an uncached detail's allocation.
	bodyMemo = newDecodeMemo[string](256)
)

func decodeTranslations(b []byte, v *[]content.Translation) error {
	var trs []translationJSON
	if err := decodeJSON(b, &trs); err != nil {
		return err
	}
	*v = translationsOf(trs)
	return nil
}

// publicCard is a card decoded and mapped to the domain once: list pages share its slices
// (capped, so an append copies), where copying them was a fifth of a page's allocation.
type publicCard struct {
	cardJSON
	translations []content.Translation // never nil
	tags         []content.Tag         // nil without tags, as TagIDs
	tagIDs       []uuid.UUID
}

func decodeCard(b []byte, v *publicCard) error {
	if err := decodeJSON(b, &v.cardJSON); err != nil {
		return err
	}
	v.translations = translationsOf(v.Translations)
	for _, t := range v.Tags {
		n := len(v.tags)
		if n == 0 || v.tags[n-1].ID != t.ID {
			v.tags = append(v.tags, content.Tag{ID: t.ID, UpdatedAt: time.Time(t.UpdatedAt)})
			v.tagIDs = append(v.tagIDs, t.ID)
			n++
		}
		v.tags[n-1].Translations = append(v.tags[n-1].Translations, content.TagTranslation{Locale: t.Locale, Name: t.Name, Slug: t.Slug})
	}
	return nil
}

// publicCategory is a category's translations as public reads aggregate them, and the
// category they make (nil without translations), shared by the articles that show it.
type publicCategory struct {
	category *content.Category
}

func decodeTerms(b []byte, v *publicCategory) error {
	var cts []termJSON
	if err := decodeJSON(b, &cts); err != nil || len(cts) == 0 {
		return err
	}
	c := &content.Category{ID: cts[0].ID, UpdatedAt: time.Time(cts[0].UpdatedAt), Translations: make([]content.CategoryTranslation, len(cts))}
	for i, t := range cts {
		c.Translations[i] = content.CategoryTranslation{Locale: t.Locale, Name: t.Name, Slug: t.Slug, Description: t.Description}
	}
	v.category = c
	return nil
}

// capped is s with its capacity cut to its length: appending to a shared slice copies it.
func capped[T any](s []T) []T { return s[:len(s):len(s)] }
