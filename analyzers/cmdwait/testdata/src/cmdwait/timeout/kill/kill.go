// Package kill is a helper in another package that kills the command it
// is given.
package kill

import "os/exec"

func Terminate(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
