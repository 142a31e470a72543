// Package clean does the work of package leaky correctly: every child is
// waited for, every pipe, socket and file closed. Its tests call
// runtimecheck.Check (and VerifyTestMain) and must never report anything;
// runtimecheck's tests run them many times to show it.
package clean

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// StartWait starts a child and waits for it.
func StartWait() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}

// StartWaitInGoroutine waits for the child in a goroutine that may still be
// reaping it when the caller returns: the race a check's wait budget is for.
func StartWaitInGoroutine() (<-chan error, error) {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return done, nil
}

// StdoutRead reads the child's stdout to EOF, then waits.
func StdoutRead() (string, error) {
	cmd := exec.Command("echo", "hello")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	b, err := io.ReadAll(out)
	if err != nil {
		cmd.Wait()
		return "", err
	}
	return string(b), cmd.Wait()
}

// StdinClosed writes to the child's stdin, closes it, then waits.
func StdinClosed() (string, error) {
	cmd := exec.Command("cat")
	in, err := cmd.StdinPipe()
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	_, werr := io.WriteString(in, "hello\n")
	in.Close()
	if err := cmd.Wait(); err != nil {
		return "", err
	}
	return out.String(), werr
}

// PipeWriteEndClosed closes its copy of the write end once the child has
// it, so the reader sees EOF when the child exits.
func PipeWriteEndClosed() (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	cmd := exec.Command("echo", "hello")
	cmd.Stdout = w
	err = cmd.Start()
	w.Close()
	if err != nil {
		return "", err
	}
	b, rerr := io.ReadAll(r)
	if err := cmd.Wait(); err != nil {
		return "", err
	}
	return string(b), rerr
}

// IOPipeWriterClosed closes the io.Pipe's writer, so the reader ends.
func IOPipeWriterClosed() error {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, pr)
		done <- err
	}()
	_, err := pw.Write([]byte("hello\n"))
	pw.Close()
	if rerr := <-done; err == nil {
		err = rerr
	}
	return err
}

// Echo serves one TCP echo round trip on a new listener and closes
// everything. The copy between two TCP connections goes through splice(2)
// and the runtime's pool of splice pipes, which outlive the call.
func Echo(msg string) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	served := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			served <- err
			return
		}
		defer c.Close()
		_, err = io.Copy(c, c) // TCPConn.ReadFrom: splice
		served <- err
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return "", err
	}
	defer c.Close()
	if _, err := io.WriteString(c, msg+"\n"); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return "", err
	}
	c.(*net.TCPConn).CloseWrite()
	if err := <-served; err != nil {
		return "", err
	}
	return strings.TrimSuffix(line, "\n"), nil
}

// FileRead reads the first line of a file and closes it.
func FileRead(dir string) (string, error) {
	name := filepath.Join(dir, "data.txt")
	if err := os.WriteFile(name, []byte("first line\nsecond\n"), 0o644); err != nil {
		return "", err
	}
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return bufio.NewReader(f).ReadString('\n')
}

// Output runs a command with Output, which waits.
func Output() (string, error) {
	b, err := exec.Command("echo", "hello").Output()
	return string(b), err
}
