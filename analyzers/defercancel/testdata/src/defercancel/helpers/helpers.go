// Package helpers returns cancel functions to other packages.
package helpers

import (
	"context"
	"time"
)

type Client struct {
	timeout time.Duration
	cancel  context.CancelFunc
}

// WithRequestTimeout makes a context per call.
func (c *Client) WithRequestTimeout(ctx context.Context) (context.Context, context.CancelFunc) { // want WithRequestTimeout:`returnsCancel\(1\)`
	if c.timeout == 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.timeout)
}

// Traced wraps another helper: a fixed point.
func Traced(ctx context.Context, c *Client) (context.Context, func()) { // want Traced:`returnsCancel\(1\)`
	ctx, cancel := c.WithRequestTimeout(ctx)
	return ctx, func() { cancel() }
}

// Cancel returns a cancel the client made earlier: no fact.
func (c *Client) Cancel() context.CancelFunc { return c.cancel }

// Stored keeps the cancel: no fact either.
func (c *Client) Stored(ctx context.Context) context.Context {
	ctx, c.cancel = context.WithCancel(ctx)
	return ctx
}

// Lookup returns a cancel the caller passed in.
func Lookup(ctx context.Context, cancel context.CancelFunc) (context.Context, context.CancelFunc) {
	return ctx, cancel
}
