// Package good does what package bad does, correctly: lifeguard must report
// nothing here.
package good

import (
	"io"
	"os/exec"
)

// Reap starts a child and waits for it.
func Reap() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}

// ReadAll drains the stdout pipe before waiting.
func ReadAll() ([]byte, error) {
	cmd := exec.Command("ls")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	out, readErr := io.ReadAll(stdout)
	if err := cmd.Wait(); err != nil {
		return nil, err
	}
	return out, readErr
}
