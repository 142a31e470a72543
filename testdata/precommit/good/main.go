// Command spawn starts a child and waits for it.
package main

import "os/exec"

func main() { spawn() }

func spawn() error {
	cmd := exec.Command("sleep", "1")
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}
