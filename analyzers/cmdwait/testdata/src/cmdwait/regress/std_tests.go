// Package regress holds code that cmdwait once reported wrongly, each case
// named after where it was found.
package regress

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// os/exec TestStart_twice: the second Start on a command fails with
// "exec: already started"; it starts nothing to wait for.
func startTwice(t *testing.T) {
	cmd := exec.Command("/bin/nonesuch")
	if err := cmd.Start(); err == nil {
		t.Fatalf("running invalid command succeeded")
	}
	err := cmd.Start()
	if fmt.Sprint(err) != "exec: already started" {
		t.Fatalf("got %v", err)
	}
}

// os/exec TestNoPath: a Start the test expects to fail; the only path past a
// successful Start is the one that fails the test.
func startMustFail(t *testing.T) {
	err := new(exec.Cmd).Start()
	if err == nil || err.Error() != "exec: no command" {
		t.Errorf("new(Cmd).Start() = %v", err)
	}
}

// os TestErrProcessDone: signalling a process that was already waited for.
func signalAfterWait(t *testing.T) {
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Fatalf("starting test process: %v", err)
	}
	p.Wait()
	if got := p.Signal(os.Kill); got != os.ErrProcessDone {
		t.Errorf("got %v want %v", got, os.ErrProcessDone)
	}
}

// os runBinHostname: Kill after Wait, expecting an error.
func killAfterWait() error {
	cmd := exec.Command("hostname")
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := cmd.Wait(); err != nil {
		return err
	}
	return cmd.Process.Kill()
}

// cmd/cgo testcarchive TestManyCalls: the variable is re-assigned to a new
// command (captured by a closure, so it lives in a cell); the Wait belongs
// to the second command, not to the first one's CombinedOutput.
func reassigned(t *testing.T) error {
	cmd := exec.Command("go", "build")
	out, err := cmd.CombinedOutput()
	t.Logf("%v\n%s", cmd.Args, out)
	if err != nil {
		return err
	}
	cmd = exec.Command("./prog")
	if err := cmd.Start(); err != nil {
		return err
	}
	stop := func() { cmd.Process.Kill() }
	defer stop()
	return cmd.Wait()
}
