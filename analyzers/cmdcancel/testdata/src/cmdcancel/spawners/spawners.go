// Package spawners runs make, which starts compilers of its own.
package spawners

import (
	"context"
	"io"
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

// hivecommons/hive#4888's probe: codex forks helpers that inherit stderr;
// the deferred kill reaches codex alone, and Wait waits for the helpers.
func probe(ctx context.Context) error {
	cmd := exec.Command("codex", "app-server") // want `cmd.Process.Kill at spawners.go:\d+ kills only codex .* they keep the output pipe open, so cmd.Wait blocks`
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	<-ctx.Done()
	return nil
}
