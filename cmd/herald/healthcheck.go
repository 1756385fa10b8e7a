package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// healthcheck asks the local server's /readyz (or the URL given) and fails unless it
// answers 200. Container images without a shell or curl use it as their health check:
// HEALTHCHECK CMD ["/herald", "healthcheck"].
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var target string
	switch len(args) {
	case 0:
		addr := strings.TrimSpace(getenv("HERALD_ADDR"))
		if addr == "" {
			addr = ":8080"
		}
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return fmt.Errorf("HERALD_ADDR=%q: %w", addr, err)
		}
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "127.0.0.1"
		}
		target = "http://" + net.JoinHostPort(host, port) + "/readyz"
	case 1:
		target = args[0]
	default:
		return errors.New("usage: herald healthcheck [URL]")
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", target, resp.Status)
	}
	fmt.Fprintf(stdout, "%s: ok\n", target)
	return nil
}
