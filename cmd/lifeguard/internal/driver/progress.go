package driver

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/lifeguard-go/lifeguard/cmd/lifeguard/internal/runner"
)

// progressDelay is how long a run goes before it shows its progress: a
// run that ends sooner, the common cached one, prints nothing.
const progressDelay = 2 * time.Second

// A progressLine shows "N/M packages (K cached)" on one line of a terminal,
// rewritten in place at most ten times a second.
type progressLine struct {
	w     io.Writer
	start time.Time

	mu      sync.Mutex
	last    time.Time
	printed bool
}

func newProgressLine(w io.Writer) *progressLine {
	return &progressLine{w: w, start: time.Now()}
}

func (p *progressLine) update(pr runner.Progress) {
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Sub(p.start) < progressDelay || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	p.printed = true
	fmt.Fprintf(p.w, "\rlifeguard: %d/%d packages (%d cached)\x1b[K", pr.Done, pr.Total, pr.Cached)
}

// end clears the line, so that what follows starts at its beginning.
func (p *progressLine) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.printed {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// isTerminal reports whether f is a terminal (a character device), where
// a line rewritten in place reads as progress and not as noise.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
