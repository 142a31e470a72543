package gitrepo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"example.com/demo/gitrepo"
	"example.com/demo/internal/faketool"
	"github.com/lifeguard-go/lifeguard/runtimecheck"
)

// blocked is how long a test waits to see a call stuck for good.
const blocked = 300 * time.Millisecond

// The tests whose bug leaves a child or a pipe behind call
// runtimecheck.Check, which fails them with the leaks; under lifeguard test
// each leak names the line that made it and confirms the finding there.

// stuck runs f in a goroutine and fails unless it is still running after
// blocked; f and what it holds stay until the test binary exits.
func stuck(t *testing.T, what string, f func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		t.Fatalf("%s returned (%v); want it blocked", what, err)
	case <-time.After(blocked):
		t.Logf("%s still blocked after %v", what, blocked)
	}
}

// Fetch calls Wait after Run, so it fails even when git succeeds (cmdwait).
func TestFetchWaitAfterRun(t *testing.T) {
	r := gitrepo.Repo{Dir: t.TempDir(), Git: faketool.Script(t, "git", "exit 0")}
	err := r.Fetch(t.Context())
	if err == nil || !strings.Contains(err.Error(), "Wait was already called") {
		t.Fatalf("Fetch = %v; want the error of a second Wait", err)
	}
}

const catFile = `while read id; do echo "$id 42"; done`

// ObjectSizes never closes git's stdin, so git never exits and ObjectSizes
// waits for it forever (pipedrain).
func TestObjectSizesStdinNeverClosed(t *testing.T) {
	runtimecheck.Check(t)
	r := gitrepo.Repo{Dir: t.TempDir(), Git: faketool.Script(t, "git", catFile)}
	stuck(t, "ObjectSizes", func() error {
		_, err := r.ObjectSizes(context.Background(), []string{"a1", "b2"})
		return err
	})
}

// ObjectSizesClosed closes stdin, and git answers and exits.
func TestObjectSizesClosed(t *testing.T) {
	runtimecheck.Check(t)
	r := gitrepo.Repo{Dir: t.TempDir(), Git: faketool.Script(t, "git", catFile)}
	sizes, err := r.ObjectSizesClosed(t.Context(), []string{"a1", "b2"})
	if err != nil || len(sizes) != 2 || sizes["b2"] != 42 {
		t.Fatalf("ObjectSizesClosed = %v, %v", sizes, err)
	}
}

// noisyLog is a git log that writes 128 KiB of warnings to stderr first.
const noisyLog = "printf '%0131072d' 0 >&2; echo 'abc123 first commit'"

// Log reads stdout to EOF before stderr; a git that writes 128 KiB to stderr
// first blocks on the full stderr pipe, and Log on stdout, for good
// (pipedrain).
func TestLogSequentialReads(t *testing.T) {
	runtimecheck.Check(t)
	r := gitrepo.Repo{Dir: t.TempDir(), Git: faketool.Script(t, "git", noisyLog)}
	stuck(t, "Log", func() error {
		_, err := r.Log(context.Background(), 1)
		return err
	})
}

// LogBuffered lets os/exec drain stderr, and does not block.
func TestLogBuffered(t *testing.T) {
	runtimecheck.Check(t)
	r := gitrepo.Repo{Dir: t.TempDir(), Git: faketool.Script(t, "git", noisyLog)}
	commits, err := r.LogBuffered(t.Context(), 1)
	if err != nil || len(commits) != 1 || commits[0] != "abc123 first commit" {
		t.Fatalf("LogBuffered = %q, %v", commits, err)
	}
}
