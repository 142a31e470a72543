package deadline

import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"time"

	"golang.org/x/sync/errgroup"
)

func background(srv *http.Server) {
	srv.Shutdown(context.Background()) // want `srv.Shutdown with a context that has no deadline \(context.Background\(\)\): one connection that never goes idle blocks it for ever; give it context.WithTimeout and call Close when that expires`
}

func todo(srv *http.Server) error {
	ctx := context.TODO()
	return srv.Shutdown(ctx) // want `srv.Shutdown with a context that has no deadline \(context.TODO\(\) at deadline.go:18\)`
}

// WithCancel and WithValue add no deadline.
func cancelOnly(srv *http.Server) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx = context.WithValue(ctx, key{}, 1)
	srv.Shutdown(ctx) // want `srv.Shutdown with a context that has no deadline`
}

type key struct{}

// WithoutCancel drops the deadline of its parent.
func withoutCancel(ctx context.Context, srv *http.Server) {
	srv.Shutdown(context.WithoutCancel(ctx)) // want `srv.Shutdown with a context that has no deadline \(context.WithoutCancel\(\)\)`
}

// The context of the signal, received from: Shutdown returns at once.
func notifyDone(srv *http.Server) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx) // want `srv.Shutdown with a context that is already done \(received from its Done channel at deadline.go:41\): Shutdown closes the listeners and returns at once, without waiting for in-flight requests; give it context.WithTimeout\(context.WithoutCancel\(ctx\), d\)`
}

// The same through a select and an errgroup.
func groupDone(ctx context.Context, srv *http.Server) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		select {
		case <-gctx.Done():
			return srv.Shutdown(gctx) // want `srv.Shutdown with a context that is already done`
		}
	})
	return g.Wait()
}

// Shutdown in a goroutine waiting for the signal, with the context of main.
func inGoroutine(srv *http.Server) {
	ctx := context.Background()
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		<-sig
		srv.Shutdown(ctx) // want `srv.Shutdown with a context that has no deadline \(context.Background\(\) at deadline.go:61\)`
	}()
}

// Negatives.

func withTimeout(srv *http.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(ctx)
}

func withDeadline(srv *http.Server, d time.Time) error {
	ctx, cancel := context.WithDeadline(context.Background(), d)
	defer cancel()
	return srv.Shutdown(ctx)
}

// A timeout on a context of its own after the signal: the right fix.
func notifyFixed(srv *http.Server) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	sctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	srv.Shutdown(sctx2)
}

// The caller's context: its deadline is the caller's business.
func param(ctx context.Context, srv *http.Server) error { return srv.Shutdown(ctx) }

// A context from a field, or configured: not known.
type server struct {
	http *http.Server
	ctx  context.Context
}

func (s *server) stop() error { return s.http.Shutdown(s.ctx) }

// A timeout that may be off: a choice, not a bug.
func configurable(srv *http.Server, timeout time.Duration) {
	ctx := context.Background()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	srv.Shutdown(ctx)
}

// Other Shutdown methods are not http.Server's.
type provider struct{}

func (provider) Shutdown(context.Context) error { return nil }

func otherShutdown() { provider{}.Shutdown(context.Background()) }

// The Done of another context.
func otherDone(ctx context.Context, srv *http.Server) {
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	srv.Shutdown(sctx)
}
