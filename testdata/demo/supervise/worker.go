package supervise

import (
	"os"
	"os/exec"
)

// Worker runs a long-lived transcoding worker process, started by Start and
// stopped by Stop.
type Worker struct {
	Bin  string
	Args []string
	cmd  *exec.Cmd
}

// Start starts the worker.
func (w *Worker) Start() error {
	w.cmd = exec.Command(w.Bin, w.Args...)
	w.cmd.Stdout, w.cmd.Stderr = os.Stderr, os.Stderr
	// BUG cmdwait (command in a struct field never waited for): Stop kills
	// the worker but nothing ever waits for it, so each restart leaves a
	// zombie, and a worker that crashes on its own is never noticed. Fix:
	// Wait after the Kill in Stop (or in a goroutine started here).
	return w.cmd.Start()
}

// Stop kills the worker.
func (w *Worker) Stop() error {
	if w.cmd == nil || w.cmd.Process == nil {
		return nil
	}
	return w.cmd.Process.Kill()
}
