package a

import (
	"context"
	"errors"
	"io"
	"iter"
	"log"
	"net/http"
	"os"
	"os/exec"
	"time"
)

// Not reported: the cancel is kept in a struct and called by Stop.
type worker struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (w *worker) Start(ctx context.Context, jobs []string) {
	for range jobs {
		w.ctx, w.cancel = context.WithCancel(ctx)
	}
}

func (w *worker) Stop() { w.cancel() }

// Not reported: the cancel is returned to the caller.
func newRequestContext(ctx context.Context) (context.Context, context.CancelFunc) { // want newRequestContext:`returnsCancel\(1\)`
	return context.WithTimeout(ctx, time.Second)
}

// Not reported: a per-iteration function literal owns the defer.
func perIteration(ctx context.Context, urls []string) {
	for _, u := range urls {
		func() {
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			_ = fetch(ctx, u)
		}()
	}
}

// Not reported: every path after the defer returns (go-critic#1451).
func firstReachable(ctx context.Context, urls []string) error {
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		return fetch(ctx, u)
	}
	return nil
}

// Not reported: every path after the defer breaks out of the loop, or ends
// the program.
func firstOnly(ctx context.Context, urls []string) {
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if err := fetch(ctx, u); err != nil {
			log.Fatal(err)
		}
		break
	}
}

func exits(ctx context.Context, urls []string) {
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if fetch(ctx, u) == nil {
			os.Exit(0)
		}
		panic(u)
	}
}

func gotoOut(ctx context.Context, urls []string) {
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_ = fetch(ctx, u)
		goto done
	}
done:
}

// Not reported: the context is made once, before the loop.
func madeBefore(ctx context.Context, urls []string) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	for _, u := range urls {
		defer cancel()
		_ = fetch(ctx, u)
	}
}

// Not reported: cancel is also called at the end of each iteration; the
// defer only covers the early returns.
func cancelledEachTime(ctx context.Context, urls []string) error {
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if err := fetch(ctx, u); err != nil {
			return err
		}
		cancel()
	}
	return nil
}

// Not reported: a defer in a loop of another resource.
func files(names []string) {
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			continue
		}
		defer f.Close()
	}
}

// Not reported: the cancel is discarded (go vet's lostcancel reports it),
// so nothing is deferred.
func discarded(ctx context.Context, urls []string) {
	for _, u := range urls {
		ctx, _ := context.WithTimeout(ctx, time.Second)
		_ = fetch(ctx, u)
	}
}

// Not reported: a helper that returns a cancel it did not make.
type holder struct{ cancel context.CancelFunc }

func (h *holder) Cancel() context.CancelFunc { return h.cancel }

func getter(h *holder, urls []string) {
	for range urls {
		defer h.Cancel()()
		stop := h.Cancel()
		defer stop()
	}
}

// Generics: the same rules, no crash.
func firstOf[T any](ctx context.Context, xs []T, f func(context.Context, T) error) error {
	for _, x := range xs {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		return f(ctx, x)
	}
	return nil
}

func each[T any](ctx context.Context, xs []T, f func(context.Context, T) error) {
	for _, x := range xs {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `defer cancel\(\) inside a loop: the context.WithTimeout at negative.go:157`
		_ = f(ctx, x)
	}
}

func withTimeoutOf[T any](ctx context.Context, _ T) (context.Context, context.CancelFunc) { // want withTimeoutOf:`returnsCancel\(1\)`
	return context.WithTimeout(ctx, time.Second)
}

func useGenerics(ctx context.Context, xs []int) {
	_ = firstOf(ctx, xs, func(context.Context, int) error { return nil })
	each(ctx, xs, func(context.Context, int) error { return nil })
	for _, x := range xs {
		c, cancel := withTimeoutOf(ctx, x)
		defer cancel() // want `the context from withTimeoutOf at negative.go:171`
		_ = fetch(c, "x")
	}
}

// Not reported: range-over-func with break after the defer.
func firstInSeq(ctx context.Context, urls iter.Seq[string]) {
	for u := range urls {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_ = fetch(ctx, u)
		break
	}
}

// Not reported: range-over-func with return after the defer.
func returnInSeq(ctx context.Context, urls iter.Seq[string]) error {
	for u := range urls {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		return fetch(ctx, u)
	}
	return nil
}

// Not reported: range-over-func whose context is made before the loop.
func beforeSeq(ctx context.Context, urls iter.Seq[string]) {
	ctx, cancel := context.WithCancel(ctx)
	for u := range urls {
		defer cancel()
		_ = fetch(ctx, u)
	}
}

// Not reported: one worker per item, each stopped when the function
// returns; the contexts are meant to live that long.
func workers(ctx context.Context, jobs []string, done chan error) error {
	for _, j := range jobs {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() { done <- fetch(ctx, j) }()
	}
	for _, j := range jobs {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go fetch(ctx, j)
	}
	return <-done
}

