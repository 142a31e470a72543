package media

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"time"
)

// Hook is the operator's post-processing step, run after each transcode:
// a shell script from the service's config ("upload the file to the CDN,
// then purge the cache"), given the finished file as $1.
type Hook struct {
	Script  string
	Timeout time.Duration
}

// Run runs the hook for file, giving it at most h.Timeout, and returns
// what it printed, for the job log.
func (h *Hook) Run(ctx context.Context, file string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, h.Timeout)
	defer cancel()
	// BUG cmdcancel (a kill that reaches only the shell, and Wait hangs):
	// on the timeout CommandContext kills sh and nothing else. The upload
	// the script started runs on, holding the output pipe, so Run waits
	// for it, long after the timeout, and the transcode queue stalls
	// behind it. Fix: run it in a process group of its own
	// (SysProcAttr.Setpgid), kill the group in cmd.Cancel, and bound Wait
	// with cmd.WaitDelay.
	cmd := exec.CommandContext(ctx, "sh", "-c", h.Script, "hook", file)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("post-process hook for %s: %w", file, err)
	}
	return out.String(), nil
}
