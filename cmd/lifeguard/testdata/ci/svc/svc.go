// Package svc is the fixture of the CI-format and baseline tests of
// cmd/lifeguard (ci_test.go, baseline_test.go): one finding on each line
// marked "ci:want ANALYZER FUNCTION", where FUNCTION is the enclosing
// function a baseline records. The baseline test moves this code around.
package svc

import (
	"context"
	"net/http"
	"os/exec"
)

// start is package-level: its finding's function is "init".
var start = func() error {
	cmd := exec.Command("true")
	return cmd.Start() // ci:want cmdwait init
}

// Percent's message quotes its command, which holds the characters that
// workflow commands escape.
func Percent() error {
	return exec.Command("sh", "-c", "echo 100%, a:b").Start() // ci:want cmdwait Percent
}

// Wide has a non-ASCII name before the finding on its line: columns count
// characters, not bytes.
func Wide(ctx context.Context, f func(context.Context) error) error {
	if é := f(context.Background()); é != nil { // ci:want ctxbreak Wide
		return é
	}
	return nil
}

// Twice starts two children the same way and waits for neither: two
// findings with one fingerprint.
func Twice() {
	cmd := exec.Command("true")
	_ = cmd.Start() // ci:want cmdwait Twice
	cmd = exec.Command("true")
	_ = cmd.Start() // ci:want cmdwait Twice
}

// Later's finding is in a function literal, which belongs to Later.
func Later() func() error {
	return func() error {
		cmd := exec.Command("true")
		return cmd.Start() // ci:want cmdwait Later
	}
}

// Server is an HTTP handler.
type Server struct{}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	go func() { // ci:want handlerrecover (*Server).ServeHTTP
		work(r.URL.Path)
	}()
}

func work(string) {}

// Pool has a type parameter, which the function name leaves out.
type Pool[T any] struct{ items []T }

func (p Pool[T]) Spawn() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil { // ci:want cmdwait Pool.Spawn
		return err
	}
	return nil
}
