package a

import (
	"context"
	"testing"
	"time"
)

// Not reported: a test's table loop. What piles up lives until the test
// returns, which is soon.
func TestTable(t *testing.T) {
	for _, u := range []string{"a", "b"} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := fetch(ctx, u); err != nil {
			t.Error(err)
		}
	}
}

// Rule 1 still applies in tests: this timeout bounds nothing.
func TestDeferredTimeout(t *testing.T) {
	ctx := context.Background()
	var cancel context.CancelFunc
	defer func() { ctx, cancel = context.WithTimeout(ctx, time.Second) }() // want `context.WithTimeout in a deferred function assigns ctx as TestDeferredTimeout returns`
	_ = cancel
	_ = fetch(ctx, "x")
}
