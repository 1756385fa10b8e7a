// Command loginrss measures the peak resident memory of a herald process under a flood of
// parallel logins (the memory-exhaustion attack of issue 11): it starts the binary on a
// temporary SQLite file in production mode, fires N concurrent logins with wrong passwords,
// each with its own X-Forwarded-For, and reads VmHWM from /proc. With -trust the loopback
// proxy is trusted (HERALD_TRUSTED_PROXIES), so every request counts as a different client,
// as a botnet behind a real proxy would.
//
//	go build -o bin/herald ./cmd/herald && go run ./bench/loginrss -herald bin/herald -n 30,60
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	bin := flag.String("herald", "bin/herald", "herald binary")
	ns := flag.String("n", "30,60", "parallel logins per run, comma-separated")
	trust := flag.Bool("trust", false, "trust X-Forwarded-For from loopback (each request a different client)")
	flag.Parse()
	fmt.Printf("%-6s %-10s %-10s %-10s %s\n", "logins", "idle", "peak", "elapsed", "statuses")
	for _, s := range strings.Split(*ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fail(fmt.Errorf("bad -n %q", s))
		}
		if err := runOnce(*bin, n, *trust); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "loginrss:", err)
	os.Exit(1)
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func runOnce(bin string, n int, trust bool) error {
	dir, err := os.MkdirTemp("", "loginrss")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "HERALD_ENV=production", "HERALD_ADDR="+addr,
		"HERALD_DATABASE_URL=sqlite:"+filepath.Join(dir, "h.db"), "HERALD_MEDIA_DIR="+filepath.Join(dir, "media"),
		"HERALD_JWT_SECRET="+randHex(32), "HERALD_METRICS_TOKEN="+randHex(16),
		"HERALD_BOOTSTRAP_ADMIN_EMAIL=ops@news.example", "HERALD_BOOTSTRAP_ADMIN_PASSWORD=Qv7-"+randHex(12))
	if trust {
		cmd.Env = append(cmd.Env, "HERALD_TRUSTED_PROXIES=127.0.0.1/32")
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		r, err := http.Get(base + "/readyz")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("herald did not become ready: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	idle := status(cmd.Process.Pid, "VmRSS")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}, Timeout: 120 * time.Second}
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			body := fmt.Sprintf(`{"email":"user%d@news.example","password":"wrong password %d"}`, i, i)
			if i%2 == 0 {
				body = fmt.Sprintf(`{"email":"ops@news.example","password":"wrong password %d"}`, i)
			}
			req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/auth/login", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.%d.%d", i/250, i%250+1))
			code := 0
			if r, err := client.Do(req); err == nil {
				code = r.StatusCode
				r.Body.Close()
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}(i)
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(t0)
	peak := status(cmd.Process.Pid, "VmHWM")
	var keys []int
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d×%d", codes[k], k))
	}
	fmt.Printf("%-6d %-10s %-10s %-10s %s\n", n, mib(idle), mib(peak), elapsed.Round(time.Millisecond), strings.Join(parts, " "))
	return nil
}

// status reads a kB field of /proc/PID/status.
func status(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return -1
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
