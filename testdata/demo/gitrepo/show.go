package gitrepo

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// start starts git with args in the repository and returns it with its
// stdout. The caller reads stdout to EOF and then waits for the command.
func (r *Repo) start(ctx context.Context, args ...string) (*exec.Cmd, io.ReadCloser, error) {
	cmd := exec.CommandContext(ctx, r.git(), append([]string{"-C", r.Dir}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	return cmd, stdout, nil
}

// Show returns the contents of path at revision rev.
func (r *Repo) Show(ctx context.Context, rev, path string) ([]byte, error) {
	// BUG cmdwait (factory: started command never waited for): start hands
	// back a running git; Show reads its output and returns, and nobody
	// waits, so every Show leaves a zombie git behind. Fix: cmd.Wait()
	// after the read.
	_, stdout, err := r.start(ctx, "show", rev+":"+path)
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(stdout)
	if err != nil {
		return nil, fmt.Errorf("git show: %w", err)
	}
	return out, nil
}

// FirstCommit returns the hash of the repository's first commit.
func (r *Repo) FirstCommit(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, r.git(), "-C", r.Dir, "log", "--reverse", "--format=%H")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	line, readErr := bufio.NewReader(stdout).ReadString('\n')
	// BUG pipedrain (partial read, then Wait): only the first line is read.
	// In a repository with more than about 1600 commits the rest of the
	// hashes fill the 64 KiB pipe, git blocks writing them, and this Wait
	// never returns. Fix: drain the rest (io.Copy(io.Discard, stdout))
	// before the Wait.
	if err := cmd.Wait(); err != nil {
		return "", fmt.Errorf("git log: %w", err)
	}
	if readErr != nil {
		return "", fmt.Errorf("git log: %w", readErr)
	}
	return strings.TrimSpace(line), nil
}
