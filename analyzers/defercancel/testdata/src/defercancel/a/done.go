package a

import (
	"context"
	"time"
)

// A context used only through Done() in a select governs the select: the
// deferred cleanup waits for the worker, at most a second. Not reported.
func waitWorker(done chan struct{}) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		select {
		case <-ctx.Done():
		case <-done:
		}
	}()
}

// The Done channel kept in a variable, and Err() after it.
func waitWorkerErr(done chan struct{}) (err error) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		d := ctx.Done()
		select {
		case <-d:
			err = ctx.Err()
		case <-done:
		}
	}()
	return nil
}

// A loop that goes round only once its context is done keeps nothing
// alive: each context has expired before the next is made.
func waitLoop(parent context.Context, ch chan int) int {
	for {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel()
		select {
		case <-ctx.Done():
			continue
		case v := <-ch:
			return v
		}
	}
}

// But one that goes round on another case piles them up.
func sumLoop(parent context.Context, ch chan int) int {
	n := 0
	for i := 0; i < 10; i++ {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at done.go:55 and its timer stay alive until sumLoop returns`
		select {
		case <-ctx.Done():
			return n
		case v := <-ch:
			n += v
		}
	}
	return n
}
