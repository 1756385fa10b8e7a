package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/testkit"
)

// TestSIGTERMDrainsInFlightRequests: a request whose body is still arriving when SIGTERM
// lands is finished and answered; meanwhile the listener is closed to new connections;
// then the process exits cleanly (read counts flushed, database closed).
func TestSIGTERMDrainsInFlightRequests(t *testing.T) {
	p := startHerald(t, buildHerald(t), testkit.URL(t, "sqlite"), "HERALD_JWT_SECRET="+strings.Repeat("d", 40),
		"HERALD_BOOTSTRAP_ADMIN_EMAIL=ops@example.com", "HERALD_BOOTSTRAP_ADMIN_PASSWORD=drain-test-password")
	addr := strings.TrimPrefix(p.base, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"email":"ops@example.com","password":"drain-test-password"}`
	half := len(body) / 2
	fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		addr, len(body), body[:half])
	time.Sleep(200 * time.Millisecond) // the server is now reading this request's body

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// New connections are refused once the listener closes, while the old one is served.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections 5 s after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := conn.Write([]byte(body[half:])); err != nil {
		t.Fatalf("finish the body: %v", err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the in-flight request got no answer: %v\n%s", err, p.stderr.String())
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the in-flight login answered %d, want 200", resp.StatusCode)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("herald exited with %v\n%s", err, p.stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("herald did not exit after draining\n%s", p.stderr.String())
	}
	if log := p.stderr.String(); !strings.Contains(log, "views: counter closed") || !strings.Contains(log, "stopped") {
		t.Errorf("no clean shutdown in the log:\n%s", log)
	}
}

// TestShutdownTimeoutBoundsTheDrain: a client that stalls in the middle of its request
// cannot hold the process past HERALD_SHUTDOWN_TIMEOUT; the read counts are still written
// and the exit says the drain was cut short.
func TestShutdownTimeoutBoundsTheDrain(t *testing.T) {
	p := startHerald(t, buildHerald(t), testkit.URL(t, "sqlite"), "HERALD_SHUTDOWN_TIMEOUT=1s")
	addr := strings.TrimPrefix(p.base, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":", addr)
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("exit took %v with HERALD_SHUTDOWN_TIMEOUT=1s", took)
		}
		if err == nil {
			t.Error("a cut-short drain exited 0")
		}
		t.Logf("exited %v after SIGTERM: %v", time.Since(start).Round(10*time.Millisecond), err)
	case <-time.After(10 * time.Second):
		t.Fatalf("a stalled client held the process 10 s past SIGTERM\n%s", p.stderr.String())
	}
	if log := p.stderr.String(); !strings.Contains(log, "views: counter closed") || strings.Contains(log, "read counts lost") {
		t.Errorf("read counts were not flushed after the cut-short drain:\n%s", log)
	}
}
