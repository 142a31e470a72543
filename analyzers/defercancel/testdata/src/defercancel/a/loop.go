package a

import (
	"context"
	"errors"
	"iter"
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"
)

func fetch(ctx context.Context, url string) error { return ctx.Err() }

// The retry loop of cadence-workflow/cadence#986.
func retry(ctx context.Context, url string) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:20 and its timer stay alive until retry returns, one per iteration; call cancel\(\) at the end of each iteration, or move the loop body into a function`
		if err = fetch(ctx, url); err == nil {
			return nil
		}
		time.Sleep(time.Second)
	}
	return err
}

// The ticker loop of dhui/dktest#2.
func poll(ctx context.Context, t *time.Ticker) error {
	for {
		select {
		case <-t.C:
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:35 and its timer stay alive until poll returns`
			if fetch(ctx, "ready") == nil {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// A range loop, WithCancel: no timer.
func fetchAll(ctx context.Context, urls []string) {
	for _, u := range urls {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithCancel at loop.go:49 stays alive until fetchAll returns, one per iteration`
		_ = fetch(ctx, u)
	}
}

// for {} with continue; the cancel is declared outside the loop and
// assigned in it; the deferred closure also logs.
func consume(ctx context.Context, next func() (string, bool)) {
	var cancel context.CancelFunc
	for {
		u, ok := next()
		if !ok {
			break
		}
		var c context.Context
		c, cancel = context.WithDeadline(ctx, time.Now().Add(time.Second))
		defer func() { // want `deferred cancel\(\) inside a loop: the context.WithDeadline at loop.go:65 and its timer stay alive until consume returns`
			cancel()
			log.Print("done")
		}()
		if fetch(c, u) != nil {
			continue
		}
		log.Print(u)
	}
}

// Range-over-func with continue: the body is a function, but its defers
// run when rangeFunc returns.
func rangeFunc(ctx context.Context, urls iter.Seq[string]) {
	for u := range urls {
		ctx, cancel := context.WithTimeoutCause(ctx, time.Second, errors.New("slow"))
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeoutCause at loop.go:81 and its timer stay alive until rangeFunc returns`
		if fetch(ctx, u) != nil {
			continue
		}
		log.Print(u)
	}
}

// An ordinary loop inside the body of a range-over-func loop.
func nestedInRangeFunc(ctx context.Context, groups iter.Seq[[]string]) {
	for g := range groups {
		for _, u := range g {
			ctx, cancel := context.WithCancelCause(ctx)
			defer cancel(nil) // want `defer cancel\(\) inside a loop: the context.WithCancelCause at loop.go:94 stays alive until nestedInRangeFunc returns`
			_ = fetch(ctx, u)
		}
		break
	}
}

// A phi: one of two contexts per iteration, both made in the loop.
func either(ctx context.Context, urls []string, slow bool) {
	for _, u := range urls {
		var cancel context.CancelFunc
		var c context.Context
		if slow {
			c, cancel = context.WithTimeout(ctx, time.Minute)
		} else {
			c, cancel = context.WithCancel(ctx)
		}
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:108`
		_ = fetch(c, u)
	}
}

// In a function literal: named in the message.
var handler = func(ctx context.Context, urls []string) {
	for _, u := range urls {
		c, cancel := context.WithCancel(ctx)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithCancel at loop.go:120 stays alive until the function literal at loop.go:118 returns`
		_ = fetch(c, u)
	}
}

// Same-package helper that returns a fresh cancel, and a closure wrapping it.
func withRequestTimeout(ctx context.Context) (context.Context, context.CancelFunc) { // want withRequestTimeout:`returnsCancel\(1\)`
	return context.WithTimeout(ctx, 3*time.Second)
}

func withSpan(ctx context.Context) (context.Context, func()) { // want withSpan:`returnsCancel\(1\)`
	ctx, cancel := withRequestTimeout(ctx)
	return ctx, func() {
		cancel()
		log.Print("span end")
	}
}

func viaHelpers(ctx context.Context, urls []string) {
	for _, u := range urls {
		c, cancel := withRequestTimeout(ctx)
		defer cancel() // want `defer cancel\(\) inside a loop: the context from withRequestTimeout at loop.go:141 stays alive until viaHelpers returns`
		_ = fetch(c, u)
	}
	for _, u := range urls {
		c, end := withSpan(ctx)
		defer end() // want `defer end\(\) inside a loop: the context from withSpan at loop.go:146 stays alive`
		_ = fetch(c, u)
	}
}

// A deferred function given the cancel as an argument.
func stopWith(cancel context.CancelFunc) { cancel() }

func deferredHelper(ctx context.Context, urls []string) {
	for _, u := range urls {
		c, cancel := context.WithCancel(ctx)
		defer stopWith(cancel) // want `deferred cancel\(\) inside a loop: the context.WithCancel at loop.go:157`
		_ = fetch(c, u)
	}
}

// The cancel of the previous iteration, made at the end of the loop body.
func remade(ctx context.Context, urls []string) {
	c, cancel := context.WithCancel(ctx)
	for _, u := range urls {
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithCancel at loop.go:169`
		_ = fetch(c, u)
		c, cancel = context.WithCancel(ctx)
	}
}

// os/signal.NotifyContext's stop is a cancel too.
func signals(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		c, stop := signal.NotifyContext(ctx, os.Interrupt)
		defer stop() // want `defer stop\(\) inside a loop: the context from signal.NotifyContext at loop.go:176 stays alive until signals returns`
		_ = fetch(c, "x")
	}
}

// A timer re-armed in the loop fires once per iteration.
func rearmed(ctx context.Context, t *time.Timer, done chan struct{}) {
	for {
		select {
		case <-t.C:
			c, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:187`
			_ = fetch(c, "x")
			t.Reset(time.Second)
		case <-done:
			return
		}
	}
}

