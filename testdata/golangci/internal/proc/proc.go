// Package proc reaps its children by process id, which lifeguard does not
// take for a Wait: it is clean only with cmdwait's wait-funcs naming
// proc.Reap, as .golangci.example.yml does, and a finding without.
package proc

import (
	"os/exec"
	"syscall"
)

// Reap waits for cmd's process to exit.
func Reap(cmd *exec.Cmd) error {
	var status syscall.WaitStatus
	_, err := syscall.Wait4(cmd.Process.Pid, &status, 0, nil)
	return err
}

// Sleep starts sleep and reaps it.
func Sleep() error {
	cmd := exec.Command("sleep", "1")
	if err := cmd.Start(); err != nil { // want:bundled lifeguard "cmdwait: cmd.Start without Wait"
		return err
	}
	return Reap(cmd)
}
