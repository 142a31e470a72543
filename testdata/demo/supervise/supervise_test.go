package supervise_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"example.com/demo/internal/faketool"
	"example.com/demo/supervise"
)

// RunLines (the os.Pipe bug) has no test: its scanner blocks forever on the
// parent's own write end, and no deadline can interrupt that.

// StartHelper kills a helper that never opens its socket, and leaves it a
// zombie (cmdwait).
func TestStartHelperKillWithoutWait(t *testing.T) {
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
	bin, err := exec.LookPath("true")
	if err != nil {
		t.Skip(err)
	}
	pid, err := supervise.SpawnIndexer(bin, t.TempDir())
	if err != nil || pid <= 0 {
		t.Fatalf("SpawnIndexer = %d, %v", pid, err)
	}
}

// RunLinesClosed sees EOF when the child exits.
func TestRunLinesClosed(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	var lines []string
	err := supervise.RunLinesClosed(ctx, func(l string) { lines = append(lines, l) }, "sh", "-c", "echo out; echo err >&2")
	if err != nil || len(lines) != 2 {
		t.Fatalf("RunLinesClosed: lines %q, err %v", lines, err)
	}
}
