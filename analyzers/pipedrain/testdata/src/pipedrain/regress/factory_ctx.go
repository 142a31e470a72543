package regress

import (
	"context"
	"io"
	"os/exec"
)

// os/exec's exec_test.go (TestContextCancel, TestCancel): the command comes
// from a factory given the context, which makes it with CommandContext;
// cancelling the context kills the child, so neither stdin's close nor the
// rest of stdout is needed before Wait.

func helperCommandContext(ctx context.Context, name string) (cmd *exec.Cmd) { // want helperCommandContext:`returns\(cmd0 cleanup\)`
	if ctx != nil {
		cmd = exec.CommandContext(ctx, name)
	} else {
		cmd = exec.Command(name)
	}
	return cmd
}

func cancelBeforeWait() error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := helperCommandContext(ctx, "cat")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		return err
	}
	if _, err := io.WriteString(stdin, "echo"); err != nil {
		return err
	}
	cancel()
	return cmd.Wait()
}

func cancelAfterPartialRead() error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := helperCommandContext(ctx, "pipetest")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(stdout, buf); err != nil {
		return err
	}
	cancel()
	return cmd.Wait()
}

// os/exec's TestContext: go cancel() kills the child as surely as cancel().
func goCancelAfterPartialRead() error {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := helperCommandContext(ctx, "pipetest")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if _, err := stdin.Write([]byte("O:hi\n")); err != nil {
		return err
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(stdout, buf); err != nil {
		return err
	}
	go cancel()
	return cmd.Wait()
}
