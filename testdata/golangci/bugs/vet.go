package bugs

import (
	"context"
	"time"
)

// WithDeadline loses its cancel function: go vet's lostcancel.
func WithDeadline(ctx context.Context) context.Context {
	ctx, _ = context.WithTimeout(ctx, time.Second) // want:example govet "lostcancel: the cancel function" want:bundled lifeguard "lostcancel: the cancel function" want:both govet "lostcancel: the cancel function" want:both lifeguard "lostcancel: the cancel function"
	return ctx
}

func use(context.Context) {}

// NilContext passes a nil context: staticcheck's SA1012.
func NilContext() {
	use(nil) // want:example staticcheck "SA1012: do not pass a nil Context" want:bundled lifeguard "SA1012: do not pass a nil Context" want:both staticcheck "SA1012: do not pass a nil Context" want:both lifeguard "SA1012: do not pass a nil Context"
}
