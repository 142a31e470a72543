package a

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"os/exec"
)

// io.MultiReader reads its readers one after the other, each to EOF.

func pagerMultiReader() error {
	cmd := exec.Command("make")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	pager := exec.Command("less")
	pager.Stdin = io.MultiReader(stdout, stderr) // want `io.MultiReader reads the stdout and stderr pipes of cmd one after the other: the second is read only when the first reaches EOF, when the child exits, and once the child fills the 64 KiB buffer of the second, both sides block forever; read each pipe in its own goroutine, or set cmd.Stdout and cmd.Stderr to one writer`
	pager.Stdout = os.Stdout
	if err := pager.Run(); err != nil {
		return err
	}
	return cmd.Wait()
}

func scanMultiReader() (lines []string, err error) {
	cmd := exec.Command("make")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(io.MultiReader(stderr, bufio.NewReader(stdout))) // want `io.MultiReader reads the stdout and stderr pipes of cmd`
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, cmd.Wait()
}

// Not findings: one pipe and a buffer; the pipes of two children, each of
// which runs to its end on its own.

func multiReaderWithBuffer(prefix []byte) ([]byte, error) {
	cmd := exec.Command("ls")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.MultiReader(bytes.NewReader(prefix), stdout))
	if err != nil {
		return nil, err
	}
	return b, cmd.Wait()
}

func multiReaderTwoChildren() ([]byte, error) {
	a := exec.Command("ls", "/a")
	b := exec.Command("ls", "/b")
	outA, _ := a.StdoutPipe()
	outB, _ := b.StdoutPipe()
	if err := a.Start(); err != nil {
		return nil, err
	}
	if err := b.Start(); err != nil {
		a.Process.Kill()
		a.Wait()
		return nil, err
	}
	all, err := io.ReadAll(io.MultiReader(outA, outB))
	a.Wait()
	b.Wait()
	return all, err
}

// Decoders read the pipe: a concurrent Wait closes it under them.

func goWaitRacesDecode(v any) error {
	cmd := exec.Command("go", "list", "-json")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // want `go cmd.Wait\(\) races the reader of stdout at multireader.go:95: Wait closes the pipe while it is read and the output is cut short; call cmd.Wait after the reads finish`
	return json.NewDecoder(out).Decode(v)
}

func goWaitRacesReadBytes(done chan<- error) ([]byte, error) {
	cmd := exec.Command("find", "-print0")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { done <- cmd.Wait() }() // want `the goroutine calling cmd.Wait races the reader of stdout at multireader.go:105`
	return bufio.NewReader(out).ReadBytes(0)
}

func goWaitRacesCSV() ([][]string, error) {
	cmd := exec.Command("export")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go cmd.Wait() // want `go cmd.Wait\(\) races the reader of stdout at multireader.go:115`
	return csv.NewReader(out).ReadAll()
}

func waitBeforeDecode(v any) error {
	cmd := exec.Command("go", "list", "-json")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return err
	}
	dec := json.NewDecoder(out)
	if err := cmd.Wait(); err != nil { // want `cmd.Wait before the reads of stdout at multireader.go:128 complete`
		return err
	}
	return dec.Decode(v)
}

// The decoder is done before Wait.
func decodeThenWait(v any) error {
	cmd := exec.Command("go", "list", "-json")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return err
	}
	dec := json.NewDecoder(out)
	err := dec.Decode(v)
	if werr := cmd.Wait(); err == nil {
		err = werr
	}
	return err
}
