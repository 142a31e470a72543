package fixes

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
)

func statement(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, "true")
	if err := cmd.Start(); err != nil {
		return err
	}
	cmd.Process.Wait() // want `cmd.Process.Wait instead of cmd.Wait`
	return nil
}

func keepsState(ctx context.Context) int {
	cmd := exec.CommandContext(ctx, "true")
	if err := cmd.Start(); err != nil {
		return -1
	}
	state, _ := cmd.Process.Wait() // want `cmd.Process.Wait instead of cmd.Wait`
	return state.ExitCode()
}

type job struct {
	cmd   *exec.Cmd
	state *os.ProcessState
}

func (j *job) assignsState(ctx context.Context) {
	cmd := exec.CommandContext(ctx, "true")
	if err := cmd.Start(); err != nil {
		return
	}
	var buf bytes.Buffer
	cmd.Stdout = &buf
	j.state, _ = cmd.Process.Wait() // want `cmd.Process.Wait instead of cmd.Wait`
	fmt.Print(buf.String())
}

func bothBlank(ctx context.Context) {
	cmd := exec.CommandContext(ctx, "true")
	if err := cmd.Start(); err != nil {
		return
	}
	_, _ = cmd.Process.Wait() // want `cmd.Process.Wait instead of cmd.Wait`
}

// The error is looked at: cmd.Wait would report a non-zero exit as an
// error where Process.Wait does not. No fix.
func errorUsed(ctx context.Context) (int, error) {
	cmd := exec.CommandContext(ctx, "true")
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	state, err := cmd.Process.Wait() // want `cmd.Process.Wait instead of cmd.Wait`
	if err != nil {
		return 0, err
	}
	return state.ExitCode(), nil
}

// A pipe read after the wait: cmd.Wait would close it first. No fix.
func pipeReadAfter(ctx context.Context) []byte {
	cmd := exec.CommandContext(ctx, "true")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil
	}
	cmd.Process.Wait() // want `cmd.Process.Wait instead of cmd.Wait`
	b := make([]byte, 10)
	n, _ := out.Read(b)
	return b[:n]
}

// Wait after Run.

func waitStatement() error {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		return err
	}
	cmd.Wait() // want `cmd.Wait after cmd.Run`
	return nil
}

func waitBlank() ([]byte, error) {
	cmd := exec.Command("true")
	out, err := cmd.Output()
	_ = cmd.Wait() // want `cmd.Wait after cmd.Output`
	return out, err
}

func waitChecked() error {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		return err
	}
	if err := cmd.Wait(); err != nil { // want `cmd.Wait after cmd.Run`
		return err
	}
	fmt.Println("done")
	return nil
}

// The body does more than return the error: no fix (removing it could
// leave an import unused).
func waitLogged() error {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		return err
	}
	if err := cmd.Wait(); err != nil { // want `cmd.Wait after cmd.Run`
		return fmt.Errorf("wait: %w", err)
	}
	return nil
}

// Start can reach the Wait too: the Wait is needed there. No fix.
func startOrRun(bg bool) error {
	cmd := exec.Command("true")
	if bg {
		if err := cmd.Start(); err != nil {
			return err
		}
	} else if err := cmd.Run(); err != nil {
		return err
	}
	return cmd.Wait() // want `cmd.Wait after cmd.Run`
}

// The result is used: no fix.
func waitReturned() error {
	cmd := exec.Command("true")
	cmd.Run()
	return cmd.Wait() // want `cmd.Wait after cmd.Run`
}
