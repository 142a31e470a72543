package cleanup

import (
	"context"
	"net/http"
	"time"
)

// Not reported: the cleanup context is rooted in Background, the Shutdown
// idiom.
func (s *Store) background(ctx context.Context, id string) {
	defer func() {
		c, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = release(c, id)
	}()
	defer func() {
		c, cancel := context.WithTimeout(context.TODO(), time.Second)
		defer cancel()
		_ = release(c, id)
	}()
	_ = release(ctx, id)
}

// Not reported: detached with WithoutCancel, directly and through a
// variable, and through a WithValue of it.
func detached(ctx context.Context, id string) {
	defer func() {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = release(c, id)
	}()
	base := context.WithoutCancel(ctx)
	defer func() {
		c, cancel := context.WithTimeout(base, time.Second)
		defer cancel()
		_ = release(c, id)
	}()
	valued := context.WithValue(base, key{}, id)
	defer func() {
		c, cancel := context.WithTimeout(valued, time.Second)
		defer cancel()
		_ = release(c, id)
	}()
	_ = release(ctx, id)
}

// Not reported: detached inside the deferred function.
func detachedInside(ctx context.Context, id string) {
	defer func() {
		ctx = context.WithoutCancel(ctx)
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_ = release(c, id)
	}()
	_ = release(ctx, id)
}

// Not reported: a context that is not the function's own, the store's
// lifetime (a field), whose cancellation is the store's shutdown.
func (s *Store) fieldContext(id string) {
	defer func() {
		c, cancel := context.WithTimeout(s.ctx, time.Second)
		defer cancel()
		_ = release(c, id)
	}()
}

// Not reported: a context from a helper, which may return anything.
func (s *Store) lifetime() context.Context { return s.ctx }

func (s *Store) fromHelper(ctx context.Context, id string) {
	defer func() {
		c, cancel := context.WithTimeout(s.lifetime(), time.Second)
		defer cancel()
		_ = release(c, id)
	}()
	_ = release(ctx, id)
}

// Not reported: sometimes the parameter, sometimes detached; the detached
// path is what the code means for the cleanup.
func maybeDetached(ctx context.Context, detach bool, id string) {
	parent := ctx
	if detach {
		parent = context.WithoutCancel(ctx)
	}
	defer func() {
		c, cancel := context.WithTimeout(parent, time.Second)
		defer cancel()
		_ = release(c, id)
	}()
}

// Not reported: the deferred function uses the new context for no call; it
// only waits on it, for at most a second (a wait on a done context ends at
// once, which is what a cancelled caller wants).
func waitsOnly(ctx context.Context, done <-chan struct{}) {
	defer func() {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		select {
		case <-done:
		case <-c.Done():
		}
	}()
	_ = release(ctx, "wait")
}

// Not reported here: a context that governs nothing is rule 1's finding, and
// one finding per call.
func governsNothing(ctx context.Context) {
	defer func() {
		_, cancel := context.WithTimeout(ctx, time.Second) // want `context.WithTimeout in a deferred function makes a context that nothing uses`
		cancel()
	}()
}

// Not reported: not deferred. The With* at the top of the function bounds
// the function's own work, which should stop when ctx does.
func notDeferred(ctx context.Context, id string) error {
	c, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	return release(c, id)
}

// Not reported: a request the function makes, not one it serves: its
// context is whatever the function chose.
func client(id string) {
	req, _ := http.NewRequest("GET", "http://example.com", nil)
	defer func() {
		c, cancel := context.WithTimeout(req.Context(), time.Second)
		defer cancel()
		_ = release(c, id)
	}()
}

// Not reported: a function literal's context from outside, where the
// literal is a handler made by a constructor: the constructor's ctx is a
// server lifetime, like a field.
func newHandler(ctx context.Context) http.HandlerFunc {
	lifetime := context.WithoutCancel(ctx)
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			c, cancel := context.WithTimeout(lifetime, time.Second)
			defer cancel()
			_ = release(c, r.URL.Path)
		}()
	}
}

// Not reported: a WithCancel of Background made by the function, cancelled
// only by its own defer, which runs after this cleanup (defers run last in,
// first out).
func ownRoot(id string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	defer func() {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_ = release(c, id)
	}()
	_ = release(ctx, id)
}
