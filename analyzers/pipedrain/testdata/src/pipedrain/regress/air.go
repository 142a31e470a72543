package regress

import (
	"bufio"
	"io"
	"os"
	"os/exec"
)

// air's Engine.startCmd takes both pipes, then sets Stdout and Stderr to
// the terminal: the child writes there, and the pipes read EOF at once, so
// reading one after the other cannot deadlock (air-verse/air runner).
func startOverridden(command string) (*exec.Cmd, io.ReadCloser, io.ReadCloser, error) { // want startOverridden:`returns\(cmd0 started\)`
	c := exec.Command("/bin/sh", "-c", command)
	stderr, err := c.StderrPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	stdout, err := c.StdoutPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	c.Stdout = os.Stdout
	c.Stderr = os.Stderr
	if err := c.Start(); err != nil {
		return nil, nil, nil, err
	}
	return c, stdout, stderr, nil
}

func copyLines(dst io.Writer, src io.Reader) { // want copyLines:`params\(reads\[1\] drains\[1\] borrows\[0 1\]\)`
	sc := bufio.NewScanner(src)
	for sc.Scan() {
		dst.Write(sc.Bytes())
	}
}

func runOverridden(command string) error {
	cmd, stdout, stderr, err := startOverridden(command)
	if err != nil {
		return err
	}
	defer func() {
		stdout.Close()
		stderr.Close()
	}()
	copyLines(os.Stdout, stdout)
	copyLines(os.Stderr, stderr)
	return cmd.Wait()
}
