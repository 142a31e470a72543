// Package fieldkill starts a child in one method and kills it in another;
// nothing ever waits for it (nomad#240, ory/x#824). The field's Start is
// reported: the child leaks whether or not Stop is called.
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
	return r.cmd.Start() // want `r.cmd.Start without Wait: nothing in this package waits for the command kept in field cmd of Runner, so the child becomes a zombie and its pipes leak; call r.cmd.Wait where the command is stopped`
}

func (r *Runner) Stop() error {
	return r.cmd.Process.Kill()
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
