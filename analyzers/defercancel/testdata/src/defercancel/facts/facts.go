package facts

import (
	"context"

	"defercancel/helpers"
)

func call(ctx context.Context) error { return ctx.Err() }

func fromOtherPackage(ctx context.Context, c *helpers.Client, n int) {
	for i := 0; i < n; i++ {
		ctx, cancel := c.WithRequestTimeout(ctx)
		defer cancel() // want `defer cancel\(\) inside a loop: the context from c.WithRequestTimeout at facts.go:13 stays alive until fromOtherPackage returns, one per iteration`
		_ = call(ctx)
	}
	for i := 0; i < n; i++ {
		ctx, done := helpers.Traced(ctx, c)
		defer func() { // want `deferred done\(\) inside a loop: the context from helpers.Traced at facts.go:18 stays alive`
			done()
		}()
		_ = call(ctx)
	}
}

// Not reported: these cancels were made before the loop, or by someone else.
func notFresh(ctx context.Context, c *helpers.Client, cancel context.CancelFunc, n int) {
	for i := 0; i < n; i++ {
		defer c.Cancel()()
		_, stop := helpers.Lookup(ctx, cancel)
		defer stop()
		_ = call(c.Stored(ctx))
	}
}
