package content

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxSlugLen bounds slug length; generated slugs are cut at a word boundary.
const MaxSlugLen = 80

// slugPattern is what a valid slug looks like: lower-case ASCII words joined by hyphens.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// translit maps the lower-case letters a plain Latin fold gets wrong or drops. Common slug
// libraries drop ə (it has no decomposition), so "gələcək əməkdaşlıq" became
// "g-l-c-k-m-kdasliq"; Azerbaijani and Russian Cyrillic are mapped explicitly here.
var translit = map[rune]string{
	// Azerbaijani (and Turkish) letters.
	'ə': "e", 'ı': "i", 'ğ': "g", 'ş': "sh", 'ç': "ch", 'ö': "o", 'ü': "u",
	// Other Latin letters without a decomposition.
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ł': "l", 'þ': "th",
	// Russian.
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ы': "y", 'э': "e", 'ю': "yu", 'я': "ya",
	// Ukrainian and Kazakh letters seen in Russian-language news.
	'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ә': "a", 'ө': "o", 'ү': "u", 'ұ': "u", 'қ': "q", 'ң': "n", 'һ': "h",
}

// Slugify turns an Azerbaijani, English or Russian title into a lower-case ASCII slug of
// words joined by hyphens. Apostrophes and the Russian hard and soft signs are dropped
// ("Children's" → "childrens", "объявление" → "obyavlenie"); other accented Latin letters
// lose their accents ("café" → "cafe"); anything else separates words.
func Slugify(s string) string {
	var sb strings.Builder
	sep := false
	word := func(w string) {
		if sep && sb.Len() > 0 {
			sb.WriteByte('-')
		}
		sep = false
		sb.WriteString(w)
	}
	for _, r := range s {
		if r == 'İ' { // unicode.ToLower keeps the dot as a combining mark in some inputs
			r = 'i'
		}
		r = unicode.ToLower(r)
		switch {
		case r == '\'' || r == '’' || r == 'ʼ' || r == 'ъ' || r == 'ь' || unicode.Is(unicode.Mn, r):
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			word(string(r))
		case translit[r] != "":
			word(translit[r])
		default:
			if f := foldLatin(r); f != "" {
				word(f)
			} else {
				sep = true
			}
		}
	}
	out := sb.String()
	if len(out) > MaxSlugLen {
		out = out[:MaxSlugLen]
		if i := strings.LastIndexByte(out, '-'); i > 0 {
			out = out[:i]
		}
		out = strings.Trim(out, "-")
	}
	return out
}

// foldLatin strips the accents of a Latin letter ("é" → "e"), or returns "".
func foldLatin(r rune) string {
	if !unicode.Is(unicode.Latin, r) {
		return ""
	}
	var sb strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		if d >= 'a' && d <= 'z' {
			sb.WriteRune(d)
		}
	}
	return sb.String()
}

// maxSlugInput bounds a slug an editor types; generated ones stay within MaxSlugLen plus a
// numeric suffix.
const maxSlugInput = 120

// ValidSlug reports whether s is an acceptable slug.
func ValidSlug(s string) bool {
	return len(s) <= maxSlugInput && slugPattern.MatchString(s)
}

// uniqueSlug returns base, or base-2, base-3… — the first not in taken.
func uniqueSlug(base string, taken []string) string {
	used := make(map[string]bool, len(taken))
	for _, t := range taken {
		used[t] = true
	}
	if !used[base] {
		return base
	}
	for i := 2; ; i++ {
		s := fmt.Sprintf("%s-%d", base, i)
		if !used[s] {
			return s
		}
	}
}

// ReadingMinutes is ceil(words/200) of the text of an HTML body: at least 1 when the body
// has any words, 0 when it has none.
func ReadingMinutes(body string) int {
	words := len(strings.Fields(stripTags(body)))
	return (words + 199) / 200
}

// stripTags replaces every tag with a space.
func stripTags(s string) string {
	var sb strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
			sb.WriteByte(' ')
		case r == '>' && in:
			in = false
		case !in:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
