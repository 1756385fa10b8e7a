//go:build pprof

package main

import (
	"net/http"
	_ "net/http/pprof" // profiling endpoints, only in binaries built with -tags pprof
	"os"
)

// A binary built with -tags pprof serves net/http/pprof on $PPROF_ADDR (for profiling a
// running server under load, e.g. `make bench-read`); release builds leave it out.
func init() {
	if addr := os.Getenv("PPROF_ADDR"); addr != "" {
		go func() { _ = http.ListenAndServe(addr, nil) }()
	}
}
