package bidi

import "testing"

func TestStrip(t *testing.T) {
	for in, want := range map[string]string{
		"invoice\u202Efdp.exe":         "invoicefdp.exe",
		"\u202Aa\u202Bb\u202Cc\u202Dd": "abcd",
		"\u2066x\u2067y\u2068z\u2069":  "xyz",
		"Xəbərlər":                     "Xəbərlər",
		"مرحبا\u200F world":            "مرحبا\u200F world",
		"":                             "",
	} {
		if got := Strip(in); got != want {
			t.Errorf("Strip(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzStrip(f *testing.F) {
	f.Add("invoice\u202Efdp.exe")
	f.Fuzz(func(t *testing.T, s string) {
		out := Strip(s)
		for _, r := range out {
			if IsControl(r) {
				t.Fatalf("%q kept %U", out, r)
			}
		}
		if Strip(out) != out {
			t.Fatal("not idempotent")
		}
	})
}
