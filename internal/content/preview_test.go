package content

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestPreviewTokens: a token verifies with its key only, carries its id and expiry (to the
// second), and any change to it fails.
func TestPreviewTokens(t *testing.T) {
	key, other := PreviewKey([]byte("one secret")), PreviewKey([]byte("another secret"))
	id := uuid.Must(uuid.NewV7())
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tok, err := signPreview(key, id, exp)
	if err != nil {
		t.Fatal(err)
	}
	gotID, gotExp, ok := verifyPreview(key, tok)
	if !ok || gotID != id || !gotExp.Equal(exp) {
		t.Fatalf("verify = %v %v %v", gotID, gotExp, ok)
	}
	if again, _ := signPreview(key, id, exp); again == tok {
		t.Error("two tokens for one link are equal: the nonce is missing")
	}
	if _, _, ok := verifyPreview(other, tok); ok {
		t.Error("a token verified with another key")
	}
	for i := len(previewPrefix); i < len(tok); i++ {
		b := []byte(tok)
		if b[i] == '.' {
			continue
		}
		b[i] ^= 0x01
		if _, _, ok := verifyPreview(key, string(b)); ok {
			t.Errorf("changed byte %d still verifies", i)
		}
	}
	for _, nl := range []string{"\n", "\r", "\r\n"} {
		for _, at := range []int{len(previewPrefix) + 3, len(tok) - 3} {
			if _, _, ok := verifyPreview(key, tok[:at]+nl+tok[at:]); ok {
				t.Errorf("the token with %q at %d verifies: the decoder skipped it", nl, at)
			}
		}
	}
	if _, _, ok := verifyPreview(key, tok+strings.Repeat("A", MaxPreviewTokenLen)); ok {
		t.Error("an overlong token verified")
	}
}

// FuzzVerifyPreview: no input panics or verifies without the key's signature.
func FuzzVerifyPreview(f *testing.F) {
	// A fixed token: fuzz workers run this function again in other processes.
	key := PreviewKey([]byte("fuzz"))
	payload := []byte("0123456789abcdef\x00\x00\x00\x00\x70\x00\x00\x00nonce-nonce-nonc")
	enc := base64.RawURLEncoding
	tok := previewPrefix + enc.EncodeToString(payload) + "." + enc.EncodeToString(previewMAC(key, payload))
	for _, s := range []string{tok, "", "hpv1.", "hpv1..", "hpv1.a.b", tok + "=", strings.Repeat("A", 300),
		tok[:20] + "\n" + tok[20:], tok[:len(tok)-5] + "\r\n" + tok[len(tok)-5:]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, _, ok := verifyPreview(key, s)
		if ok && s != tok {
			t.Fatalf("%q verified as %s", s, id)
		}
	})
}
