package driver

import (
	"strings"
	"testing"
	"time"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/runner"
)

// TestProgressLine: nothing in a run's first seconds, then one line
// rewritten in place, cleared at the end; a run that printed nothing
// clears nothing.
func TestProgressLine(t *testing.T) {
	var out strings.Builder
	p := newProgressLine(&out)
	p.update(runner.Progress{Done: 1, Total: 10})
	p.end()
	if out.Len() != 0 {
		t.Fatalf("a short run printed %q", out.String())
	}

	p = newProgressLine(&out)
	p.start = time.Now().Add(-progressDelay)
	p.update(runner.Progress{Done: 3, Total: 10, Cached: 2})
	p.update(runner.Progress{Done: 4, Total: 10, Cached: 2}) // within 100 ms: skipped
	p.end()
	if want := "\rlifeguard: 3/10 packages (2 cached)\x1b[K\r\x1b[K"; out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
}
