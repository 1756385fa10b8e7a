package harness

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Server is a server binary for a bench to start on a free loopback port.
type Server struct {
	Bin  string
	Args []string
	Env  []string // added to this process's environment
	// Herald gets its address as HERALD_ADDR; any other binary (the ceiling) as -addr.
	Herald bool
	Stderr io.Writer     // nil discards it
	Ready  time.Duration // how long /readyz may take to answer; 0 means a minute
}

// Proc is a started server.
type Proc struct {
	Base string // http://127.0.0.1:port
	cmd  *exec.Cmd
	done chan struct{} // closed once the process has exited
}

// Start starts s and waits until GET /readyz answers 2xx.
func Start(s Server) (*Proc, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args, env := slices.Clone(s.Args), slices.Clone(s.Env)
	if s.Herald {
		env = append(env, "HERALD_ADDR="+addr)
	} else {
		args = append(args, "-addr", addr)
	}
	cmd := exec.Command(s.Bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if s.Stderr != nil {
		cmd.Stderr = s.Stderr
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Proc{Base: "http://" + addr, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	ready := s.Ready
	if ready == 0 {
		ready = time.Minute
	}
	for deadline := time.Now().Add(ready); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(p.Base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode < 300 {
				return p, nil
			}
		}
	}
	p.Kill()
	return nil, fmt.Errorf("%s did not become ready", s.Bin)
}

// Kill ends the process at once and waits for it.
func (p *Proc) Kill() { _ = p.cmd.Process.Kill(); <-p.done }

// Stop asks the process to shut down (SIGTERM) and fails unless it exits cleanly within
// timeout: a graceful shutdown is where herald writes what it still holds.
func (p *Proc) Stop(timeout time.Duration) error {
	name := filepath.Base(p.cmd.Path)
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if !p.cmd.ProcessState.Success() {
			return fmt.Errorf("%s exited with %v", name, p.cmd.ProcessState)
		}
		return nil
	case <-time.After(timeout):
		p.Kill()
		return fmt.Errorf("%s did not stop within %s", name, timeout)
	}
}

// CPU is the CPU time (user and system) the process has used so far; 0 when it cannot
// be read.
func (p *Proc) CPU() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	return statTicks(b, 13, 14)
}

// MachineBusy is the CPU time every core of this machine has spent busy so far (user,
// nice, system, irq, softirq); 0 when it cannot be read. Time stolen by other machines on
// the same host is not in it.
func MachineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil || !strings.HasPrefix(string(b), "cpu ") {
		return 0
	}
	return statTicks(b[len("cpu "):], 0, 1, 2, 5, 6)
}

// statTicks sums the space-separated fields at idx of the first line of a /proc stat
// file (after the parenthesised command name, for /proc/<pid>/stat), in clock ticks of
// 1/100 s (Linux's USER_HZ), as a duration.
func statTicks(b []byte, idx ...int) time.Duration {
	line, _, _ := strings.Cut(string(b), "\n")
	if i := strings.LastIndexByte(line, ')'); i >= 0 {
		line = "x x " + line[i+1:] // pid and name as two fields, then the rest as numbered
	}
	f := strings.Fields(line)
	var ticks int64
	for _, i := range idx {
		if i >= len(f) {
			return 0
		}
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return 0
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// StatusMB reads a memory field of /proc/<pid>/status (VmRSS, VmHWM) in MB; 0 when it
// cannot.
func (p *Proc) StatusMB(field string) float64 {
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
