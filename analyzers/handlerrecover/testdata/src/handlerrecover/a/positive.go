package a

import (
	"log"
	"net/http"
)

type Server struct {
	mux  *http.ServeMux
	jobs chan int
}

// ServeHTTP is a handler by its method.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	go func() { // want `goroutine started in HTTP handler \(\*Server\)\.ServeHTTP has no deferred recover: net/http does not recover panics in goroutines a handler starts, so one panic here kills the whole server; defer a recover at the top of the goroutine or start it through a recovering wrapper`
		audit(r)
	}()
	s.mux.ServeHTTP(w, r)
}

// handleUpload is registered as a method value in routes.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	go s.process(len(r.URL.Path)) // want `goroutine started in HTTP handler \(\*Server\)\.handleUpload has no deferred recover: .*; defer a recover at the top of \(\*Server\)\.process or start it through a recovering wrapper`
	s.save(r)
}

func (s *Server) process(n int) {
	audit(nil)
	s.jobs <- n
}

// save is called by handleUpload; it calls notify, which starts a
// goroutine: two levels deep.
func (s *Server) save(r *http.Request) {
	s.notify(r.URL.Path)
}

func (s *Server) notify(path string) {
	go func() { // want `goroutine started in \(\*Server\)\.notify, called from \(\*Server\)\.save at positive.go:35, called from HTTP handler \(\*Server\)\.handleUpload at positive.go:24, has no deferred recover`
		audit(nil)
		log.Println(path)
	}()
}

func (s *Server) routes() {
	s.mux.HandleFunc("/upload", s.handleUpload)
	s.mux.Handle("/func", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		go audit(r) // want `goroutine started in the HTTP handler literal at positive.go:47 has no deferred recover`
	}))
	http.HandleFunc("/hf", func(w http.ResponseWriter, r *http.Request) {
		go func() { // want `goroutine started in the HTTP handler literal at positive.go:50 has no deferred recover`
			audit(r)
		}()
	})
}

// nested: the outer goroutine recovers, the one it starts does not.
func nested(w http.ResponseWriter, r *http.Request) {
	go func() {
		defer func() {
			if v := recover(); v != nil {
				log.Println(v)
			}
		}()
		go audit(r) // want `goroutine started in the goroutine at positive.go:59, started in HTTP handler nested, has no deferred recover`
	}()
}

// brokenDefer recovers in logPanic, called from the deferred literal:
// recover returns nil there.
func brokenDefer(w http.ResponseWriter, r *http.Request) {
	go func() { // want `goroutine started in HTTP handler brokenDefer has no working recover: the deferred function literal at positive.go:73 calls recover only inside logPanic, where it returns nil \(recover stops a panic only when the deferred function calls it directly\), and net/http does not recover panics in goroutines a handler starts, so one panic here kills the whole server; defer logPanic\(\) itself, or call recover\(\) in the deferred function`
		defer func() { logPanic() }()
		audit(r)
	}()
}

// deferRecover defers recover itself: a no-op.
func deferRecover(w http.ResponseWriter, r *http.Request) {
	go func() { // want `goroutine started in HTTP handler deferRecover has no working recover: defer recover\(\) at positive.go:81 makes recover the deferred function itself, too early to see the panic`
		defer recover()
		audit(r)
	}()
}

// brokenHelper: a named deferred helper that calls the recovering one.
func brokenHelper(w http.ResponseWriter, r *http.Request) {
	go func() { // want `has no working recover: the deferred cleanup at positive.go:89 calls recover only inside logPanic, where it returns nil`
		defer cleanup()
		audit(r)
	}()
}

func cleanup() { logPanic() }

// handlerVar is a package-level handler literal: it lives in init.
var handlerVar = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	start(r)
})

func start(r *http.Request) {
	go audit(r) // want `goroutine started in start, called from the HTTP handler literal at positive.go:97 at positive.go:98, has no deferred recover`
}

func logPanic() { // want logPanic:"panics\\(recovers\\)"
	if v := recover(); v != nil {
		log.Println(v)
	}
}

// sink is the package's own logic: code that can panic.
type recorder interface{ Record(*http.Request) }

var sink recorder

func audit(r *http.Request) { sink.Record(r) }
