package gitrepo_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"example.com/demo/gitrepo"
	"example.com/demo/internal/faketool"
)

// deadline bounds the tests whose bug is a deadlock: the context kills the
// stuck child, so the test ends with an error instead of hanging.
const deadline = 300 * time.Millisecond

// Fetch calls Wait after Run, so it fails even when git succeeds (cmdwait).
func TestFetchWaitAfterRun(t *testing.T) {
	r := gitrepo.Repo{Dir: t.TempDir(), Git: faketool.Script(t, "git", "exit 0")}
	err := r.Fetch(t.Context())
	if err == nil || !strings.Contains(err.Error(), "Wait was already called") {
		t.Fatalf("Fetch = %v; want the error of a second Wait", err)
	}
}

// ObjectSizes never closes git's stdin, so git never exits until the
// deadline kills it (pipedrain). ObjectSizesClosed does.
func TestObjectSizesStdinNeverClosed(t *testing.T) {
	git := faketool.Script(t, "git", `while read id; do echo "$id 42"; done`)
	ids := []string{"a1", "b2"}

	r := gitrepo.Repo{Dir: t.TempDir(), Git: git}
	ctx, cancel := context.WithTimeout(t.Context(), deadline)
	defer cancel()
	if sizes, err := r.ObjectSizes(ctx, ids); err == nil || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("ObjectSizes = %v, %v; want the deadline to kill a git waiting for EOF", sizes, err)
	}

	sizes, err := r.ObjectSizesClosed(t.Context(), ids)
	if err != nil || len(sizes) != 2 || sizes["b2"] != 42 {
		t.Fatalf("ObjectSizesClosed = %v, %v", sizes, err)
	}
}

// Log reads stdout to EOF before stderr; a git that writes 128 KiB to stderr
// first blocks until the deadline kills it (pipedrain). LogBuffered does not.
func TestLogSequentialReads(t *testing.T) {
	git := faketool.Script(t, "git", "printf '%0131072d' 0 >&2; echo 'abc123 first commit'")
	r := gitrepo.Repo{Dir: t.TempDir(), Git: git}

	ctx, cancel := context.WithTimeout(t.Context(), deadline)
	defer cancel()
	if commits, err := r.Log(ctx, 1); err == nil || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("Log = %q, %v; want the deadline to break the deadlock", commits, err)
	}

	commits, err := r.LogBuffered(t.Context(), 1)
	if err != nil || len(commits) != 1 || commits[0] != "abc123 first commit" {
		t.Fatalf("LogBuffered = %q, %v", commits, err)
	}
}
