// Package staticcheck holds one bug for each staticcheck check lifeguard
// offers behind -staticcheck. Lines marked "e2e:want" must be reported by
// the named check when -staticcheck is given, and not otherwise.
package staticcheck

import (
	"context"
	"sync"
	"testing"
)

func use(ctx context.Context) {}

func nilContext() {
	use(nil) // e2e:want SA1012 "do not pass a nil Context"
}

func builtinKey(ctx context.Context) context.Context {
	return context.WithValue(ctx, "user", 42) // e2e:want SA1029 "key"
}

func addInGoroutine(work func()) {
	var wg sync.WaitGroup
	go func() {
		wg.Add(1) // e2e:want SA2000 "should call wg.Add(1) before starting the goroutine"
		defer wg.Done()
		work()
	}()
	wg.Wait()
}

func failNowInGoroutine(t *testing.T) {
	go func() { // e2e:want SA2002 "the goroutine calls T.Fatal"
		t.Fatal("no")
	}()
}

func ignored() {
	//lint:ignore SA1012 the callee accepts nil and says so
	use(nil)
}
