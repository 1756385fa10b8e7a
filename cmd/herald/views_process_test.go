package main

// Process tests for read counting: they build the real binary, run it as a child process on
// loopback, send hits over HTTP, stop it with a signal and check that no count was lost.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/heraldcms/herald/internal/store"
	"github.com/heraldcms/herald/internal/testkit"
)

// buildHerald compiles ./cmd/herald (this directory) into a temporary directory.
func buildHerald(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "herald")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// heraldProc is one running `herald serve`.
type heraldProc struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string
	stderr *syncBuf
	// stdout is a pipe, as under a service manager.
	stdout *syncBuf
	done   chan error
}

func viewsFreeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startHerald runs bin serve against dbURL with env added, and waits for /readyz.
func startHerald(t *testing.T, bin, dbURL string, env ...string) *heraldProc {
	t.Helper()
	addr := viewsFreeAddr(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "HERALD_ADDR="+addr, "HERALD_DATABASE_URL="+dbURL, "HERALD_ENV=development",
		"HERALD_DEMO_CONTENT=true", "HERALD_SHUTDOWN_TIMEOUT=10s",
		// Every test client is 127.0.0.1; the per-address beacon limit has its own test.
		"HERALD_VIEWS_RATE_LIMIT=0")
	cmd.Env = append(cmd.Env, env...)
	p := &heraldProc{t: t, cmd: cmd, base: "http://" + addr, stderr: &syncBuf{}, stdout: &syncBuf{}, done: make(chan error, 1)}
	cmd.Stderr, cmd.Stdout = p.stderr, p.stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// exited closes when Wait returns; cleanup must not read cmd.ProcessState, which Wait
	// writes on another goroutine.
	exited := make(chan struct{})
	go func() {
		err := cmd.Wait()
		close(exited)
		p.done <- err
	}()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(p.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("herald exited early: %v\n%s", err, p.stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("herald never became ready\n%s", p.stderr.String())
	return nil
}

// stop sends sig and waits for a clean exit.
func (p *heraldProc) stop(sig os.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			p.t.Fatalf("herald exited with %v\n%s", err, p.stderr.String())
		}
	case <-time.After(20 * time.Second):
		p.t.Fatalf("herald did not stop on %v\n%s", sig, p.stderr.String())
	}
	if log := p.stderr.String(); !strings.Contains(log, "views: counter closed") || strings.Contains(log, "read counts lost") {
		p.t.Fatalf("no clean counter close in the log:\n%s", log)
	}
}

type countedArticle struct {
	ID        string `json:"id"`
	ReadCount int64  `json:"read_count"`
}

// articles returns the newest n visible articles with their counts.
func (p *heraldProc) articles(n int) []countedArticle {
	p.t.Helper()
	resp, err := http.Get(fmt.Sprintf("%s/api/v1/articles?locale=en&per_page=%d", p.base, n))
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Data []countedArticle }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Data) != n {
		p.t.Fatalf("articles: %v, %d items", err, len(body.Data))
	}
	return body.Data
}

func (p *heraldProc) readCount(id string) int64 {
	p.t.Helper()
	resp, err := http.Get(p.base + "/api/v1/articles/" + id)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var a countedArticle
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		p.t.Fatal(err)
	}
	return a.ReadCount
}

// sendHits posts perArticle hits to each article, spread over the given servers by
// several concurrent clients, and fails on any answer but 202.
func sendHits(t *testing.T, servers []*heraldProc, ids []string, perArticle int) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	defer client.CloseIdleConnections()
	type job struct{ url string }
	jobs := make(chan job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				resp, err := client.Post(j.url, "text/plain", strings.NewReader("beacon"))
				if err == nil {
					resp.Body.Close()
				}
				if err != nil || resp.StatusCode != http.StatusAccepted {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%s: %v %v", j.url, err, resp))
					mu.Unlock()
				}
			}
		}()
	}
	n := 0
	for range perArticle {
		for _, id := range ids {
			jobs <- job{servers[n%len(servers)].base + "/api/v1/articles/" + id + "/views"}
			n++
		}
	}
	close(jobs)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d hits failed, first: %s", len(failures), failures[0])
	}
}

// TestViewsSurviveRestart: hits accepted before SIGTERM (or SIGINT) are in the database
// after a restart, with a flush interval so long that only the shutdown flush writes them.
func TestViewsSurviveRestart(t *testing.T) {
	bin := buildHerald(t)
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "herald.db")
	p := startHerald(t, bin, dbURL, "HERALD_VIEWS_FLUSH_INTERVAL=1h")
	arts := p.articles(3)
	ids := []string{arts[0].ID, arts[1].ID, arts[2].ID}
	const perArticle = 300
	sendHits(t, []*heraldProc{p}, ids, perArticle)
	if got := p.readCount(ids[0]); got != arts[0].ReadCount {
		t.Fatalf("read_count %d before shutdown: the hour-long interval should not have flushed", got)
	}
	p.stop(syscall.SIGTERM)

	p = startHerald(t, bin, dbURL, "HERALD_VIEWS_FLUSH_INTERVAL=1h")
	for i, id := range ids {
		if got, want := p.readCount(id), arts[i].ReadCount+perArticle; got != want {
			t.Errorf("after SIGTERM and restart: %s read_count %d, want %d", id, got, want)
		}
	}
	sendHits(t, []*heraldProc{p}, ids[:1], 50)
	p.stop(os.Interrupt)

	p = startHerald(t, bin, dbURL)
	if got, want := p.readCount(ids[0]), arts[0].ReadCount+perArticle+50; got != want {
		t.Errorf("after SIGINT and restart: read_count %d, want %d", got, want)
	}
	p.stop(syscall.SIGTERM)
}

// TestViewsAcrossInstances: three processes on one PostgreSQL, flushing often, take hits
// spread across them; the totals are exact.
func TestViewsAcrossInstances(t *testing.T) {
	dbURL := testkit.URL(t, "postgres") // skips without PostgreSQL, fails with CI=true
	bin := buildHerald(t)
	var procs []*heraldProc
	for range 3 { // one after another: the first migrates and loads the demo
		procs = append(procs, startHerald(t, bin, dbURL, "HERALD_VIEWS_FLUSH_INTERVAL=20ms"))
	}
	arts := procs[0].articles(4)
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	const perArticle = 400
	sendHits(t, procs, ids, perArticle)
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Add(1)
		go func() { defer wg.Done(); p.stop(syscall.SIGTERM) }()
	}
	wg.Wait()

	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, id := range ids {
		var got struct{ ReadCount, Daily int64 }
		err := db.Gorm().Raw(`SELECT a.read_count,
			(SELECT COALESCE(SUM(count), 0) FROM article_views_daily d WHERE d.article_id = a.id) AS daily
			FROM articles a WHERE a.id = ?`, id).Scan(&got).Error
		if err != nil {
			t.Fatal(err)
		}
		if got.ReadCount != arts[i].ReadCount+perArticle || got.Daily != perArticle {
			t.Errorf("%s: read_count %d (want %d), daily %d (want %d)", id, got.ReadCount, arts[i].ReadCount+perArticle, got.Daily, perArticle)
		}
	}
}
