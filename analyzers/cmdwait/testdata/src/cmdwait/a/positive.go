package a

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"cmdwait/helpers"
)

func startNoWait() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait on the path returning at positive.go:20: the child becomes a zombie and its pipes leak; call cmd.Wait`
		return err
	}
	return nil
}

// The error path after a successful Start is the classic leak
// (sourcegraph#50034): Wait is skipped when reading fails.
func startWaitOnlyOnSuccess(check func() error) error {
	cmd := exec.Command("sleep", "1")
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait on the path returning at positive.go:31`
		return err
	}
	if err := check(); err != nil {
		return err
	}
	return cmd.Wait()
}

func startUnchecked() {
	c := exec.CommandContext(context.Background(), "true")
	c.Start() // want `c.Start without Wait on the path returning at positive.go:39`
}

func startInLoop(names []string) error {
	for _, n := range names {
		cmd := exec.Command("touch", n)
		if err := cmd.Start(); err != nil { // want `cmd.Start without Wait on the path returning at positive.go:48`
			return err
		}
	}
	return nil
}

func describeDoesNotWait() error {
	cmd := exec.Command("true")
	helpers.Describe(cmd)
	fmt.Println("starting", cmd)
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait`
		return err
	}
	return nil
}

func compositeLiteral() error {
	cmd := &exec.Cmd{Path: "/bin/true"}
	return cmd.Start() // want `cmd.Start without Wait on the path returning at positive.go:63`
}

func killNoWait() error {
	cmd := exec.Command("sleep", "100")
	if err := cmd.Start(); err != nil {
		return err
	}
	time.Sleep(time.Millisecond)
	return cmd.Process.Kill() // want `cmd.Process.Kill without Wait on the path returning at positive.go:72: the killed child stays a zombie; call cmd.Wait after killing it`
}

func signalNoWait() {
	cmd := exec.Command("sleep", "100")
	if cmd.Start() != nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM) // want `cmd.Process.Signal without Wait`
}

func startProcess() error {
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{}) // want `os.StartProcess without Wait on the path returning at positive.go:88: the child becomes a zombie \(Release does not reap it\); call Wait on the returned \*os.Process`
	if err != nil {
		return err
	}
	return p.Release()
}

func startProcessKill() {
	p, err := os.StartProcess("/bin/sleep", []string{"sleep", "9"}, &os.ProcAttr{})
	if err != nil {
		return
	}
	p.Kill() // want `p.Kill without Wait on the path returning at positive.go:97`
}

func processWaitWithPipes() error {
	cmd := exec.CommandContext(context.Background(), "ls")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	_, _ = out.Read(make([]byte, 10))
	_, err = cmd.Process.Wait() // want `cmd.Process.Wait instead of cmd.Wait: the copy goroutines, context watcher and pipes of cmd leak; call cmd.Wait`
	return err
}

func processWaitWithBuffer(buf *sink) error {
	cmd := exec.Command("ls")
	cmd.Stdout = buf
	if err := cmd.Start(); err != nil {
		return err
	}
	_, err := cmd.Process.Wait() // want `cmd.Process.Wait instead of cmd.Wait`
	return err
}

type sink struct{}

func (*sink) Write(p []byte) (int, error) { return len(p), nil }

func waitAfterRun() error {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		return err
	}
	return cmd.Wait() // want `cmd.Wait after cmd.Run at positive.go:129: Run already waited, so Wait only fails; drop the Wait, or use Start and Wait`
}

func waitAfterOutput() ([]byte, error) {
	cmd := exec.Command("true")
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	return out, errors.Join(cmd.Wait()) // want `cmd.Wait after cmd.Output`
}

func chained() error {
	return exec.Command("daemon").Start() // want `exec.Command\("daemon"\).Start without Wait on the path returning at positive.go:145: the child becomes a zombie and its pipes leak; keep the \*exec.Cmd in a variable and call its Wait`
}
