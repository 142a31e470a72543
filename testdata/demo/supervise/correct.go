package supervise

// The same jobs as the buggy functions in this package, done right. lifeguard
// reports nothing in this file.

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
)

// StartHelperReaped is StartHelper done right: a helper that never came up
// is killed and then waited for. On success the command is handed to the
// caller, who waits for it.
func StartHelperReaped(ctx context.Context, bin, sock string) (*exec.Cmd, error) {
	cmd := exec.Command(bin, "--listen", sock)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	if err := waitForSocket(ctx, sock); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("helper %s did not come up: %w", bin, err)
	}
	return cmd, nil
}

// SpawnIndexerReaped is SpawnIndexer done right: the indexer still runs in
// the background, and a goroutine reaps it and reports how it ended.
func SpawnIndexerReaped(bin, dir string, done func(error)) error {
	cmd := exec.Command(bin, dir)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start indexer: %w", err)
	}
	go func() { done(cmd.Wait()) }()
	return nil
}

// RunLinesClosed is RunLines done right: the parent closes its copy of the
// write end as soon as the child has its own, so the scanner sees EOF when
// the child exits.
func RunLinesClosed(ctx context.Context, line func(string), name string, args ...string) error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout = w
	cmd.Stderr = w
	err = cmd.Start()
	w.Close()
	if err != nil {
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

// ReapedWorker is Worker done right: Stop kills the worker and waits for it,
// so it never stays a zombie.
type ReapedWorker struct {
	Bin  string
	Args []string
	cmd  *exec.Cmd
}

// Start starts the worker.
func (w *ReapedWorker) Start() error {
	w.cmd = exec.Command(w.Bin, w.Args...)
	w.cmd.Stdout, w.cmd.Stderr = os.Stderr, os.Stderr
	return w.cmd.Start()
}

// Stop kills the worker and reaps it.
func (w *ReapedWorker) Stop() error {
	if w.cmd == nil || w.cmd.Process == nil {
		return nil
	}
	w.cmd.Process.Kill()
	w.cmd.Wait()
	w.cmd = nil
	return nil
}
