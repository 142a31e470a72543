// Package helpers sets commands up for cancellation; its facts say how.
package helpers

import (
	"bytes"
	"context"
	"os/exec"
	"syscall"
	"time"
)

// Bound sets WaitDelay: a caller's Wait is bounded.
func Bound(cmd *exec.Cmd) { // want Bound:`params\(borrows\[0\] delays\[0\]\)`
	cmd.WaitDelay = 3 * time.Second
}

// Group runs the command in a process group of its own and kills the
// group when its context is done.
func Group(cmd *exec.Cmd) { // want Group:`params\(borrows\[0\] groups\[0\] attrs\[0\] groupkills\[0\] cancels\[0\]\)`
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}

// Capture runs the command into a buffer.
func Capture(cmd *exec.Cmd) (string, error) { // want Capture:`params\(waits\[0\] borrows\[0\] captures\[0\]\)`
	var b bytes.Buffer
	cmd.Stdout = &b
	err := cmd.Run()
	return b.String(), err
}

// Stop kills the command alone.
func Stop(cmd *exec.Cmd) error { // want Stop:`params\(borrows\[0\] kills\[0\]\)`
	return cmd.Process.Kill()
}

// Shell makes a shell command for a script: a factory.
func Shell(ctx context.Context, script string) *exec.Cmd { // want Shell:`returns\(cmd0 cleanup program="bash -c with a script built at run time" context\)`
	return exec.CommandContext(ctx, "bash", "-c", script)
}

// SafeShell makes one that is bounded and killed as a group.
func SafeShell(ctx context.Context, script string) *exec.Cmd { // want SafeShell:`returns\(cmd0 cleanup setup=0x2f00 program="bash -c with a script built at run time" context\)`
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.WaitDelay = time.Second
	Group(cmd)
	return cmd
}
