package gitrepo

// The same jobs as the buggy methods in this package, done right. lifeguard
// reports nothing in this file.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// LogBuffered is Log done right: stderr goes to a buffer that os/exec fills
// from its own goroutine, so reading stdout to EOF cannot deadlock.
func (r *Repo) LogBuffered(ctx context.Context, n int) ([]string, error) {
	cmd := exec.CommandContext(ctx, r.git(), "-C", r.Dir, "log", "--oneline", "-n", strconv.Itoa(n))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	out, readErr := io.ReadAll(stdout)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git log: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	if readErr != nil {
		return nil, readErr
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n"), nil
}

// ObjectSizesClosed is ObjectSizes done right: stdin is closed once the ids
// are written, so git sees EOF, answers the last one and exits.
func (r *Repo) ObjectSizesClosed(ctx context.Context, ids []string) (map[string]int64, error) {
	cmd := exec.CommandContext(ctx, r.git(), "-C", r.Dir, "cat-file", "--batch-check=%(objectname) %(objectsize)")
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
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	return parseSizes(out.String())
}

// ShowWaited is Show done right: the git that start hands back is waited for
// once its output is read, on the read's error path too.
func (r *Repo) ShowWaited(ctx context.Context, rev, path string) ([]byte, error) {
	cmd, stdout, err := r.start(ctx, "show", rev+":"+path)
	if err != nil {
		return nil, err
	}
	out, readErr := io.ReadAll(stdout)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git show: %w", err)
	}
	if readErr != nil {
		return nil, fmt.Errorf("git show: %w", readErr)
	}
	return out, nil
}

// FirstCommitDrained is FirstCommit done right: after the first line the
// rest of git's output is read and thrown away, so git can finish writing
// and exit, and Wait returns.
func (r *Repo) FirstCommitDrained(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, r.git(), "-C", r.Dir, "log", "--reverse", "--format=%H")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	line, readErr := bufio.NewReader(stdout).ReadString('\n')
	io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		return "", fmt.Errorf("git log: %w", err)
	}
	if readErr != nil {
		return "", fmt.Errorf("git log: %w", readErr)
	}
	return strings.TrimSpace(line), nil
}
