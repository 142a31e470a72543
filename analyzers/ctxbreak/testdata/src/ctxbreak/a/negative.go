package a

import (
	"context"
	"database/sql"
	"errors"
	"iter"
	"net/http"
	"sync"
	"time"
)

// WithoutCancel is the sanctioned detachment.
func detach(ctx context.Context) {
	go work(context.WithoutCancel(ctx))
	work(context.WithoutCancel(ctx))
}

// The caller's context is over: a shutdown needs its own deadline.
func shutdownAfterDone(ctx context.Context, srv *http.Server) error {
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// In a select case on ctx.Done().
func serveLoop(ctx context.Context, srv *http.Server, errc chan error) error {
	for {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return srv.Shutdown(sctx)
		case err := <-errc:
			if err != nil {
				return err
			}
		}
	}
}

// Work that must be done once the caller has given up: recording it.
func recordAfterDone(ctx context.Context, db *sql.DB) {
	<-ctx.Done()
	db.ExecContext(context.Background(), "UPDATE jobs SET state = 'cancelled'")
}

func recordInSelect(ctx context.Context, db *sql.DB, results chan int) {
	for {
		select {
		case n := <-results:
			db.ExecContext(ctx, "UPDATE jobs SET done = ?", n)
		case <-ctx.Done():
			db.ExecContext(context.Background(), "UPDATE jobs SET state = 'cancelled'")
			return
		}
	}
}

// The Done channel kept in a variable, a non-blocking select.
func pollDone(ctx context.Context, db *sql.DB) {
	done := ctx.Done()
	select {
	case <-done:
		db.ExecContext(context.Background(), "UPDATE jobs SET state = 'cancelled'")
	default:
	}
}

// Inside if ctx.Err() != nil.
func afterErr(ctx context.Context, db *sql.DB) error {
	if err := ctx.Err(); err != nil {
		db.ExecContext(context.Background(), "UPDATE jobs SET state = 'cancelled'")
		return err
	}
	return nil
}

// After the work failed with the caller's cancellation.
func afterCanceled(ctx context.Context, db *sql.DB) error {
	err := work(ctx)
	if errors.Is(err, context.Canceled) {
		db.ExecContext(context.Background(), "UPDATE jobs SET state = 'cancelled'")
	}
	if err == context.DeadlineExceeded {
		db.ExecContext(context.Background(), "UPDATE jobs SET state = 'timeout'")
	}
	return err
}

// WithValue on the request's context keeps its cancellation.
func withValue(w http.ResponseWriter, r *http.Request) {
	work(context.WithValue(r.Context(), key{}, "v"))
}

// Nil fallbacks.
func nilFallback(ctx context.Context) {
	if ctx == nil {
		ctx = context.Background()
	}
	work(ctx)
}

func nilFallbackCaptured(ctx context.Context) {
	if ctx == nil {
		ctx = context.Background()
	}
	func() { work(ctx) }()
}

func nilFallbackElse(ctx context.Context, opt *options) {
	var parent context.Context
	if opt.ctx != nil {
		parent = opt.ctx
	} else {
		parent = context.Background()
	}
	work(parent)
}

func configurableCaptured(ctx context.Context, opt *options) {
	parent := ctx
	if opt.detach {
		parent = context.Background()
	}
	func() { work(parent) }()
}

func nilFallbackReturn(ctx context.Context) error {
	if ctx == nil {
		return work(context.Background())
	}
	return work(ctx)
}

type options struct {
	ctx    context.Context
	detach bool
}

// A fresh root chosen instead of ctx on some path: a deliberate choice, as
// much as a nil fallback.
func configurable(ctx context.Context, opt *options) {
	parent := ctx
	if opt.detach {
		parent = context.Background()
	}
	work(parent)
}

// Goroutine detachment.
func detachLiteral(ctx context.Context) {
	go func() { send(context.Background(), "done") }()
}

func detachCall(ctx context.Context) {
	go send(context.Background(), "done")
}

