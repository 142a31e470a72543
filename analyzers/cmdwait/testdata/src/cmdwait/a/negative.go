package a

import (
	"bytes"
	"context"
	"log"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"

	"cmdwait/helpers"
)

func startWait() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}

func deferredWait() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait()
	return nil
}

func deferredClosureWait() error {
	cmd := exec.Command("true")
	defer func() { _ = cmd.Wait() }()
	return cmd.Start()
}

func returned() (*exec.Cmd, error) { // want returned:`returns\(cmd0 started\)`
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd, nil
}

type server struct {
	cmd  *exec.Cmd
	done chan error
}

func (s *server) start() error {
	cmd := exec.Command("sleep", "100")
	s.cmd = cmd
	return cmd.Start()
}

func (s *server) startField() error {
	s.cmd = exec.Command("sleep", "100")
	return s.cmd.Start()
}

func (s *server) stop() error {
	s.cmd.Process.Kill()
	return s.cmd.Wait()
}

var registry = map[string]*exec.Cmd{}

func storedInMap(name string) error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	registry[name] = cmd
	return nil
}

func storedInSlice(cmds []*exec.Cmd) []*exec.Cmd {
	cmd := exec.Command("true")
	_ = cmd.Start()
	return append(cmds, cmd)
}

func sentOnChannel(ch chan<- *exec.Cmd) error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	ch <- cmd
	return nil
}

func goroutineWaits() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

func goWait() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

func sameHelper(cmd *exec.Cmd) error { return cmd.Wait() } // want sameHelper:`params\(waits\[0\] borrows\[0\]\)`

func helperSamePackage() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	return sameHelper(cmd)
}

func helperOtherPackage() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	return helpers.ReapVia(cmd)
}

func helperKeeps() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	helpers.Track(cmd)
	return nil
}

// Start's own error path: exec has already cleaned up, nothing to wait for.
func startErrorPath() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}

func runOutput() (string, error) {
	var out bytes.Buffer
	cmd := exec.Command("echo", "hi")
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return "", err
	}
	b, err := exec.Command("date").Output()
	return out.String() + string(b), err
}

func osFileStdio() error {
	cmd := exec.Command("true")
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	// Process.Wait is enough here: no copy goroutines, pipes or context.
	_, err := cmd.Process.Wait()
	return err
}

func killThenWait() error {
	cmd := exec.Command("sleep", "100")
	if err := cmd.Start(); err != nil {
		return err
	}
	cmd.Process.Kill()
	return cmd.Wait()
}

func signalZeroProbe() error {
	cmd := exec.Command("sleep", "1")
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
		return cmd.Wait()
	}
	return cmd.Wait()
}

func startProcessWait() error {
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		return err
	}
	_, err = p.Wait()
	return err
}

func exitsOnFailure(other func() error) error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := other(); err != nil {
		os.Exit(1) // never returns: no leak on this path
	}
	return cmd.Wait()
}

func panicsOnFailure(other func() error) error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := other(); err != nil {
		panic(err)
	}
	return cmd.Wait()
}

func loopWaits(names []string) error {
	for _, n := range names {
		cmd := exec.Command("touch", n)
		if err := cmd.Start(); err != nil {
			return err
		}
		if err := cmd.Wait(); err != nil {
			return err
		}
	}
	return nil
}

func waitGroup(names []string) {
	var wg sync.WaitGroup
	for _, n := range names {
		cmd := exec.Command("touch", n)
		if err := cmd.Start(); err != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd.Wait()
		}()
	}
	wg.Wait()
}

func generic[T any](v T, run func(T) *exec.Cmd) error {
	cmd := run(v)
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}

func genericLeak[T any](v T) error {
	cmd := exec.Command("echo", any(v).(string))
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait`
		return err
	}
	return nil
}

func rangeOverFunc(seq func(func(string) bool)) error {
	for name := range seq {
		cmd := exec.Command("touch", name)
		if err := cmd.Start(); err != nil {
			return err
		}
		if err := cmd.Wait(); err != nil {
			return err
		}
	}
	return nil
}

func ctxKillWait(ctx context.Context) error {
	cmd := exec.Command("sleep", "100")
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		cmd.Process.Kill()
	}()
	return cmd.Wait()
}

func released() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return <-done
}

type logger struct{}

func (logger) Fatalf(format string, args ...any) { panic(format) }

func die(msg string) {
	println(msg)
	os.Exit(2)
}

func dieVia(msg string) { die(msg) }

func noReturnHelpers(t *testing.T, l logger, check func() error) error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := check(); err != nil {
		t.Fatalf("check: %v", err)
	}
	if err := check(); err != nil {
		log.Fatal(err)
	}
	if err := check(); err != nil {
		l.Fatalf("check: %v", err)
	}
	if err := check(); err != nil {
		dieVia(err.Error())
	}
	if err := check(); err != nil {
		t.Skip("flaky")
	}
	return cmd.Wait()
}

func testFailurePath(t testing.TB) {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Error(err)
	}
}
