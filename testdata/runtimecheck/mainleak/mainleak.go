// Package mainleak leaks from one test and checks with VerifyTestMain only:
// the report comes once all tests are done, and the package fails.
package mainleak

import (
	"os"
	"os/exec"
)

var keep []any

// Leak leaves an os.Pipe open and a child never waited for.
func Leak() error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	keep = append(keep, r, w)
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	keep = append(keep, cmd)
	return nil
}
