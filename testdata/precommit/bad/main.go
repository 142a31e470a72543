// Command spawn starts a child and forgets it: the commit that adds this
// must be stopped by the pre-commit hook.
package main

import "os/exec"

func main() { spawn() }

func spawn() error {
	cmd := exec.Command("sleep", "1")
	if err := cmd.Start(); err != nil { // precommit:want cmdwait
		return err
	}
	return nil
}
