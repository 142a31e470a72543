package fixes

import (
	"bytes"
	"context"
	"os/exec"
	"time"
)

func hook(ctx context.Context, script string) (string, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", script) // want `set cmd.WaitDelay`
	var out bytes.Buffer
	cmd.Stdout = &out
	err := cmd.Run()
	return out.String(), err
}

func second(ctx context.Context, argv []string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, argv[0], argv[1:]...) // want `set c.WaitDelay`
	return c.Output()
}

// Not assigned to a variable: no fix.
func inline(ctx context.Context, script string) ([]byte, error) {
	return exec.CommandContext(ctx, "sh", "-c", script).Output() // want `set cmd.WaitDelay`
}
