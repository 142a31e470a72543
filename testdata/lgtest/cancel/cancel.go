// Package cancel runs a shell script that puts a job in the background and
// waits for it, under exec.CommandContext, with its output in a buffer: the
// command a timeout is meant to end. Its tests cancel it after a moment
// and never call runtimecheck; lifeguard test's automatic check sees what
// each way of cancelling leaves behind.
package cancel

import (
	"bytes"
	"context"
	"os/exec"
	"syscall"
	"time"
)

// waitDelay is how long Wait waits for the output after the cancel.
const waitDelay = 100 * time.Millisecond

// RunNoWaitDelay has neither WaitDelay nor a group kill: the cancel kills
// the shell, the background sleep keeps the stdout pipe, and Run returns
// only when the sleep exits (cmdcancel, both rules).
func RunNoWaitDelay(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", "sleep 2 & echo started; wait")
	var out bytes.Buffer
	cmd.Stdout = &out
	err := cmd.Run()
	return out.String(), err
}

// RunWaitDelay sets WaitDelay, so Run returns soon after the cancel, but
// the cancel still kills the shell alone: the background sleep runs on,
// orphaned (cmdcancel, the kill reaches only the direct child).
func RunWaitDelay(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", "sleep 10 & echo started; wait")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.WaitDelay = waitDelay
	err := cmd.Run()
	return out.String(), err
}

// RunGroupKill puts the shell in a process group of its own and cancels by
// killing the group: the sleep dies with the shell, and Run returns at the
// cancel.
func RunGroupKill(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", "sleep 10 & echo started; wait")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = waitDelay
	err := cmd.Run()
	return out.String(), err
}