func detachLocal(ctx context.Context) {
	bg, cancel := context.WithTimeout(context.Background(), time.Minute)
	go func() {
		defer cancel()
		send(bg, "done")
	}()
}

// Deferred cleanup must run after cancellation.
func deferredCleanup(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer notify(context.Background())
	defer func() {
		if err != nil {
			tx.Rollback()
			db.ExecContext(context.Background(), "UPDATE jobs SET state = 'failed'")
		}
	}()
	_, err = tx.ExecContext(ctx, "SELECT 1")
	return err
}

// A component's own lifetime, stored in a struct.
type service struct {
	ctx     context.Context
	cancel  context.CancelFunc
	conns   map[string]context.Context
	onClose func()
}

func newService(ctx context.Context) *service {
	s := &service{}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.run()
	return s
}

func newServiceLiteral(ctx context.Context) *service {
	return &service{ctx: context.Background()}
}

func (s *service) register(ctx context.Context, name string) {
	s.conns[name] = context.Background()
}

func (s *service) run() {}

// Returned or sent: someone else's.
func root(ctx context.Context) context.Context { return context.Background() }

func sendRoot(ctx context.Context, ch chan context.Context) { ch <- context.TODO() }

// Functions with no context.
func noCtx(db *sql.DB) error {
	_, err := db.ExecContext(context.Background(), "SELECT 1")
	return err
}

// A context parameter named _ or not named cannot be used.
func (s *store) get(_ context.Context, id int) error {
	_, err := s.db.ExecContext(context.Background(), "SELECT ?", id)
	return err
}

func unnamed(context.Context, int) { work(context.Background()) }

// Callbacks run later, after the function (and maybe its context) is done.
func afterFuncs(ctx context.Context) {
	stop := context.AfterFunc(ctx, func() { notify(context.Background()) })
	defer stop()
	time.AfterFunc(time.Second, func() { notify(context.Background()) })
	var once sync.Once
	once.Do(func() { notify(context.Background()) })
}

// A literal stored in a field runs when someone calls it.
func (s *service) hook(ctx context.Context) {
	s.onClose = func() { notify(context.Background()) }
}

// A literal deferred through a variable.
func deferredVar(ctx context.Context) {
	flush := func() { notify(context.Background()) }
	defer flush()
}

// Generics: no ctx.
func genericNoCtx[T any](v T) { work(context.Background()) }

type box[T any] struct{ v T }

func (b *box[T]) put(v T) { work(context.Background()) }

// Range-over-func in a function with no ctx, and a goroutine in a loop body.
func rangeNoCtx(seq iter.Seq[int]) {
	for x := range seq {
		workN(context.Background(), x)
	}
}

func rangeGo(ctx context.Context, seq iter.Seq[int]) {
	for x := range seq {
		go workN(context.Background(), x)
	}
}

// A goroutine in a literal: detached, whatever the literal does.
func goInLiteral(ctx context.Context) {
	func() {
		go send(context.Background(), "x")
	}()
}

// Merged with the caller's context by a helper: a fallback.
func merged(ctx context.Context) {
	work(orDefault(ctx, context.Background()))
}

func orDefault(ctx, def context.Context) context.Context {
	if ctx != nil {
		return ctx
	}
	return def
}

// Inspecting a fresh root is not work.
func inspect(ctx context.Context) bool {
	return context.Background().Err() == nil
}

// A helper of this package that only keeps the context it is given (a
// constructor of a component with its own lifetime).
type worker struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newWorker(ctx context.Context) *worker {
	w := &worker{}
	w.ctx, w.cancel = context.WithCancel(ctx)
	go w.loop()
	return w
}

func (w *worker) loop() {}

func startWorker(ctx context.Context) *worker {
	return newWorker(context.Background())
}

func (s *service) spawn(ctx context.Context) {
	s.launch(context.Background())
}

func (s *service) launch(ctx context.Context) { go work(ctx) }
