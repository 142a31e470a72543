// Package fieldkillok kills a child kept in a field, and waits for it in a
// goroutine started with it: no finding.
package fieldkillok

import "os/exec"

type Runner struct {
	cmd  *exec.Cmd
	done chan error
}

func (r *Runner) Start() error {
	r.cmd = exec.Command("sleep", "100")
	if err := r.cmd.Start(); err != nil {
		return err
	}
	r.done = make(chan error, 1)
	go func() { r.done <- r.cmd.Wait() }()
	return nil
}

func (r *Runner) Stop() error {
	r.cmd.Process.Kill()
	return <-r.done
}
