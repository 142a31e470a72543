// Package factory calls factories of its own and of pipedrain/factorylib:
// the pipes a factory returns with its command are checked as if taken at
// the call.
package factory

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"

	"pipedrain/factorylib"
)

// Positives through a factory in another package.

func neverRead() error {
	cmd, stdout, stderr, err := factorylib.StartCmd("make") // want `stdout pipe of cmd returned by factorylib.StartCmd \(result 1\) is never read, closed or handed off: the child blocks once the 64 KiB pipe buffer fills and cmd.Wait never returns; read it to EOF before cmd.Wait`
	if err != nil {
		return err
	}
	if stdout == nil {
		return nil
	}
	io.Copy(os.Stderr, stderr)
	return cmd.Wait()
}

func readOnlyWhenVerbose(verbose bool) error {
	cmd, stdout, _, err := factorylib.StartCmd("make") // want `stdout pipe of cmd returned by factorylib.StartCmd \(result 1\) is not read on the path to cmd.Wait at factory.go:\d+: the child blocks`
	if err != nil {
		return err
	}
	if verbose {
		io.Copy(os.Stdout, stdout)
	}
	return cmd.Wait()
}

func waitBeforeRead() ([]byte, error) {
	cmd, stdout, _, err := factorylib.StartCmd("git", "log")
	if err != nil {
		return nil, err
	}
	if err := cmd.Wait(); err != nil { // want `cmd.Wait before the reads of stdout at factory.go:\d+ complete: Wait closes the pipe and the output is cut short`
		return nil, err
	}
	return io.ReadAll(stdout)
}

func goWaitRacesDecode(v any) error {
	cmd, stdout, _, err := factorylib.StartCmd("tool", "-json")
	if err != nil {
		return err
	}
	go cmd.Wait() // want `go cmd.Wait\(\) races the reader of stdout at factory.go:\d+: Wait closes the pipe while it is read`
	return json.NewDecoder(stdout).Decode(v)
}

func multiReader() error {
	cmd, stdout, stderr, err := factorylib.StartCmd("make")
	if err != nil {
		return err
	}
	io.Copy(os.Stdout, io.MultiReader(stdout, stderr)) // want `io.MultiReader reads the stdout and stderr pipes of cmd one after the other`
	return cmd.Wait()
}

func firstLine() (string, error) {
	cmd, stdout, _, err := factorylib.StartCmd("tool", "version")
	if err != nil {
		return "", err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return "", err
	}
	if err := cmd.Wait(); err != nil { // want `stdout pipe of cmd returned by factorylib.StartCmd \(result 1\) is read only partly at factory.go:\d+ and neither read to EOF nor closed before cmd.Wait`
		return "", err
	}
	return strings.TrimSpace(line), nil
}

func stdinNeverClosed(data []byte) ([]byte, error) {
	cmd, stdin, stdout, err := factorylib.StartFilter("sort") // want `stdin pipe of cmd returned by factorylib.StartFilter \(result 1\) is not closed on the path to cmd.Wait at factory.go:\d+: a child reading stdin to EOF never exits`
	if err != nil {
		return nil, err
	}
	go stdin.Write(data)
	out, err := io.ReadAll(stdout)
	if err != nil {
		return nil, err
	}
	return out, cmd.Wait()
}

func runAfterFactoryPipe() ([]byte, error) {
	cmd, out := factorylib.NewCmd("ls")
	if err := cmd.Run(); err != nil { // want `cmd.Run after factorylib.NewCmd took its stdout pipe at factory.go:\d+: Run waits for the child and closes the pipe before it can be read`
		return nil, err
	}
	return io.ReadAll(out)
}

// Hard negatives.

func drainsBothAndWaits() (string, string, error) {
	cmd, stdout, stderr, err := factorylib.StartCmd("make")
	if err != nil {
		return "", "", err
	}
	var outBuf, errBuf bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.Copy(&errBuf, stderr)
	}()
	io.Copy(&outBuf, stdout)
	wg.Wait()
	err = cmd.Wait()
	return outBuf.String(), errBuf.String(), err
}

func pipeline() ([]byte, error) {
	ls, stdout, _, err := factorylib.StartCmd("ls")
	if err != nil {
		return nil, err
	}
	grep := exec.Command("grep", "go")
	grep.Stdin = stdout
	out, err := grep.Output()
	if err != nil {
		return nil, err
	}
	return out, ls.Wait()
}

