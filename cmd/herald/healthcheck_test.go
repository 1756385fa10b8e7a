package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer ts.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.URL, "http://"))
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	ctx := context.Background()
	var out bytes.Buffer
	for _, addr := range []string{":" + port, "0.0.0.0:" + port, "127.0.0.1:" + port} {
		if err := run(ctx, []string{"healthcheck"}, env(map[string]string{"HERALD_ADDR": addr}), &out, &out); err != nil {
			t.Errorf("HERALD_ADDR=%s: %v", addr, err)
		}
	}
	if err := run(ctx, []string{"healthcheck", ts.URL + "/readyz"}, env(nil), &out, &out); err != nil {
		t.Errorf("explicit URL: %v", err)
	}
	status = http.StatusServiceUnavailable
	if err := run(ctx, []string{"healthcheck", ts.URL + "/readyz"}, env(nil), &out, &out); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("a 503 passed the health check: %v", err)
	}
	ts.Close()
	if err := run(ctx, []string{"healthcheck"}, env(map[string]string{"HERALD_ADDR": ":" + port}), &out, &out); err == nil {
		t.Error("a closed port passed the health check")
	}
}
