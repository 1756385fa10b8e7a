package config

import (
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DatabaseURL != "sqlite:./data/herald.db" || c.DefaultLocale != "az" || !c.DemoContent {
		t.Errorf("unexpected defaults: %+v", c)
	}
	if c.LogLevel != slog.LevelInfo {
		t.Errorf("LogLevel = %v, want info", c.LogLevel)
	}
	for v, want := range map[string]slog.Level{"debug": slog.LevelDebug, "WARN": slog.LevelWarn, " error ": slog.LevelError} {
		if c, err := Load(env(map[string]string{"HERALD_LOG_LEVEL": v})); err != nil || c.LogLevel != want {
			t.Errorf("HERALD_LOG_LEVEL=%q: %v, %v; want %v", v, c.LogLevel, err, want)
		}
	}
	if c.DatabaseMaxConns != 8 {
		t.Errorf("DatabaseMaxConns = %d, want 8", c.DatabaseMaxConns)
	}
	if c, err := Load(env(map[string]string{"HERALD_DATABASE_MAX_CONNS": " 1000 "})); err != nil || c.DatabaseMaxConns != 1000 {
		t.Errorf("HERALD_DATABASE_MAX_CONNS=1000: %d, %v", c.DatabaseMaxConns, err)
	}
	if !reflect.DeepEqual(c.Locales, []string{"az", "en", "ru"}) {
		t.Errorf("locales = %v", c.Locales)
	}
}

func TestFallback(t *testing.T) {
	c, err := Load(env(map[string]string{"HERALD_LOCALE_FALLBACK": "ru:en,az; en:az"}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"ru": {"en", "az"}, "en": {"az"}}
	if !reflect.DeepEqual(c.LocaleFallback, want) {
		t.Errorf("fallback = %v", c.LocaleFallback)
	}
}

func TestInvalid(t *testing.T) {
	cases := map[string]map[string]string{
		"HERALD_ENV":                {"HERALD_ENV": "staging"},
		"HERALD_DEFAULT_LOCALE":     {"HERALD_DEFAULT_LOCALE": "de"},
		"HERALD_LOCALES":            {"HERALD_LOCALES": "en,<script>"},
		"HERALD_LOCALE_FALLBACK":    {"HERALD_LOCALE_FALLBACK": "ru:de"},
		"HERALD_DATABASE_URL":       {"HERALD_DATABASE_URL": "mysql://x"},
		"HERALD_ADDR":               {"HERALD_ADDR": "8080"},
		"HERALD_DEMO_CONTENT":       {"HERALD_DEMO_CONTENT": "maybe"},
		"HERALD_DATABASE_MAX_CONNS": {"HERALD_DATABASE_MAX_CONNS": "0"},
	}
	for _, v := range []string{"verbose", "info+2", "warning", "3"} {
		if _, err := Load(env(map[string]string{"HERALD_LOG_LEVEL": v})); err == nil || !strings.Contains(err.Error(), "HERALD_LOG_LEVEL") {
			t.Errorf("HERALD_LOG_LEVEL=%s: error %v does not name the variable", v, err)
		}
	}
	for _, v := range []string{"-1", "1001", "lots", "8.5"} {
		if _, err := Load(env(map[string]string{"HERALD_DATABASE_MAX_CONNS": v})); err == nil || !strings.Contains(err.Error(), "HERALD_DATABASE_MAX_CONNS") {
			t.Errorf("HERALD_DATABASE_MAX_CONNS=%s: error %v does not name the variable", v, err)
		}
	}
	for name, m := range cases {
		_, err := Load(env(m))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v does not name the variable", name, err)
		}
	}
}

func TestMetricsToken(t *testing.T) {
	c, err := Load(env(map[string]string{"HERALD_METRICS_TOKEN": " 0123456789abcdef0123 "}))
	if err != nil || c.MetricsToken != "0123456789abcdef0123" {
		t.Fatalf("token %q, err %v", c.MetricsToken, err)
	}
	if _, err := Load(env(map[string]string{"HERALD_METRICS_TOKEN": "short"})); err == nil || !strings.Contains(err.Error(), "HERALD_METRICS_TOKEN") {
		t.Errorf("a short token: error %v does not name the variable", err)
	}
	if c, err := Load(env(nil)); err != nil || c.MetricsToken != "" {
		t.Errorf("default: token %q, err %v", c.MetricsToken, err)
	}
}

