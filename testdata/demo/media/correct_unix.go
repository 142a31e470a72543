//go:build unix

package media

// Hook.Run done right. Process groups are a Unix thing, so this file is
// too; on Windows the same job is done with a Job object, or with
// taskkill /T /F /PID in cmd.Cancel. lifeguard reports nothing in this
// file.

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"syscall"
	"time"
)

// hookWaitDelay bounds how long Wait waits for the hook's output once it
// is killed.
const hookWaitDelay = 2 * time.Second

// RunGrouped is Run done right: the hook runs in a process group of its
// own, the cancel on the timeout kills the whole group (the shell and
// everything it started), and WaitDelay bounds Wait should something
// outside the group still hold the pipe.
func (h *Hook) RunGrouped(ctx context.Context, file string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, h.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", h.Script, "hook", file)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = hookWaitDelay
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("post-process hook for %s: %w", file, err)
	}
	return out.String(), nil
}
