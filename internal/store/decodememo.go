package store

import "sync"

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

// cardMemo and termsMemo hold the decoded cards and category translations of public reads.
var (
	cardMemo  = newDecodeMemo[cardJSON](2048)
	termsMemo = newDecodeMemo[[]termJSON](256)
)

func decodeCard(b []byte, v *cardJSON) error { return decodeJSON(b, v) }

func decodeTerms(b []byte, v *[]termJSON) error { return decodeJSON(b, v) }
