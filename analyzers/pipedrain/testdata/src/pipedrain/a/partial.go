package a

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"

	"pipedrain/helpers"
)

// Partial reads: the pipe is read only partly and neither drained nor
// closed before Wait.

func oneLineThenWait() (string, error) {
	cmd := exec.Command("git", "log")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Wait() // the read failed: the pipe is at EOF or broken
		return "", err
	}
	return line, cmd.Wait() // want `stdout pipe of cmd is read only partly at partial.go:27 and neither read to EOF nor closed before cmd.Wait: a child that writes more than the 64 KiB pipe buffer blocks, and Wait never returns; read the rest \(io.Copy\(io.Discard, r\)\) or close the pipe before cmd.Wait`
}

func scanOnce() (string, error) {
	cmd := exec.Command("ls", "-R", "/")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		return "", cmd.Wait() // Scan false: EOF or an error
	}
	first := sc.Text()
	return first, cmd.Wait() // want `stdout pipe of cmd is read only partly at partial.go:42`
}

func scanLoopBreaks(want string) (bool, error) {
	cmd := exec.Command("ls", "-R", "/")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return false, err
	}
	found := false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.Contains(sc.Text(), want) {
			found = true
			break
		}
	}
	return found, cmd.Wait() // want `stdout pipe of cmd is read only partly at partial.go:57`
}

func readFullHeader() ([]byte, error) {
	cmd := exec.Command("dump")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	hdr := make([]byte, 16)
	if _, err := io.ReadFull(out, hdr); err != nil {
		return nil, err
	}
	return hdr, cmd.Wait() // want `stdout pipe of cmd is read only partly at partial.go:73`
}

func readOnce() ([]byte, error) {
	cmd := exec.Command("dump")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	buf := make([]byte, 512)
	n, _ := stderr.Read(buf)
	err := cmd.Wait() // want `stderr pipe of cmd is read only partly at partial.go:86`
	return buf[:n], err
}

func copyN(w io.Writer) error { // want copyN:`params\(borrows\[0\]\)`
	cmd := exec.Command("dump")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return err
	}
	if _, err := io.CopyN(w, out, 1024); err != nil {
		return err
	}
	return cmd.Wait() // want `stdout pipe of cmd is read only partly at partial.go:97`
}

func limitReader() ([]byte, error) {
	cmd := exec.Command("dump")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(out, 1<<20))
	if err != nil {
		return nil, err
	}
	return b, cmd.Wait() // want `stdout pipe of cmd is read only partly at partial.go:109`
}

// A later hand-off of the pipe does not undo the partial read before it.
type session struct{ out io.Reader }

func partialThenStored(s *session) (string, error) {
	cmd := exec.Command("dump")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	err := cmd.Wait() // want `stdout pipe of cmd is read only partly at partial.go:125`
	s.out = out
	return line, err
}

// Not findings.

func partialThenDiscard() (string, error) {
	cmd := exec.Command("dump")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	br := bufio.NewReader(out)
	line, _ := br.ReadString('\n')
	io.Copy(io.Discard, br)
	return line, cmd.Wait()
}

func partialThenDiscardHelper() (string, error) {
	cmd := exec.Command("dump")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	helpers.Discard(out)
	return line, cmd.Wait()
}

// Closing the read end makes the child's next write fail with SIGPIPE or
// EPIPE: it exits and Wait returns.
func partialThenClose() (string, error) {
	cmd := exec.Command("dump")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	out.Close()
	return line, cmd.Wait()
}

func partialThenKill() (string, error) {
	cmd := exec.Command("server")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	sc := bufio.NewScanner(out)
	sc.Scan()
	addr := sc.Text()
	cmd.Process.Kill()
	return addr, cmd.Wait()
}

func partialThenCancel() (string, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, "server")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	cancel()
	cmd.Wait()
	return line, nil
}

func partialThenDrainGoroutine() (string, error) {
	cmd := exec.Command("server")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	br := bufio.NewReader(out)
	line, _ := br.ReadString('\n')
	done := make(chan struct{})
	go func() {
		io.Copy(os.Stdout, br)
		close(done)
	}()
	<-done
	return line, cmd.Wait()
}

// A scan loop with no early exit reads to EOF.
func scanLoopToEOF() (n int, err error) {
	cmd := exec.Command("ls")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		n++
	}
	return n, cmd.Wait()
}

func readStringLoopToEOF() (lines []string, err error) {
	cmd := exec.Command("ls")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	br := bufio.NewReader(out)
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		lines = append(lines, line)
	}
	return lines, cmd.Wait()
}

// A header line, then the rest in a loop to EOF.
func headerThenLoop() (string, []string, error) {
	cmd := exec.Command("ps")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	sc := bufio.NewScanner(out)
	sc.Scan()
	header := sc.Text()
	var rows []string
	for sc.Scan() {
		rows = append(rows, sc.Text())
	}
	return header, rows, cmd.Wait()
}

// A decoder reads the child's one self-delimiting result.
func decodeOnce(v any) error {
	cmd := exec.Command("go", "env", "-json")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := json.NewDecoder(out).Decode(v); err != nil {
		return err
	}
	return cmd.Wait()
}

// A later hand-off of the command does not hide the write end the parent
// kept open before it: the read had already blocked.
type runner struct{ cmd *exec.Cmd }

func osPipeCmdStoredLater(rn *runner) ([]byte, error) {
	r, w, err := os.Pipe() // want `the write end of os.Pipe is given to the child and still open in the parent when the read end is read at partial.go:294`
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("ls")
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	out, err := io.ReadAll(r)
	rn.cmd = cmd
	return out, err
}

// Handed off before the read: the new owner may close it.
func osPipeCmdStoredFirst(rn *runner) ([]byte, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("ls")
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	rn.cmd = cmd
	return io.ReadAll(r)
}

// topolvm/topolvm#1171: the decoder failed on malformed output and left
// the rest of it in the pipe.
func decodeErrorThenWait(v any) error {
	cmd := exec.Command("lvm", "fullreport", "--reportformat", "json")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := json.NewDecoder(out).Decode(v); err != nil {
		cmd.Wait() // want `stdout pipe of cmd is read only partly at partial.go:322`
		return err
	}
	return cmd.Wait()
}

func decodeErrorDrained(v any) error {
	cmd := exec.Command("lvm", "fullreport", "--reportformat", "json")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return err
	}
	err := json.NewDecoder(out).Decode(v)
	io.Copy(io.Discard, out)
	if werr := cmd.Wait(); err == nil {
		err = werr
	}
	return err
}

// The deferred Wait runs at the return, after the one line read.
func deferredWaitAfterLine() (string, error) {
	cmd := exec.Command("dump")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	defer cmd.Wait() // want `stdout pipe of cmd is read only partly at partial.go:352`
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		return "", sc.Err()
	}
	return sc.Text(), nil
}

func deferredWaitDrained() (string, error) {
	cmd := exec.Command("dump")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	defer cmd.Wait()
	defer io.Copy(io.Discard, out)
	sc := bufio.NewScanner(out)
	sc.Scan()
	return sc.Text(), nil
}

// The pipe is kept in a struct only after Wait: the Wait still ran with
// the pipe unread.
type job struct {
	cmd *exec.Cmd
	out io.Reader
}

func storedAfterWait() (*job, error) {
	cmd := exec.Command("dump")
	out, err := cmd.StdoutPipe() // want `stdout pipe of cmd is not read on the path to cmd.Wait at partial.go:387`
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	if err := cmd.Wait(); err != nil {
		return nil, err
	}
	return &job{cmd: cmd, out: out}, nil
}
