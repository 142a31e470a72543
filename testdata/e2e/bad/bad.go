// Package bad holds one clear bug for each lifeguard analyzer. The
// end-to-end tests of cmd/lifeguard expect exactly one finding on each line
// marked with an "e2e:want" comment, from the named analyzer, with a message
// containing the quoted text.
package bad

import "os/exec"

// Leak starts a child and returns without waiting for it: the child stays a
// zombie for the life of the parent.
func Leak() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil { // e2e:want cmdwait "without Wait"
		return err
	}
	return nil
}

// NeverRead takes a stdout pipe and never reads it: a child writing more
// than the pipe's buffer blocks forever, and so does Wait.
func NeverRead() error {
	cmd := exec.Command("ls")
	if _, err := cmd.StdoutPipe(); err != nil { // e2e:want pipedrain "never read"
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}