func TestReplicaURLs(t *testing.T) {
	pg := "postgres://u@db:5432/herald"
	c, err := Load(env(map[string]string{"HERALD_DATABASE_URL": pg, "HERALD_DATABASE_REPLICA_URLS": " postgres://u@r1/herald, ,postgresql://u@r2/herald "}))
	if err != nil || !reflect.DeepEqual(c.ReplicaURLs, []string{"postgres://u@r1/herald", "postgresql://u@r2/herald"}) {
		t.Fatalf("replicas %v, err %v", c.ReplicaURLs, err)
	}
	for name, m := range map[string]map[string]string{
		"sqlite replica": {"HERALD_DATABASE_URL": pg, "HERALD_DATABASE_REPLICA_URLS": "sqlite:./r.db"},
		"sqlite primary": {"HERALD_DATABASE_REPLICA_URLS": "postgres://u@r1/herald"},
	} {
		if _, err := Load(env(m)); err == nil || !strings.Contains(err.Error(), "HERALD_DATABASE_REPLICA_URLS") {
			t.Errorf("%s: error %v does not name the variable", name, err)
		}
	}
}

func TestMetricsAndDocsExposure(t *testing.T) {
	const prodSecret = "Jw7tQ2xLp9ZsR4vKd8NmB3yHc6GfA1uE5oT0iWq"
	cases := []struct {
		name            string
		env             map[string]string
		onMain, swagger bool
		metricsAddr     string
	}{
		{"development", nil, true, true, ""},
		{"production", map[string]string{"HERALD_ENV": "production"}, false, false, ""},
		{"production with a token", map[string]string{"HERALD_ENV": "production", "HERALD_METRICS_TOKEN": "9f8e7d6c5b4a39281706f5e4"}, true, false, ""},
		{"production with an address", map[string]string{"HERALD_ENV": "production", "HERALD_METRICS_ADDR": "127.0.0.1:9090", "HERALD_DOCS": "on"}, false, true, "127.0.0.1:9090"},
		{"development without UI", map[string]string{"HERALD_DOCS": "false", "HERALD_METRICS_ADDR": ":9090"}, false, false, ":9090"},
	}
	for _, tc := range cases {
		vars := map[string]string{}
		for k, v := range tc.env {
			vars[k] = v
		}
		if vars["HERALD_ENV"] == "production" {
			vars["HERALD_JWT_SECRET"] = prodSecret
		}
		c, err := Load(env(vars))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if c.MetricsOnMain() != tc.onMain || c.Access.SwaggerUI != tc.swagger || c.Access.MetricsAddr != tc.metricsAddr {
			t.Errorf("%s: metrics on main %v, Swagger UI %v, metrics addr %q; want %v, %v, %q", tc.name,
				c.MetricsOnMain(), c.Access.SwaggerUI, c.Access.MetricsAddr, tc.onMain, tc.swagger, tc.metricsAddr)
		}
	}
	for _, bad := range []map[string]string{{"HERALD_METRICS_ADDR": "9090"}, {"HERALD_METRICS_ADDR": ":8080"}, {"HERALD_DOCS": "maybe"},
		{"HERALD_AUTHORS_READ_ALL": "sometimes"}, {"HERALD_REFRESH_GRACE": "1h"}, {"HERALD_REFRESH_GRACE": "-1s"}} {
		for k := range bad {
			if _, err := Load(env(bad)); err == nil || !strings.Contains(err.Error(), k) {
				t.Errorf("%v: error %v does not name %s", bad, err, k)
			}
		}
	}
	c, err := Load(env(nil))
	if err != nil || c.Access.RefreshGrace != 30*time.Second || c.Access.AuthorsReadAll {
		t.Errorf("defaults: %+v %v", c.Access, err)
	}
}
