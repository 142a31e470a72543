// Package joined: goroutines the function waits for are part of its work;
// a fresh root in them breaks the chain. Goroutines it may return before
// stay detached.
package joined

import (
	"context"
	"net/http"
	"sync"

	"ctxbreak/framework"

	"golang.org/x/sync/errgroup"
)

func work(ctx context.Context) error { return nil }

func item(ctx context.Context, i int) error { return nil }

// An errgroup closure with a fresh root: the group is waited for, the
// work is the function's, and it ignores ctx.
func fanOut(ctx context.Context, items []int) error {
	var g errgroup.Group
	for _, it := range items {
		g.Go(func() error {
			return item(context.Background(), it) // want `^context\.Background\(\) in the function literal at joined\.go:25, which has ctx: the work it roots ignores the caller's cancellation and deadline`
		})
	}
	return g.Wait()
}

// errgroup.WithContext, TryGo, a root made outside and captured.
func withContext(ctx context.Context) error {
	g, _ := errgroup.WithContext(ctx)
	bg := context.TODO() // want `^context\.TODO\(\) in withContext, which has ctx`
	g.TryGo(func() error { return work(bg) })
	return g.Wait()
}

// A WaitGroup: Done in the goroutine, Wait before the return.
func handler(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			item(context.Background(), i) // want `in the function literal at joined\.go:45, which has r\.Context\(\)`
		}()
	}
	wg.Wait()
}

// The WaitGroup passed to the literal as an argument, held by pointer.
func byPointer(ctx context.Context) {
	wg := &sync.WaitGroup{}
	wg.Add(1)
	go func(wg *sync.WaitGroup) {
		defer wg.Done()
		work(context.Background()) // want `in the function literal at joined\.go:57, which has ctx`
	}(wg)
	wg.Wait()
}

// sync.WaitGroup.Go (Go 1.25).
func waitGroupGo(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { work(context.Background()) }) // want `in the function literal at joined\.go:67, which has ctx`
	wg.Wait()
}

// A channel: the goroutine sends what the function receives.
func viaChannel(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- work(context.Background()) }() // want `in the function literal at joined\.go:74, which has ctx`
	return <-errc
}

// A pool type of another package with Go and Wait.
func pool(ctx context.Context) {
	var p framework.Group
	p.Go(func() error { return work(context.Background()) }) // want `in the function literal at joined\.go:81, which has ctx`
	p.Wait()
}

// A group in a field, waited for in the same function.
type server struct{ g errgroup.Group }

func (s *server) sync(ctx context.Context) error {
	s.g.Go(func() error { return work(context.Background()) }) // want `in the function literal at joined\.go:89, which has ctx`
	return s.g.Wait()
}
