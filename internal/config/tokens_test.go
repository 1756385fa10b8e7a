package config

import (
	"strings"
	"testing"
	"time"
)

func TestAPITokenSettings(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := (APITokens{MaxTTL: 8760 * time.Hour, Rate: 20, Burst: 200, UsageFlush: 10 * time.Second}); c.APITokens != want {
		t.Errorf("defaults %+v, want %+v", c.APITokens, want)
	}
	c, err = Load(env(map[string]string{"HERALD_API_TOKEN_MAX_TTL": "720h", "HERALD_API_TOKEN_ALLOW_NO_EXPIRY": "true",
		"HERALD_API_TOKEN_RATE": "5", "HERALD_API_TOKEN_BURST": "10", "HERALD_API_TOKEN_USAGE_FLUSH": "1s"}))
	if err != nil {
		t.Fatal(err)
	}
	if want := (APITokens{MaxTTL: 720 * time.Hour, AllowNoExpiry: true, Rate: 5, Burst: 10, UsageFlush: time.Second}); c.APITokens != want {
		t.Errorf("set %+v, want %+v", c.APITokens, want)
	}
	for name, v := range map[string]string{
		"HERALD_API_TOKEN_MAX_TTL":         "59m",
		"HERALD_API_TOKEN_ALLOW_NO_EXPIRY": "sometimes",
		"HERALD_API_TOKEN_RATE":            "0",
		"HERALD_API_TOKEN_BURST":           "1000001",
		"HERALD_API_TOKEN_USAGE_FLUSH":     "2h",
	} {
		if _, err := Load(env(map[string]string{name: v})); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: error %v", name, v, err)
		}
	}
	if _, err := Load(env(map[string]string{"HERALD_API_TOKEN_MAX_TTL": "87601h"})); err == nil {
		t.Error("a maximum lifetime over 10 years accepted")
	}
}
