package timeout

import (
	"context"
	"errors"
	"os/exec"
	"syscall"
	"time"

	"cmdwait/timeout/kill"
)

var errTimeout = errors.New("timeout")

func runAbandoned(d time.Duration) error {
	cmd := exec.Command("sleep", "100")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }() // want `cmd.Run in a goroutine, abandoned on the path returning at timeout.go:21 after the timeout: the child runs on, and so does the goroutine; kill it \(cmd.Process.Kill\) before returning, or use exec.CommandContext`
	select {
	case <-time.After(d):
		return errTimeout
	case err := <-done:
		return err
	}
}

// Output with a struct result.
type result struct {
	out []byte
	err error
}

func outputAbandoned(d time.Duration) ([]byte, error) {
	c := exec.Command("git", "status")
	resc := make(chan result)
	go func() {
		out, err := c.Output() // want `c.Output in a goroutine, abandoned on the path returning at timeout.go:44 after the timeout`
		resc <- result{out, err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil, errTimeout
	case r := <-resc:
		return r.out, r.err
	}
}

// Start, then Wait in the goroutine: reported at the Start.
func waitAbandoned(ctx context.Context) error {
	cmd := exec.Command("make")
	if err := cmd.Start(); err != nil { // want `cmd.Start waited for in a goroutine, abandoned on the path returning at timeout.go:60 after the context is done`
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- cmd.Wait() }()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case err := <-errc:
		return err
	}
}

// The command is a parameter of the goroutine's function, and the
// goroutine closes a channel instead of sending.
func paramGoroutine(d time.Duration) error {
	cmd := exec.Command("sleep", "9")
	var err error
	finished := make(chan struct{})
	go func(c *exec.Cmd) {
		_, err = c.CombinedOutput() // want `c.CombinedOutput in a goroutine, abandoned on the path returning at timeout.go:79 after the timeout`
		close(finished)
	}(cmd)
	select {
	case <-finished:
	case <-time.After(d):
		return errTimeout
	}
	return err
}

// CommandContext with a context that is neither bounded nor cancelled
// here: the timeout is time.After, the context lives on.
func contextLivesOn(ctx context.Context, d time.Duration) error {
	cmd := exec.CommandContext(ctx, "sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }() // want `cmd.Run in a goroutine, abandoned on the path returning at timeout.go:92 after the timeout: the child runs on, and so does the goroutine; kill it \(cmd.Process.Kill\) or cancel its context before returning`
	select {
	case <-time.After(d):
		return errTimeout
	case err := <-done:
		return err
	}
}

// The timeout case breaks out of the loop and the function returns later.
func tickerAbandoned(limit int) error {
	cmd := exec.Command("sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }() // want `cmd.Run in a goroutine, abandoned on the path returning at timeout.go:118`
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	n := 0
loop:
	for {
		select {
		case err := <-done:
			return err
		case <-tick.C:
			n++
			if n > limit {
				break loop
			}
		}
	}
	return errTimeout
}

// Hard negatives.

func killThenReturn(d time.Duration) error {
	cmd := exec.Command("sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(d):
		cmd.Process.Kill()
		return errTimeout
	case err := <-done:
		return err
	}
}

func killAndWaitForDone(d time.Duration) error {
	cmd := exec.Command("sleep", "9")
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-time.After(d):
		if err := cmd.Process.Kill(); err != nil {
			return err
		}
		<-done
		return errTimeout
	case err := <-done:
		return err
	}
}

func groupKill(d time.Duration) error {
	cmd := exec.Command("sh", "-c", "sleep 9; sleep 9")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(d):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		return errTimeout
	case err := <-done:
		return err
	}
}

func killHelper(d time.Duration) error {
	cmd := exec.Command("sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(d):
		kill.Terminate(cmd)
		return errTimeout
	case err := <-done:
		return err
	}
}

// CommandContext with the cancel deferred: returning kills the child.
func deferredCancel(parent context.Context, d time.Duration) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(d):
		return errTimeout
	case err := <-done:
		return err
	}
}

