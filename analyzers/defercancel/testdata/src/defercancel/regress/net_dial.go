package regress

import (
	"context"
	"time"
)

// From net/dial.go (dialParallel): the fallback racer is started when the
// fallback timer fires, which it does once; the Reset runs only when Stop
// returned true, that is before the timer fired. So the WithCancel in the
// loop runs at most once and its defer piles nothing up.
type result struct {
	primary, done bool
	err           error
}

func race(ctx context.Context, results chan result, delay time.Duration, start func(context.Context, bool)) error {
	primaryCtx, primaryCancel := context.WithCancel(ctx)
	defer primaryCancel()
	go start(primaryCtx, true)

	fallbackTimer := time.NewTimer(delay)
	defer fallbackTimer.Stop()

	var primary, fallback result
	for {
		select {
		case <-fallbackTimer.C:
			fallbackCtx, fallbackCancel := context.WithCancel(ctx)
			defer fallbackCancel()
			go start(fallbackCtx, false)

		case res := <-results:
			if res.err == nil {
				return nil
			}
			if res.primary {
				primary = res
			} else {
				fallback = res
			}
			if primary.done && fallback.done {
				return primary.err
			}
			if res.primary && fallbackTimer.Stop() {
				fallbackTimer.Reset(0)
			}
		}
	}
}

// The same with a receive statement: a second receive would block forever.
func afterTimer(ctx context.Context, t *time.Timer, work func(context.Context) bool) {
	for {
		<-t.C
		c, cancel := context.WithCancel(ctx)
		defer cancel()
		if work(c) {
			return
		}
	}
}
