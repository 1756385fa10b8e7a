package config

import (
	"strings"
	"testing"
)

func TestPublicURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                                  "",
		"https://api.example.com":           "https://api.example.com",
		"https://api.example.com/":          "https://api.example.com",
		"http://127.0.0.1:8080":             "http://127.0.0.1:8080",
		"https://example.com/herald/":       "https://example.com/herald",
		" https://News.Example.com:8443/x ": "https://News.Example.com:8443/x",
	} {
		c, err := Load(env(map[string]string{"HERALD_PUBLIC_URL": in}))
		if err != nil || c.PublicURL != want {
			t.Errorf("HERALD_PUBLIC_URL=%q: %q, %v; want %q", in, c.PublicURL, err, want)
		}
	}
	for _, bad := range []string{"api.example.com", "ftp://example.com", "https://", "https://u:p@example.com",
		"https://example.com/?a=1", "https://example.com/#top", "/api"} {
		if _, err := Load(env(map[string]string{"HERALD_PUBLIC_URL": bad})); err == nil || !strings.Contains(err.Error(), "HERALD_PUBLIC_URL") {
			t.Errorf("HERALD_PUBLIC_URL=%q accepted (%v)", bad, err)
		}
	}
}
