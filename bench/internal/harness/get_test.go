package harness

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestGetRetriesUnavailable: a 503 is asked again up to getAttempts times; past them it is
// the answer, an error.
func TestGetRetriesUnavailable(t *testing.T) {
	getRetryWait = time.Millisecond
	t.Cleanup(func() { getRetryWait = time.Second })
	for _, c := range []struct {
		unavailable int64
		wantErr     bool
	}{{0, false}, {getAttempts - 1, false}, {getAttempts, true}} {
		var calls atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) <= c.unavailable {
				http.Error(w, "retry shortly", http.StatusServiceUnavailable)
				return
			}
			_, _ = w.Write([]byte(`{"ok":true}`))
		}))
		var v struct{ OK bool }
		_, _, err := Get(srv.URL, &v)
		srv.Close()
		if c.wantErr != (err != nil) || !c.wantErr && !v.OK {
			t.Errorf("%d unavailable: %v, %+v", c.unavailable, err, v)
		}
		if c.wantErr && !strings.Contains(err.Error(), "503") {
			t.Errorf("%d unavailable: %v, want the 503", c.unavailable, err)
		}
		if want := min(c.unavailable+1, getAttempts); calls.Load() != want {
			t.Errorf("%d unavailable: %d requests, want %d", c.unavailable, calls.Load(), want)
		}
	}
}
