package selectwait

import (
	"context"
	"time"
)

// The select also ends on the caller's cancellation: the fresh timeout is
// only a timer.
func (s *server) waitBoth(ctx context.Context) error {
	tctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-s.ready:
		return nil
	case <-tctx.Done():
		return errNotReady
	}
}

// A timeout derived from the caller's context: no fresh root.
func (s *server) waitDerived(ctx context.Context) error {
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	select {
	case <-s.ready:
		return nil
	case <-tctx.Done():
		return tctx.Err()
	}
}

// A non-blocking poll is not a wait.
func (s *server) poll(ctx context.Context) bool {
	tctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	select {
	case <-tctx.Done():
		return true
	default:
		return false
	}
}

// No context in scope.
func (s *server) waitNoCtx() error {
	tctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	select {
	case <-s.ready:
		return nil
	case <-tctx.Done():
		return tctx.Err()
	}
}

// A goroutine that outlives the function waits on its own time.
func (s *server) watch(ctx context.Context) {
	go func() {
		tctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		select {
		case <-s.done:
		case <-tctx.Done():
		}
	}()
}

// After the caller's context is over, waiting on a fresh timeout to drain
// is the shutdown idiom.
func (s *server) drain(ctx context.Context) {
	<-ctx.Done()
	tctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	select {
	case <-s.done:
	case <-tctx.Done():
	}
}
