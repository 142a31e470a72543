// Package relay neither imports net/http nor calls recover: its functions
// are protected only through safe's facts, and it must still export them
// (wrappers of wrappers across packages).
package relay

import "handlerrecover/safe"

// Process defers another package's recover helper.
func Process(job int) { // want Process:"panics\\(protected\\)"
	defer safe.Recover()
	_ = job
}

// Wrap runs f through safe.Run: a wrapper of a wrapper.
func Wrap(f func()) { // want Wrap:"panics\\(protected runs\\[0\\]\\)"
	safe.Run(f)
}

// Loop runs f under safe.Recover from a literal called on the spot, as
// k8s.io/apimachinery's wait.BackoffUntil does.
func Loop(f func(), n int) { // want Loop:"panics\\(protected runs\\[0\\]\\)"
	for i := 0; i < n; i++ {
		func() {
			defer safe.Recover()
			f()
		}()
	}
}

// Every reaches Loop through another level.
func Every(f func()) { // want Every:"panics\\(protected runs\\[0\\]\\)"
	Loop(f, 3)
}

// Body runs its own work through a wrapper: a protected goroutine body.
func Body() { // want Body:"panics\\(protected\\)"
	safe.Run(func() { _ = 1 })
}

// Bare is not protected.
func Bare(job int) {
	_ = job
}

// Start starts Bare: a go statement of this package, which has no
// handlers; a handler of another package calling Start does not make it
// that package's finding.
func Start() { go Bare(1) }

// Go starts f through safe.Spawn: a starter of a starter, across packages.
func Go(f func()) { // want Go:"panics\\(protected starts\\[0\\]\\)"
	safe.Spawn(f)
}

// Background starts f without a recover. Its go statement is relay's:
// a handler of another package handing it a function is not reported
// there (helpers are followed within their package only).
func Background(f func()) {
	go f()
}
