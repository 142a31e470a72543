package supervise_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"example.com/demo/internal/faketool"
	"example.com/demo/supervise"
	"github.com/lifeguard-go/lifeguard/runtimecheck"
)

// The tests whose bug leaves a child or a pipe behind call
// runtimecheck.Check, which fails them with the leaks; under lifeguard test
// each leak names the line that made it and confirms the finding there.

// StartHelper kills a helper that never opens its socket, and leaves it a
// zombie (cmdwait).
func TestStartHelperKillWithoutWait(t *testing.T) {
	runtimecheck.Check(t)
	helper := faketool.Script(t, "thumbd", "exec sleep 10")
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	cmd, err := supervise.StartHelper(ctx, helper, filepath.Join(t.TempDir(), "thumbd.sock"))
	if err == nil {
		t.Fatalf("StartHelper = %v; want an error for a socket that never appears", cmd.Args)
	}
	t.Logf("StartHelper: %v (the killed helper is now a zombie)", err)
}

// SpawnIndexer releases the indexer instead of waiting for it (cmdwait).
func TestSpawnIndexerRelease(t *testing.T) {
	runtimecheck.Check(t)
	bin, err := exec.LookPath("true")
	if err != nil {
		t.Skip(err)
	}
	pid, err := supervise.SpawnIndexer(bin, t.TempDir())
	if err != nil || pid <= 0 {
		t.Fatalf("SpawnIndexer = %d, %v", pid, err)
	}
}

// RunLines keeps its own copy of the pipe's write end, so its scanner never
// sees EOF, even once the child has exited, and no deadline can interrupt
// it (pipedrain): it stays blocked, with both ends of the pipe, until the
// test binary exits.
func TestRunLinesNeverEnds(t *testing.T) {
	runtimecheck.Check(t)
	done := make(chan error, 1)
	go func() {
		done <- supervise.RunLines(context.Background(), func(string) {}, "sh", "-c", "echo out")
	}()
	select {
	case err := <-done:
		t.Fatalf("RunLines = %v; want it blocked", err)
	case <-time.After(300 * time.Millisecond):
		t.Log("RunLines still blocked after the child exited")
	}
}

// RunLinesClosed sees EOF when the child exits.
func TestRunLinesClosed(t *testing.T) {
	runtimecheck.Check(t)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	var lines []string
	err := supervise.RunLinesClosed(ctx, func(l string) { lines = append(lines, l) }, "sh", "-c", "echo out; echo err >&2")
	if err != nil || len(lines) != 2 {
		t.Fatalf("RunLinesClosed: lines %q, err %v", lines, err)
	}
}
