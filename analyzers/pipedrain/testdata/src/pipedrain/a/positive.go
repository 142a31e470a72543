package a

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"strings"
)

func neverRead() error {
	cmd := exec.Command("ls", "-R", "/")
	if _, err := cmd.StdoutPipe(); err != nil { // want `stdout pipe of cmd is never read, closed or handed off: the child blocks once the 64 KiB pipe buffer fills and cmd.Wait never returns; read it to EOF before cmd.Wait`
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}

// packer#7814: the pipe is drained only when verbose.
func readOnlyWhenVerbose(verbose bool) error {
	cmd := exec.Command("make")
	out, err := cmd.StdoutPipe() // want `stdout pipe of cmd is not read on the path to cmd.Wait at positive.go:35`
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if verbose {
		io.Copy(os.Stdout, out)
	}
	return cmd.Wait()
}

func runAfterPipe() ([]byte, error) {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Run(); err != nil { // want `cmd.Run after cmd.StdoutPipe at positive.go:40: Run waits for the child and closes the pipe before it can be read; use cmd.Start, read the pipe, then cmd.Wait`
		return nil, err
	}
	return io.ReadAll(out)
}

// algorand#771: Wait first, then read what is left.
func waitThenRead() ([]byte, error) {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	if err := cmd.Wait(); err != nil { // want `cmd.Wait before the reads of stdout at positive.go:63 complete: Wait closes the pipe and the output is cut short; finish reading, then call cmd.Wait`
		return nil, err
	}
	return io.ReadAll(out)
}

func scannerAfterWait() ([]string, error) {
	cmd := exec.Command("ls")
	out, _ := cmd.StdoutPipe()
	sc := bufio.NewScanner(out)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	err := cmd.Wait() // want `cmd.Wait before the reads of stdout at positive.go:75 complete`
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, err
}

// kopia#293, go-plugin#116: the reader goroutine races Wait.
func readerGoroutineRacesWait() error {
	cmd := exec.Command("ls")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			println(sc.Text())
		}
	}()
	return cmd.Wait() // want `cmd.Wait does not wait for the goroutine reading stderr \(started at positive.go:91\): Wait closes the pipe while it is read and the output is cut short; wait for the reader to finish, then call cmd.Wait`
}

// jasper#203: Wait in a goroutine started before the scanner.
func goWaitRacesReader() (lines []string, err error) {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go cmd.Wait() // want `go cmd.Wait\(\) races the reader of stdout at positive.go:112: Wait closes the pipe while it is read and the output is cut short; call cmd.Wait after the reads finish`
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, nil
}

// golang/go#16787: stderr then stdout in one goroutine.
func sequentialReads() (string, string, error) {
	cmd := exec.Command("build")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", "", err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", "", err
	}
	if err := cmd.Start(); err != nil {
		return "", "", err
	}
	errb, _ := io.ReadAll(stderr) // want `stderr and stdout of cmd are read to EOF one after the other \(stdout at positive.go:133\): once the child fills the 64 KiB stdout pipe, both sides block forever; read one in a goroutine or set cmd.Stdout to a bytes.Buffer`
	outb, _ := io.ReadAll(stdout)
	return string(outb), string(errb), cmd.Wait()
}

// robotest#114: stdin is closed only when the function returns, after Wait.
func stdinClosedTooLate(input string) error {
	cmd := exec.Command("sort")
	stdin, err := cmd.StdinPipe() // want `stdin pipe of cmd is not closed on the path to cmd.Wait at positive.go:149: a child reading stdin to EOF never exits and cmd.Wait blocks; close it when done writing`
	if err != nil {
		return err
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		return err
	}
	io.WriteString(stdin, input)
	return cmd.Wait()
}

func stdinNeverClosedRun(input string) ([]byte, error) {
	cmd := exec.Command("sort")
	stdin, err := cmd.StdinPipe() // want `stdin pipe of cmd is not closed on the path to cmd.Output at positive.go:159`
	if err != nil {
		return nil, err
	}
	stdin.Write([]byte(input))
	return cmd.Output()
}

// cri-o#3252: the parent keeps the child's write end and never sees EOF.
func osPipeWriteEndKept() ([]byte, error) {
	r, w, err := os.Pipe() // want `the write end of os.Pipe is given to the child and still open in the parent when the read end is read at positive.go:174: the reader never sees EOF; close it right after cmd.Start`
	if err != nil {
		return nil, err
	}
	defer w.Close()
	cmd := exec.Command("ls")
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return out, cmd.Wait()
}

// golang/go#10338: the writer goroutine never closes the pipe.
func ioPipeNeverClosed(lines []string) error {
	pr, pw := io.Pipe() // want `io.Pipe writer is never closed: the reader blocks forever waiting for EOF; call Close or CloseWithError on the writer when done writing`
	go func() {
		for _, l := range lines {
			io.WriteString(pw, l+"\n")
		}
	}()
	cmd := exec.Command("sort")
	cmd.Stdin = pr
	return cmd.Run()
}

func ioPipeGivenToCmd() (string, error) {
	pr, pw := io.Pipe() // want `io.Pipe writer is never closed`
	cmd := exec.Command("ls")
	cmd.Stdout = pw
	if err := cmd.Start(); err != nil {
		return "", err
	}
	var sb strings.Builder
	go io.Copy(&sb, pr)
	return sb.String(), cmd.Wait()
}

// mongodb/jasper#203: a goroutine waits for the command while the caller
// is still scanning its output.
func goroutineWaitRacesScanner(done chan<- error) (lines []string, err error) {
	cmd := exec.Command("ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { // want `the goroutine calling cmd.Wait races the reader of stdout at positive.go:221: Wait closes the pipe while it is read and the output is cut short; call cmd.Wait after the reads finish`
		done <- cmd.Wait()
	}()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, nil
}

// kubestellar/console#7960: the child's stderr goes into an os.Pipe that
// is never read.
func osPipeNeverRead() error {
	_, w, err := os.Pipe() // want `the read end of os.Pipe is never read, closed or handed off while its write end is given to the child: the child blocks once the 64 KiB pipe buffer fills; read the read end to EOF, or give the child a file or bytes.Buffer`
	if err != nil {
		return err
	}
	cmd := exec.Command("make")
	cmd.Stderr = w
	if err := cmd.Start(); err != nil {
		return err
	}
	w.Close()
	return cmd.Wait()
}
