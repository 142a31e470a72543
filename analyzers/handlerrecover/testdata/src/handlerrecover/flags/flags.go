// Package flags is analyzed with -recover-funcs=handlerrecover/flaghelp.Guard
// and -wrapper-funcs=handlerrecover/flaghelp.Go,(*handlerrecover/flaghelp.Pool).Submit:
// nothing here is reported.
package flags

import (
	"net/http"

	"handlerrecover/flaghelp"
)

func handler(w http.ResponseWriter, r *http.Request) {
	go func() {
		defer flaghelp.Guard()
		work(r)
	}()
	go flaghelp.Go(func() { work(r) })
	go func() {
		flaghelp.Go(func() { work(r) })
	}()
	var p flaghelp.Pool
	go p.Submit(func() { work(r) })
	go guarded(r)
	go wrapped(r)
}

// guarded defers the configured helper.
func guarded(r *http.Request) { // want guarded:"panics\\(protected\\)"
	defer flaghelp.Guard()
	work(r)
}

// wrapped hands its work to a local wrapper of the configured wrapper.
func wrapped(r *http.Request) { // want wrapped:"panics\\(protected\\)"
	run(func() { work(r) })
}

func run(f func()) { flaghelp.Go(f) } // want run:"panics\\(protected runs\\[0\\]\\)"

func work(*http.Request) {}
