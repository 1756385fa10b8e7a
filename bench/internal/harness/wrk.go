package harness

import (
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"time"
)

// CheckWrk fails, with how to install it, when wrk is not on PATH.
func CheckWrk() error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is not installed (apt-get install -y wrk)")
	}
	return nil
}

// Load is the shape of a wrk run.
type Load struct {
	Threads, Conns int
	Warmup         time.Duration // a run whose report is thrown away; none when 0
	Run            time.Duration // the measured run
	Script         string        // a Lua script for wrk -s; empty for plain GETs
	// Measure, when set, is called just before the measured run and its result just after
	// it: what the run cost besides its rate (readbench reads Proc.CPU and MachineBusy).
	Measure func() (done func())
}

// Result is what wrk reports of a measured run.
type Result struct {
	RPS      float64
	Requests int64  // completed
	P50, P99 string // as wrk prints them, e.g. "1.20ms"
	P99ms    float64
	Bad      int64 // responses neither 2xx nor 3xx
	Errors   int64 // socket errors: connect, read, write and timeout
}

// Wrk runs l against u, headers ("Name: value") on every request: the warm-up, then the
// measured run, whose report it parses.
func (l Load) Wrk(u string, headers ...string) (Result, error) {
	args := func(d time.Duration) []string {
		a := []string{"-t", strconv.Itoa(l.Threads), "-c", strconv.Itoa(l.Conns), "-d", fmt.Sprintf("%ds", int(d.Seconds())), "--latency"}
		for _, h := range headers {
			a = append(a, "-H", h)
		}
		if l.Script != "" {
			a = append(a, "-s", l.Script)
		}
		return append(a, u)
	}
	if l.Warmup > 0 {
		if out, err := exec.Command("wrk", args(l.Warmup)...).CombinedOutput(); err != nil {
			return Result{}, fmt.Errorf("wrk warm-up: %v\n%s", err, out)
		}
	}
	var done func()
	if l.Measure != nil {
		done = l.Measure()
	}
	out, err := exec.Command("wrk", args(l.Run)...).CombinedOutput()
	if done != nil {
		done()
	}
	if err != nil {
		return Result{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	return parseWrk(out)
}

var (
	reRPS      = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	reRequests = regexp.MustCompile(`(\d+) requests in`)
	// The latency distribution; wrk2 prints percentiles as 99.000%.
	reLat    = regexp.MustCompile(`(?m)^\s+(50|99)(?:\.0+)?%\s+([\d.]+)([a-z]+)`)
	reBad    = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	reSocket = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func parseWrk(out []byte) (Result, error) {
	m := reRPS.FindSubmatch(out)
	if m == nil {
		return Result{}, fmt.Errorf("no Requests/sec in wrk output:\n%s", out)
	}
	var r Result
	r.RPS, _ = strconv.ParseFloat(string(m[1]), 64)
	if m := reRequests.FindSubmatch(out); m != nil {
		r.Requests, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	for _, m := range reLat.FindAllSubmatch(out, -1) {
		s := string(m[2]) + string(m[3])
		if string(m[1]) == "50" {
			r.P50 = s
			continue
		}
		r.P99, r.P99ms = s, millis(string(m[2]), string(m[3]))
	}
	if m := reBad.FindSubmatch(out); m != nil {
		r.Bad, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	if m := reSocket.FindSubmatch(out); m != nil {
		for _, g := range m[1:] {
			n, _ := strconv.ParseInt(string(g), 10, 64)
			r.Errors += n
		}
	}
	return r, nil
}

// millis converts a latency wrk printed (value and unit) to milliseconds.
func millis(v, unit string) float64 {
	f, _ := strconv.ParseFloat(v, 64)
	switch unit {
	case "us":
		return f / 1000
	case "s":
		return f * 1000
	case "m":
		return f * 60 * 1000
	case "h":
		return f * 3600 * 1000
	}
	return f
}
