// Package new is written for Go 1.21, which has context.WithoutCancel: the
// fix wraps the parent.
package new

import (
	"context"
	"time"
)

func release(ctx context.Context) error { return ctx.Err() }

func cleanupNew(ctx context.Context) {
	defer func() {
		c, cancel := context.WithTimeout(ctx, time.Second) // want `derives from ctx, which may already be cancelled when cleanupNew returns`
		defer cancel()
		_ = release(c)
	}()
}
