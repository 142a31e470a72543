package a

import (
	"io"
	"log"
	"net/http"
	"sync"

	"handlerrecover/safe"
)

// Goroutine helpers: functions of the package that start their func
// argument in a goroutine without a recover. The go statement is reported
// when a handler hands the helper a function that can panic.

func background(f func()) {
	go f() // want `goroutine started in background for HTTP handler \(\*Server\)\.handleJob at helpers.go:\d+ has no deferred recover: it runs the function literal at helpers.go:\d+, which can panic, and net/http does not recover panics in goroutines a handler starts, so one panic here kills the whole server; defer a recover at the top of the goroutine background starts, or recover in the function handed to it`
}

func (s *Server) handleJob(w http.ResponseWriter, r *http.Request) {
	background(func() { audit(r) })
	background(s.work) // a second call, the same go statement: one finding
}

func (s *Server) work() { audit(nil) }

// goLit starts its argument from a literal, with other arguments.
func goLit(name string, f func(string)) {
	go func() { // want `goroutine started in goLit for HTTP handler handleNamed at helpers.go:\d+ has no deferred recover`
		f(name)
	}()
}

func (s *Server) work2(string) { audit(nil) }

func handleNamed(w http.ResponseWriter, r *http.Request) {
	s := &Server{}
	goLit("job", s.work2) // a method value
}

// goAll is variadic.
func goAll(fs ...func()) {
	for _, f := range fs {
		go f() // want `goroutine started in goAll for HTTP handler handleMany at helpers.go:\d+ has no deferred recover`
	}
}

func handleMany(w http.ResponseWriter, r *http.Request) {
	goAll(func() { log.Println("std only") }, func() { audit(r) })
}

// Pool is a pool type with a Go method that tracks its goroutines.
type Pool struct{ wg sync.WaitGroup }

func (p *Pool) Go(f func()) {
	p.wg.Add(1)
	go func() { // want `goroutine started in \(\*Pool\)\.Go for \(\*Server\)\.enqueue at helpers.go:\d+, called from HTTP handler \(\*Server\)\.handlePool at helpers.go:\d+, has no deferred recover`
		defer p.wg.Done()
		f()
	}()
}

func (s *Server) handlePool(w http.ResponseWriter, r *http.Request) {
	s.enqueue(r)
}

func (s *Server) enqueue(r *http.Request) {
	var p Pool
	p.Go(func() { audit(r) })
}

func later(f func()) {
	go func() { // want `goroutine started in later, through async2, for HTTP handler handleAsync at helpers.go:\d+ has no deferred recover`
		f()
	}()
}

func handleAsync(w http.ResponseWriter, r *http.Request) {
	async2(func() { audit(r) })
}

// async2 is a helper of the helper: it hands f on.
func async2(f func()) { later(f) }

// go background(f): the outer goroutine only starts another one, which
// is the helper's go statement, reported there.
func bgTwice(f func()) {
	go f() // want `goroutine started in bgTwice for HTTP handler handleGoHelper at helpers.go:\d+ has no deferred recover`
}

func handleGoHelper(w http.ResponseWriter, r *http.Request) {
	go bgTwice(func() { audit(r) })
}

// Not reported.

// The helper recovers in the goroutine it starts.
func safeBackground(f func()) { // want safeBackground:"panics\\(protected starts\\[0\\]\\)"
	go func() {
		defer logPanic()
		f()
	}()
}

// The helper recovers in a deferred literal, or defers a hook lifeguard
// cannot see into (it may recover).
func safeBackground2(f func()) { // want safeBackground2:"panics\\(protected starts\\[0\\]\\)"
	go func() {
		defer func() {
			if v := recover(); v != nil {
				log.Println(v)
			}
		}()
		f()
	}()
}

type hookPool struct{ onPanic func() }

func (p *hookPool) Go(f func()) { // want Go:"panics\\(protected starts\\[1\\]\\)"
	go func() {
		defer p.onPanic()
		f()
	}()
}

func helperRecovers(w http.ResponseWriter, r *http.Request) {
	safeBackground2(func() { audit(r) })
	p := &hookPool{}
	p.Go(func() { audit(r) })
}

// The function handed over cannot panic: standard-library work, a
// function that recovers, the standard library's own functions.
func helperNegatives(w http.ResponseWriter, r *http.Request) {
	safeBackground(func() { audit(r) })
	var wg sync.WaitGroup
	background(func() { io.Copy(io.Discard, r.Body) })
	background(wg.Done)
	background(func() {
		defer logPanic()
		audit(r)
	})
	background(guardedJob)
	go safeBackground(func() { audit(r) }) // starts only a recovering goroutine
	go func() { safeBackground(func() { audit(r) }) }()
	go safe.Spawn(func() { audit(r) }) // the same, through safe's fact
	go func() {
		safe.Spawn(func() { audit(r) })
	}()
}

func guardedJob() { // want guardedJob:"panics\\(protected\\)"
	defer logPanic()
	audit(nil)
}

// A helper no handler reaches: the daemon's own business.
func daemonHelper(f func()) {
	go f()
}

func daemonLoop() {
	daemonHelper(func() { audit(nil) })
}
