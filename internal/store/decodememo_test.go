package store

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/content"
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

// TestSharedCardSlices: a list's articles share their card's domain slices, capped, so a
// caller that appends to one gets a copy and the next read of the same card is unchanged.
// (Changing an element in place would reach the card: public reads are read only.)
func TestSharedCardSlices(t *testing.T) {
	b := []byte(`{"translations":[{"locale":"en","title":"One","slug":"one"},{"locale":"ru","title":"Один","slug":"odin"}],` +
		`"tags":[{"id":"0196b0a4-0000-7000-8000-000000000001","locale":"en","name":"Ports","slug":"ports"},` +
		`{"id":"0196b0a4-0000-7000-8000-000000000002","locale":"en","name":"Rail","slug":"rail"},` +
		`{"id":"0196b0a4-0000-7000-8000-000000000003","locale":"en","name":"Roads","slug":"roads"}],"media":null}`)
	var first, second publicRow
	first.Article.Card, second.Article.Card = b, b
	a, err := first.article(readShape{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Translations) != 2 || cap(a.Translations) != 2 || len(a.Tags) != 3 || cap(a.Tags) != 3 || cap(a.TagIDs) != 3 {
		t.Fatalf("translations %d/%d, tags %d/%d", len(a.Translations), cap(a.Translations), len(a.Tags), cap(a.Tags))
	}
	a.Translations = append(a.Translations, content.Translation{Locale: "az", Title: "Bir"})
	a.Translations[0].Title = "changed on the copy"
	a.Tags = append(a.Tags, content.Tag{Translations: []content.TagTranslation{{Slug: "added"}}})
	a.Tags[0].UpdatedAt = time.Unix(1, 0) // on the copy
	again, err := second.article(readShape{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Translations[0].Title != "One" || len(again.Translations) != 2 || len(again.Tags) != 3 || !again.Tags[0].UpdatedAt.IsZero() {
		t.Fatalf("a caller's appends reached the shared card: %+v", again.Translations)
	}
}
