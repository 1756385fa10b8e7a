// Command imagebench measures on-demand image renditions (issue 18) through a running
// herald: for a 12-megapixel photo, the time of the first request of a rendition per format
// (cold: the first WebP and AVIF of the process also compile the WebAssembly encoder) and
// its bytes, the server's peak resident memory, and then the throughput of a stored
// rendition under wrk beside a bare Echo handler serving the same bytes (the ceiling).
// Loopback only; a temporary SQLite file and media directory.
package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

func main() {
	herald := flag.String("herald", "bin/herald", "herald binary")
	ceiling := flag.String("ceiling", "bin/bench-ceiling", "bare Echo binary")
	duration := flag.Duration("duration", 8*time.Second, "measured wrk run")
	conns := flag.Int("connections", 64, "wrk connections")
	flag.Parse()
	if err := run(*herald, *ceiling, *duration, *conns); err != nil {
		fmt.Fprintln(os.Stderr, "imagebench:", err)
		os.Exit(1)
	}
}

func run(herald, ceiling string, d time.Duration, conns int) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is not installed (apt-get install -y wrk)")
	}
	tmp, err := os.MkdirTemp("", "herald-imagebench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	photo := scene()
	sum := sha256.Sum256(photo)
	key := hex.EncodeToString(sum[:]) + "/original.jpg"
	// The file route reads blobs only: an original placed in the media directory is served
	// and transformed like an uploaded one (uploads store it stripped, as here).
	if err := os.MkdirAll(filepath.Join(tmp, "media", filepath.Dir(key)), 0o750); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "media", key), photo, 0o640); err != nil {
		return err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	h, err := start(herald, nil, []string{"HERALD_DATABASE_URL=sqlite:" + filepath.Join(tmp, "bench.db"), "HERALD_MEDIA_DIR=" + filepath.Join(tmp, "media"),
		"HERALD_ENV=production", "HERALD_DEMO_CONTENT=false", "HERALD_JWT_SECRET=" + hex.EncodeToString(secret)})
	if err != nil {
		return err
	}
	defer h.kill()
	fmt.Printf("12 MP photo: 4000×3000 JPEG, %d KB; idle RSS %.0f MB\n\n", len(photo)>>10, h.status("VmRSS"))
	fmt.Println("| rendition | first request | second width (warm) | bytes | vs JPEG |")
	fmt.Println("| --- | --- | --- | --- | --- |")
	var jpegBytes int
	var served []byte
	for _, fm := range []string{"jpeg", "webp", "avif", "png"} {
		t0 := time.Now()
		body, ct, err := get(h.base + "/media/" + key + "?w=1280&fm=" + fm)
		if err != nil {
			return err
		}
		cold := time.Since(t0)
		t0 = time.Now()
		if _, _, err := get(h.base + "/media/" + key + "?w=1024&fm=" + fm); err != nil {
			return err
		}
		warm := time.Since(t0)
		if fm == "jpeg" {
			jpegBytes = len(body)
		}
		fmt.Printf("| w=1280 fm=%s (%s) | %s | %s | %d KB | %.0f %% |\n", fm, ct, cold.Round(time.Millisecond), warm.Round(time.Millisecond),
			len(body)>>10, 100*float64(len(body))/float64(jpegBytes))
	}
	fmt.Printf("\nherald peak RSS over the renders: %.0f MB\n\n", h.status("VmHWM"))

	target := "/media/" + key + "?w=640&fm=webp"
	served, _, err = get(h.base + target)
	if err != nil {
		return err
	}
	bodies := filepath.Join(tmp, "bodies")
	if err := os.MkdirAll(bodies, 0o750); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(bodies, "variant"), served, 0o640); err != nil {
		return err
	}
	c, err := start(ceiling, []string{"-bodies", bodies}, nil)
	if err != nil {
		return err
	}
	defer c.kill()
	hr, err := wrk(h.base+target, d, conns)
	if err != nil {
		return err
	}
	cr, err := wrk(c.base+"/c/variant", d, conns)
	if err != nil {
		return err
	}
	fmt.Printf("| served rendition (%d KB, stored) | req/s | p99 | ceiling req/s (bare Echo, same bytes) | ratio |\n| --- | --- | --- | --- | --- |\n", len(served)>>10)
	fmt.Printf("| GET %s | %.0f | %s | %.0f | %.2f |\n", "?w=640&fm=webp", hr.rps, hr.p99, cr.rps, hr.rps/cr.rps)
	return nil
}

// scene is the photo of internal/media's BenchmarkRendition12MP: shapes, edges and grain.
func scene() []byte {
	const w, h = 4000, 3000
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := mrand.New(mrand.NewPCG(3, 4))
	clamp := func(f float64) uint8 { return uint8(math.Max(0, math.Min(255, f))) }
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/w, float64(y)/h
			v := 0.5 + 0.25*math.Sin(fx*9+math.Sin(fy*7)*2) + 0.2*math.Cos(fy*13+fx*3)
			if (x/250+y/250)%5 == 0 {
				v = 1 - v
			}
			n := float64(r.IntN(10)) - 5
			i := y*img.Stride + x*4
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = clamp(v*200+30*fx+n), clamp(v*170+60*fy+n), clamp(v*120+90*(1-fx)+n), 255
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func get(u string) ([]byte, string, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return b, resp.Header.Get("Content-Type"), err
}

type proc struct {
	cmd  *exec.Cmd
	base string
}

func start(bin string, args, env []string) (*proc, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	if len(env) > 0 {
		env = append(env, "HERALD_ADDR="+addr)
	} else {
		args = append(args, "-addr", addr)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, base: "http://" + addr}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(p.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return p, nil
			}
		}
	}
	p.kill()
	return nil, fmt.Errorf("%s did not become ready", bin)
}

func (p *proc) kill() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() }

// status reads a memory field of /proc/<pid>/status in MB.
func (p *proc) status(field string) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	m := regexp.MustCompile(field + `:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	kb, _ := strconv.ParseFloat(string(m[1]), 64)
	return kb / 1024
}

type wrkResult struct {
	rps float64
	p99 string
}

var (
	reRPS = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	reP99 = regexp.MustCompile(`\s99%\s+([\d.]+\w+)`)
	reBad = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

func wrk(u string, d time.Duration, conns int) (wrkResult, error) {
	args := func(d time.Duration) []string {
		return []string{"-t", "2", "-c", strconv.Itoa(conns), "-d", fmt.Sprintf("%ds", int(d.Seconds())), "--latency", u}
	}
	if out, err := exec.Command("wrk", args(2*time.Second)...).CombinedOutput(); err != nil {
		return wrkResult{}, fmt.Errorf("wrk warm-up: %v\n%s", err, out)
	}
	out, err := exec.Command("wrk", args(d)...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	if m := reBad.FindSubmatch(out); m != nil {
		return wrkResult{}, fmt.Errorf("wrk: %s non-2xx responses from %s", m[1], u)
	}
	var r wrkResult
	if m := reRPS.FindSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if m := reP99.FindSubmatch(out); m != nil {
		r.p99 = string(m[1])
	}
	return r, nil
}
