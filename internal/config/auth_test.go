package config

import (
	"strings"
	"testing"
	"time"
)

func TestAuthDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !c.JWTSecretGenerated || len(c.JWTSecret) < MinJWTSecretBytes {
		t.Errorf("development without a secret: generated=%v, %d bytes", c.JWTSecretGenerated, len(c.JWTSecret))
	}
	c2, _ := Load(env(nil))
	if string(c.JWTSecret) == string(c2.JWTSecret) {
		t.Error("two processes got the same generated secret")
	}
	if c.AccessTokenTTL != 15*time.Minute || c.RefreshTokenTTL != 720*time.Hour {
		t.Errorf("TTLs %s %s", c.AccessTokenTTL, c.RefreshTokenTTL)
	}
}

func TestProductionNeedsAStrongSecret(t *testing.T) {
	for name, secret := range map[string]string{"missing": "", "short": strings.Repeat("s", 31), "one letter": strings.Repeat("s", 32)} {
		_, err := Load(env(map[string]string{"HERALD_ENV": "production", "HERALD_JWT_SECRET": secret}))
		if err == nil || !strings.Contains(err.Error(), "HERALD_JWT_SECRET") {
			t.Errorf("%s secret in production: %v", name, err)
		}
	}
	secret := "q8Vd2LxN7mZr4TfB1sKw9HjC6yPa3UeG"
	c, err := Load(env(map[string]string{"HERALD_ENV": "production", "HERALD_JWT_SECRET": secret}))
	if err != nil || string(c.JWTSecret) != secret || c.JWTSecretGenerated {
		t.Fatalf("32-byte secret: %v", err)
	}
	// A short secret is refused in development too: only an absent one is generated.
	if _, err := Load(env(map[string]string{"HERALD_JWT_SECRET": "short"})); err == nil {
		t.Error("short secret accepted in development")
	}
}

func TestAuthInvalid(t *testing.T) {
	for name, m := range map[string]map[string]string{
		"HERALD_ACCESS_TOKEN_TTL":         {"HERALD_ACCESS_TOKEN_TTL": "forever"},
		"HERALD_REFRESH_TOKEN_TTL":        {"HERALD_REFRESH_TOKEN_TTL": "-1h"},
		"must not be shorter":             {"HERALD_ACCESS_TOKEN_TTL": "2h", "HERALD_REFRESH_TOKEN_TTL": "1h"},
		"HERALD_BOOTSTRAP_ADMIN_PASSWORD": {"HERALD_BOOTSTRAP_ADMIN_EMAIL": "root@example.com"},
	} {
		if _, err := Load(env(m)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%v: error %v, want mention of %s", m, err, name)
		}
	}
}
