package config

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodSecret = "Hq3vX9tLw0bZ7rN2mK5pY8sD1fG4jC6eA0uI3oR7yT9+kWz"

func prod(extra map[string]string) map[string]string {
	m := map[string]string{"HERALD_ENV": "production", "HERALD_JWT_SECRET": goodSecret}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// TestPlaceholderSecretsRefusedInProduction is the attack of issue 11: production started
// with the JWT secret of the examples, 32 × "a", and the bootstrap password change-me-too.
// Each is refused with a message naming the variable; development is unaffected.
func TestPlaceholderSecretsRefusedInProduction(t *testing.T) {
	if _, err := Load(env(prod(nil))); err != nil {
		t.Fatalf("a random secret is refused: %v", err)
	}
	refused := map[string][]string{
		"HERALD_JWT_SECRET": append([]string{strings.Repeat("a", 32), "abcdefghijklmnopqrstuvwxyz0123456789",
			strings.Repeat("0123456789", 4), "my-jwt-key-CHANGEME-" + goodSecret, "example-" + goodSecret}, exampleSecrets...),
		"HERALD_METRICS_TOKEN":            {"CHANGE-ME-openssl-rand-hex-24", strings.Repeat("ab", 12), "0123456789abcdef"},
		"HERALD_S3_SECRET_KEY":            {"CHANGE-ME", "minio-secret-key-change-me"},
		"HERALD_BOOTSTRAP_ADMIN_PASSWORD": {"change-me-too", "CHANGE-ME", "placeholder-password-1"},
	}
	for name, values := range refused {
		for _, v := range values {
			m := prod(map[string]string{name: v})
			if name == "HERALD_BOOTSTRAP_ADMIN_PASSWORD" {
				m["HERALD_BOOTSTRAP_ADMIN_EMAIL"] = "admin@news.example"
			}
			_, err := Load(env(m))
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%s=%q in production: error %v, want one naming the variable", name, v, err)
			}
			if err != nil && strings.Contains(err.Error(), v) && len(v) > 8 {
				t.Errorf("%s: the error repeats the secret: %v", name, err)
			}
		}
	}
	_, err := Load(env(prod(map[string]string{"HERALD_DATABASE_URL": "postgres://herald:CHANGE-ME@db:5432/herald"})))
	if err == nil || !strings.Contains(err.Error(), "HERALD_DATABASE_URL") {
		t.Errorf("example database password accepted: %v", err)
	}
	// Development keeps working with anything long enough.
	if _, err := Load(env(map[string]string{"HERALD_JWT_SECRET": strings.Repeat("a", 32)})); err != nil {
		t.Errorf("development: %v", err)
	}
}

// TestExamplesAreUnusableAsIs reads the shipped example files: every secret in them is
// empty (so compose and Herald refuse to start until someone generates one), and any value
// that is not is refused in production.
func TestExamplesAreUnusableAsIs(t *testing.T) {
	root := filepath.Join("..", "..", "deployments")
	values := map[string]string{}
	f, err := os.Open(filepath.Join(root, "compose.env.example"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			values["compose "+k] = v
		}
	}
	raw, err := os.ReadFile(filepath.Join(root, "k8s", "secret.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		// stringData entries: two-space indented "KEY: value" (deploy-check parses the YAML).
		if k, v, ok := strings.Cut(strings.TrimPrefix(line, "  "), ": "); ok && strings.HasPrefix(line, "  HERALD_") {
			values["k8s "+k] = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	for _, k := range []string{"compose HERALD_JWT_SECRET", "compose POSTGRES_PASSWORD", "compose HERALD_BOOTSTRAP_ADMIN_PASSWORD",
		"compose HERALD_METRICS_TOKEN", "k8s HERALD_JWT_SECRET", "k8s HERALD_METRICS_TOKEN", "k8s HERALD_S3_SECRET_KEY", "k8s HERALD_DATABASE_URL"} {
		v, ok := values[k]
		if !ok {
			t.Errorf("%s is missing from the examples", k)
			continue
		}
		if v != "" {
			t.Errorf("%s = %q in the examples: leave it empty with the command that generates one", k, v)
		}
	}
}
