package flags

import "context"

type Pool struct{}

// Lease is outside what lifeguard sees (an interface implementation, say);
// -defercancel.cancel-funcs names it.
type Leaser interface {
	Lease(ctx context.Context) (context.Context, func())
}

func NewContext(ctx context.Context) (context.Context, func()) {
	return ctx, func() {} // a no-op here; configured as fresh
}

func use(ctx context.Context) error { return ctx.Err() }

func leases(ctx context.Context, l Leaser, n int) {
	for i := 0; i < n; i++ {
		c, release := l.Lease(ctx)
		defer release() // want `defer release\(\) inside a loop: the context from l.Lease at flags.go:21 stays alive`
		_ = use(c)
	}
	for i := 0; i < n; i++ {
		c, release := NewContext(ctx)
		defer release() // want `defer release\(\) inside a loop: the context from NewContext at flags.go:26 stays alive`
		_ = use(c)
	}
}
