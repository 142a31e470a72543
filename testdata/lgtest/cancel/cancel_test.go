package cancel_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
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

// A test that kills a tree and checks it is gone sees it gone under
// lifeguard test too: the subreaper makes this binary the orphans' parent,
// and lifeguard test reaps the exited ones as init would have (before the
// Signal below), so kill -0 finds no zombie.
func TestKilledTreeIsGone(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip(err)
	}
	pidFile := filepath.Join(t.TempDir(), "pid")
	cmd := exec.Command("sh", "-c", `sleep 10 & echo $! > "$1"; wait`, "sh", pidFile)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for deadline := time.Now().Add(2 * time.Second); pid == 0; time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(pidFile); err == nil {
			fmt.Sscan(string(b), &pid)
		}
		if pid == 0 && time.Now().After(deadline) {
			t.Fatal("the script wrote no pid")
		}
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		p, _ := os.FindProcess(pid)
		if p.Signal(syscall.Signal(0)) != nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pid %d (the killed sleep) is still there after its group was killed", pid)
		}
	}
}
