// Package gitrepo runs git on the service's content repositories.
package gitrepo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// Repo is a git working tree.
type Repo struct {
	Dir string
	// Git is the git binary; "git" when empty.
	Git string
}

func (r *Repo) git() string {
	if r.Git == "" {
		return "git"
	}
	return r.Git
}

// Fetch updates the repository from origin.
func (r *Repo) Fetch(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, r.git(), "-C", r.Dir, "fetch", "--prune", "origin")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git fetch: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	// BUG cmdwait (Wait after Run): "make sure git is done before we read the
	// refs it wrote". Run already waited, so this Wait always fails and Fetch
	// never succeeds. Fix: drop the Wait.
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git fetch: %w", err)
	}
	return nil
}

// Log returns the last n commits, one "hash subject" line each.
func (r *Repo) Log(ctx context.Context, n int) ([]string, error) {
	cmd := exec.CommandContext(ctx, r.git(), "-C", r.Dir, "log", "--oneline", "-n", strconv.Itoa(n))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	// BUG pipedrain (stdout and stderr read one after the other): stdout is
	// read to EOF before anyone reads stderr; once git writes 64 KiB of
	// warnings it blocks, stdout never ends, and both sides wait forever.
	// Fix: cmd.Stderr = &bytes.Buffer{} instead of StderrPipe.
	out, _ := io.ReadAll(stdout)
	msg, _ := io.ReadAll(stderr)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git log: %w: %s", err, bytes.TrimSpace(msg))
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n"), nil
}

// ObjectSizes returns the size in bytes of each object id.
func (r *Repo) ObjectSizes(ctx context.Context, ids []string) (map[string]int64, error) {
	cmd := exec.CommandContext(ctx, r.git(), "-C", r.Dir, "cat-file", "--batch-check=%(objectname) %(objectsize)")
	// BUG pipedrain (StdinPipe never closed): git cat-file --batch-check
	// answers until it reads EOF on stdin, which never comes, so Wait blocks
	// forever. Fix: stdin.Close() after writing the ids.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		fmt.Fprintln(stdin, id)
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	return parseSizes(out.String())
}

func parseSizes(out string) (map[string]int64, error) {
	sizes := make(map[string]int64)
	for line := range strings.Lines(out) {
		id, size, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(size, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("git cat-file: bad line %q", line)
		}
		sizes[id] = n
	}
	return sizes, nil
}
