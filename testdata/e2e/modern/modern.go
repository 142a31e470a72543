// Package modern uses generics and range-over-func around a leak.
package modern

import (
	"iter"
	"os/exec"
)

// Each yields a started command for every name.
func Each[T ~string](names []T) iter.Seq[*exec.Cmd] {
	return func(yield func(*exec.Cmd) bool) {
		for _, n := range names {
			cmd := exec.Command(string(n))
			if cmd.Start() != nil {
				continue
			}
			if !yield(cmd) {
				return
			}
		}
	}
}

// StartAll ranges over a func and leaks the command it starts itself.
func StartAll[T ~string](names []T) {
	for cmd := range Each(names) {
		_ = cmd.Wait()
		extra := exec.Command("echo", "done")
		extra.Start() // e2e:want cmdwait "without Wait on the path leaving the loop body"
	}
}
