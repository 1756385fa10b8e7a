package locale

import (
	"bytes"
	"sort"
	"testing"
)

// TestTitleKeyAlphabets: titles order by each locale's alphabet, not by code point (which
// put Ç Ə İ Ö Ş Ü after Z in az and Ё before А in ru).
func TestTitleKeyAlphabets(t *testing.T) {
	for _, tc := range []struct {
		locale string
		want   []string
	}{
		{"az", []string{"Ağ", "Cavid", "Çay", "Eldar", "Əli", "Gəncə", "Ğ", "Hacı", "Xəzər", "Isgəndər", "İlham", "Orxan", "Ölkə", "Sumqayıt", "Şəki", "Uşaq", "Ümid", "Zəfər"}},
		{"ru", []string{"Арбуз", "Его", "Едок", "Ёлка", "Ель", "Жук", "Яблоко"}},
		{"en", []string{"Apple", "banana", "eclair", "éclair", "zebra"}},
		// Each locale's own script first, as ICU orders them (Node's Intl.Collator agrees):
		// a Russian list puts А–Я before Latin titles (a fallback's, or a name's), after
		// anything that starts with punctuation or a digit; az and en keep Latin first.
		{"ru", []string{"«Мои права»", "2021 год", "Арбуз", "Его", "Ёлка", "Ель", "Яблоко", "Beynəlxalq", "UNICEF"}},
		{"uk", []string{"Ґанок", "Їжак", "Apple", "Zeta"}},
		{"el", []string{"Άλφα", "Ωμέγα", "Beta", "Zeta"}},
		{"az", []string{"2021-ci il", "Ağ", "Zəfər", "Арбуз"}},
		{"en", []string{"Apple", "zebra", "Яблоко"}},
	} {
		got := append([]string(nil), tc.want...)
		sort.Slice(got, func(i, j int) bool { return got[i] > got[j] }) // scramble: reverse code-point order
		sort.SliceStable(got, func(i, j int) bool {
			return bytes.Compare(TitleKey(tc.locale, got[i]), TitleKey(tc.locale, got[j])) < 0
		})
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: got %q, want %q", tc.locale, got, tc.want)
				break
			}
		}
	}
}

func TestTitleKeyBoundsLength(t *testing.T) {
	long := ""
	for range 500 {
		long += "Ə"
	}
	if n := len(TitleKey("az", long)); n > 600 {
		t.Errorf("key of a 500-rune title is %d bytes", n)
	}
	if !bytes.Equal(TitleKey("az", long), TitleKey("az", long[:2*titleKeyRunes])) {
		t.Error("keys differ beyond the covered prefix")
	}
}
