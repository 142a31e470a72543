// Package bugs holds one lifeguard bug per analyzer.
package bugs

import (
	"context"
	"net/http"
	"os/exec"
	"time"
)

// Leak starts a child and returns without waiting for it.
func Leak() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil { // want:example lifeguard "cmdwait: cmd.Start without Wait" want:bundled lifeguard "cmdwait: cmd.Start without Wait" want:both lifeguard "cmdwait: cmd.Start without Wait"
		return err
	}
	return nil
}

// NeverRead takes a stdout pipe and never reads it.
func NeverRead() error {
	cmd := exec.Command("ls")
	if _, err := cmd.StdoutPipe(); err != nil { // want:example lifeguard "pipedrain: " want:bundled lifeguard "pipedrain: " want:both lifeguard "pipedrain: "
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}

// Poll defers each attempt's cancel inside the loop.
func Poll(ctx context.Context, try func(context.Context) error) error {
	for {
		attempt, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want:example lifeguard "defercancel: " want:bundled lifeguard "defercancel: " want:both lifeguard "defercancel: "
		if try(attempt) == nil {
			return nil
		}
	}
}

// Lookup ignores its caller's deadline.
func Lookup(ctx context.Context, find func(context.Context) error) error {
	return find(context.Background()) // want:example lifeguard "ctxbreak: " want:bundled lifeguard "ctxbreak: " want:both lifeguard "ctxbreak: "
}

// Upload finishes the work in a goroutine that nothing recovers.
func Upload(w http.ResponseWriter, r *http.Request) {
	go func() { // want:example lifeguard "handlerrecover: " want:bundled lifeguard "handlerrecover: " want:both lifeguard "handlerrecover: "
		process(r.URL.Path)
	}()
	w.WriteHeader(http.StatusAccepted)
}

func process(string) {}
