package supervise

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
)

// RunLines runs name with args and calls line with each line of its combined
// stdout and stderr, in the order the command wrote them.
func RunLines(ctx context.Context, line func(string), name string, args ...string) error {
	// BUG pipedrain (os.Pipe write end kept open): the child gets w, but the
	// parent's copy of w stays open, so the scanner never sees EOF, even after
	// the child exits, and RunLines never returns. Fix: w.Close() right after
	// cmd.Start.
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	cmd := exec.CommandContext(ctx, name, args...)
	// One pipe for both streams keeps their lines in order, and an *os.File
	// goes to the child as it is, with no copy goroutine in between.
	cmd.Stdout = w
	cmd.Stderr = w
	if err := cmd.Start(); err != nil {
		w.Close()
		return err
	}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line(sc.Text())
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return sc.Err()
}
