// Package leaky makes, on purpose, the leaks lifeguard's analyzers report:
// each function leaks one kind of resource the way real code does. Its
// tests call runtimecheck.Check and fail; runtimecheck's tests run them
// (they are not part of go test ./...) and check what the reports say.
// Package clean does the same work correctly.
package leaky

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
)

// keep holds what the functions leak, so that no finalizer closes it while
// a check looks: a leak that the garbage collector would close one day is
// still a leak, but the fixture must not depend on when it runs.
var keep []any

// StartNoWait starts a child and never waits for it: a zombie.
func StartNoWait() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	keep = append(keep, cmd)
	return nil
}

// StdoutNotRead takes the child's stdout and neither reads it nor waits:
// the read end stays open in the parent, the child a zombie.
func StdoutNotRead() error {
	cmd := exec.Command("echo", "hello")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	keep = append(keep, cmd, out)
	return nil
}

// StdinNotClosed writes to the child's stdin and never closes it: cat waits
// for EOF, still running, and the write end stays open.
func StdinNotClosed() error {
	cmd := exec.Command("cat")
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if _, err := io.WriteString(in, "hello\n"); err != nil {
		return err
	}
	keep = append(keep, cmd, in)
	return nil
}

// PipeWriteEndKept gives the write end of an os.Pipe to a child and keeps
// it open in the parent: a reader of r would never see EOF.
func PipeWriteEndKept() (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	cmd := exec.Command("echo", "hello")
	cmd.Stdout = w
	if err := cmd.Run(); err != nil {
		return "", err
	}
	keep = append(keep, w)
	return bufio.NewReader(r).ReadString('\n')
}

// IOPipeWriterNotClosed never closes an io.Pipe's writer: the reading
// goroutine waits for EOF forever. No descriptor is involved; only
// lifeguard test's overlay of package io can see it.
func IOPipeWriterNotClosed() error {
	pr, pw := io.Pipe()
	go io.Copy(io.Discard, pr)
	if _, err := pw.Write([]byte("hello\n")); err != nil {
		return err
	}
	keep = append(keep, pw)
	return nil
}

// ListenerLeft never closes its listener.
func ListenerLeft() (net.Addr, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	keep = append(keep, ln)
	return ln.Addr(), nil
}

// ConnLeft dials addr and never closes the connection.
func ConnLeft(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	keep = append(keep, c)
	return nil
}

// FileLeft reads the first line of a file and never closes it.
func FileLeft(dir string) (string, error) {
	name := filepath.Join(dir, "data.txt")
	if err := os.WriteFile(name, []byte("first line\nsecond\n"), 0o644); err != nil {
		return "", err
	}
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	keep = append(keep, f)
	return bufio.NewReader(f).ReadString('\n')
}
