package regress

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"

	"pipedrain/helpers"
)

// The pipeline idiom: a's stdout is b's stdin, read by b's child. It was
// reported as never read.
func pipelineIdiom() error {
	a := exec.Command("ls")
	b := exec.Command("wc", "-l")
	var err error
	b.Stdin, err = a.StdoutPipe()
	if err != nil {
		return err
	}
	b.Stdout = os.Stdout
	if err := a.Start(); err != nil {
		return err
	}
	if err := b.Start(); err != nil {
		return err
	}
	a.Wait()
	return b.Wait()
}

func pipelineThroughVariable() error {
	a := exec.Command("ls")
	b := exec.Command("sort")
	r, err := a.StdoutPipe()
	if err != nil {
		return err
	}
	b.Stdin = r
	b.Stdout = os.Stdout
	if err := b.Start(); err != nil {
		return err
	}
	if err := a.Run(); err != nil {
		return err
	}
	return b.Wait()
}

// A path that kills the child before Wait needs no read: the child exits
// with its output unwritten. Both were reported as "not read on the path to
// cmd.Wait".
func killedOnTimeout(timeout time.Duration) error {
	cmd := exec.Command("server")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		ready <- sc.Scan()
		io.Copy(io.Discard, out)
	}()
	select {
	case <-ready:
	case <-time.After(timeout):
		cmd.Process.Kill()
		cmd.Wait()
		return context.DeadlineExceeded
	}
	cmd.Process.Signal(os.Interrupt)
	return cmd.Wait()
}

func cancelledBeforeWait(abort bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "build")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if abort {
		cancel()
		return cmd.Wait()
	}
	if _, err := io.Copy(os.Stdout, out); err != nil {
		return err
	}
	return cmd.Wait()
}

// Cancelling the parent of the command's context cancels it too.
func parentCancelled(parent context.Context, abort bool) error {
	outer, cancel := context.WithCancel(parent)
	defer cancel()
	ctx, stop := context.WithTimeout(outer, time.Minute)
	defer stop()
	cmd := exec.CommandContext(ctx, "build")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if abort {
		cancel()
		return cmd.Wait()
	}
	stdin.Close()
	return cmd.Wait()
}

// The process group killed by hand.
func groupKilled(abort bool) error {
	cmd := exec.Command("make")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if abort {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		return cmd.Wait()
	}
	io.Copy(os.Stdout, out)
	return cmd.Wait()
}

// A helper in another package gives the pipe to its pager's Stdin: the
// pager's child reads it. The helper's fact used to say it only borrows
// the reader, and the pipe was reported as never read.
func pagedThroughHelper() error {
	cmd := exec.Command("git", "log")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := helpers.Page(out); err != nil {
		cmd.Process.Kill()
	}
	return cmd.Wait()
}
