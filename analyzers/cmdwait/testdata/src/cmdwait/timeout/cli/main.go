// Command cli gives up on a slow child when it exits: the program ends, so
// abandoning the child is what it means to do.
package main

import (
	"os/exec"
	"syscall"
	"time"
)

func main() {
	cmd := exec.Command("sleep", "100")
	done := make(chan error, 1)
	go func() { done <- cmd.Run() }()
	select {
	case <-time.After(time.Second):
		println("giving up")
		return
	case <-done:
	}
	// A fork in main.main: when main returns, init reaps the child.
	pid, err := syscall.ForkExec("/bin/true", nil, &syscall.ProcAttr{})
	if err != nil {
		return
	}
	println(pid)
}
