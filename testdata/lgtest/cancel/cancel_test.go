package cancel_test

import (
	"context"
	"errors"
	"os/exec"
	"testing"
	"time"

	"example.com/lgtest/cancel"
)

// timeout is how long each command may run.
const timeout = 150 * time.Millisecond

func run(t *testing.T, f func(context.Context) (string, error)) (time.Duration, error) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	out, err := f(ctx)
	took := time.Since(start)
	if out != "started\n" {
		t.Errorf("output %q, want the script's %q", out, "started\n")
	}
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Errorf("the context is not done: %v", ctx.Err())
	}
	return took, err
}

// Without WaitDelay, Run returns only when the background sleep (2 s)
// exits and closes its stdout, long after the timeout.
func TestNoWaitDelayHangs(t *testing.T) {
	took, err := run(t, cancel.RunNoWaitDelay)
	if err == nil {
		t.Error("Run succeeded; want the error of the killed shell")
	}
	if took < 1500*time.Millisecond {
		t.Errorf("Run returned after %v; want it held until the background job exited (2 s)", took)
	}
	t.Logf("Run returned after %v with a %v timeout: %v", took, timeout, err)
}

// With WaitDelay, Run returns soon after the timeout; the background
// sleep runs on (lifeguard test reports it).
func TestWaitDelayOrphans(t *testing.T) {
	took, err := run(t, cancel.RunWaitDelay)
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Errorf("Run = %v, want the exit error of the killed shell", err)
	}
	if took > 5*time.Second {
		t.Errorf("Run returned after %v; want it back after WaitDelay, before the background job (10 s) exits", took)
	}
}

// Killing the group ends the sleep too: Run returns at the timeout, and
// nothing is left.
func TestGroupKill(t *testing.T) {
	_, err := run(t, cancel.RunGroupKill)
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Errorf("Run = %v, want the exit error of the killed shell", err)
	}
}
