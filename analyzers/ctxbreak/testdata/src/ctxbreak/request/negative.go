package request

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"ctxbreak/reqvalues"

	"golang.org/x/sync/errgroup"
)

// Joined with a WaitGroup before every return.
func handleWaitGroup(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	for _, id := range r.URL.Query()["id"] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = index(r.Context(), id)
		}()
	}
	wg.Wait()
}

// Joined by a channel receive.
func handleChannel(w http.ResponseWriter, r *http.Request) {
	done := make(chan error)
	go func() { done <- notify(r.Context()) }()
	if err := <-done; err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

// errgroup: g.Go is not a go statement, and g.Wait joins.
func handleErrgroup(w http.ResponseWriter, r *http.Request) {
	g, ctx := errgroup.WithContext(r.Context())
	g.Go(func() error { return notify(ctx) })
	g.Go(func() error { return index(ctx, "x") })
	_ = g.Wait()
}

// The handler waits for the result or gives up when a timeout expires:
// the goroutine's work is the request's, and the cancellation stops it
// when nobody wants the result any more.
func handleTimeout(w http.ResponseWriter, r *http.Request) {
	res := make(chan error, 1)
	go func() { res <- notify(r.Context()) }()
	select {
	case err := <-res:
		_ = err
	case <-time.After(time.Second):
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

// Waits, and returns early on a validation error: still the request's
// work (the early return wants it stopped).
func handleEarlyReturn(w http.ResponseWriter, r *http.Request) {
	res := make(chan error, 1)
	go func() { res <- index(r.Context(), "x") }()
	if r.FormValue("id") == "" {
		http.Error(w, "no id", http.StatusBadRequest)
		return
	}
	<-res
}

// A watcher: it exists to stop with the request.
func handleWatcher(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	stop := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			close(stop)
		case <-time.After(time.Minute):
		}
	}()
	_ = stop
}

// A watcher that logs the cancellation.
func handleWatcherErr(w http.ResponseWriter, r *http.Request) {
	go func() {
		<-r.Context().Done()
		if errors.Is(r.Context().Err(), context.Canceled) {
			println("client went away")
		}
	}()
}

// context.AfterFunc is the goroutine's own cancellation, not work.
func handleAfterFunc(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	go func() {
		stop := context.AfterFunc(ctx, func() { println("cancelled") })
		defer stop()
	}()
}

// Detached on purpose: WithoutCancel, with a timeout of its own.
func handleDetached(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Minute)
	go func() {
		defer cancel()
		_ = index(ctx, "x")
	}()
}

// WithoutCancel inside the goroutine.
func handleDetachedInside(w http.ResponseWriter, r *http.Request) {
	go func() {
		ctx := context.WithoutCancel(r.Context())
		_ = index(ctx, "x")
	}()
}

// A helper of the goroutine that detaches itself.
func indexDetached(ctx context.Context) {
	_ = index(context.WithoutCancel(ctx), "x")
}

func handleDetachedHelper(w http.ResponseWriter, r *http.Request) {
	go indexDetached(r.Context())
}

// A context not derived from the request: the server's own.
func (s *Server) handleServerCtx(w http.ResponseWriter, r *http.Request) {
	go func() { _ = index(s.ctx, r.FormValue("id")) }()
}

// Background-rooted, with a timeout of its own.
func handleBackground(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = index(ctx, id)
	}()
}

// The request's data but not its context.
func handleDataOnly(w http.ResponseWriter, r *http.Request) {
	go func(method string) { println(method) }(r.Method)
}

// Not a handler: goroutines in other code have no request to outlive.
func worker(ctx context.Context) {
	go func() { _ = notify(ctx) }()
}

// The handler uses the context for work that completes before it returns;
// the goroutine does not use it.
func handleSyncWork(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	go println("started")
	_ = notify(ctx)
}

// A streaming handler: goroutines tied to the connection, which ends with
// the handler.
func handleStream(w http.ResponseWriter, r *http.Request) {
	flusher, _ := w.(http.Flusher)
	go func() { _ = notify(r.Context()) }()
	for i := 0; i < 3; i++ {
		flusher.Flush()
	}
}

// Logging with the request's context is not work that fails, directly or
// through a helper of the package.
func handleLog(w http.ResponseWriter, r *http.Request) {
	go func() {
		slog.InfoContext(r.Context(), "started")
		logf(r.Context(), "x")
	}()
}

func logf(ctx context.Context, msg string) { slog.InfoContext(ctx, msg) }

// A helper that ignores its context does nothing with it.
func ignores(ctx context.Context, id string) { println(id) }

func handleIgnored(w http.ResponseWriter, r *http.Request) {
	go ignores(r.Context(), "x")
}

// r.WithContext with a detached context: the goroutine's request carries
// that context, not the original.
func handleWithContext(w http.ResponseWriter, r *http.Request) {
	r2 := r.WithContext(context.WithoutCancel(r.Context()))
	go func() { _ = notify(r2.Context()) }()
}

// Inside http.TimeoutHandler the handler waits for its goroutine's
// result like any other.
func slow(w http.ResponseWriter, r *http.Request) {
	res := make(chan error, 1)
	go func() { res <- notify(r.Context()) }()
	<-res
}

var timeoutHandler = http.TimeoutHandler(http.HandlerFunc(slow), time.Second, "slow")

// A named goroutine function given a WaitGroup, waited for.
func fetch(ctx context.Context, wg *sync.WaitGroup) { defer wg.Done(); _ = notify(ctx) }

func handleNamedWaitGroup(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	wg.Add(1)
	go fetch(r.Context(), &wg)
	wg.Wait()
}

// A helper that starts the work and returns its result channel: the
// handler waits on it after the helper returns.
func (s *Server) startFetch(ctx context.Context) <-chan error {
	res := make(chan error, 1)
	go func() { res <- notify(ctx) }()
	return res
}

func (s *Server) handleFetch(w http.ResponseWriter, r *http.Request) {
	if err := <-s.startFetch(r.Context()); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

// A helper given the handler's WaitGroup.
func startOne(ctx context.Context, wg *sync.WaitGroup) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = notify(ctx)
	}()
}

func handleGroup(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	startOne(r.Context(), &wg)
	startOne(r.Context(), &wg)
	wg.Wait()
}

// sync.WaitGroup.Go (Go 1.25) and Wait: joined, and no go statement.
func handleWaitGroupGo(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	wg.Go(func() { _ = notify(r.Context()) })
	wg.Wait()
}

// A named goroutine given a result channel the handler selects on.
func fetchInto(ctx context.Context, out chan<- error) { out <- notify(ctx) }

func handleNamedChannel(w http.ResponseWriter, r *http.Request) {
	out := make(chan error, 1)
	go fetchInto(r.Context(), out)
	select {
	case <-out:
	case <-r.Context().Done():
	}
}

// Reading a value from the request's context works after it is cancelled.
func handleRequestID(w http.ResponseWriter, r *http.Request) {
	go func() { println(reqvalues.IDFromContext(r.Context())) }()
}

// The request variable re-assigned to a detached request before the
// goroutine captures it.
func handleReassigned(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(context.WithoutCancel(r.Context()))
	go func() { _ = notify(r.Context()) }()
}

// A context variable detached on some path only.
func handleMaybeDetached(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.FormValue("async") != "" {
		ctx = context.WithoutCancel(ctx)
	}
	go func() { _ = notify(ctx) }()
}
