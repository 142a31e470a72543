// Package clean does the work of package leaky correctly: lifeguard reports
// nothing here, and its tests, which call runtimecheck.Check, pass. Run many
// times (-count) they show that the overlay and runtimecheck make no false
// report on code that cleans up.
package clean

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// StartThenFail kills and waits for the child on the failed step.
func StartThenFail(name, pidDir string) error {
	cmd := exec.Command(name)
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(pidDir, "missing", "pid"), nil, 0o644); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return err
	}
	return cmd.Wait()
}

// KillAndWait kills the child and reaps it.
func KillAndWait(name string) error {
	cmd := exec.Command(name, "10")
	if err := cmd.Start(); err != nil {
		return err
	}
	cmd.Process.Kill()
	cmd.Wait() // says the child was killed: no news
	return nil
}

// StartWait starts a process with os.StartProcess and waits for it.
func StartWait(name string) error {
	p, err := os.StartProcess(name, []string{name}, &os.ProcAttr{})
	if err != nil {
		return err
	}
	_, err = p.Wait()
	return err
}

// Count reads the child's stdout to EOF, then waits.
func Count(name string, args ...string) (int64, error) {
	cmd := exec.Command(name, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	n, copyErr := io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		return 0, err
	}
	return n, copyErr
}

// Collect closes its copy of the write end once the child has its own.
func Collect(name string, args ...string) (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	cmd := exec.Command(name, args...)
	cmd.Stdout = w
	cmd.Stderr = w
	err = cmd.Start()
	w.Close()
	if err != nil {
		return "", err
	}
	out, readErr := io.ReadAll(r)
	if err := cmd.Wait(); err != nil {
		return "", err
	}
	return string(out), readErr
}

// Upper closes the pipe's writer and waits for the copy.
func Upper(dst io.Writer, s string) error {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(dst, pr)
		done <- err
	}()
	pw.Write([]byte(strings.ToUpper(s)))
	pw.Close()
	return <-done
}

// Serve closes the listener whatever the handler does.
func Serve(handle func(net.Listener) error) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	return handle(ln)
}

// Echo dials a listener, writes and reads back, closing both ends.
func Echo(msg string) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c)
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return "", err
	}
	defer c.Close()
	if _, err := io.WriteString(c, msg+"\n"); err != nil {
		return "", err
	}
	return bufio.NewReader(c).ReadString('\n')
}

// FirstLine closes the file on every path.
func FirstLine(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b [64]byte
	n, err := f.Read(b[:])
	if err != nil {
		return "", err
	}
	line, _, ok := strings.Cut(string(b[:n]), "\n")
	if !ok {
		return "", errors.New("no line")
	}
	return line, nil
}

// Lines runs a shell pipeline and returns its output lines.
func Lines(script string) ([]string, error) {
	out, err := exec.Command("sh", "-c", script).Output()
	return strings.Fields(string(bytes.TrimSpace(out))), err
}
