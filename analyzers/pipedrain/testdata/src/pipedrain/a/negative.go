package a

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"

	"pipedrain/errgroup"
	"pipedrain/helpers"
)

func returnsPipe() (io.ReadCloser, *exec.Cmd, error) { // want returnsPipe:`returns\(cmd1 started cleanup StdoutPipe0\)`
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	return out, cmd, cmd.Start()
}

type proc struct {
	cmd    *exec.Cmd
	stdout io.ReadCloser
	stdin  io.WriteCloser
}

func (p *proc) start() error {
	p.cmd = exec.Command("cat")
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return err
	}
	p.stdout = out
	in, err := p.cmd.StdinPipe()
	if err != nil {
		return err
	}
	p.stdin = in
	return p.cmd.Start()
}

func (p *proc) stop() ([]byte, error) {
	p.stdin.Close()
	b, err := io.ReadAll(p.stdout)
	if err != nil {
		return nil, err
	}
	return b, p.cmd.Wait()
}

func startLocal() (*proc, error) {
	cmd := exec.Command("cat")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &proc{cmd: cmd, stdout: out, stdin: in}, nil
}

var pipes = map[string]io.Reader{}

func storedInMap(name string) error {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	pipes[name] = out
	return cmd.Start()
}

func storedInSlice(readers []io.Reader) ([]io.Reader, error) {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	return append(readers, out), cmd.Start()
}

func sentOnChannel(ch chan<- io.Reader) error {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	ch <- out
	return cmd.Start()
}

func drainHere(r io.Reader) error { // want drainHere:`params\(reads\[0\] drains\[0\] borrows\[0\]\)`
	_, err := io.Copy(io.Discard, r)
	return err
}

func helperSamePackage() error {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := drainHere(out); err != nil {
		return err
	}
	return cmd.Wait()
}

func helperOtherPackage(input string) error {
	cmd := exec.Command("sort")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go helpers.Feed(in, input)
	if err := helpers.LogLines("sort", out); err != nil {
		return err
	}
	return cmd.Wait()
}

func scannerLoop() ([]string, error) {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var lines []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, cmd.Wait()
}

func jsonDecoder(v any) error {
	cmd := exec.Command("go", "list", "-json")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := json.NewDecoder(out).Decode(v); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return err
	}
	return cmd.Wait()
}

func readAllThenWait() ([]byte, error) {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(out)
	if err != nil {
		return nil, err
	}
	return b, cmd.Wait()
}

// Both pipes read concurrently, and Wait only after both readers finish.
func concurrentReadsWaitGroup() (string, string, error) {
	cmd := exec.Command("build")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		return "", "", err
	}
	var wg sync.WaitGroup
	var errb []byte
	wg.Add(1)
	go func() {
		defer wg.Done()
		errb, _ = io.ReadAll(stderr)
	}()
	outb, _ := io.ReadAll(stdout)
	wg.Wait()
	return string(outb), string(errb), cmd.Wait()
}

func concurrentReadsChannel() (string, error) {
	cmd := exec.Command("build")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(stderr)
		done <- b
	}()
	outb, _ := io.ReadAll(stdout)
	errb := <-done
	return string(outb) + string(errb), cmd.Wait()
}

func errgroupHelper() error {
	cmd := exec.Command("build")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		return err
	}
	var g errgroup.Group
	g.Go(func() error { _, err := io.Copy(os.Stdout, stdout); return err })
	g.Go(func() error { _, err := io.Copy(os.Stderr, stderr); return err })
	if err := g.Wait(); err != nil {
		return err
	}
	return cmd.Wait()
}

// The goroutine that finished reading is the one that waits.
func waitInReaderGoroutine(done chan<- error) error {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		io.Copy(os.Stdout, out)
		done <- cmd.Wait()
	}()
	return nil
}

func startDeferredWait() error {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait()
	_, err = io.Copy(os.Stdout, out)
	return err
}

func buffers() (string, error) {
	var out, errb bytes.Buffer
	cmd := exec.Command("ls")
	cmd.Stdout = &out
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return errb.String(), err
	}
	b, err := exec.Command("date").Output()
	return out.String() + string(b), err
}

func osFileStdio() error {
	cmd := exec.Command("ls")
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

func stdinClosedBeforeWait(input string) error {
	cmd := exec.Command("sort")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	io.WriteString(stdin, input)
	stdin.Close()
	return cmd.Wait()
}

// The os/exec documentation's own StdinPipe example.
func stdinWriterGoroutine(input string) ([]byte, error) {
	cmd := exec.Command("cat")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	go func() {
		defer stdin.Close()
		io.WriteString(stdin, input)
	}()
	return cmd.CombinedOutput()
}

func osPipeClosedAfterStart() ([]byte, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command("ls")
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, err
	}
	w.Close()
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return out, cmd.Wait()
}

func osPipeExtraFiles() ([]byte, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("sh", "-c", "echo hi >&3")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	w.Close()
	out, _ := io.ReadAll(r)
	return out, cmd.Wait()
}

func ioPipeClosed(lines []string) error {
	pr, pw := io.Pipe()
	go func() {
		defer pw.Close()
		for _, l := range lines {
			io.WriteString(pw, l+"\n")
		}
	}()
	cmd := exec.Command("sort")
	cmd.Stdin = pr
	return cmd.Run()
}

func ioPipeCloseWithError(src io.Reader) error { // want ioPipeCloseWithError:`params\(reads\[0\] drains\[0\] borrows\[0\]\)`
	pr, pw := io.Pipe()
	go func() {
		_, err := io.Copy(pw, src)
		pw.CloseWithError(err)
	}()
	_, err := io.Copy(io.Discard, pr)
	return err
}

func ioPipeHandedOff() (io.Reader, io.WriteCloser) {
	pr, pw := io.Pipe()
	return pr, pw
}

func loopPipes(args [][]string) error {
	for _, a := range args {
		cmd := exec.Command(a[0], a[1:]...)
		out, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		if _, err := io.Copy(os.Stdout, out); err != nil {
			cmd.Wait()
			return err
		}
		if err := cmd.Wait(); err != nil {
			return err
		}
	}
	return nil
}

func generic[T io.Writer](dst T, name string) error { // want generic:`params\(borrows\[0\]\)`
	cmd := exec.Command(name)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	io.Copy(dst, out)
	return cmd.Wait()
}

func rangeOverFunc(seq func(func(string) bool)) error {
	for name := range seq {
		cmd := exec.Command(name)
		out, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		b, _ := io.ReadAll(out)
		_ = strings.TrimSpace(string(b))
		if err := cmd.Wait(); err != nil {
			return err
		}
	}
	return nil
}

func pipeParam(cmd *exec.Cmd) ([]byte, error) {
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(out)
	if err != nil {
		return nil, err
	}
	return b, cmd.Wait()
}
