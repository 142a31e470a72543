// Package bad holds one clear bug for each lifeguard analyzer. The
// end-to-end tests of cmd/lifeguard expect exactly one finding on each line
// marked with an "e2e:want" comment, from the named analyzer, with a message
// containing the quoted text.
package bad

import (
	"context"
	"net/http"
	"os/exec"
	"time"
)

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

// Poll retries with a deadline per attempt and defers each cancel: every
// attempt's context and timer live until Poll returns.
func Poll(ctx context.Context, try func(context.Context) error) error {
	for {
		attempt, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // e2e:want defercancel "inside a loop"
		if try(attempt) == nil {
			return nil
		}
	}
}

// Lookup ignores its caller's deadline.
func Lookup(ctx context.Context, find func(context.Context) error) error {
	return find(context.Background()) // e2e:want ctxbreak "which has ctx"
}

// Upload finishes the work in a goroutine that nothing recovers: a panic in
// it takes the server down.
func Upload(w http.ResponseWriter, r *http.Request) {
	go func() { // e2e:want handlerrecover "has no deferred recover"
		process(r.URL.Path)
	}()
}

func process(string) {}
