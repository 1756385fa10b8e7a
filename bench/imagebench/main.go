// Command imagebench measures on-demand image renditions (issue 18) through a running
// herald: for a 12-megapixel photo, the time of the first request of a rendition per format
// (cold: the first WebP and AVIF of the process also compile the WebAssembly encoder) and
// its bytes, the server's peak resident memory, and then the throughput of a stored
// rendition under wrk beside a bare Echo handler serving the same bytes (the ceiling).
// Loopback only; a temporary SQLite file and media directory.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/heraldcms/herald/bench/internal/harness"
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
	if err := harness.CheckWrk(); err != nil {
		return err
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
	h, err := harness.Start(harness.Server{Bin: herald, Herald: true, Env: []string{"HERALD_DATABASE_URL=sqlite:" + filepath.Join(tmp, "bench.db"), "HERALD_MEDIA_DIR=" + filepath.Join(tmp, "media"),
		"HERALD_ENV=production", "HERALD_DEMO_CONTENT=false", "HERALD_JWT_SECRET=" + harness.RandomSecret()}})
	if err != nil {
		return err
	}
	defer h.Kill()
	fmt.Printf("12 MP photo: 4000×3000 JPEG, %d KB; idle RSS %.0f MB\n\n", len(photo)>>10, h.StatusMB("VmRSS"))
	fmt.Println("| rendition | first request | second width (warm) | bytes | vs JPEG |")
	fmt.Println("| --- | --- | --- | --- | --- |")
	var jpegBytes int
	var served []byte
	for _, fm := range []string{"jpeg", "webp", "avif", "png"} {
		t0 := time.Now()
		body, hdr, err := harness.Get(h.Base+"/media/"+key+"?w=1280&fm="+fm, nil)
		if err != nil {
			return err
		}
		cold := time.Since(t0)
		t0 = time.Now()
		if _, _, err := harness.Get(h.Base+"/media/"+key+"?w=1024&fm="+fm, nil); err != nil {
			return err
		}
		warm := time.Since(t0)
		if fm == "jpeg" {
			jpegBytes = len(body)
		}
		fmt.Printf("| w=1280 fm=%s (%s) | %s | %s | %d KB | %.0f %% |\n", fm, hdr.Get("Content-Type"), cold.Round(time.Millisecond), warm.Round(time.Millisecond),
			len(body)>>10, 100*float64(len(body))/float64(jpegBytes))
	}
	fmt.Printf("\nherald peak RSS over the renders: %.0f MB\n\n", h.StatusMB("VmHWM"))

	target := "/media/" + key + "?w=640&fm=webp"
	served, _, err = harness.Get(h.Base+target, nil)
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
	c, err := harness.Start(harness.Server{Bin: ceiling, Args: []string{"-bodies", bodies}})
	if err != nil {
		return err
	}
	defer c.Kill()
	load := harness.Load{Threads: 2, Conns: conns, Warmup: 2 * time.Second, Run: d}
	hr, err := wrkOK(load, h.Base+target)
	if err != nil {
		return err
	}
	cr, err := wrkOK(load, c.Base+"/c/variant")
	if err != nil {
		return err
	}
	fmt.Printf("| served rendition (%d KB, stored) | req/s | p99 | ceiling req/s (bare Echo, same bytes) | ratio |\n| --- | --- | --- | --- | --- |\n", len(served)>>10)
	fmt.Printf("| GET %s | %.0f | %s | %.0f | %.2f |\n", "?w=640&fm=webp", hr.RPS, hr.P99, cr.RPS, hr.RPS/cr.RPS)
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

// wrkOK runs load against u and fails on any answer but 2xx and 3xx: a rate of errors
// is no rendition throughput.
func wrkOK(load harness.Load, u string) (harness.Result, error) {
	r, err := load.Wrk(u)
	if err == nil && r.Bad > 0 {
		err = fmt.Errorf("wrk: %d non-2xx responses from %s", r.Bad, u)
	}
	return r, err
}
