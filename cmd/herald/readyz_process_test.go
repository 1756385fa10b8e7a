package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/testkit"
)

// flakyLink is a TCP proxy to the database that can be cut and restored, standing in for a
// database restart or a network partition.
type flakyLink struct {
	t      *testing.T
	addr   string // where clients connect
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func newFlakyLink(t *testing.T, target string) *flakyLink {
	l := &flakyLink{t: t, addr: viewsFreeAddr(t), target: target, conns: map[net.Conn]bool{}}
	l.up()
	t.Cleanup(l.down)
	return l
}

// up listens again on the same address and forwards every connection.
func (l *flakyLink) up() {
	l.t.Helper()
	ln, err := net.Listen("tcp", l.addr)
	if err != nil {
		l.t.Fatal(err)
	}
	l.mu.Lock()
	l.ln = ln
	l.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			d, err := net.Dial("tcp", l.target)
			if err != nil {
				c.Close()
				continue
			}
			l.mu.Lock()
			l.conns[c], l.conns[d] = true, true
			l.mu.Unlock()
			go func() { _, _ = io.Copy(d, c); d.Close() }()
			go func() { _, _ = io.Copy(c, d); c.Close() }()
		}
	}()
}

// down refuses new connections and breaks the open ones.
func (l *flakyLink) down() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln != nil {
		l.ln.Close()
		l.ln = nil
	}
	for c := range l.conns {
		c.Close()
		delete(l.conns, c)
	}
}

// TestReadyzFollowsTheDatabase: /readyz answers 503 while the database is unreachable and
// 200 again once it is back, and the same process serves content again without a restart.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	dbURL := testkit.URL(t, "postgres")
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	link := newFlakyLink(t, u.Host)
	u.Host = link.addr
	addr := viewsFreeAddr(t)
	env := map[string]string{"HERALD_DATABASE_URL": u.String(), "HERALD_ADDR": addr, "HERALD_CACHE_BYTES": "0"}
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuf{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, envOf(env), io.Discard, logs) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v\n%s", err, logs.String())
		}
	}()
	waitReady(t, addr)
	status := func(path string) int {
		c := http.Client{Timeout: 5 * time.Second}
		resp, err := c.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	until := func(path string, want int, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			got := status(path)
			if got == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("GET %s: %d after %v, want %d\n%s", path, got, within, want, logs.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	for round := range 2 { // it recovers more than once
		link.down()
		until("/readyz", http.StatusServiceUnavailable, 10*time.Second)
		if got := status("/healthz"); got != http.StatusOK {
			t.Fatalf("round %d: /healthz %d while the database is away: liveness must not restart the process", round, got)
		}
		link.up()
		until("/readyz", http.StatusOK, 10*time.Second)
		until("/api/v1/articles?locale=en", http.StatusOK, 5*time.Second)
	}
	if !strings.Contains(logs.String(), "not ready") {
		t.Errorf("the outage was not logged:\n%s", logs.String())
	}
}
