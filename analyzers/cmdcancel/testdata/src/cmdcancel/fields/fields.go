// Package fields keeps commands in struct fields: the type's methods are
// their lifecycle.
package fields

import (
	"bytes"
	"os/exec"
	"syscall"
)

type job struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

func (j *job) start(script string) error {
	j.cmd = exec.Command("sh", "-c", script) // want `j.cmd.Process.Kill at fields.go:24 kills only sh \(sh -c with a script built at run time\), not the children it starts: they keep the output pipe open, so j.cmd.Wait blocks`
	j.cmd.Stdout = &j.out
	return j.cmd.Start()
}

// stop kills the shell alone: its children run on, and hold the pipe.
func (j *job) stop() error {
	j.cmd.Process.Kill()
	return j.cmd.Wait()
}

type groupJob struct{ cmd *exec.Cmd }

func (g *groupJob) start(script string) error {
	g.cmd = exec.Command("sh", "-c", script)
	g.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return g.cmd.Start()
}

// stop kills the group: nothing to report.
func (g *groupJob) stop() error {
	syscall.Kill(-g.cmd.Process.Pid, syscall.SIGKILL)
	return g.cmd.Wait()
}