// Returning on the Done of the command's own context, or of a parent:
// os/exec kills the child.
func sameContext(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, "sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case err := <-done:
		return err
	}
}

func parentContext(parent context.Context) error {
	ctx := context.WithValue(parent, key{}, 1)
	child, stop := context.WithCancel(ctx)
	_ = stop
	cmd := exec.CommandContext(child, "sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-parent.Done():
		return parent.Err()
	case err := <-done:
		return err
	}
}

type key struct{}

// A deadline on the command's context kills the child when it passes.
func boundedContext(parent context.Context, d time.Duration) error {
	ctx, cancel := context.WithTimeout(parent, d)
	_ = cancel
	cmd := exec.CommandContext(ctx, "sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(d):
		return errTimeout
	case err := <-done:
		return err
	}
}

// Every case waits for done.
func waitsInEveryCase(d time.Duration) error {
	cmd := exec.Command("sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	for {
		select {
		case <-time.After(d):
			println("still running")
		case err := <-done:
			return err
		}
	}
}

// The result is received after the timeout case too.
func receivedAfterTimeout(d time.Duration) error {
	cmd := exec.Command("sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(d):
		println("slow")
	case err := <-done:
		return err
	}
	return <-done
}

// A deferred kill runs when the function returns.
func deferredKill(d time.Duration) error {
	cmd := exec.Command("sleep", "9")
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Process.Kill()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-time.After(d):
		return errTimeout
	case err := <-done:
		return err
	}
}

// A command the caller gave: its owner may kill it.
func runParam(cmd *exec.Cmd, d time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(d):
		return errTimeout
	case err := <-done:
		return err
	}
}

// A command stored for a Stop method.
type runner struct{ cmd *exec.Cmd }

func (r *runner) run(d time.Duration) error {
	cmd := exec.Command("sleep", "9")
	r.cmd = cmd
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(d):
		return errTimeout
	case err := <-done:
		return err
	}
}

// The select returns on a channel that is not a timeout: a caller's stop,
// which is not this rule's.
func otherChannel(stop chan struct{}) error {
	cmd := exec.Command("sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-stop:
		return errTimeout
	case err := <-done:
		return err
	}
}

// The timeout returns the done channel: the caller waits on it.
func handsDone(d time.Duration) (<-chan error, error) {
	cmd := exec.Command("sleep", "9")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(d):
		return done, errTimeout
	case err := <-done:
		return nil, err
	}
}

// A named function runs the command in the goroutine.
func namedGoroutine(d time.Duration) error {
	cmd := exec.Command("sleep", "9")
	done := make(chan error, 1)
	go runInto(cmd, done)
	select {
	case <-time.After(d):
		return errTimeout
	case err := <-done:
		return err
	}
}

func runInto(c *exec.Cmd, done chan<- error) { // want runInto:`params\(waits\[0\] borrows\[0\]\)`
	done <- c.Run() // want `c.Run in a goroutine, abandoned on the path returning at timeout.go:351 after the timeout`
}

// A timer that kills is set up for the command: someone else kills it.
func afterFuncKills(d time.Duration) error {
	cmd := exec.Command("sleep", "9")
	time.AfterFunc(d, func() { cmd.Process.Kill() })
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(2 * d):
		return errTimeout
	case err := <-done:
		return err
	}
}

// mozilla/tls-observatory's connection/retriever.go: the scan gives up
// after three minutes, and bash with its cipherscan runs on.
func cipherscan(target string) ([]byte, error) {
	comm := exec.Command("bash", "-c", "cipherscan "+target)
	err := comm.Start() // want `comm.Start waited for in a goroutine, abandoned on the path returning at timeout.go:390 after the timeout`
	if err != nil {
		return nil, err
	}
	waiter := make(chan error, 1)
	go func() {
		waiter <- comm.Wait()
	}()
	select {
	case <-time.After(3 * time.Minute):
		err = errTimeout
		return nil, err
	case err := <-waiter:
		if err != nil {
			return nil, err
		}
	}
	return nil, nil
}
