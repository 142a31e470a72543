// Package selectwait: a context made from a fresh root and used only
// through Done() in a select bounds the wait, and the wait is work.
package selectwait

import (
	"context"
	"errors"
	"time"
)

type server struct {
	ready chan struct{}
	done  chan struct{}
}

var errNotReady = errors.New("not ready")

// The wait ignores the caller's cancellation for up to ten seconds.
func (s *server) waitReady(ctx context.Context) error {
	tctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // want `^context\.Background\(\) in \(\*server\)\.waitReady, which has ctx: the work it roots ignores the caller's cancellation and deadline`
	defer cancel()
	select {
	case <-s.ready:
		return nil
	case <-tctx.Done():
		return tctx.Err()
	}
}

// A plain receive: a sleep that the caller cannot cut short.
func pause(ctx context.Context) {
	tctx, cancel := context.WithTimeout(context.TODO(), time.Second) // want `^context\.TODO\(\) in pause, which has ctx`
	defer cancel()
	<-tctx.Done()
}
