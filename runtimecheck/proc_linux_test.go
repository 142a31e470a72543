package runtimecheck

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The tests in this file look at the real process: none may run in
// parallel with another (a leak of one would be seen by the other).

func fdsByTarget(s *sample, prefix string) []fdEntry {
	var out []fdEntry
	for _, e := range s.fds {
		if strings.HasPrefix(e.target, prefix) {
			out = append(out, e)
		}
	}
	return out
}

func TestProcfsSample(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	s, err := defaultSystem.read()
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]bool{int(r.Fd()): true, int(w.Fd()): true}
	for _, e := range s.fds {
		if want[e.fd] && !strings.HasPrefix(e.target, "pipe:[") {
			t.Errorf("fd %d is %q, want a pipe", e.fd, e.target)
		}
		delete(want, e.fd)
		if strings.HasSuffix(e.target, "/fd") && strings.HasPrefix(e.target, "/proc/") {
			t.Errorf("the listing's own descriptor is in the sample: %v", e)
		}
	}
	if len(want) > 0 {
		t.Errorf("os.Pipe's descriptors %v not in the sample %v", want, s.fds)
	}
}

// TestChildren starts a child, sees it run, exit to a zombie that stays a
// zombie (runtimecheck never reaps), and go once waited for.
func TestChildren(t *testing.T) {
	cmd := exec.Command("sh", "-c", "read x; exit 0")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	child := func() (procEntry, bool) {
		s, err := defaultSystem.read()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range s.procs {
			if p.pid == pid {
				return p, true
			}
		}
		return procEntry{}, false
	}
	p, ok := child()
	if !ok || p.state == 'Z' || p.comm != "sh" {
		t.Fatalf("child %d: %+v, %v; want sh running", pid, p, ok)
	}
	if args := defaultSystem.cmdline(pid); strings.Join(args, " ") != "sh -c read x; exit 0" {
		t.Errorf("cmdline %q", args)
	}
	in.Close()
	deadline := time.Now().Add(5 * time.Second)
	for p.state != 'Z' && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
		p, _ = child()
	}
	if p.state != 'Z' {
		t.Fatalf("child %d never became a zombie: %+v", pid, p)
	}
	time.Sleep(20 * time.Millisecond)
	if p, _ := child(); p.state != 'Z' {
		t.Fatalf("the zombie was reaped behind os/exec's back: %+v", p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("Wait: %v (runtimecheck must leave the exit status to os/exec)", err)
	}
	if p, ok := child(); ok {
		t.Errorf("child still listed after Wait: %+v", p)
	}
}

