package auth

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MinAdminPasswordLen is the shortest password an admin may have.
const MinAdminPasswordLen = 12

//go:embed common-passwords.txt
var commonPasswordsTxt string

// commonPasswords is the bundled list as a set, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 10_000)
	for _, line := range strings.Split(commonPasswordsTxt, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = struct{}{}
		}
	}
	return set
})

// placeholderWords mark a value someone meant to replace.
var placeholderWords = []string{"changeme", "change-me", "change_me", "change me", "placeholder", "replace-me", "replaceme"}

// PasswordWeakness says why password is too weak for a user of role, or "" when it is
// acceptable: shorter than MinPasswordLen (MinAdminPasswordLen for admins), one of the
// 10,000 most common passwords (also once trailing digits and symbols are cut: Password1!
// is password), a placeholder, or one character repeated.
func PasswordWeakness(password string, role Role) string {
	n := utf8.RuneCountInString(password)
	switch {
	case role == RoleAdmin && n < MinAdminPasswordLen:
		return fmt.Sprintf("must be at least %d characters for an admin", MinAdminPasswordLen)
	case n < MinPasswordLen:
		return fmt.Sprintf("must be at least %d characters", MinPasswordLen)
	}
	lower := strings.ToLower(strings.TrimSpace(password))
	for _, w := range placeholderWords {
		if strings.Contains(lower, w) {
			return "is a placeholder; choose a real password"
		}
	}
	stem := strings.TrimRightFunc(lower, func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
	common := commonPasswords()
	if _, ok := common[lower]; ok {
		return "is one of the most common passwords"
	}
	if _, ok := common[stem]; ok && stem != "" {
		return "is one of the most common passwords with digits or symbols added"
	}
	if strings.Count(lower, lower[:1]) == len(lower) {
		return "repeats one character"
	}
	return ""
}
