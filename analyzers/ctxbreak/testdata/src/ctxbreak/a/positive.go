package a

import (
	"context"
	"database/sql"
	"iter"
	"net/http"
	"time"

	"ctxbreak/framework"
)

type store struct{ db *sql.DB }

func work(ctx context.Context) error                                        { return nil }
func workN(ctx context.Context, n int) error                                { return nil }
func send(ctx context.Context, msg string)                                  {}
func notify(ctx context.Context)                                            {}
func process(ctx context.Context, b []byte)                                 {}
func inject(ctx context.Context, carrier map[string]string) context.Context { return ctx }

type key struct{}

// An HTTP handler querying its database with a fresh root: the query runs
// on after the client is gone.
func (s *store) handleUpload(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.QueryContext(context.Background(), "SELECT 1") // want `^context\.Background\(\) in \(\*store\)\.handleUpload, which has r\.Context\(\): the work it roots ignores the caller's cancellation and deadline, and its trace spans are orphaned; pass r\.Context\(\), or context\.WithoutCancel\(r\.Context\(\)\) with a timeout of its own if the work must outlive it$`
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	rows.Close()
}

// A timeout rooted in Background instead of the caller's context.
func fetch(ctx context.Context, url string) (*http.Response, error) {
	tctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // want `^context\.Background\(\) in fetch, which has ctx: the work it roots`
	defer cancel()
	req, err := http.NewRequestWithContext(tctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req)
}

// TODO is a fresh root too.
func lookup(ctx context.Context, db *sql.DB, id int) error {
	_, err := db.ExecContext(context.TODO(), "DELETE FROM t WHERE id = ?", id) // want `^context\.TODO\(\) in lookup, which has ctx: .*; pass ctx, or context\.WithoutCancel\(ctx\) with a timeout of its own if the work must outlive it$`
	return err
}

// A framework context interface that embeds context.Context.
func frameworkHandler(c framework.Ctx, db *sql.DB) error {
	_, err := db.ExecContext(context.Background(), "UPDATE users SET seen = 1 WHERE id = ?", c.UserID()) // want `in frameworkHandler, which has c: `
	return err
}

// A message whose context is msg.Context() (flexprice/flexprice#1986).
func consume(msg *framework.Message, db *sql.DB) error {
	_, err := db.ExecContext(context.Background(), "INSERT INTO events VALUES (?)", msg.Payload) // want `in consume, which has msg\.Context\(\): .*; pass msg\.Context\(\), or`
	return err
}

// A stream interface with a Context method.
func relay(ss framework.ServerStream) {
	process(context.Background(), nil) // want `in relay, which has ss\.Context\(\)`
}

// A function literal called synchronously sees the ctx of its function.
func closureSync(ctx context.Context, db *sql.DB) error {
	run := func(q string) error {
		_, err := db.ExecContext(context.Background(), q) // want `in the function literal at positive\.go:71, which has ctx`
		return err
	}
	if err := run("DELETE FROM a"); err != nil {
		return err
	}
	return run("DELETE FROM b")
}

// One that captures ctx, called right away.
func closureCaptures(ctx context.Context) {
	func() {
		if ctx.Value(key{}) != nil {
			work(context.Background()) // want `in the function literal at positive\.go:83, which has ctx`
		}
	}()
}

// A context derived from the fresh root with WithValue, used for work.
func derivedValue(ctx context.Context) {
	bg := context.WithValue(context.Background(), key{}, 1) // want `in derivedValue, which has ctx`
	work(bg)
}

// Derived through a helper that returns a context (a propagator's Extract).
func extracted(ctx context.Context, carrier map[string]string) {
	c2 := inject(context.Background(), carrier) // want `in extracted, which has ctx`
	work(c2)
}

// Through a local variable that a synchronous closure reads.
func localInClosure(ctx context.Context) {
	bg := context.Background() // want `in localInClosure, which has ctx`
	do := func() { work(bg) }
	do()
}

// Through a φ: a loop deriving contexts from the fresh root.
func loop(ctx context.Context, n int) {
	c := context.Background() // want `in loop, which has ctx`
	for i := 0; i < n; i++ {
		c = context.WithValue(c, key{}, i)
	}
	work(c)
}

// A context parameter wins over a request's Context().
func both(r *http.Request, ctx context.Context) {
	work(context.Background()) // want `which has ctx: `
}

// A ctx variable declared by the same statement is not in scope yet: the
// fix names the parameter.
func shadowLater(ctx context.Context) {
	ctx, cancel := context.WithCancel(context.Background()) // want `in shadowLater, which has ctx`
	defer cancel()
	work(ctx)
}

// Generic functions.
func generic[T any](ctx context.Context, v T) {
	work(context.Background()) // want `in generic, which has ctx`
}

func genericCtx[C context.Context](ctx C) {
	work(context.Background()) // want `in genericCtx, which has ctx`
}

type cache[K comparable, V any] struct{ m map[K]V }

func (c *cache[K, V]) load(ctx context.Context, k K) {
	work(context.Background()) // want `in \(\*cache\)\.load, which has ctx`
}

// The body of a range-over-func loop runs inside its function.
func rangeBody(ctx context.Context, seq iter.Seq[int]) {
	for x := range seq {
		workN(context.Background(), x) // want `in the loop body at positive\.go:148, which has ctx`
	}
}

// Nested: a loop body inside a loop body.
func rangeNested(ctx context.Context, seq iter.Seq[int]) {
	for x := range seq {
		for y := range seq {
			workN(context.TODO(), x+y) // want `context\.TODO\(\) in the loop body at positive\.go:156, which has ctx`
		}
	}
}

// A goroutine literal with its own context parameter has that context.
func goroutineOwnCtx(ctx context.Context) {
	go func(ctx context.Context) {
		work(context.Background()) // want `in the function literal at positive\.go:164, which has ctx`
	}(ctx)
}

// A handler literal in main has its request.
func routes(mux *http.ServeMux, db *sql.DB) {
	mux.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) {
		db.ExecContext(context.Background(), "SELECT 1") // want `in the function literal at positive\.go:171, which has r\.Context\(\)`
	})
}

// Used for work and also detached: the work counts.
func workAndGo(ctx context.Context) {
	bg := context.Background() // want `in workAndGo, which has ctx`
	go work(bg)
	work(bg)
}

// A select whose Done case is another case's neighbour: the other case is
// not after cancellation.
func otherCase(ctx context.Context, ch chan int) {
	select {
	case <-ctx.Done():
		return
	case n := <-ch:
		workN(context.Background(), n) // want `in otherCase, which has ctx`
	}
}

// A helper that keeps the context and works with it.
func (s *service) warm(ctx context.Context) {
	s.prime(context.Background()) // want `in \(\*service\)\.warm, which has ctx`
}

func (s *service) prime(ctx context.Context) {
	s.ctx = ctx
	work(ctx)
}
