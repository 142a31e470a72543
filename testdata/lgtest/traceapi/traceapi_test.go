//go:build lifeguard_trace

package traceapi

import (
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// here returns the line it is called from: the tests call it on the line
// that makes a resource, and expect the record to name that line.
func here() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}

// origin is what a record says: the first frame outside GOROOT (the user's
// line) and the function of the frame just before it (the API it called).
type origin struct {
	file string
	line int
	api  string
}

func originOf(t *testing.T, pcs []uintptr) origin {
	t.Helper()
	goroot := binaryGOROOT(t) + "/src/"
	frames := runtime.CallersFrames(pcs)
	var api string
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(filepath.ToSlash(f.File), goroot) {
			return origin{filepath.Base(f.File), f.Line, api}
		}
		api = f.Function
		if !more {
			break
		}
	}
	t.Fatalf("no frame outside GOROOT in the recorded stack")
	return origin{}
}

// binaryGOROOT is the GOROOT this binary's standard library was built from,
// as the file of one of the runtime's own functions names it.
func binaryGOROOT(t *testing.T) string {
	t.Helper()
	pc := reflect.ValueOf(runtime.GC).Pointer()
	file, _ := runtime.FuncForPC(pc).FileLine(pc)
	root, _, ok := strings.Cut(filepath.ToSlash(file), "/src/runtime/")
	if !ok {
		t.Fatalf("runtime.GC is in %s, not under a GOROOT", file)
	}
	return root
}

func wantFD(t *testing.T, fd uintptr, kind string, line int, api string) {
	t.Helper()
	pcs, gotKind, ok := os.LifeguardTraceFD(int(fd))
	if !ok {
		t.Fatalf("fd %d has no record; want one of kind %s made at line %d", fd, kind, line)
	}
	if gotKind != kind {
		t.Errorf("fd %d: kind %q, want %q", fd, gotKind, kind)
	}
	o := originOf(t, pcs)
	if o.file != "traceapi_test.go" || o.line != line || o.api != api {
		t.Errorf("fd %d: recorded at %s:%d by %s, want traceapi_test.go:%d by %s", fd, o.file, o.line, o.api, line, api)
	}
}

func wantNoFD(t *testing.T, fd uintptr, why string) {
	t.Helper()
	if pcs, kind, ok := os.LifeguardTraceFD(int(fd)); ok {
		o := originOf(t, pcs)
		t.Errorf("fd %d (%s) still has a record: %s made at %s:%d", fd, why, kind, o.file, o.line)
	}
}

// rawFD returns the descriptor of a syscall.Conn without changing it
// (File.Fd would switch the file to blocking mode).
func rawFD(t *testing.T, c syscall.Conn) uintptr {
	t.Helper()
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var fd uintptr
	if err := rc.Control(func(d uintptr) { fd = d }); err != nil {
		t.Fatal(err)
	}
	return fd
}

func TestPipe(t *testing.T) {
	line := here() + 1
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	rfd, wfd := rawFD(t, r), rawFD(t, w)
	wantFD(t, rfd, "pipe", line, "os.Pipe")
	wantFD(t, wfd, "pipe", line, "os.Pipe")
	r.Close()
	wantNoFD(t, rfd, "closed read end")
	wantFD(t, wfd, "pipe", line, "os.Pipe")
	w.Close()
	wantNoFD(t, wfd, "closed write end")
}

func TestOpenAndNewFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f")
	line := here() + 1
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	fd := rawFD(t, f)
	wantFD(t, fd, "file", line, "os.Create")
	f.Close()
	wantNoFD(t, fd, "closed file")

	raw, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantNoFD(t, uintptr(raw), "opened by syscall.Open, outside os")
	line = here() + 1
	g := os.NewFile(uintptr(raw), name)
	wantFD(t, uintptr(raw), "file", line, "os.NewFile")
	g.Close()
	wantNoFD(t, uintptr(raw), "closed NewFile")
}

