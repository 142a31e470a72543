// Package old is written for Go 1.20, before context.WithoutCancel: the
// cleanup is reported, but there is no fix to suggest (a fix would need a
// .golden file and fail the test).
package old

import (
	"context"
	"time"
)

func release(ctx context.Context) error { return ctx.Err() }

func cleanupOld(ctx context.Context) {
	defer func() {
		c, cancel := context.WithTimeout(ctx, time.Second) // want `derives from ctx, which may already be cancelled when cleanupOld returns`
		defer cancel()
		_ = release(c)
	}()
}
