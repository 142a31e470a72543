// Command daemon starts a child and exits: the child is re-parented to init,
// which reaps it. Returning from main is not a leak; a helper that returns to
// main is.
package main

import (
	"os"
	"os/exec"
)

func main() {
	cmd := exec.Command("server", "--background")
	if err := cmd.Start(); err != nil {
		os.Exit(1)
	}
	spawn()
}

func spawn() {
	cmd := exec.Command("worker")
	cmd.Start() // want `cmd.Start without Wait`
}