// A descriptor number the kernel hands out again after a close is never
// attributed to the stack of the file closed before, and closing a file
// twice forgets nothing of the file that got its number since.
func TestNumberReuse(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(name, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	n := rawFD(t, a)
	a.Close()

	// The lowest free number is n again: a descriptor made outside os
	// gets it, and has no record.
	raw, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if uintptr(raw) != n {
		t.Skipf("the kernel gave fd %d, not the %d just closed", raw, n)
	}
	wantNoFD(t, n, "reused by syscall.Open")
	syscall.Close(raw)

	line := here() + 1
	b, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if rawFD(t, b) != n {
		t.Skipf("the kernel gave fd %d, not the %d just closed", rawFD(t, b), n)
	}
	if err := a.Close(); err == nil {
		t.Fatal("second Close succeeded")
	}
	wantFD(t, n, "file", line, "os.Open")
}

// A file the program drops without closing is closed by its finalizer,
// which forgets it too.
func TestFinalizerForgets(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	fd := rawFD(t, f)
	f = nil
	for deadline := time.Now().Add(5 * time.Second); ; {
		runtime.GC()
		if _, _, ok := os.LifeguardTraceFD(int(fd)); !ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("fd %d still recorded after its file was collected", fd)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestExecPipesAndProcess(t *testing.T) {
	cmd := exec.Command("sh", "-c", "cat >/dev/null; echo done")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	outLine := here() + 1
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	// The parent's ends are *os.File; the child's ends are recorded too,
	// until Start closes them.
	wantFD(t, rawFD(t, stdout.(*os.File)), "pipe", outLine, "os/exec.(*Cmd).StdoutPipe")
	startLine := here() + 1
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pcs, ok := os.LifeguardTraceProcess(cmd.Process.Pid)
	if !ok {
		t.Fatalf("pid %d has no record", cmd.Process.Pid)
	}
	if o := originOf(t, pcs); o.line != startLine || o.api != "os/exec.(*Cmd).Start" {
		t.Errorf("pid %d: recorded at line %d by %s, want line %d by os/exec.(*Cmd).Start", cmd.Process.Pid, o.line, o.api, startLine)
	}
	stdin.Close()
	out, err := io.ReadAll(stdout)
	if err != nil || string(out) != "done\n" {
		t.Fatalf("read %q, %v", out, err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if _, ok := os.LifeguardTraceProcess(cmd.Process.Pid); ok {
		t.Errorf("pid %d still recorded after Wait", cmd.Process.Pid)
	}
}

// Wait closes the parent's ends of the pipes, which forgets them.
func TestWaitForgetsPipes(t *testing.T) {
	cmd := exec.Command("true")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	fd := rawFD(t, stdout.(*os.File))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	wantNoFD(t, fd, "pipe closed by Wait")
}

func TestStartProcess(t *testing.T) {
	bin, err := exec.LookPath("true")
	if err != nil {
		t.Skip(err)
	}
	line := here() + 1
	p, err := os.StartProcess(bin, []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Fatal(err)
	}
	pcs, ok := os.LifeguardTraceProcess(p.Pid)
	if !ok {
		t.Fatalf("pid %d has no record", p.Pid)
	}
	if o := originOf(t, pcs); o.line != line || o.api != "os.StartProcess" {
		t.Errorf("pid %d: recorded at line %d by %s, want line %d by os.StartProcess", p.Pid, o.line, o.api, line)
	}
	if _, err := p.Wait(); err != nil {
		t.Fatal(err)
	}
	if _, ok := os.LifeguardTraceProcess(p.Pid); ok {
		t.Errorf("pid %d still recorded after Wait", p.Pid)
	}
}

func TestSockets(t *testing.T) {
	lnLine := here() + 1
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lnFD := rawFD(t, ln.(*net.TCPListener))
	wantFD(t, lnFD, "socket", lnLine, "net.Listen")

	accepted := make(chan net.Conn, 1)
	acceptLine := make(chan int, 1)
	go func() {
		acceptLine <- here() + 1
		c, err := ln.Accept()
		if err != nil {
			t.Error(err)
		}
		accepted <- c
	}()
	dialLine := here() + 1
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s := <-accepted
	wantFD(t, rawFD(t, c.(*net.TCPConn)), "socket", dialLine, "net.Dial")
	wantFD(t, rawFD(t, s.(*net.TCPConn)), "socket", <-acceptLine, "net.(*TCPListener).Accept")

	fileLine := here() + 1
	f, err := c.(*net.TCPConn).File()
	if err != nil {
		t.Fatal(err)
	}
	wantFD(t, rawFD(t, f), "socket", fileLine, "net.(*conn).File")

	raw, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	rawLine := here() + 1
	sf := os.NewFile(uintptr(raw), "socket")
	wantFD(t, uintptr(raw), "socket", rawLine, "os.NewFile")
	sf.Close()
	wantNoFD(t, uintptr(raw), "closed NewFile of a socket")

	for _, x := range []interface {
		syscall.Conn
		Close() error
	}{c.(*net.TCPConn), s.(*net.TCPConn), f, ln.(*net.TCPListener)} {
		fd := rawFD(t, x)
		x.Close()
		wantNoFD(t, fd, "closed socket")
	}
}

func TestIOPipe(t *testing.T) {
	line := here() + 1
	pr, pw := io.Pipe()
	if n := countPipes(t, line); n != 0 {
		t.Fatalf("a pipe no reader waits on is reported (%d)", n)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.ReadAll(pr)
	}()
	waitFor(t, func() bool { return countPipes(t, line) == 1 }, "the blocked reader to be reported")
	pw.Write([]byte("x")) // the reader takes it and blocks again
	waitFor(t, func() bool { return countPipes(t, line) == 1 }, "the reader to block again")
	pw.Close()
	<-done
	if n := countPipes(t, line); n != 0 {
		t.Errorf("a pipe whose writer is closed is still reported")
	}

	// A closed reader ends it too.
	line2 := here() + 1
	pr2, pw2 := io.Pipe()
	done2 := make(chan struct{})
	go func() {
		defer close(done2)
		pr2.Read(make([]byte, 1))
	}()
	waitFor(t, func() bool { return countPipes(t, line2) == 1 }, "the second blocked reader to be reported")
	pr2.Close()
	<-done2
	if n := countPipes(t, line2); n != 0 {
		t.Errorf("a pipe whose reader is closed is still reported")
	}
	_ = pw2
}

// countPipes counts the waited-on io.Pipes made at line.
func countPipes(t *testing.T, line int) int {
	t.Helper()
	n := 0
	for _, p := range io.LifeguardTracePipes() {
		if !p.ReaderWaiting || p.WriterClosed {
			t.Errorf("pipe reported with ReaderWaiting %v, WriterClosed %v", p.ReaderWaiting, p.WriterClosed)
		}
		if o := originOf(t, p.PCs); o.file == "traceapi_test.go" && o.line == line {
			if o.api != "io.Pipe" {
				t.Errorf("pipe made by %s, want io.Pipe", o.api)
			}
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
