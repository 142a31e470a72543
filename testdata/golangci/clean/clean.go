// Package clean does what package bugs does, correctly: no linter reports
// anything here.
package clean

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os/exec"
	"time"
)

// Reap starts a child and waits for it.
func Reap() error {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}

// ReadAll drains the stdout pipe before waiting.
func ReadAll() ([]byte, error) {
	cmd := exec.Command("ls")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	out, readErr := io.ReadAll(stdout)
	if err := cmd.Wait(); err != nil {
		return nil, err
	}
	return out, readErr
}

// Poll cancels each attempt's context before the next.
func Poll(ctx context.Context, try func(context.Context) error) error {
	for {
		attempt, cancel := context.WithTimeout(ctx, time.Second)
		err := try(attempt)
		cancel()
		if err == nil {
			return nil
		}
	}
}

// Lookup passes its caller's context on.
func Lookup(ctx context.Context, find func(context.Context) error) error {
	return find(ctx)
}

// Upload recovers in the goroutine it starts.
func Upload(w http.ResponseWriter, r *http.Request) {
	go func() {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("upload: %v", p)
			}
		}()
		process(r.URL.Path)
	}()
	w.WriteHeader(http.StatusAccepted)
}

// WithDeadline returns the cancel function with the context.
func WithDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, time.Second)
}

func process(path string) { fmt.Println(path) }
