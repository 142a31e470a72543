// Package facts uses helpers' facts across packages.
package facts

import (
	"bytes"
	"context"
	"os/exec"

	"cmdcancel/helpers"
)

// Capture is known to run the command into a buffer.
func captured(ctx context.Context, script string) (string, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", script) // want `the cancel of its context \(exec.CommandContext\) kills only sh \(sh -c with a script built at run time\), not the children it starts: they keep the output pipe open`
	return helpers.Capture(cmd)
}

// A helper that sets WaitDelay: bounded, but the kill reaches sh alone.
func bounded(ctx context.Context, script string) (string, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", script) // want `kills only sh \(sh -c with a script built at run time\), not the children it starts: they run on after the kill`
	helpers.Bound(cmd)
	return helpers.Capture(cmd)
}

// A helper that puts it in a group killed on cancel.
func grouped(ctx context.Context, script string) (string, error) {
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	helpers.Group(cmd)
	return helpers.Capture(cmd)
}

// A kill helper: reported at its call.
func stopped(script string) error {
	cmd := exec.Command("sh", "-c", script) // want `helpers.Stop at facts.go:40 kills only sh \(sh -c with a script built at run time\), not the children it starts: they keep the output pipe open, so cmd.Wait blocks`
	var b bytes.Buffer
	cmd.Stdout = &b
	if err := cmd.Start(); err != nil {
		return err
	}
	helpers.Stop(cmd)
	return cmd.Wait()
}

// A factory's shell command, run into a buffer: at the factory call.
func factory(ctx context.Context, script string) ([]byte, error) {
	cmd := helpers.Shell(ctx, script) // want `the cancel of the context helpers.Shell made it with kills only bash \(bash -c with a script built at run time\), not the children it starts: they keep the output pipe open, so cmd.Output blocks`
	return cmd.Output()
}

// The safe factory: nothing to report.
func safeFactory(ctx context.Context, script string) ([]byte, error) {
	return helpers.SafeShell(ctx, script).Output()
}
