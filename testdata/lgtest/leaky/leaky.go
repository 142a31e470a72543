// Package leaky has one bug a line for each leak lifeguard test joins with a
// static finding, and two that no analyzer reports. Markers say what
// lifeguard test must print:
//
//	// lgtest:confirms ANALYZER TEST KIND...   the finding on this line, confirmed by TEST's leaks of those kinds
//	// lgtest:missed TEST KIND                 a leak made on this line and no finding: "not found statically"
//
// The tests make each function leak, and runtimecheck.Check fails them.
package leaky

import (
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// StartThenFail starts name and returns on a failed step without waiting:
// the child becomes a zombie.
func StartThenFail(name, pidDir string) error {
	cmd := exec.Command(name)
	if err := cmd.Start(); err != nil { // lgtest:confirms cmdwait TestStartThenFail process
		return err
	}
	if err := os.WriteFile(filepath.Join(pidDir, "missing", "pid"), nil, 0o644); err != nil {
		return err
	}
	return cmd.Wait()
}

// KillNoWait starts name and kills it when it is not wanted, without
// reaping it.
func KillNoWait(name string) error {
	cmd := exec.Command(name, "10")
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Kill() // lgtest:confirms cmdwait TestKillNoWait process
}

// StartRelease starts name and lets it go: Release does not reap.
func StartRelease(name string) error {
	p, err := os.StartProcess(name, []string{name}, &os.ProcAttr{}) // lgtest:confirms cmdwait TestStartRelease process
	if err != nil {
		return err
	}
	return p.Release()
}

// Background starts name with a stdout pipe nobody reads and waits for it in
// the background: once the child fills the pipe, neither ever ends.
func Background(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	if _, err := cmd.StdoutPipe(); err != nil { // lgtest:confirms pipedrain TestBackground pipe process
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

// Collect runs name with both streams on the write end of an os.Pipe it
// keeps open itself, so the reader never sees EOF; it gives up at the
// deadline.
func Collect(name string, args ...string) (string, error) {
	r, w, err := os.Pipe() // lgtest:confirms pipedrain TestCollect pipe
	if err != nil {
		return "", err
	}
	defer r.Close()
	cmd := exec.Command(name, args...)
	cmd.Stdout = w
	cmd.Stderr = w
	if err := cmd.Start(); err != nil {
		w.Close()
		return "", err
	}
	r.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	out, readErr := io.ReadAll(r)
	if err := cmd.Wait(); err != nil {
		return "", err
	}
	return string(out), readErr
}

// Upper copies what a producer writes through an io.Pipe whose writer is
// never closed: the copying goroutine waits for EOF forever.
func Upper(dst io.Writer, s string) {
	pr, pw := io.Pipe() // lgtest:confirms pipedrain TestUpper iopipe
	go io.Copy(dst, pr)
	pw.Write([]byte(strings.ToUpper(s)))
}

// Serve listens and forgets to close the listener when the handler fails.
func Serve(handle func(net.Listener) error) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // lgtest:missed TestServe socket
	if err != nil {
		return err
	}
	if err := handle(ln); err != nil {
		return err
	}
	return ln.Close()
}

// FirstLine opens name and returns early without closing it.
func FirstLine(name string) (string, error) {
	f, err := os.Open(name) // lgtest:missed TestFirstLine file
	if err != nil {
		return "", err
	}
	var b [64]byte
	n, err := f.Read(b[:])
	if err != nil {
		return "", err
	}
	line, _, ok := strings.Cut(string(b[:n]), "\n")
	if !ok {
		return "", errors.New("no line")
	}
	return line, f.Close()
}
