package config

import (
	"fmt"
	"math"
	"net/url"
	"strings"
)

// exampleSecrets are values the repository's examples and docs have shipped (deployments/,
// README, docs/); a production server refuses every one of them, so a copied example never
// goes live. TestExampleSecretsAreRefused keeps the list complete.
var exampleSecrets = []string{
	"change-me-url-safe",
	"change-me-to-at-least-32-random-bytes-openssl-rand-base64-48",
	"change-me-too",
	"CHANGE-ME",
	"CHANGE-ME-at-least-32-random-bytes-openssl-rand-base64-48",
	"CHANGE-ME-openssl-rand-hex-24",
	"correct horse battery staple",
	"test-secret-0123456789abcdefghijklmnopqrstuvwxyz",
}

// placeholderWords mark a value someone meant to replace.
var placeholderWords = []string{"changeme", "change-me", "change_me", "change me", "replace", "placeholder",
	"example", "your-", "your_", "todo", "fixme", "xxxx", "dummy", "sample", "insecure", "secret-here"}

// estimatedBits is a crude strength estimate of a generated secret: its length times the
// Shannon entropy of its characters, with runs and ascending or descending sequences
// (aaaa, abcd, 1234) counted as one character. Random base64 of 48 bytes scores ≈ 350,
// 32 × "a" scores 0.
func estimatedBits(s string) float64 {
	if s == "" {
		return 0
	}
	b := []byte(s)
	counts := map[byte]int{}
	n := 0
	for i := range b {
		if i > 0 {
			if d := int(b[i]) - int(b[i-1]); d >= -1 && d <= 1 {
				continue // a run or a sequence adds nothing an attacker would not guess
			}
		}
		counts[b[i]]++
		n++
	}
	h := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		h -= p * math.Log2(p)
	}
	return h * float64(n)
}

// secretProblem says why value cannot be a production secret, or "" when it can.
func secretProblem(value string, minBits float64) string {
	lower := strings.ToLower(value)
	for _, e := range exampleSecrets {
		if strings.EqualFold(strings.TrimSpace(value), e) {
			return "is a value from the repository's examples"
		}
	}
	for _, w := range placeholderWords {
		if strings.Contains(lower, w) {
			return fmt.Sprintf("contains the placeholder %q", w)
		}
	}
	if minBits > 0 && estimatedBits(value) < minBits {
		return "has too little entropy (repeated or sequential characters)"
	}
	return ""
}

// generateHint is the command that makes a good secret.
const generateHint = "generate one with: openssl rand -base64 48"

// checkProductionSecrets refuses, in production, secrets copied from the examples, with
// placeholder words, or with too little entropy, naming the variable.
func (c *Config) checkProductionSecrets(getenv func(string) string) []error {
	if c.Env != Production {
		return nil
	}
	var errs []error
	check := func(name, value string, minBits float64) {
		if value == "" {
			return
		}
		if p := secretProblem(value, minBits); p != "" {
			errs = append(errs, fmt.Errorf("%s %s; %s", name, p, generateHint))
		}
	}
	check("HERALD_JWT_SECRET", string(c.JWTSecret), 128)
	check("HERALD_METRICS_TOKEN", c.MetricsToken, 64)
	check("HERALD_S3_SECRET_KEY", strings.TrimSpace(getenv("HERALD_S3_SECRET_KEY")), 64)
	for _, v := range []string{"HERALD_DATABASE_URL", "HERALD_DATABASE_REPLICA_URLS"} {
		for _, raw := range strings.Split(getenv(v), ",") {
			if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && u.User != nil {
				if pw, ok := u.User.Password(); ok {
					check(v+" (its password)", pw, 0)
				}
			}
		}
	}
	if pw := c.BootstrapAdminPassword; pw != "" {
		if p := secretProblem(pw, 0); p != "" {
			errs = append(errs, fmt.Errorf("HERALD_BOOTSTRAP_ADMIN_PASSWORD %s", p))
		}
	}
	return errs
}
