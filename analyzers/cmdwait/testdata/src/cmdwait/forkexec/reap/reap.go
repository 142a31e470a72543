// Package reap is a helper in another package that waits for a pid.
package reap

import "syscall"

func Reap(pid int) error {
	var ws syscall.WaitStatus
	_, err := syscall.Wait4(pid, &ws, 0, nil)
	return err
}
