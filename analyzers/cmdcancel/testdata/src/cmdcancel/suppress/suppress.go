package suppress

import (
	"context"
	"os/exec"
)

func probe(ctx context.Context, script string) ([]byte, error) {
	//lifeguard:ignore cmdcancel the probe scripts exec their one command
	return exec.CommandContext(ctx, "sh", "-c", script).Output()
}

func other(ctx context.Context, script string) ([]byte, error) {
	return exec.CommandContext(ctx, "sh", "-c", script).Output() //nolint:cmdcancel // runs in a sandbox that kills the cgroup
}
