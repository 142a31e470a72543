package cleanup

import (
	"context"
	"testing"
	"time"
)

// Not reported: t.Context() is cancelled just before the Cleanup functions
// run, after the test function and its defers have returned: a deferred
// cleanup still has it.
func TestRelease(t *testing.T) {
	ctx := t.Context()
	defer func() {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_ = release(c, "test")
	}()
	_ = release(ctx, "test")
}
