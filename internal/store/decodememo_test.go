package store

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestDecodeMemo: the same bytes decode once, other bytes (an edited card) decode anew, at
// most 2×max values are kept, oversized values are never kept, and concurrent readers agree.
func TestDecodeMemo(t *testing.T) {
	decodes := 0
	var mu sync.Mutex
	decode := func(b []byte, v *cardJSON) error {
		mu.Lock()
		decodes++
		mu.Unlock()
		return decodeJSON(b, v)
	}
	m := newDecodeMemo[cardJSON](4)
	card := func(title string) []byte {
		return []byte(`{"translations":[{"locale":"en","title":"` + title + `"}],"tags":[],"media":null}`)
	}
	a1, err := m.get(card("one"), decode)
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := m.get(card("one"), decode)
	if a1 != a2 || decodes != 1 {
		t.Fatalf("the same bytes decoded %d times", decodes)
	}
	b, _ := m.get(card("two"), decode)
	if b.Translations[0].Title != "two" || decodes != 2 {
		t.Fatalf("edited card: %+v after %d decodes", b, decodes)
	}
	if _, err := m.get([]byte(`{"translations":`), decode); err == nil {
		t.Fatal("broken JSON decoded")
	}
	for i := 0; i < 20; i++ {
		_, _ = m.get(card(fmt.Sprint(i)), decode)
	}
	if n := len(m.cur) + len(m.old); n > 8 {
		t.Fatalf("%d values kept, want at most 8", n)
	}
	big := card(strings.Repeat("x", maxMemoBytes))
	_, _ = m.get(big, decode)
	if _, ok := m.cur[string(big)]; ok {
		t.Fatal("an oversized value was kept")
	}

	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				title := fmt.Sprint(i % 7)
				v, err := m.get(card(title), decode)
				if err != nil || v.Translations[0].Title != title {
					t.Errorf("concurrent get %q: %+v %v", title, v, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
