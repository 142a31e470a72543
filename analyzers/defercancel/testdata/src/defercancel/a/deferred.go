package a

import (
	"context"
	"errors"
	"net/http"
	"time"
)

func work(ctx context.Context) error { return ctx.Err() }

// Rule 1: the timeout meant for the function's work is set as it returns.
func timeoutTooLate(ctx context.Context, d time.Duration) error {
	var cancel context.CancelFunc
	defer func() {
		ctx, cancel = context.WithTimeout(ctx, d) // want `context.WithTimeout in a deferred function assigns ctx as timeoutTooLate returns: the context bounds none of the work that ran before; call context.WithTimeout before that work and defer only its cancel`
	}()
	_ = cancel
	return work(ctx)
}

// Rule 1: the deferred statement is the With* call itself.
func deferredWithTimeout(ctx context.Context) error {
	defer context.WithTimeout(ctx, time.Second) // want `deferred context.WithTimeout makes its context as deferredWithTimeout returns: it bounds none of the work before; call context.WithTimeout before that work and defer only its cancel`
	return work(ctx)
}

func deferredWithCancelCause(ctx context.Context) error {
	defer context.WithCancelCause(ctx) // want `deferred context.WithCancelCause makes its context as deferredWithCancelCause returns`
	return work(ctx)
}

// Rule 1: made and never used, in a nested block of the deferred function.
func unusedInDefer(ctx context.Context, flush func()) {
	defer func() {
		if flush != nil {
			_, cancel := context.WithTimeout(context.Background(), time.Second) // want `context.WithTimeout in a deferred function makes a context that nothing uses: it bounds no work; pass it to the calls it should bound, or call context.WithTimeout before the work and defer only its cancel`
			defer cancel()
			flush()
		}
	}()
	_ = work(ctx)
}

// Rule 1: only compared.
func comparedOnly(ctx context.Context) {
	defer func() {
		c, cancel := context.WithDeadline(ctx, time.Now().Add(time.Second)) // want `context.WithDeadline in a deferred function makes a context that nothing uses`
		defer cancel()
		if c == nil {
			panic("nil")
		}
	}()
}

// Rule 1: a deferred same-package function.
func (s *server) resetTimeout() {
	var cancel context.CancelFunc
	s.ctx2, cancel = context.WithTimeout(context.Background(), time.Second)
	_ = cancel
}

func (s *server) cleanup(ctx context.Context) {
	_, cancel := context.WithTimeout(ctx, time.Second) // want `context.WithTimeout in cleanup, deferred at deferred.go:69, makes a context that nothing uses`
	cancel()
}

func usesCleanup(s *server, ctx context.Context) {
	defer s.cleanup(ctx)
	defer s.resetTimeout() // stored in a field: handed off
	_ = work(ctx)
}

// Rule 1 inside the body of a range-over-func loop, assigning a variable of
// the enclosing function.
func inRangeFunc(ctx context.Context, seq func(func(int) bool)) {
	var cancel context.CancelFunc
	for range seq {
		defer func() {
			ctx, cancel = context.WithCancel(ctx) // want `context.WithCancel in a deferred function assigns ctx as inRangeFunc returns`
		}()
	}
	_ = cancel
	_ = work(ctx)
}

type server struct {
	srv    *http.Server
	ctx    context.Context
	cancel context.CancelFunc
	ctx2   context.Context
}

// Not reported: the deferred cleanup's context bounds its own work.
func (s *server) Run() error {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.srv.Shutdown(ctx)
	}()
	return s.srv.ListenAndServe()
}

// Not reported: waited on.
func waitsInDefer(done chan struct{}) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		select {
		case <-ctx.Done():
		case <-done:
		}
	}()
}

// Not reported: reset for the next use, in fields.
func (s *server) handle() {
	defer func() {
		s.cancel()
		s.ctx, s.cancel = context.WithCancel(context.Background())
	}()
	_ = work(s.ctx)
}

var global context.Context

// Not reported: stored in a global, sent, put in a map.
func handedOff(ch chan context.Context, m map[string]context.Context) {
	defer func() {
		var cancel context.CancelFunc
		global, cancel = context.WithCancel(context.Background())
		_ = cancel
	}()
	defer func() {
		ctx, cancel := context.WithCancel(context.Background())
		_ = cancel
		ch <- ctx
	}()
	defer func() {
		ctx, cancel := context.WithCancel(context.Background())
		_ = cancel
		m["k"] = ctx
	}()
}

// Not reported: a named result, which the caller receives after the defers.
func namedResult() (ctx context.Context, cancel context.CancelFunc) {
	defer func() {
		if ctx == nil {
			ctx, cancel = context.WithCancel(context.Background())
		}
	}()
	return nil, nil
}

// Not reported: the variable is captured by another closure, which may
// read it later.
func capturedElsewhere(ctx context.Context) func() error {
	var cancel context.CancelFunc
	defer func() { ctx, cancel = context.WithTimeout(ctx, time.Second) }()
	_ = cancel
	return func() error { return work(ctx) }
}

// Used after the assignment: not rule 1; from the ctx parameter: rule 3.
func usedAfterAssign(ctx context.Context) {
	var cancel context.CancelFunc
	defer func() {
		ctx, cancel = context.WithTimeout(ctx, time.Second) // want `context.WithTimeout in a deferred function derives from ctx, which may already be cancelled when usedAfterAssign returns`
		defer cancel()
		_ = work(ctx)
	}()
}

// Not reported: a variable of a function further out, which is still
// running when this one returns.
func outerVariable(ctx context.Context, xs []int) error {
	var cancel context.CancelFunc
	for range xs {
		func() {
			defer func() { ctx, cancel = context.WithTimeout(ctx, time.Second) }()
			_ = work(ctx)
		}()
	}
	_ = cancel
	return work(ctx)
}

// Not reported: the cancel is discarded, which go vet's lostcancel reports.
func lostcancel(ctx context.Context) {
	defer func() {
		ctx, _ = context.WithTimeout(ctx, time.Second)
	}()
	_ = work(ctx)
}

// Not reported: not in a deferred function.
func notDeferred(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	go func() {
		c, cancel := context.WithCancel(ctx)
		_ = c
		cancel()
	}()
	return work(ctx)
}

var errStop = errors.New("stop")

// Not reported: passed to a goroutine started by the deferred function.
func goroutineInDefer(ctx context.Context) {
	defer func() {
		c, cancel := context.WithCancelCause(context.Background())
		go func() {
			defer cancel(errStop)
			_ = work(c)
		}()
	}()
}

// Deferred twice: reported once.
func (s *server) flush() {
	c, cancel := context.WithTimeout(context.Background(), time.Second) // want `context.WithTimeout in flush, deferred at deferred.go:230, makes a context that nothing uses`
	defer cancel()
	_ = c == nil
}

func flushTwice(s *server, ctx context.Context) {
	defer s.flush()
	defer s.flush()
	_ = work(ctx)
}
