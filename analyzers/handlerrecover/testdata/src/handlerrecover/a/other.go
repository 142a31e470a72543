package a

import (
	"net/http"

	"handlerrecover/relay"
	"handlerrecover/safe"
)

// Goroutines whose recover is in another package: facts.
func crossPackage(w http.ResponseWriter, r *http.Request) {
	go func() {
		defer safe.Recover() // helper in another package
		audit(r)
	}()
	go safe.Run(func() { audit(r) }) // safe-go wrapper in another package
	go safe.Guarded()                // protected body in another package
	go func() {
		safe.Run(func() { audit(r) }) // the body calls a recovering wrapper
	}()
	go func() {
		_ = safe.RunE("job", func() error { audit(r); return nil })
	}()
	var g safe.Group
	go g.Do(func() { audit(r) }) // a method wrapper
	go func() {
		g.Do(func() { audit(r) })
	}()
	go relay.Process(1)                 // protected through safe, in a package without recover
	go relay.Wrap(func() { audit(r) })  // wrapper of a wrapper, across two packages
	go relay.Every(func() { audit(r) }) // wrapper through a literal called on the spot
	go relay.Body()                     // body run through a wrapper
	relay.Start()                       // its go statement is relay's, not reached from here
	go wrapTwice(func() { audit(r) })   // local wrapper of relay's wrapper
	go func() {
		defer safe.Recover()
		go safe.Run(func() { audit(r) }) // nested, protected too
	}()
}

func wrapTwice(f func()) { relay.Wrap(f) } // want wrapTwice:"panics\\(protected runs\\[0\\]\\)"

// Another package's functions without recover are reported.
func crossPackageBad(w http.ResponseWriter, r *http.Request) {
	go relay.Bare(1)    // want `goroutine started in HTTP handler crossPackageBad has no deferred recover: .*; start it in a function literal that defers a recover, or through a recovering wrapper`
	go safe.Unguarded() // want `goroutine started in HTTP handler crossPackageBad has no deferred recover`
	go func() {         // want `goroutine started in HTTP handler crossPackageBad has no working recover: the deferred function literal at other.go:48 calls recover only inside safe.LogPanic, where it returns nil`
		defer func() { safe.LogPanic() }()
		audit(r)
	}()
	// safe.Spawn starts its own protected goroutine; this one only calls
	// it, and has no recover of its own.
	go func() { // want `goroutine started in HTTP handler crossPackageBad has no deferred recover`
		safe.Spawn(func() { audit(r) })
		audit(r)
	}()
}

// Starters of another package: a goroutine that only starts a recovering
// goroutine cannot panic.
func crossPackageStarters(w http.ResponseWriter, r *http.Request) {
	go relay.Go(func() { audit(r) })
	go func() { relay.Go(func() { audit(r) }) }()
	relay.Background(func() { audit(r) })    // relay's go statement: same-package helpers only
	go relay.Background(func() { audit(r) }) // want `goroutine started in HTTP handler crossPackageStarters has no deferred recover`
}
