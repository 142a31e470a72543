// Package regress holds code that pipedrain once reported wrongly, each case
// named after where it was found.
package regress

import (
	"bufio"
	"compress/flate"
	"io"
	"os/exec"
	"testing"
)

// os/exec TestPipeLookPathLeak: pipes taken only to check that a failing
// Run releases them.
func pipesForSideEffect(t *testing.T) {
	cmd := exec.Command("something-that-does-not-exist-executable")
	cmd.StdoutPipe()
	cmd.StderrPipe()
	cmd.StdinPipe()
	if err := cmd.Run(); err == nil {
		t.Fatal("unexpected success")
	}
}

// compress/flate Example_synchronization: the reader reads a self-delimiting
// stream and never waits for the pipe's EOF.
func selfDelimiting(msgs []string) {
	rp, wp := io.Pipe()
	go func() {
		zw, _ := flate.NewWriter(wp, flate.BestSpeed)
		for _, m := range msgs {
			zw.Write([]byte(m))
			zw.Flush()
		}
		zw.Close()
	}()
	zr := flate.NewReader(rp)
	b := make([]byte, 256)
	for {
		if _, err := io.ReadFull(zr, b[:1]); err != nil {
			break
		}
	}
}

// io TestPipeCloseError: the read side closes the pipe; nobody waits for EOF.
func readerClosed() {
	r, w := io.Pipe()
	r.CloseWithError(io.ErrUnexpectedEOF)
	w.Write(nil)
}

// io TestPipeConcurrent: partial reads of a known length.
func partialReads(n int) {
	r, w := io.Pipe()
	go func() { w.Write(make([]byte, n)) }()
	r.Read(make([]byte, n))
}

// codeskyblue/go-sh pipe.go: the io.Pipe writer goes into the Stdout of a
// command the session keeps; the session's Wait closes cmd.Stdout.
type session struct{ cmds []*exec.Cmd }

func (s *session) start() error {
	var rd *io.PipeReader
	var wr *io.PipeWriter
	for i, cmd := range s.cmds {
		if i > 0 {
			cmd.Stdin = rd
		}
		rd, wr = io.Pipe()
		cmd.Stdout = wr
		if err := cmd.Start(); err != nil {
			return err
		}
	}
	return nil
}

func (s *session) wait() error {
	for _, cmd := range s.cmds {
		cmd.Wait()
		if wr, ok := cmd.Stdout.(*io.PipeWriter); ok {
			wr.Close()
		}
	}
	return nil
}

// codeskyblue/go-sh TestPipeCommand: the writer is closed through the
// command's Stdout field after Wait.
func closedThroughCmdField() {
	c1 := exec.Command("echo", "good")
	rd, wr := io.Pipe()
	c1.Stdout = wr
	c2 := exec.Command("cat", "-n")
	c2.Stdin = rd
	c1.Start()
	c2.Start()
	c1.Wait()
	if wc, ok := c1.Stdout.(io.WriteCloser); ok {
		wc.Close()
	}
	c2.Wait()
}

// net/http BenchmarkServer: a goroutine waits for a long-running child
// while the caller reads the one line the child prints on start-up; the
// child exits only when told to, after that read.
func handshakeLine(stop func(string)) (string, error) {
	cmd := exec.Command("server")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() {
		done <- cmd.Wait()
	}()
	bs := bufio.NewScanner(stdout)
	if !bs.Scan() {
		return "", bs.Err()
	}
	stop(bs.Text())
	return bs.Text(), <-done
}

// io/pipe_test.go TestPipeConcurrent: reads in a loop bounded by a counter
// read a known length, even when each read's error is checked; the loop does
// not wait for EOF, so the writers need not close.
func countedReads(t interface{ Errorf(string, ...any) }, count, size int) {
	r, w := io.Pipe()
	for i := 0; i < count; i++ {
		go func() { w.Write(make([]byte, size)) }()
	}
	buf := make([]byte, count*size)
	for i := 0; i < len(buf); i += 2 {
		if n, err := r.Read(buf[i : i+2]); n != 2 || err != nil {
			t.Errorf("Read() = %d, %v", n, err)
		}
	}
}

// The same loop, ending when the read fails, reads to EOF.
func readsUntilError() {
	r, w := io.Pipe() // want `io.Pipe writer is never closed`
	go func() { w.Write([]byte("x")) }()
	buf := make([]byte, 2)
	for {
		if _, err := r.Read(buf); err != nil {
			break
		}
	}
}
