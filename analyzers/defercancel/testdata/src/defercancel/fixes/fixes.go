// Package fixes renames the context import: the fix keeps the name.
package fixes

import (
	stdctx "context"
	"time"
)

func release(ctx stdctx.Context) error { return ctx.Err() }

func renamed(ctx stdctx.Context) {
	defer func() {
		c, cancel := stdctx.WithTimeout(ctx, time.Second) // want `derives from ctx`
		defer cancel()
		_ = release(c)
	}()
}

type key struct{}

// The parent is an expression: the fix wraps all of it.
func expression(ctx stdctx.Context) {
	defer func() {
		c, cancel := stdctx.WithCancel(stdctx.WithValue(ctx, key{}, 1)) // want `derives from stdctx.WithValue\(ctx, key\{\}, 1\)`
		defer cancel()
		_ = release(c)
	}()
}
