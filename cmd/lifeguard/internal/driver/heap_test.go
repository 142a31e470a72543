package driver

import (
	"math"
	"runtime/debug"
	"testing"
)

// limitHeapToLoad lowers the soft memory limit for the analysis and puts
// it back after; a lower limit of the user's stays as it is.
func TestLimitHeapToLoad(t *testing.T) {
	orig := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(orig)

	debug.SetMemoryLimit(math.MaxInt64)
	restore := limitHeapToLoad()
	during := debug.SetMemoryLimit(-1)
	if during == math.MaxInt64 || during < 256<<20 {
		t.Errorf("limit during the analysis = %d; want a finite one of at least 256 MiB", during)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit after = %d; want it restored to %d", got, int64(math.MaxInt64))
	}

	const user = 200 << 20 // GOMEMLIMIT=200MiB: below what the driver would set
	debug.SetMemoryLimit(user)
	restore = limitHeapToLoad()
	if got := debug.SetMemoryLimit(-1); got != user {
		t.Errorf("limit with GOMEMLIMIT=200MiB = %d; want the user's %d kept", got, user)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != user {
		t.Errorf("limit after = %d; want the user's %d", got, user)
	}
}
