// Package cleanup has deferred cleanups whose contexts derive from a context
// that may already be cancelled when the function returns (rule 3).
package cleanup

import (
	"context"
	"database/sql"
	"net/http"
	"os"
	"os/signal"
	"time"

	"golang.org/x/sync/errgroup"
)

type Store struct {
	db  *sql.DB
	ctx context.Context // the store's lifetime
}

func release(ctx context.Context, id string) error { return ctx.Err() }

// A context parameter: the caller may have given up, which is often why
// Update returns.
func (s *Store) Update(ctx context.Context, id string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second) // want `context.WithTimeout in a deferred function derives from ctx, which may already be cancelled when \(\*Store\).Update returns: the cleanup's calls fail at once with context canceled; derive it from context.WithoutCancel\(ctx\)`
		defer cancel()
		_ = release(ctx, id)
	}()
	_, err = tx.ExecContext(ctx, "UPDATE t SET x = 1 WHERE id = ?", id)
	return err
}

// r.Context() of the request being served: cancelled when the client goes
// away.
func handle(w http.ResponseWriter, r *http.Request) {
	defer func() {
		ctx, cancel := context.WithTimeout(r.Context(), time.Second) // want `context.WithTimeout in a deferred function derives from r.Context\(\), which may already be cancelled when handle returns`
		defer cancel()
		_ = release(ctx, r.URL.Path)
	}()
	w.WriteHeader(http.StatusOK)
}

// Derived from the parameter before the defer: WithValue and WithTimeout
// keep its cancellation.
type key struct{}

func derived(ctx context.Context, id string) {
	ctx = context.WithValue(ctx, key{}, id)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	defer func() {
		c, cancel := context.WithCancel(ctx) // want `context.WithCancel in a deferred function derives from ctx, which may already be cancelled when derived returns`
		defer cancel()
		_ = release(c, id)
	}()
	_ = release(ctx, id)
}

// A same-package method deferred with the context: cleanup does the With*.
func (s *Store) cleanup(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(ctx, time.Second) // want `context.WithTimeout in cleanup, deferred at cleanup.go:74, derives from ctx, which may already be cancelled when \(\*Store\).Lease returns`
	defer cancel()
	_ = release(ctx, id)
}

func (s *Store) Lease(ctx context.Context, id string) error {
	defer s.cleanup(ctx, id)
	return release(ctx, id)
}

// A deferred literal given the context as its argument.
func argument(ctx context.Context, id string) {
	defer func(c context.Context) {
		c, cancel := context.WithTimeout(c, time.Second) // want `derives from c, which may already be cancelled when argument returns`
		defer cancel()
		_ = release(c, id)
	}(ctx)
	_ = release(ctx, id)
}

// signal.NotifyContext is cancelled by the signal, and main returns because
// of it: the deferred Shutdown gets a context that is already done and stops
// waiting for in-flight requests at once.
func serve() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	srv := &http.Server{Addr: ":8080"}
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(ctx, 10*time.Second) // want `context.WithTimeout in a deferred function derives from ctx, which may already be cancelled when serve returns`
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	go srv.ListenAndServe()
	<-ctx.Done()
}

// errgroup.WithContext: cancelled when a goroutine fails, and always once
// Wait returns.
func group(ctx context.Context, ids []string) error {
	g, gctx := errgroup.WithContext(ctx)
	defer func() {
		c, cancel := context.WithTimeout(gctx, time.Second) // want `derives from gctx, which may already be cancelled when group returns`
		defer cancel()
		_ = release(c, "all")
	}()
	for _, id := range ids {
		g.Go(func() error { return release(gctx, id) })
	}
	return g.Wait()
}

// A context captured and reassigned before the defer: every value is the
// parameter's child.
func reassigned(ctx context.Context, id string) error {
	var cancel context.CancelFunc
	ctx, cancel = context.WithTimeout(ctx, time.Second)
	defer cancel()
	defer func() {
		c, cancel := context.WithDeadline(ctx, time.Now().Add(time.Second)) // want `context.WithDeadline in a deferred function derives from ctx`
		defer cancel()
		_ = release(c, id)
	}()
	return release(ctx, id)
}

// The new context reaches the cleanup through a derived one.
func throughValue(ctx context.Context, id string) {
	defer func() {
		c, cancel := context.WithTimeoutCause(ctx, time.Second, nil) // want `context.WithTimeoutCause in a deferred function derives from ctx`
		defer cancel()
		_ = release(context.WithValue(c, key{}, id), id)
	}()
}

// A defer in a loop and in a handler literal: still a deferred cleanup of
// the literal, whose request it is.
func register(mux *http.ServeMux) {
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		for _, id := range []string{"a", "b"} {
			defer func() {
				ctx, cancel := context.WithTimeout(r.Context(), time.Second) // want `derives from r.Context\(\), which may already be cancelled when the function literal at cleanup.go:145 returns`
				defer cancel()
				_ = release(ctx, id)
			}()
		}
	})
}

// A goroutine's deferred cleanup, from the context of the function that
// started it: that context may be cancelled before the goroutine ends too.
func worker(ctx context.Context, jobs <-chan string) {
	go func() {
		defer func() {
			c, cancel := context.WithTimeout(ctx, time.Second) // want `derives from ctx, which may already be cancelled when the function literal at cleanup.go:159 returns`
			defer cancel()
			_ = release(c, "worker")
		}()
		for id := range jobs {
			_ = release(ctx, id)
		}
	}()
}

// The cleanup calls with the context inside a closure it runs.
func retried(ctx context.Context, id string) {
	defer func() {
		c, cancel := context.WithTimeout(ctx, time.Second) // want `derives from ctx`
		defer cancel()
		retry(func() error { return release(c, id) })
	}()
}

func retry(f func() error) { _ = f() }
