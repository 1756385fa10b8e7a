package main

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestLogLevel serves with HERALD_LOG_LEVEL=info and =warn: at info every request has its
// line; at warn none has, while warnings (the generated JWT secret) are still written.
func TestLogLevel(t *testing.T) {
	for _, level := range []string{"info", "warn"} {
		t.Run(level, func(t *testing.T) {
			var logs syncBuf
			env := map[string]string{"HERALD_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "herald.db"), "HERALD_LOG_LEVEL": level}
			stop := serveLogging(t, env, &logs)
			for _, path := range []string{"/api/v1/articles", "/api/v1/articles/no-such-article", "/api/v1/search?q="} {
				resp, err := http.Get("http://" + env["HERALD_ADDR"] + path)
				if err != nil {
					t.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
			stop()
			out := logs.String()
			requests := strings.Count(out, "msg=request")
			if level == "info" && requests < 3 {
				t.Errorf("info: %d request lines, want one per request:\n%s", requests, out)
			}
			if level == "warn" && (requests != 0 || strings.Contains(out, "level=INFO")) {
				t.Errorf("warn: info records written:\n%s", out)
			}
			if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "HERALD_JWT_SECRET is not set") {
				t.Errorf("%s: the warning about the generated secret is missing:\n%s", level, out)
			}
		})
	}
}
