package suppress

import (
	"context"
	"time"
)

func use(ctx context.Context) error { return ctx.Err() }

func ignoredAbove(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		c, cancel := context.WithTimeout(ctx, time.Second)
		//lifeguard:ignore defercancel at most three iterations, all within the request
		defer cancel()
		_ = use(c)
	}
}

func ignoredSameLine(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() //lifeguard:ignore defercancel bounded loop
		_ = use(c)
	}
}

func nolint(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() //nolint:defercancel // bounded
		_ = use(c)
	}
	defer func() {
		var c context.Context
		c, _ = context.WithTimeout(ctx, time.Second) //nolint:lostcancel
		_ = c
	}()
	defer context.WithCancel(ctx) //nolint:lifeguard
}

func otherAnalyzer(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() //lifeguard:ignore cmdwait wrong analyzer // want `defer cancel\(\) inside a loop`
		_ = use(c)
	}
}

func unused(ctx context.Context) {
	c, cancel := context.WithTimeout(ctx, time.Second)
	//lifeguard:ignore defercancel stale // want `unused //lifeguard:ignore defercancel directive`
	defer cancel()
	_ = use(c)
}
