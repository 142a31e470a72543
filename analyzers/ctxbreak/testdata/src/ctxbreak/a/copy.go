package a

import (
	"context"
	"net/http"
)

type reqIDKey struct{}
type userKey struct{}

// Values copied into a fresh root, even in a goroutine
// (sourcegraph-public-snapshot#53122, go-chi/chi#509).
func copyDirect(ctx context.Context) {
	go work(context.WithValue(context.Background(), reqIDKey{}, ctx.Value(reqIDKey{}))) // want `^context\.Background\(\) in copyDirect gets values copied from ctx: the copy drops the cancellation and deadline of ctx whether or not that was meant, and every value not copied, trace spans included; use context\.WithoutCancel\(ctx\) to detach with every value, or ctx itself to keep the cancellation$`
}

// Nested WithValue calls.
func copyNested(ctx context.Context) {
	c := context.WithValue(context.WithValue(context.Background(), reqIDKey{}, ctx.Value(reqIDKey{})), userKey{}, ctx.Value(userKey{})) // want `in copyNested gets values copied from ctx`
	go work(c)
}

// Through locals, with a type assertion, from a request.
func copyLocal(w http.ResponseWriter, r *http.Request) {
	id := r.Context().Value(reqIDKey{}).(string)
	bg := context.Background() // want `in copyLocal gets values copied from r\.Context\(\)`
	bg = context.WithValue(bg, reqIDKey{}, id)
	go work(bg)
}

// Inside the goroutine, from the captured ctx.
func copyInGoroutine(ctx context.Context) {
	go func() {
		c := context.WithValue(context.Background(), reqIDKey{}, ctx.Value(reqIDKey{})) // want `in the function literal at copy\.go:33 gets values copied from ctx`
		work(c)
	}()
}

// A value read in the function, copied in the goroutine.
func copyCaptured(ctx context.Context) {
	user := ctx.Value(userKey{})
	go func() {
		c := context.WithValue(context.Background(), userKey{}, user) // want `in the function literal at copy\.go:42 gets values copied from ctx`
		work(c)
	}()
}

// From a context derived from ctx.
func copyDerived(ctx context.Context) {
	tctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go work(context.WithValue(context.Background(), userKey{}, tctx.Value(userKey{}))) // want `gets values copied from ctx`
}
