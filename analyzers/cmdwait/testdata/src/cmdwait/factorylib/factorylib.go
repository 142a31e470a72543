// Package factorylib is imported by cmdwait/factory: its factories, starting
// helpers, kill helpers and reapers are known there by their facts only.
package factorylib

import (
	"io"
	"os/exec"
	"syscall"
)

// StartCmd starts a command and returns it with its pipes: its callers
// must wait for it.
func StartCmd(name string, args ...string) (*exec.Cmd, io.ReadCloser, io.ReadCloser, error) { // want StartCmd:`returns\(cmd0 started cleanup StdoutPipe1 StderrPipe2\)`
	cmd := exec.Command(name, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, nil, err
	}
	return cmd, stdout, stderr, nil
}

type Repo struct{ Dir string }

// Git returns an unstarted command: its callers run it.
func (r *Repo) Git(args ...string) *exec.Cmd { // want Git:`returns\(cmd0\)`
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	return cmd
}

// StartInForeground starts the command it is given in its own process
// group and leaves it to the caller to wait for.
func StartInForeground(cmd *exec.Cmd) error { // want StartInForeground:`params\(borrows\[0\] starts\[0\]\)`
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd.Start()
}

// KillGroup kills the command's process group and leaves the Wait to the
// caller.
func KillGroup(cmd *exec.Cmd) { // want KillGroup:`params\(borrows\[0\] kills\[0\]\)`
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Process.Kill()
}

// Reap waits for the command.
func Reap(cmd *exec.Cmd) error { return cmd.Wait() } // want Reap:`params\(waits\[0\] borrows\[0\]\)`