func closesThePipes(data []byte) ([]byte, error) {
	cmd, stdin, stdout, err := factorylib.StartFilter("sort")
	if err != nil {
		return nil, err
	}
	go func() {
		stdin.Write(data)
		stdin.Close()
	}()
	out, err := io.ReadAll(stdout)
	if err != nil {
		return nil, err
	}
	return out, cmd.Wait()
}

func closesAfterFirstLine() (string, error) {
	cmd, stdout, _, err := factorylib.StartCmd("tool", "version")
	if err != nil {
		return "", err
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	stdout.Close()
	return line, cmd.Wait()
}

func killsBeforeWait() (string, error) {
	cmd, stdout, _, err := factorylib.StartCmd("server")
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(stdout)
	sc.Scan()
	addr := sc.Text()
	cmd.Process.Kill()
	cmd.Wait()
	return addr, nil
}

func startsReadsWaits() ([]byte, error) {
	cmd, out := factorylib.NewCmd("ls")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(out)
	if err != nil {
		return nil, err
	}
	return b, cmd.Wait()
}

func pipeKeptBySink(s *factorylib.Sink) error {
	cmd := factorylib.NewLogged("ls", s)
	return cmd.Run()
}

func drainedByFactory() error {
	cmd, err := factorylib.StartCopying("ls")
	if err != nil {
		return err
	}
	return cmd.Wait()
}

// Factories of this package, and their callers.

type runner struct{ dir string }

func (r *runner) command(args ...string) (*exec.Cmd, io.ReadCloser, error) { // want command:`returns\(cmd0 cleanup StdoutPipe1\)`
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	out, err := cmd.StdoutPipe()
	return cmd, out, err
}

func (r *runner) output(args ...string) ([]byte, error) {
	cmd, out, err := r.command(args...)
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

func (r *runner) run(args ...string) ([]byte, error) {
	cmd, out, err := r.command(args...)
	if err != nil {
		return nil, err
	}
	if err := cmd.Run(); err != nil { // want `cmd.Run after r.command took its stdout pipe at factory.go:\d+: Run waits for the child`
		return nil, err
	}
	return io.ReadAll(out)
}

func startLocal(name string) (*exec.Cmd, io.ReadCloser, io.ReadCloser, error) { // want startLocal:`returns\(cmd0 started cleanup StdoutPipe1 StderrPipe2\)`
	return factorylib.StartCmd(name)
}

func sequentialThroughLocal() ([]byte, []byte, error) {
	cmd, stdout, stderr, err := startLocal("make")
	if err != nil {
		return nil, nil, err
	}
	out, _ := io.ReadAll(stdout) // want `stdout and stderr of cmd are read to EOF one after the other`
	errOut, _ := io.ReadAll(stderr)
	return out, errOut, cmd.Wait()
}

type session struct {
	cmd    *exec.Cmd
	stdout io.ReadCloser
}

// The caller keeps the command and its pipe in a struct: another method
// reads and waits.
func startSession() (*session, error) {
	cmd, stdout, _, err := factorylib.StartCmd("server")
	if err != nil {
		return nil, err
	}
	return &session{cmd: cmd, stdout: stdout}, nil
}

// The goroutine that reads to EOF then waits: the reads are done first.
func readThenWaitInGoroutine() <-chan error {
	done := make(chan error, 1)
	cmd, stdout, _, err := factorylib.StartCmd("make")
	if err != nil {
		done <- err
		return done
	}
	go func() {
		io.Copy(os.Stdout, stdout)
		done <- cmd.Wait()
	}()
	return done
}

// The pipe given to a helper that drains it.
func drainedByHelper() error {
	cmd, stdout, _, err := factorylib.StartCmd("make")
	if err != nil {
		return err
	}
	discard(stdout)
	return cmd.Wait()
}

func discard(r io.Reader) { io.Copy(io.Discard, r) } // want discard:`params\(reads\[0\] drains\[0\] borrows\[0\]\)`

// Ownership is flow-sensitive: the struct that keeps the pipe comes only
// after the Wait that read it too late.
func waitThenKeep() (*session, error) {
	cmd, stdout, _, err := factorylib.StartCmd("tool")
	if err != nil {
		return nil, err
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	err = cmd.Wait() // want `stdout pipe of cmd returned by factorylib.StartCmd \(result 1\) is read only partly`
	_ = line
	return &session{cmd: cmd, stdout: stdout}, err
}
