package locale

import (
	"errors"
	"reflect"
	"testing"
)

func testSet() *Set {
	return NewSet([]string{"az", "en", "ru"}, "az", map[string][]string{"ru": {"en", "az"}, "en": {"az"}})
}

func TestChains(t *testing.T) {
	s := testSet()
	for loc, want := range map[string][]string{
		"ru": {"ru", "en", "az"},
		"en": {"en", "az", "ru"},
		"az": {"az", "en", "ru"},
	} {
		if got := s.Chain(loc); !reflect.DeepEqual(got, want) {
			t.Errorf("Chain(%s) = %v, want %v", loc, got, want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	s := testSet()
	cases := []struct {
		query, header, want string
		err                 error
	}{
		{"", "", "az", nil},
		{"en", "ru", "en", nil},
		{"EN", "", "en", nil},
		{"en_GB", "", "en", nil},
		{"xx", "", "", ErrUnsupported},
		{"", "ru,en;q=0.8", "ru", nil},
		{"", "en;q=0.5, ru;q=0.9", "ru", nil},
		{"", "de, en-US;q=0.7", "en", nil},
		{"", "de, fr", "az", nil},
		{"", "ru;q=0, en;q=0.1", "en", nil},
		{"", "*", "az", nil},
		{"", "ru;q=abc, en", "en", nil},
		{"", ";;;,,,", "az", nil},
	}
	for _, c := range cases {
		got, err := s.Negotiate(c.query, c.header)
		if !errors.Is(err, c.err) || got != c.want {
			t.Errorf("Negotiate(%q, %q) = %q, %v; want %q, %v", c.query, c.header, got, err, c.want, c.err)
		}
	}
}

func TestPick(t *testing.T) {
	s := testSet()
	have := map[string]bool{"en": true, "az": true}
	if got := s.Pick("ru", func(l string) bool { return have[l] }); got != "en" {
		t.Errorf("Pick(ru) = %q, want en", got)
	}
	if got := s.Pick("ru", func(string) bool { return false }); got != "" {
		t.Errorf("Pick with nothing = %q", got)
	}
}

// TestReaderChain: the reader's ranked Accept-Language comes before the configured chain
// (issue 12): ru,en asks for en before the default even where ru's chain goes to az first.
func TestReaderChain(t *testing.T) {
	s := NewSet([]string{"az", "en", "ru", "tr"}, "az", map[string][]string{"ru": {"az"}})
	for _, c := range []struct {
		header string
		ranked []string
		chain  []string
	}{
		{"ru,en;q=0.8", []string{"ru", "en"}, []string{"ru", "en", "az", "tr"}},
		{"en;q=0.5, ru;q=0.9, ru-RU", []string{"ru", "en"}, []string{"ru", "en", "az", "tr"}},
		{"de, tr;q=0.2, *;q=0.1", []string{"tr", "az"}, []string{"tr", "az", "en", "ru"}},
		{"de", nil, []string{"az", "en", "ru", "tr"}},
		{"", nil, []string{"az", "en", "ru", "tr"}},
	} {
		r := s.Ranked(c.header)
		if !reflect.DeepEqual(r, c.ranked) {
			t.Errorf("Ranked(%q) = %v, want %v", c.header, r, c.ranked)
		}
		if got := s.ReaderChain(r); !reflect.DeepEqual(got, c.chain) {
			t.Errorf("ReaderChain(%v) = %v, want %v", r, got, c.chain)
		}
	}
}
