// Package fieldkill starts a child in one method and kills it in another;
// nothing ever waits for it (nomad#240, ory/x#824).
package fieldkill

import (
	"os"
	"os/exec"
)

type Runner struct {
	cmd  *exec.Cmd
	proc *os.Process
}

func (r *Runner) Start() error {
	r.cmd = exec.Command("sleep", "100")
	return r.cmd.Start()
}

func (r *Runner) Stop() error {
	return r.cmd.Process.Kill() // want `r.cmd.Process.Kill without Wait: nothing in this package waits for the child kept in field cmd, so once killed it stays a zombie; call r.cmd.Wait after killing it`
}

func (r *Runner) StartProc() error {
	p, err := os.StartProcess("/bin/sleep", []string{"sleep", "9"}, &os.ProcAttr{})
	if err != nil {
		return err
	}
	r.proc = p
	return nil
}

func (r *Runner) StopProc() {
	r.proc.Signal(os.Interrupt) // want `r.proc.Signal without Wait`
}
