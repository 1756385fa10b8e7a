package api

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzFoldKey: duplicate keys are found by folding each key to one representative; two
// keys collide exactly when encoding/json would match them to the same field (Unicode
// simple case folding, strings.EqualFold).
func FuzzFoldKey(f *testing.F) {
	for _, s := range [][2]string{{"role", "Role"}, {"role", "ROLE"}, {"k", "\u212a"}, {"s", "\u017f"}, {"ǅ", "ǆ"}, {"a", "b"}, {"", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			return
		}
		if got, want := foldKey(a) == foldKey(b), strings.EqualFold(a, b); got != want {
			t.Fatalf("foldKey(%q)==foldKey(%q) is %v, EqualFold %v", a, b, got, want)
		}
	})
}

// FuzzDuplicateKey: any bytes, valid JSON or not, are scanned without panicking, and a key
// reported as duplicated is a key path of the document.
func FuzzDuplicateKey(f *testing.F) {
	for _, s := range []string{`{"role":"author","role":"admin"}`, `{"a":{"b":[{"c":1,"C":2}]}}`, `[{"x":1},{"x":1}]`, `{"a":`, `"x"`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		key := duplicateKey(raw)
		if key == "" {
			return
		}
		last := key[strings.LastIndexAny(key, ".]")+1:]
		if !strings.Contains(string(raw), last) && !strings.Contains(string(raw), `\`) {
			t.Fatalf("reported key %q is not in %q", key, raw)
		}
	})
}
