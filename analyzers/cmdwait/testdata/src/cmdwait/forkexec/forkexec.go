package forkexec

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"cmdwait/forkexec/reap"
)

var attr = &syscall.ProcAttr{Files: []uintptr{0, 1, 2}}

func noWait() error {
	pid, err := syscall.ForkExec("/bin/true", []string{"true"}, attr) // want `syscall.ForkExec without a wait for its pid on the path returning at forkexec.go:20: the child becomes a zombie \(syscall.Kill does not reap it\); call syscall.Wait4\(pid, ...\), or os.FindProcess\(pid\) and its Wait`
	if err != nil {
		return err
	}
	println(pid)
	return nil
}

// Kill signals, it does not reap.
func killOnly() {
	pid, _, err := syscall.StartProcess("/bin/sleep", []string{"sleep", "9"}, attr) // want `syscall.StartProcess without a wait for its pid on the path returning at forkexec.go:30`
	if err != nil {
		return
	}
	syscall.Kill(pid, syscall.SIGKILL)
}

// Wait4 on the success path only: the early return leaks.
func waitOnSuccessOnly(check func() error) error {
	pid, err := syscall.ForkExec("/bin/true", nil, attr) // want `syscall.ForkExec without a wait for its pid on the path returning at forkexec.go:39`
	if err != nil {
		return err
	}
	if err := check(); err != nil {
		return err
	}
	var ws syscall.WaitStatus
	_, err = syscall.Wait4(pid, &ws, 0, nil)
	return err
}

// The pid is discarded.
func discarded() error {
	_, err := syscall.ForkExec("/bin/true", nil, attr) // want `syscall.ForkExec without a wait for its pid on the path returning at forkexec.go:49`
	return err
}

// Hard negatives.

func waits() error {
	pid, err := syscall.ForkExec("/bin/true", nil, attr)
	if err != nil {
		return err
	}
	var ws syscall.WaitStatus
	if _, err := syscall.Wait4(pid, &ws, 0, nil); err != nil {
		return err
	}
	if !ws.Exited() || ws.ExitStatus() != 0 {
		return errors.New("failed")
	}
	return nil
}

func killThenWait() {
	pid, err := syscall.ForkExec("/bin/sleep", []string{"sleep", "9"}, attr)
	if err != nil {
		return
	}
	syscall.Kill(pid, syscall.SIGTERM)
	syscall.Wait4(pid, nil, 0, nil)
}

func deferredWait() error {
	pid, err := syscall.ForkExec("/bin/true", nil, attr)
	if err != nil {
		return err
	}
	defer syscall.Wait4(pid, nil, 0, nil)
	return nil
}

func findProcess() error {
	pid, err := syscall.ForkExec("/bin/true", nil, attr)
	if err != nil {
		return err
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	_, err = p.Wait()
	return err
}

// A helper in another package waits.
func helperWaits() error {
	pid, err := syscall.ForkExec("/bin/true", nil, attr)
	if err != nil {
		return err
	}
	return reap.Reap(pid)
}

// The pid is handed off: returned, stored, sent, waited in a goroutine.
func returned() (int, error) {
	return syscall.ForkExec("/bin/true", nil, attr)
}

type child struct{ pid int }

func stored(c *child) error {
	pid, err := syscall.ForkExec("/bin/true", nil, attr)
	if err != nil {
		return err
	}
	c.pid = pid
	return nil
}

func sent(pids chan<- int) {
	pid, err := syscall.ForkExec("/bin/true", nil, attr)
	if err == nil {
		pids <- pid
	}
}

func waitedInGoroutine() {
	pid, err := syscall.ForkExec("/bin/true", nil, attr)
	if err != nil {
		return
	}
	go func() { syscall.Wait4(pid, nil, 0, nil) }()
}

// Returning from main.main: init reaps the orphan.

func appended(pids []int) []int {
	pid, err := syscall.ForkExec("/bin/true", nil, attr)
	if err != nil {
		return pids
	}
	return append(pids, pid)
}

// Formatting the pid or signalling it keeps tracking on.
func formatted() string {
	pid, err := syscall.ForkExec("/bin/true", nil, attr) // want `syscall.ForkExec without a wait for its pid`
	if err != nil {
		return ""
	}
	syscall.Setpgid(pid, pid)
	return fmt.Sprintf("/proc/%d/status", pid)
}
