package harness

import (
	"testing"
	"time"
)

// Reports as wrk 4.1 prints them with --latency.
const (
	wrkOK = `Running 1s test @ http://127.0.0.1:18777/readyz
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   283.03us  721.69us   8.25ms   93.65%
    Req/Sec    27.05k     5.02k   33.03k    70.00%
  Latency Distribution
     50%   94.00us
     75%  129.00us
     90%  447.00us
     99%    4.04ms
  26869 requests in 1.00s, 1.92MB read
Requests/sec:  26803.57
Transfer/sec:      1.92MB
`
	wrkBad = `Running 1s test @ http://127.0.0.1:18777/nope
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.10s   300.00ms   1.90s    70.00%
    Req/Sec     3.00      1.00     4.00     70.00%
  Latency Distribution
     50%  1.05s
     75%  1.20s
     90%  1.50s
     99%  1.90s
  25438 requests in 1.00s, 3.37MB read
  Socket errors: connect 1, read 2, write 3, timeout 4
  Non-2xx or 3xx responses: 25438
Requests/sec:  25409.34
Transfer/sec:      3.37MB
`
	// wrk2 prints percentiles with decimals.
	wrk2 = `  Latency Distribution (HdrHistogram - Recorded Latency)
 50.000%    1.23ms
 99.000%  250.00us
  100 requests in 1.00s, 1.00KB read
Requests/sec:     99.90
`
)

func TestParseWrk(t *testing.T) {
	for _, tc := range []struct {
		name string
		out  string
		want Result
	}{
		{"ok", wrkOK, Result{RPS: 26803.57, Requests: 26869, P50: "94.00us", P99: "4.04ms", P99ms: 4.04}},
		{"bad and socket errors", wrkBad, Result{RPS: 25409.34, Requests: 25438, P50: "1.05s", P99: "1.90s", P99ms: 1900, Bad: 25438, Errors: 10}},
		{"wrk2", wrk2, Result{RPS: 99.9, Requests: 100, P50: "1.23ms", P99: "250.00us", P99ms: 0.25}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseWrk([]byte(tc.out))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// A report without Requests/sec is an error, not a run at 0 req/s.
func TestParseWrkNoRate(t *testing.T) {
	if _, err := parseWrk([]byte("unable to connect to 127.0.0.1:1 Connection refused\n")); err == nil {
		t.Fatal("no error")
	}
}

// TestStatTicks reads the CPU fields of /proc stat lines, a command name with spaces and
// parentheses included.
func TestStatTicks(t *testing.T) {
	pid := []byte("4242 (herald (x) y) S 1 2 3 4 5 6 7 8 9 10 150 25 0 0 20 0 9\n")
	if got := statTicks(pid, 13, 14); got != 1750*time.Millisecond {
		t.Errorf("process: %v, want 1.75s", got)
	}
	machine := []byte("  100 5 50 9000 30 2 3 7 0 0\ncpu0 1 2 3\n")
	if got := statTicks(machine, 0, 1, 2, 5, 6); got != 1600*time.Millisecond {
		t.Errorf("machine: %v, want 1.6s", got)
	}
	if got := statTicks([]byte("1 (x) S 1"), 13, 14); got != 0 {
		t.Errorf("short line: %v, want 0", got)
	}
	if MachineBusy() <= 0 {
		t.Error("MachineBusy read nothing from /proc/stat")
	}
}
