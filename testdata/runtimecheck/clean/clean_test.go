package clean_test

import (
	"testing"

	"github.com/lifeguard-go/lifeguard/runtimecheck"
	"github.com/lifeguard-go/lifeguard/testdata/runtimecheck/clean"
)

// TestMain checks the package as a whole too.
func TestMain(m *testing.M) {
	runtimecheck.VerifyTestMain(m)
}

func TestStartWait(t *testing.T) {
	runtimecheck.Check(t)
	if err := clean.StartWait(); err != nil {
		t.Fatal(err)
	}
}

func TestStartWaitInGoroutine(t *testing.T) {
	// The child is reaped by a goroutine that may not be done when the
	// test returns; the cleanup that joins it is registered before Check,
	// so it runs after Check's (cleanups run last-in first-out).
	var done <-chan error
	t.Cleanup(func() {
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	runtimecheck.Check(t)
	var err error
	if done, err = clean.StartWaitInGoroutine(); err != nil {
		t.Fatal(err)
	}
}

func TestStdoutRead(t *testing.T) {
	runtimecheck.Check(t)
	if out, err := clean.StdoutRead(); err != nil || out != "hello\n" {
		t.Fatalf("StdoutRead = %q, %v", out, err)
	}
}

func TestStdinClosed(t *testing.T) {
	runtimecheck.Check(t)
	if out, err := clean.StdinClosed(); err != nil || out != "hello\n" {
		t.Fatalf("StdinClosed = %q, %v", out, err)
	}
}

func TestPipeWriteEndClosed(t *testing.T) {
	runtimecheck.Check(t)
	if out, err := clean.PipeWriteEndClosed(); err != nil || out != "hello\n" {
		t.Fatalf("PipeWriteEndClosed = %q, %v", out, err)
	}
}

func TestIOPipeWriterClosed(t *testing.T) {
	runtimecheck.Check(t)
	if err := clean.IOPipeWriterClosed(); err != nil {
		t.Fatal(err)
	}
}

func TestEcho(t *testing.T) {
	runtimecheck.Check(t)
	if out, err := clean.Echo("ping"); err != nil || out != "ping" {
		t.Fatalf("Echo = %q, %v", out, err)
	}
}

func TestFileRead(t *testing.T) {
	runtimecheck.Check(t)
	if out, err := clean.FileRead(t.TempDir()); err != nil || out != "first line\n" {
		t.Fatalf("FileRead = %q, %v", out, err)
	}
}

func TestOutput(t *testing.T) {
	runtimecheck.Check(t)
	if out, err := clean.Output(); err != nil || out != "hello\n" {
		t.Fatalf("Output = %q, %v", out, err)
	}
}

// TestParallel runs the same work in parallel subtests, each checked:
// nothing leaks, so nothing is reported, attributable or not.
func TestParallel(t *testing.T) {
	for _, name := range []string{"a", "b", "c"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runtimecheck.Check(t)
			if _, err := clean.StdoutRead(); err != nil {
				t.Fatal(err)
			}
			if _, err := clean.Echo(name); err != nil {
				t.Fatal(err)
			}
		})
	}
}
