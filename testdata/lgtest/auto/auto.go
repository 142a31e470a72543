// Package auto has bugs whose tests never call runtimecheck: lifeguard
// test's automatic check finds their leaks all the same. Markers, as in
// ../leaky:
//
//	// lgtest:confirms ANALYZER TEST KIND...   the finding on this line, confirmed by TEST's leaks of those kinds
//	// lgtest:missed TEST KIND                 a leak made on this line and no finding: "not found statically"
package auto

import (
	"bytes"
	"os/exec"
)

// KillNoWait starts name and kills it when it is not wanted, without
// reaping it: a zombie per call.
func KillNoWait(name string) error {
	cmd := exec.Command(name, "10")
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Kill() // lgtest:confirms cmdwait TestKillNoWait process
}

// Output runs name and reaps it with Process.Wait, which leaves the
// goroutine copying its stdout into the buffer to os/exec: only Cmd.Wait
// waits for it.
func Output(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil { // lgtest:missed TestOutputProcessWait process
		return "", err
	}
	if _, err := cmd.Process.Wait(); err != nil { // lgtest:confirms cmdwait TestOutputProcessWait pipe goroutine
		return "", err
	}
	return out.String(), nil
}
