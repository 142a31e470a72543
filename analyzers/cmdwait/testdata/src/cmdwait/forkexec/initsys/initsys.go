// Package initsys reaps every child with a Wait4(-1) loop, as an init
// system or a sandbox's pid 1 does: the children it forks are reaped
// there, whatever happens to their pids.
package initsys

import (
	"os"
	"os/signal"
	"syscall"
)

func Spawn(path string) error {
	_, err := syscall.ForkExec(path, []string{path}, &syscall.ProcAttr{Files: []uintptr{0, 1, 2}})
	return err
}

func Reaper() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGCHLD)
	for range sigs {
		for {
			var ws syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
