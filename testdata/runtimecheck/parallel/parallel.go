// Package parallel leaks from a parallel test checked with Check: the leak
// cannot be attributed, so no test fails, and each Check says why.
package parallel

import "os"

var keep []any

// Leak leaves an os.Pipe open.
func Leak() error {
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	keep = append(keep, r, w)
	return nil
}
