// Package bidi removes Unicode's explicit bidirectional formatting characters (embeddings,
// overrides and isolates, U+202A–U+202E and U+2066–U+2069) from short texts people see as
// labels: titles, names, file names. Inside such a label they only serve to make it read
// other than it is ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf"); the implicit marks
// (LRM, RLM, ALM) are kept, as right-to-left text needs them.
package bidi

import "strings"

// IsControl reports whether r is an explicit bidirectional formatting character.
func IsControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

// Strip returns s without explicit bidirectional formatting characters.
func Strip(s string) string {
	if !strings.ContainsFunc(s, IsControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsControl(r) {
			return -1
		}
		return r
	}, s)
}
