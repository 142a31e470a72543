package joined

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// The errgroup closure uses the group's context: nothing to report.
func groupCtx(ctx context.Context, items []int) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, it := range items {
		g.Go(func() error { return item(gctx, it) })
	}
	return g.Wait()
}

// An unjoined goroutine in a handler: deliberate detachment, as before.
func fireAndForget(w http.ResponseWriter, r *http.Request) {
	go func() { work(context.Background()) }()
}

// Wait is not reached on every path: on the early return the goroutines
// run on past the function.
func earlyReturn(ctx context.Context, items []int) error {
	var g errgroup.Group
	for _, it := range items {
		if it < 0 {
			return errors.New("negative")
		}
		g.Go(func() error { return item(context.Background(), it) })
	}
	return g.Wait()
}

// A WaitGroup waited for on one path only.
func someWait(ctx context.Context, wait bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		work(context.Background())
	}()
	if wait {
		wg.Wait()
	}
}

// Another WaitGroup is waited for.
func otherGroup(ctx context.Context) {
	var wg, other sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		work(context.Background())
	}()
	other.Wait()
}

// The goroutine is abandoned on a timeout: it may outlive the function.
func timeout(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- work(context.Background()) }()
	select {
	case err := <-errc:
		return err
	case <-time.After(time.Second):
		return errors.New("timeout")
	}
}

// A group kept in a field and waited for by another method: the
// goroutines outlive this call.
type runner struct{ g errgroup.Group }

func (s *runner) start(ctx context.Context) {
	s.g.Go(func() error { return work(context.Background()) })
}

func (s *runner) Close() error { return s.g.Wait() }

// A Go method whose receiver has no Wait.
type launcher struct{}

func (launcher) Go(f func() error) { go f() }

func launch(ctx context.Context, l launcher) {
	l.Go(func() error { return work(context.Background()) })
}

// Joined, but the root is made after the caller's context is over.
func afterDone(ctx context.Context) error {
	var g errgroup.Group
	g.Go(func() error {
		<-ctx.Done()
		return work(context.Background())
	})
	return g.Wait()
}

// A joined goroutine doing teardown with a fresh root.
func teardown(ctx context.Context, srv *http.Server) error {
	var g errgroup.Group
	g.Go(func() error { return srv.Shutdown(context.Background()) })
	return g.Wait()
}

// A goroutine with no context in scope: the function has none.
func noCtx() error {
	var g errgroup.Group
	g.Go(func() error { return work(context.Background()) })
	return g.Wait()
}
