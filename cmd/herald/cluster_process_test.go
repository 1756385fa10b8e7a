package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/demo"
	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// startNginx runs nginx (the Debian package) in the foreground as a round-robin load
// balancer over procs and returns its base URL. Without nginx the test is skipped, or
// fails under CI=true (.ci/run installs it).
func startNginx(t *testing.T, procs []*heraldProc) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx"
		if _, err := os.Stat(bin); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("nginx is not installed (apt-get install nginx)")
			}
			t.Skip("nginx is not installed (apt-get install nginx)")
		}
	}
	dir := t.TempDir()
	addr := viewsFreeAddr(t)
	var upstream strings.Builder
	for _, p := range procs {
		fmt.Fprintf(&upstream, "    server %s max_fails=1 fail_timeout=2s;\n", strings.TrimPrefix(p.base, "http://"))
	}
	conf := fmt.Sprintf(`daemon off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  upstream herald {
%[2]s    keepalive 16;
  }
  server {
    listen %[3]s;
    location / {
      proxy_pass http://herald;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Request-ID $request_id;
      # Retries only for requests that never reached an instance; nginx never resends a
      # POST that one may have acted on.
      proxy_next_upstream error timeout;
    }
  }
}
`, dir, upstream.String(), addr)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-p", dir, "-c", confPath, "-e", filepath.Join(dir, "error.log"))
	var out syncBuf
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		select {
		case <-done:
			errLog, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx exited: %s%s", out.String(), errLog)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("nginx did not answer on %s: %s", addr, out.String())
	return ""
}

// call sends a JSON request and decodes a JSON answer into into (when not nil).
func call(t *testing.T, method, url, token string, body, into any, headers ...string) *http.Response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if into != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatalf("%s %s: decode %v: %s", method, url, err, b)
		}
	}
	return resp
}

