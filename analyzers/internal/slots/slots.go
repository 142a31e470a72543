// Package slots bounds how many analyses that build large structures (SSA
// forms, inspectors, control-flow graphs) run at once.
//
// go/analysis's checker starts every action whose prerequisites are done at
// once: on std cmd/..., thousands of goroutines. Without a bound, each holds
// its structures while the processors work on the others, and peak memory
// grows with the number of packages instead of the number of processors.
package slots

import (
	"runtime"
	"sync"
)

var slots = make(chan struct{}, runtime.GOMAXPROCS(0))

// Acquire takes one of GOMAXPROCS slots, waiting for one to be free, and
// returns the function that gives it back (idempotent). A holder must not
// wait for another action to finish.
func Acquire() (free func()) {
	slots <- struct{}{}
	var once sync.Once
	return func() { once.Do(func() { <-slots }) }
}