func TestSnapshotLeaksReal(t *testing.T) {
	s, err := TakeSnapshot(MaxWait(20 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	leaks, err := s.Leaks()
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	want := []string{
		"fd " + strconv.Itoa(int(r.Fd())) + " pipe:[",
		"fd " + strconv.Itoa(int(w.Fd())) + " pipe:[",
		"fd " + strconv.Itoa(int(f.Fd())) + " file " + f.Name(),
		"tcp 127.0.0.1:" + strconv.Itoa(port) + " listening",
		"pid " + strconv.Itoa(cmd.Process.Pid) + " ",
	}
	got := descs(leaks)
	if len(got) != len(want) {
		t.Fatalf("leaks %q, want %d", got, len(want))
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || strings.Contains(g, w)
		}
		if !found {
			t.Errorf("no leak says %q in %q", w, got)
		}
	}
	if !strings.HasSuffix(got[0], "read end") || !strings.HasSuffix(got[1], "write end") {
		t.Errorf("pipe ends: %q, %q", got[0], got[1])
	}

	r.Close()
	w.Close()
	ln.Close()
	f.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if leaks, err := s.Leaks(); err != nil || leaks != nil {
		t.Errorf("after closing and waiting: %q, %v", descs(leaks), err)
	}
}

// TestRuntimeOwnedReal makes what the Go runtime keeps for itself: the
// splice pipes of a TCP-to-TCP io.Copy, a pidfd of os.FindProcess.
func TestRuntimeOwnedReal(t *testing.T) {
	// The first splice creates the pool's pipes; one echo before the
	// snapshot would hide them in the baseline, so none is done.
	s, err := TakeSnapshot(MaxWait(20 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if err := echo(); err != nil {
		t.Fatal(err)
	}
	p, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	cur, err := defaultSystem.read()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fdsByTarget(cur, "anon_inode:[pidfd]")); n == 0 {
		t.Log("no pidfd: this kernel or Go does not use them")
	}
	splice := 0
	for _, e := range fdsByTarget(cur, "pipe:[") {
		if !containsFD(s.f.base.fds, e) {
			splice++
		}
	}
	t.Logf("%d new pipe ends after the echo (splice pool)", splice)
	if leaks, err := s.Leaks(); err != nil || leaks != nil {
		t.Errorf("runtime-owned descriptors reported: %q, %v", descs(leaks), err)
	}
	p.Release()
}

func containsFD(fds []fdEntry, e fdEntry) bool {
	for _, o := range fds {
		if o == e {
			return true
		}
	}
	return false
}

// echo copies between two TCP connections with io.Copy, which splices.
func echo() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		_, err = io.Copy(c, c)
		done <- err
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := io.WriteString(c, strings.Repeat("x", 100000)+"\n"); err != nil {
		return err
	}
	if _, err := bufio.NewReader(c).ReadString('\n'); err != nil {
		return err
	}
	c.(*net.TCPConn).CloseWrite()
	return <-done
}

func TestCheckInProcess(t *testing.T) {
	out := filepath.Join(t.TempDir(), "trace.jsonl")
	t.Setenv(TraceOutEnv, out)

	rec := newRecTB(t, "TestFake")
	Check(rec, MaxWait(10*time.Millisecond))
	if err := echo(); err != nil {
		t.Fatal(err)
	}
	rec.finish()
	if len(rec.errs)+len(rec.logs) > 0 {
		t.Fatalf("clean test: errors %q, logs %q", rec.errs, rec.logs)
	}

	rec = newRecTB(t, "TestFake")
	Check(rec, MaxWait(10*time.Millisecond))
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	rfd := int(r.Fd())
	rec.finish()
	r.Close()
	w.Close()
	if len(rec.errs) != 1 || len(rec.logs) != 0 {
		t.Fatalf("errors %q, logs %q; want one error", rec.errs, rec.logs)
	}
	lines := strings.Split(rec.errs[0], "\n")
	if lines[0] != "TestFake leaked 2 file descriptors:" || len(lines) != 4 ||
		!strings.HasPrefix(lines[1], "\tfd "+strconv.Itoa(rfd)+" pipe:[") || !strings.HasSuffix(lines[1], "read end") ||
		!strings.HasSuffix(lines[2], "write end") || !strings.Contains(lines[3], "lifeguard test") {
		t.Errorf("report:\n%s", rec.errs[0])
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for line := range strings.Lines(string(b)) {
		var r record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("record %q: %v", line, err)
		}
		if r.Test != "TestFake" || r.Package != "github.com/lifeguard-go/lifeguard/runtimecheck" || r.Site != nil || r.Parallel {
			t.Errorf("record %+v", r)
		}
		kinds = append(kinds, string(r.Kind))
	}
	if strings.Join(kinds, ",") != "pipe,pipe" {
		t.Errorf("record kinds %v, want two pipes", kinds)
	}
}

func TestCheckInProcessParallel(t *testing.T) {
	t.Setenv(TraceOutEnv, "")
	t.Run("group", func(t *testing.T) {
		t.Run("p", func(t *testing.T) {
			t.Parallel()
			rec := newRecTB(t, "TestP")
			Check(rec, MaxWait(10*time.Millisecond))
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			defer w.Close()
			rec.finish()
			if len(rec.errs) != 0 || len(rec.logs) != 1 ||
				!strings.HasPrefix(rec.logs[0], "TestP runs in parallel with other tests (t.Parallel), so the 2 file descriptors that appeared while it ran cannot be attributed to it") {
				t.Errorf("errors %q, logs %q; want one log saying it cannot be attributed", rec.errs, rec.logs)
			}
		})
	})
}
