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
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/heraldcms/herald/bench/internal/harness"
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

func runOnce(bin string, n int, trust bool) error {
	dir, err := os.MkdirTemp("", "loginrss")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	env := []string{"HERALD_ENV=production",
		"HERALD_DATABASE_URL=sqlite:" + filepath.Join(dir, "h.db"), "HERALD_MEDIA_DIR=" + filepath.Join(dir, "media"),
		"HERALD_JWT_SECRET=" + harness.RandomSecret(), "HERALD_METRICS_TOKEN=" + harness.RandomHex(16),
		"HERALD_BOOTSTRAP_ADMIN_EMAIL=ops@news.example", "HERALD_BOOTSTRAP_ADMIN_PASSWORD=Qv7-" + harness.RandomHex(12)}
	if trust {
		env = append(env, "HERALD_TRUSTED_PROXIES=127.0.0.1/32")
	}
	var stderr bytes.Buffer
	p, err := harness.Start(harness.Server{Bin: bin, Args: []string{"serve"}, Env: env, Herald: true, Stderr: &stderr, Ready: 20 * time.Second})
	if err != nil {
		return fmt.Errorf("%w: %s", err, stderr.String())
	}
	defer p.Kill()
	base := p.Base
	time.Sleep(300 * time.Millisecond)
	idle := p.StatusMB("VmRSS")
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
	peak := p.StatusMB("VmHWM")
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

func mib(mb float64) string { return fmt.Sprintf("%.0f MiB", mb) }
