package auth

import (
	"regexp"
	"strings"
	"testing"
)

// scannerPattern is what a secret scanner is told to look for.
var scannerPattern = regexp.MustCompile(`\bhrld_(pat|svc)_[0-9A-Za-z]{38}\b`)

func TestSecretFormat(t *testing.T) {
	seen := map[string]bool{}
	for _, prefix := range []string{PersonalPrefix, ServicePrefix} {
		for range 200 {
			s, err := newSecret(prefix)
			if err != nil {
				t.Fatal(err)
			}
			if !scannerPattern.MatchString("leaked: "+s+".") || !strings.HasPrefix(s, prefix) || !wellFormed(s) || !IsAPIToken(s) {
				t.Fatalf("secret %q", s)
			}
			if seen[s] {
				t.Fatalf("secret %q twice", s)
			}
			seen[s] = true
			// Any one changed character is caught by the checksum or the alphabet.
			for i := len(prefix); i < len(s); i += 7 {
				b := []byte(s)
				b[i] = base62[(strings.IndexByte(base62, b[i])+1)%len(base62)]
				if wellFormed(string(b)) {
					t.Fatalf("%q with position %d changed passes", s, i)
				}
			}
		}
	}
	for _, bad := range []string{"", "hrld_pat_", "hrld_xyz_" + strings.Repeat("0", 38), strings.Repeat("a", 47)} {
		if wellFormed(bad) {
			t.Errorf("%q is well-formed", bad)
		}
	}
}

func TestEffectiveRole(t *testing.T) {
	for _, c := range []struct {
		base  Role
		scope Scope
		want  Role
	}{
		{RoleAdmin, ScopeFull, RoleAdmin}, {RoleAdmin, ScopeContent, RoleEditor}, {RoleAdmin, ScopeRead, RoleAdmin},
		{RoleEditor, ScopeFull, RoleEditor}, {RoleEditor, ScopeContent, RoleEditor},
		{RoleAuthor, ScopeFull, RoleAuthor}, {RoleAuthor, ScopeContent, RoleAuthor},
	} {
		if got := effectiveRole(c.base, c.scope); got != c.want {
			t.Errorf("%s with %s: %s, want %s", c.base, c.scope, got, c.want)
		}
	}
}

// FuzzWellFormed: the check of untrusted bearer credentials never panics and accepts only
// what the scanner pattern matches.
func FuzzWellFormed(f *testing.F) {
	s, _ := newSecret(PersonalPrefix)
	for _, seed := range []string{s, "", "hrld_pat_", "hrld_svc_" + strings.Repeat("z", 38), "eyJhbGciOiJIUzI1NiJ9.e30.x", "hrld_pat_\x00\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if wellFormed(in) && !scannerPattern.MatchString(in) {
			t.Fatalf("%q accepted but not matched by the scanner pattern", in)
		}
	})
}
