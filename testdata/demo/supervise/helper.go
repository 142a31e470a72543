// Package supervise starts the media service's helper daemons and background
// jobs.
package supervise

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// StartHelper starts the thumbnail helper daemon at bin, listening on the
// unix socket sock, and returns once the socket exists. The caller owns the
// returned command and must Wait for it.
func StartHelper(ctx context.Context, bin, sock string) (*exec.Cmd, error) {
	cmd := exec.Command(bin, "--listen", sock)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	if err := waitForSocket(ctx, sock); err != nil {
		// BUG cmdwait (Kill without Wait): the helper that never came up is
		// killed but not reaped and stays a zombie. Fix: cmd.Wait() after
		// the Kill.
		cmd.Process.Kill()
		return nil, fmt.Errorf("helper %s did not come up: %w", bin, err)
	}
	return cmd, nil
}

// waitForSocket polls until path exists or ctx is done.
func waitForSocket(ctx context.Context, path string) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}