type group struct{}

func (g *group) Go(f func() error) {}

func errgroupLike(ctx context.Context, g *group, jobs []string) {
	for _, j := range jobs {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		g.Go(func() error { return fetch(ctx, j) })
	}
}

// Not reported: the contexts are kept in a slice, or govern child processes
// that run until the function returns.
func kept(ctx context.Context, jobs []string) []context.Context {
	var ctxs []context.Context
	for range jobs {
		c, cancel := context.WithCancel(ctx)
		defer cancel()
		ctxs = append(ctxs, c)
	}
	for _, j := range jobs {
		c, cancel := context.WithCancel(ctx)
		defer cancel()
		cmd := exec.CommandContext(c, j)
		if err := cmd.Start(); err != nil {
			continue
		}
	}
	return ctxs
}

// Not reported: the cancel is managed elsewhere too; the defer is a
// backstop.
func managed(ctx context.Context, jobs []string, stop chan struct{}) {
	var cancels []context.CancelFunc
	for _, j := range jobs {
		c, cancel := context.WithCancel(ctx)
		defer cancel()
		cancels = append(cancels, cancel)
		_ = fetch(c, j)
	}
	for _, j := range jobs {
		c, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			<-stop
			cancel()
		}()
		_ = fetch(c, j)
	}
}

// Not reported: made once, on the first iteration, guarded by the variable
// it sets.
func lazily(ctx context.Context, urls []string) {
	var cancel context.CancelFunc
	var c context.Context
	for _, u := range urls {
		if cancel == nil {
			c, cancel = context.WithCancel(ctx)
			defer cancel()
		}
		_ = fetch(c, u)
	}
	var d context.Context
	for _, u := range urls {
		if d != nil {
			_ = fetch(d, u)
			continue
		}
		var stop context.CancelFunc
		d, stop = context.WithTimeout(ctx, time.Minute)
		defer func() { stop() }()
	}
}

type events struct{ ch chan int }

func (e *events) Receive(ctx context.Context) (int, error) {
	select {
	case v := <-e.ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Not reported: the loop goes round only once the context is done: its
// timer has fired and nothing of it is left but the deferred call.
func expectNothing(ctx context.Context, evs []*events) error {
	for _, e := range evs {
		sCtx, sCancel := context.WithTimeout(ctx, 10*time.Millisecond)
		defer sCancel()
		if _, err := e.Receive(sCtx); err != context.DeadlineExceeded {
			return err
		}
	}
	for _, e := range evs {
		sCtx, sCancel := context.WithTimeout(ctx, 10*time.Millisecond)
		defer sCancel()
		if _, err := e.Receive(sCtx); !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
	}
	for range evs {
		sCtx, sCancel := context.WithTimeout(ctx, 10*time.Millisecond)
		defer sCancel()
		<-sCtx.Done()
	}
	for _, e := range evs {
		sCtx, sCancel := context.WithTimeout(ctx, 10*time.Millisecond)
		defer sCancel()
		select {
		case <-e.ch:
			return nil
		case <-sCtx.Done():
		}
	}
	for {
		sCtx, sCancel := context.WithTimeout(ctx, time.Second)
		defer sCancel()
		if fetch(sCtx, "x") == nil {
			return nil
		}
		if sCtx.Err() != nil {
			continue // timed out: try again
		}
		return errors.New("failed")
	}
}

// Not reported: requests holding their contexts are queued for later.
func queued(ctx context.Context, urls []string, queue chan *request) {
	for _, u := range urls {
		c, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		queue <- &request{ctx: c, url: u}
	}
}

// Not reported: the bodies are read after the loop, under the contexts the
// defers keep alive (deckhouse#12839: cancelling earlier would break them).
func bodies(ctx context.Context, client *http.Client, urls []string) ([]io.ReadCloser, error) {
	var out []io.ReadCloser
	for _, u := range urls {
		c, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		req, err := http.NewRequestWithContext(c, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		out = append(out, resp.Body)
	}
	return out, nil
}

type lease struct{ id int }

func acquireLease(ctx context.Context) (lease, context.CancelFunc) { // want acquireLease:"returnsCancel\\(1\\)"
	_, cancel := context.WithCancel(ctx)
	return lease{1}, cancel
}

// Not reported: made once, guarded by a struct the helper sets, compared
// with its zero value rather than with nil.
func lazilyLeased(ctx context.Context, urls []string) {
	var l, zero lease
	for _, u := range urls {
		if l == zero {
			var cancel context.CancelFunc
			l, cancel = acquireLease(ctx)
			defer cancel()
		}
		_ = fetch(ctx, u)
	}
}
