package a

import (
	"context"
	"io"
	"log"
	"net/http"
	"os"
)

// Goroutines that recover are not reported.
func recovers(w http.ResponseWriter, r *http.Request) {
	go func() { // recover directly in a deferred literal
		defer func() {
			if v := recover(); v != nil {
				log.Println(v)
			}
		}()
		audit(r)
	}()
	go func() { // through a same-package helper
		defer logPanic()
		audit(r)
	}()
	go func() { // a helper that logs and re-panics: the author chose to crash
		defer rethrow()
		audit(r)
	}()
	go func() { // recover in a deferred literal that itself defers recover (test/recover.go test4)
		defer func() {
			defer recover()
		}()
		audit(r)
	}()
	go func() { // a deferred closure returned by a helper: it calls recover itself
		defer guard()()
		audit(r)
	}()
	go guardedWork(r)           // a protected same-package function
	go run(func() { audit(r) }) // a same-package safe-go wrapper
	go runTwice(func() { audit(r) })
	go func() {
		run(func() { audit(r) }) // the body calls a recovering wrapper
	}()
	s := &Server{}
	go s.safeProcess(1) // a protected method
	f := s.safeProcess
	go f(2) // a protected method value
}

func rethrow() { // want rethrow:"panics\\(recovers\\)"
	if v := recover(); v != nil {
		log.Println(v)
		panic(v)
	}
}

func guard() func() {
	return func() {
		if v := recover(); v != nil {
			log.Println(v)
		}
	}
}

func guardedWork(r *http.Request) { // want guardedWork:"panics\\(protected\\)"
	defer logPanic()
	audit(r)
}

func run(f func()) { // want run:"panics\\(protected runs\\[0\\]\\)"
	defer logPanic()
	f()
}

// runTwice wraps a wrapper.
func runTwice(f func()) { run(f) } // want runTwice:"panics\\(protected runs\\[0\\]\\)"

func (s *Server) safeProcess(n int) { // want safeProcess:"panics\\(protected\\)"
	defer logPanic()
	s.jobs <- n
}

// Standard-library functions started directly are not reported: the
// standard library does not panic on correct use.
func std(w http.ResponseWriter, r *http.Request) {
	pr, pw := io.Pipe()
	go io.Copy(os.Stdout, pr)
	go pw.Close()
	srv := &http.Server{}
	go srv.Shutdown(context.Background())
}

type hooks struct {
	onDone func()
	store  interface{ Save(int) }
}

// Unknown goroutine functions are not reported: what runs is not known.
func (h *hooks) unknown(w http.ResponseWriter, r *http.Request) {
	go h.onDone()      // a func-typed field
	go h.store.Save(1) // an interface method
	var g func()
	if r.URL.Path == "/" {
		g = func() { audit(r) }
	} else {
		g = func() { audit(nil) }
	}
	go g()          // a function value from two places
	spawn(h.onDone) // spawn starts a function value lifeguard cannot see into
}

func spawn(cb func()) {
	go cb() // a func-typed parameter: judged at the calls of spawn
}

// A goroutine that defers a function lifeguard cannot see into is not
// judged.
func unknownDefer(w http.ResponseWriter, r *http.Request) {
	h := &hooks{}
	go func() {
		defer h.onDone()
		audit(r)
	}()
	go withHook(r, h.onDone)
}

func withHook(r *http.Request, done func()) { // want withHook:"panics\\(protected\\)"
	defer done()
	audit(r)
}

// Not reachable from any handler: a server's main loop and its workers.
func (s *Server) Run(ctx context.Context) error {
	for i := 0; i < 4; i++ {
		go s.worker()
	}
	go func() {
		<-ctx.Done()
		close(s.jobs)
	}()
	return http.ListenAndServe(":8080", s)
}

func (s *Server) worker() {
	for n := range s.jobs {
		go s.process(n)
	}
}

// A handler's closure registered in a non-handler is the root, not the
// function registering it: the go statement before it is not reported.
func register(mux *http.ServeMux) {
	go audit(nil)
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
}

// onlyFromTests is called only by a handler in a test file.
func onlyFromTests(r *http.Request) {
	go audit(r)
}

// Three calls below a handler, a go statement belongs to the subsystem the
// request reaches, not to the handler: not reported (maxDepth).
func deep(w http.ResponseWriter, r *http.Request) { level1(r) }

func level1(r *http.Request) { level2(r) }

func level2(r *http.Request) {
	go audit(r) // want `goroutine started in level2, called from level1 at negative.go:[0-9]+, called from HTTP handler deep at negative.go:[0-9]+, has no deferred recover`
	level3(r)
}

func level3(r *http.Request) {
	go audit(r)
}
