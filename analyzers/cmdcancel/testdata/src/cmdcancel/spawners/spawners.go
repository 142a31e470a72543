// Package spawners runs make, which starts compilers of its own.
package spawners

import (
	"context"
	"os/exec"
)

func build(ctx context.Context, target string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "make", "-C", "src", target) // want `kills only make \(make, which starts children of its own \(-cmdcancel.spawners\)\)`
	return cmd.CombinedOutput()
}

// npm by path, not in the flag: not reported.
func install(ctx context.Context) ([]byte, error) {
	return exec.CommandContext(ctx, "/usr/bin/git", "fetch").CombinedOutput()
}

func npm(ctx context.Context) ([]byte, error) {
	return exec.CommandContext(ctx, "/usr/local/bin/npm", "ci").CombinedOutput() // want `kills only npm`
}