// A timer made per iteration (time.After) too.
func after(ctx context.Context, done chan struct{}) {
	for {
		select {
		case <-time.After(time.Second):
			c, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:202`
			_ = fetch(c, "x")
		case <-done:
			return
		}
	}
}

func newTimerEach(ctx context.Context) {
	for {
		t := time.NewTimer(time.Second)
		<-t.C
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:215`
		_ = fetch(c, "x")
	}
}

// The outer variable re-assigned each iteration: each context derives from
// the previous one.
func chained(ctx context.Context, urls []string) {
	var cancel context.CancelFunc
	for _, u := range urls {
		ctx, cancel = context.WithTimeout(ctx, time.Second)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:226`
		_ = fetch(ctx, u)
	}
}

// A request holding the context, done in the iteration; a closure called in
// place.
func requests(ctx context.Context, client *http.Client, urls []string) {
	for _, u := range urls {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:236`
		req, err := http.NewRequestWithContext(c, http.MethodGet, u, nil)
		if err != nil {
			continue
		}
		resp, err := client.Do(req)
		if err != nil {
			continue
		}
		resp.Body.Close()
	}
	for _, u := range urls {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:249`
		func() {
			_ = fetch(c, u)
		}()
	}
}

// Reset to nil after cancelling: made again, but cancelled each time too.
func guardedAndReset(ctx context.Context, urls []string) {
	var cancel context.CancelFunc
	var c context.Context
	for _, u := range urls {
		if cancel == nil {
			c, cancel = context.WithCancel(ctx)
			defer cancel() // want `defer cancel\(\) inside a loop: the context.WithCancel at loop.go:263`
		}
		if fetch(c, u) != nil {
			cancel = nil
		}
	}
}

type span struct{}

func (*span) End() {}

func startSpan(ctx context.Context, name string) (context.Context, *span) { return ctx, &span{} }

// A span derived from the context and ended by another defer piles up too.
func traced(ctx context.Context, urls []string) {
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:281`
		ctx, sp := startSpan(ctx, u)
		defer sp.End()
		_ = fetch(ctx, u)
	}
}

// Retried on any error but a timeout: the context of a failed attempt is
// still alive.
func retryOthers(ctx context.Context) error {
	for {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:293`
		err := fetch(c, "x")
		if errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		if err != nil {
			continue
		}
		return nil
	}
}

type request struct {
	ctx context.Context
	url string
}

func do(r *request) error { return r.ctx.Err() }

// A request struct holding the context, used in the iteration; a deferred
// closure reading the context.
func structs(ctx context.Context, urls []string) {
	for _, u := range urls {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at loop.go:317`
		_ = do(&request{ctx: c, url: u})
	}
	for _, u := range urls {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer func() { // want `deferred cancel\(\) inside a loop: the context.WithTimeout at loop.go:322`
			cancel()
			log.Print(c.Err())
		}()
		_ = fetch(c, u)
	}
}
