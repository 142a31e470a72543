// Package cgo uses cgo: lifeguard analyzes the Go side of it like any other
// package.
package cgo

// #include <unistd.h>
import "C"

import "os/exec"

// PID returns the process id through libc.
func PID() int { return int(C.getpid()) }

// Spawn starts a child and forgets it.
func Spawn() {
	cmd := exec.Command("true")
	_ = cmd.Start() // e2e:want cmdwait "without Wait"
}