// eventually retries check every 50 ms for up to d.
func eventually(t *testing.T, d time.Duration, what string, check func() (ok bool, state string)) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ok, state := check()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not so after %v (%s)", what, d, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestClusterBehindNginx runs three herald processes on one PostgreSQL behind nginx as the
// load balancer and checks what several instances must keep true: reads counted through
// any instance add up exactly, a write through one is seen through all (their caches are
// emptied by NOTIFY), a scheduled article appears everywhere at its time, and killing an
// instance in the middle of writes loses none that was acknowledged.
func TestClusterBehindNginx(t *testing.T) {
	dbURL := testkit.URL(t, "postgres")
	herald := buildHerald(t)
	env := []string{"HERALD_CACHE_MAX_AGE=1h", "HERALD_VIEWS_FLUSH_INTERVAL=50ms", "HERALD_JWT_SECRET=" + strings.Repeat("c", 40),
		"HERALD_BOOTSTRAP_ADMIN_EMAIL=ops@example.com", "HERALD_BOOTSTRAP_ADMIN_PASSWORD=cluster-test-password"}
	var procs []*heraldProc
	for range 3 { // one after another: the first migrates and loads the demo
		procs = append(procs, startHerald(t, herald, dbURL, env...))
	}
	lb := startNginx(t, procs)
	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if r := call(t, http.MethodPost, lb+"/api/v1/auth/login", "", map[string]string{"email": "ops@example.com", "password": "cluster-test-password"}, &tok); r.StatusCode != http.StatusOK {
		t.Fatalf("login through nginx: %d", r.StatusCode)
	}
	admin := tok.AccessToken

	// 1. Reads counted round-robin through nginx add up exactly.
	arts := procs[0].articles(3)
	const perArticle = 150
	var wg sync.WaitGroup
	hits := make(chan string)
	var bad sync.Map
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range hits {
				resp, err := http.Post(lb+"/api/v1/articles/"+id+"/views", "", nil)
				if err != nil {
					bad.Store(id, err.Error())
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					bad.Store(id, resp.Status)
				}
			}
		}()
	}
	for range perArticle {
		for _, a := range arts {
			hits <- a.ID
		}
	}
	close(hits)
	wg.Wait()
	bad.Range(func(k, v any) bool { t.Fatalf("a hit on %v through nginx failed: %v", k, v); return false })
	counts := func() (ok bool, state string) {
		ok = true
		for _, a := range arts {
			var n int64
			if err := db.SQL().QueryRow("SELECT read_count FROM articles WHERE id = $1", a.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			ok = ok && n == a.ReadCount+perArticle
			state += fmt.Sprintf("%s: %d of %d; ", a.ID, n, a.ReadCount+perArticle)
		}
		return ok, state
	}
	eventually(t, 10*time.Second, "read counts add up", counts)
	time.Sleep(200 * time.Millisecond) // several more flush intervals: nothing counted twice
	if ok, state := counts(); !ok {
		t.Fatalf("read counts moved past the exact sum: %s", state)
	}
	accepted := regexp.MustCompile(`(?m)^herald_views_accepted_total (\d+)$`)
	var total int
	for i, p := range procs {
		resp, err := http.Get(p.base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := accepted.FindSubmatch(b)
		n := 0
		if m != nil {
			n, _ = strconv.Atoi(string(m[1]))
		}
		if n == 0 {
			t.Errorf("instance %d counted no reads: nginx did not spread the load", i)
		}
		total += n
	}
	if total != perArticle*len(arts) {
		t.Errorf("the instances accepted %d reads in all, want %d", total, perArticle*len(arts))
	}

	// 2. A write through nginx is seen through every instance, though each had the old
	// version cached for an hour.
	detail := "/api/v1/articles/" + demo.FixtureSlugEN + "?locale=en"
	var art struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	for _, p := range procs {
		call(t, http.MethodGet, p.base+detail, "", nil, &art)
	}
	r := call(t, http.MethodGet, lb+"/api/v1/admin/articles/"+art.ID, admin, nil, nil)
	const newTitle = "Edited through the load balancer"
	if r = call(t, http.MethodPut, lb+"/api/v1/admin/articles/"+art.ID+"/translations/en", admin,
		map[string]string{"title": newTitle}, nil, "If-Match", r.Header.Get("ETag")); r.StatusCode != http.StatusOK {
		t.Fatalf("edit through nginx: %d", r.StatusCode)
	}
	for i, p := range procs {
		eventually(t, 10*time.Second, fmt.Sprintf("instance %d serves the edit", i), func() (bool, string) {
			var got struct{ Title string }
			call(t, http.MethodGet, p.base+detail, "", nil, &got)
			return got.Title == newTitle, got.Title
		})
	}

	// 3. A scheduled article appears through every instance at its time, once.
	var draft struct {
		ID string `json:"id"`
	}
	r = call(t, http.MethodPost, lb+"/api/v1/admin/articles", admin, map[string]any{"translations": []map[string]string{
		{"locale": "en", "title": "Scheduled across the cluster", "slug": "scheduled-across-the-cluster", "body": "<p>On time.</p>"}}}, &draft)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create a draft through nginx: %d", r.StatusCode)
	}
	newest := func(p *heraldProc) string {
		var list struct{ Data []struct{ ID string } }
		call(t, http.MethodGet, p.base+"/api/v1/articles?locale=en&per_page=1", "", nil, &list)
		if len(list.Data) == 0 {
			return ""
		}
		return list.Data[0].ID
	}
	for _, p := range procs { // cache the front page everywhere
		newest(p)
	}
	due := time.Now().Add(2 * time.Second).UTC().Truncate(time.Millisecond)
	if r = call(t, http.MethodPost, lb+"/api/v1/admin/articles/"+draft.ID+"/publish", admin,
		map[string]any{"published_at": due}, nil, "If-Match", r.Header.Get("ETag")); r.StatusCode != http.StatusOK {
		t.Fatalf("schedule through nginx: %d", r.StatusCode)
	}
	for i, p := range procs {
		if got := newest(p); got == draft.ID && time.Now().Before(due) {
			t.Fatalf("instance %d shows the scheduled article before its time", i)
		}
	}
	time.Sleep(time.Until(due))
	for i, p := range procs {
		eventually(t, 5*time.Second, fmt.Sprintf("instance %d shows the scheduled article", i), func() (bool, string) {
			got := newest(p)
			return got == draft.ID, got
		})
	}
	var copies int
	if err := db.SQL().QueryRow("SELECT count(*) FROM article_translations WHERE slug = 'scheduled-across-the-cluster'").Scan(&copies); err != nil || copies != 1 {
		t.Fatalf("the scheduled article exists %d times (%v)", copies, err)
	}

	// 4. Killing one instance in the middle of writes loses none that was acknowledged.
	type ack struct{ id, title string }
	var (
		mu    sync.Mutex
		acks  []ack
		fails int
	)
	jobs := make(chan int)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range jobs {
				title := fmt.Sprintf("Load %03d", n)
				body, _ := json.Marshal(map[string]any{"translations": []map[string]string{{"locale": "en", "title": title, "body": "<p>x</p>"}}})
				req, _ := http.NewRequest(http.MethodPost, lb+"/api/v1/admin/articles", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+admin)
				resp, err := http.DefaultClient.Do(req)
				var created struct {
					ID string `json:"id"`
				}
				ok := err == nil && resp.StatusCode == http.StatusCreated && json.NewDecoder(resp.Body).Decode(&created) == nil
				if err == nil {
					resp.Body.Close()
				}
				mu.Lock()
				if ok {
					acks = append(acks, ack{created.ID, title})
				} else {
					fails++
				}
				mu.Unlock()
			}
		}()
	}
	const writes = 120
	for n := range writes {
		if n == writes/3 {
			_ = procs[1].cmd.Process.Kill() // SIGKILL: no drain, no goodbye
		}
		jobs <- n
	}
	close(jobs)
	wg.Wait()
	if len(acks) < writes/2 {
		t.Fatalf("only %d of %d writes were acknowledged (%d failed): the balancer did not route around the dead instance", len(acks), writes, fails)
	}
	for _, a := range acks {
		var title string
		err := db.SQL().QueryRow("SELECT title FROM article_translations WHERE article_id = $1 AND locale = 'en'", a.id).Scan(&title)
		if err != nil || title != a.title {
			t.Errorf("acknowledged write %s (%q) is not in the database: %q %v", a.id, a.title, title, err)
		}
	}
	var dups int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM (SELECT title FROM article_translations
		WHERE title LIKE 'Load %' GROUP BY title HAVING count(*) > 1) d`).Scan(&dups); err != nil || dups != 0 {
		t.Errorf("%d writes were applied twice (%v)", dups, err)
	}
	t.Logf("writes: %d acknowledged, %d refused while an instance died", len(acks), fails)
	for _, p := range []*heraldProc{procs[0], procs[2]} {
		p.stop(syscall.SIGTERM)
	}
}
