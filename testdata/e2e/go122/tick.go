// Package go122 is a module for Go 1.22. Since Go 1.23 the garbage
// collector frees unreferenced tickers, and SA1015 reports only code written
// for older versions. Lines marked "e2e:want" must be reported by the named
// check when -staticcheck is given.
package go122

import "time"

func tickLeak(done chan struct{}) {
	for {
		select {
		case <-time.Tick(time.Second): // e2e:want SA1015 "time.Tick"
		case <-done:
			return
		}
	}
}
