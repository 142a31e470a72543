package leaky_test

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"testing"

	"example.com/lgtest/leaky"
	"github.com/lifeguard-go/lifeguard/runtimecheck"
)

// Each test makes its function leak; runtimecheck.Check reports the leak
// and fails the test, which is what lifeguard test's end-to-end tests
// expect.

func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skip(err)
	}
	return p
}

func TestStartThenFail(t *testing.T) {
	runtimecheck.Check(t)
	if err := leaky.StartThenFail(lookPath(t, "true"), t.TempDir()); err == nil {
		t.Fatal("StartThenFail succeeded writing into a missing directory")
	}
}

func TestKillNoWait(t *testing.T) {
	runtimecheck.Check(t)
	if err := leaky.KillNoWait(lookPath(t, "sleep")); err != nil {
		t.Fatal(err)
	}
}

func TestStartRelease(t *testing.T) {
	runtimecheck.Check(t)
	if err := leaky.StartRelease(lookPath(t, "true")); err != nil {
		t.Fatal(err)
	}
}

func TestBackground(t *testing.T) {
	runtimecheck.Check(t)
	// head blocks once the pipe holds 64 KiB, and ends with the test binary.
	if err := leaky.Background(lookPath(t, "head"), "-c", "200000", "/dev/zero"); err != nil {
		t.Fatal(err)
	}
}

func TestCollect(t *testing.T) {
	runtimecheck.Check(t)
	out, err := leaky.Collect(lookPath(t, "echo"), "hello")
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Collect = %q, %v; want the read deadline to end it", out, err)
	}
}

func TestUpper(t *testing.T) {
	runtimecheck.Check(t)
	var buf bytes.Buffer
	leaky.Upper(&buf, "hello")
}

func TestServe(t *testing.T) {
	// The listener Serve leaks is unreachable too, and net's finalizer
	// would close it if a collection ran while the check waits (it did
	// under load in CI): none runs until the check is done.
	gc := debug.SetGCPercent(-1)
	t.Cleanup(func() { debug.SetGCPercent(gc) })
	runtimecheck.Check(t)
	err := leaky.Serve(func(net.Listener) error { return errors.New("handler failed") })
	if err == nil {
		t.Fatal("Serve succeeded")
	}
}

func TestFirstLine(t *testing.T) {
	// The *os.File FirstLine leaks is unreachable, and the garbage
	// collector's finalizer would close it if a collection ran while the
	// check waits: none runs until the check is done (cleanups run last
	// registered first).
	gc := debug.SetGCPercent(-1)
	t.Cleanup(func() { debug.SetGCPercent(gc) })
	runtimecheck.Check(t)
	name := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(name, []byte("no newline"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := leaky.FirstLine(name); err == nil {
		t.Fatal("FirstLine found a line")
	}
}
