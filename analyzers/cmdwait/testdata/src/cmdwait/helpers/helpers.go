// Package helpers is imported by cmdwait/a: its functions' facts (waits,
// borrows) must carry across the package boundary.
package helpers

import (
	"log"
	"os/exec"
)

// Reap waits for the command.
func Reap(cmd *exec.Cmd) error { return cmd.Wait() }

// ReapVia waits through another helper.
func ReapVia(cmd *exec.Cmd) error { return Reap(cmd) }

// Describe only looks at the command.
func Describe(cmd *exec.Cmd) { log.Printf("running %v (%s)", cmd.Args, cmd.Path) }

var running []*exec.Cmd

// Track keeps the command: ownership moves here.
func Track(cmd *exec.Cmd) { running = append(running, cmd) }
