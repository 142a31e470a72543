// Package factory uses commands made, started, killed and reaped by
// functions of its own and of cmdwait/factorylib.
package factory

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	"cmdwait/factorylib"
)

func work() error { return nil }

func leakFromFactory(name string) error {
	cmd, stdout, _, err := factorylib.StartCmd(name) // want `factorylib.StartCmd starts a command that is not waited for on the path returning at factory.go:24: the child becomes a zombie and its pipes leak; call Wait on the \*exec.Cmd it returns`
	if err != nil {
		return err
	}
	_, err = io.ReadAll(stdout)
	fmt.Println(cmd.Process.Pid)
	return err
}

func factoryWaited(name string) error {
	cmd, stdout, _, err := factorylib.StartCmd(name)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, stdout)
	return cmd.Wait()
}

func factoryReaped(name string) error {
	cmd, stdout, _, err := factorylib.StartCmd(name)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, stdout)
	return factorylib.Reap(cmd)
}

func factoryProcessWait(name string) error {
	cmd, stdout, _, err := factorylib.StartCmd(name)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, stdout)
	_, err = cmd.Process.Wait() // want `cmd.Process.Wait instead of cmd.Wait: the copy goroutines, context watcher and pipes of cmd leak; call cmd.Wait`
	return err
}

func gitOutput(r *factorylib.Repo) ([]byte, error) {
	return r.Git("log").Output()
}

func gitStartNoWait(r *factorylib.Repo) error {
	cmd := r.Git("fetch")
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait on the path returning at factory.go:64`
		return err
	}
	return nil
}

func gitStartWait(r *factorylib.Repo) error {
	cmd := r.Git("fetch")
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}

func foreground(name string) error {
	cmd := exec.Command(name)
	cmd.Stdin = os.Stdin
	if err := factorylib.StartInForeground(cmd); err != nil { // want `factorylib.StartInForeground starts cmd without Wait on the path returning at factory.go:82: the child becomes a zombie and its pipes leak; call cmd.Wait`
		return err
	}
	if err := work(); err != nil {
		return err
	}
	return cmd.Wait()
}

func foregroundWaited(name string) error {
	cmd := exec.Command(name)
	if err := factorylib.StartInForeground(cmd); err != nil {
		return err
	}
	return cmd.Wait()
}

func killedByHelper(name string) error {
	cmd := exec.Command(name)
	if err := cmd.Start(); err != nil {
		return err
	}
	factorylib.KillGroup(cmd) // want `factorylib.KillGroup kills cmd without Wait on the path returning at factory.go:101: the killed child stays a zombie; call cmd.Wait after killing it`
	return nil
}

func killThenWait(name string) error {
	cmd := exec.Command(name)
	if err := cmd.Start(); err != nil {
		return err
	}
	factorylib.KillGroup(cmd)
	return cmd.Wait()
}

// newStarted is a factory of this package; all its callers but one wait.
func newStarted(name string) (*exec.Cmd, error) { // want newStarted:`returns\(cmd0 started\)`
	cmd := exec.Command(name)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd, nil
}

// viaFactory is a factory through a factory.
func viaFactory() (*exec.Cmd, error) { return newStarted("c") } // want viaFactory:`returns\(cmd0 started\)`

func callerWaits() error {
	cmd, err := newStarted("a")
	if err != nil {
		return err
	}
	return cmd.Wait()
}

func callerDefersWait() error {
	cmd, err := newStarted("b")
	if err != nil {
		return err
	}
	defer cmd.Wait()
	return work()
}

func callerLeaks() error {
	cmd, err := viaFactory() // want `viaFactory starts a command that is not waited for on the path returning at factory.go:148`
	if err != nil {
		return err
	}
	fmt.Println(cmd.Process.Pid)
	return nil
}

// runStarted: Run on a command already started fails with "exec: already
// started"; it waits for nothing.
func runStarted(name string) error {
	cmd := exec.Command(name)
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait on the path returning at factory.go:158`
		return err
	}
	return cmd.Run()
}

// deferKill: the deferred kill runs on the error return, and nothing reaps
// the child after it.
func deferKill(name string) error {
	cmd := exec.Command(name)
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait on the path returning at factory.go:170`
		return err
	}
	defer cmd.Process.Kill()
	if err := work(); err != nil {
		return err
	}
	return cmd.Wait()
}

func deferKillAndWait(name string) error {
	cmd := exec.Command(name)
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	return work()
}

// runParam takes on the command's lifecycle (it waits for it), so its own
// paths are checked.
func runParam(cmd *exec.Cmd) error { // want runParam:`params\(waits\[0\] borrows\[0\] starts\[0\]\)`
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait on the path returning at factory.go:192`
		return err
	}
	if err := work(); err != nil {
		return err
	}
	return cmd.Wait()
}

func superviseParam(cmd *exec.Cmd) error { // want superviseParam:`params\(waits\[0\] borrows\[0\] kills\[0\]\)`
	defer cmd.Process.Kill() // want `deferred cmd.Process.Kill without Wait on the path returning at factory.go:200`
	if err := work(); err != nil {
		return err
	}
	return cmd.Wait()
}

// killParam kills and leaves the Wait to its caller: not reported here.
func killParam(cmd *exec.Cmd) { _ = cmd.Process.Kill() } // want killParam:`params\(borrows\[0\] kills\[0\]\)`

// background waits with Process.Wait in a goroutine for a command whose
// stdout pipe it took: the pipe is never closed by os/exec.
func background(cmd *exec.Cmd, done chan<- error) error { // want background:`params\(waits\[0\]\)`
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		_, _ = io.Copy(os.Stdout, stdout)
		_, err := cmd.Process.Wait() // want `cmd.Process.Wait instead of cmd.Wait`
		done <- err
	}()
	return nil
}

// storedLater: storing the command into a struct afterwards does not hide
// the early return that leaks it.
type holder struct{ cmd *exec.Cmd }

func (h *holder) storedLater(name string, fail bool) error {
	cmd := exec.Command(name)
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait on the path returning at factory.go:236`
		return err
	}
	if fail {
		return errors.New("failed")
	}
	h.cmd = cmd
	return nil
}

func (h *holder) Close() error { return h.cmd.Wait() }

// storedOnSomePath: a hand-off on one path before Start does not cover the
// other.
func storedOnSomePath(name string, keep bool, list *[]*exec.Cmd) error {
	cmd := exec.Command(name)
	if keep {
		*list = append(*list, cmd)
	}
	if err := cmd.Start(); err != nil { // want `cmd.Start without Wait on the path returning at factory.go:254`
		return err
	}
	return nil
}
