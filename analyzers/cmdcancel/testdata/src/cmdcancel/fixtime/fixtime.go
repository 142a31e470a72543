// Package fixtime does not import time: the fix adds the import.
package fixtime

import (
	"context"
	"os/exec"
)

func hook(ctx context.Context, script string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "bash", "-c", script) // want `set cmd.WaitDelay`
	return cmd.CombinedOutput()
}
