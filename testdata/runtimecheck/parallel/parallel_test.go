package parallel_test

import (
	"testing"
	"time"

	"github.com/lifeguard-go/lifeguard/runtimecheck"
	"github.com/lifeguard-go/lifeguard/testdata/runtimecheck/parallel"
)

// TestLeaker leaks; TestBystander runs at the same time and does not.
// Neither fails: with t.Parallel, Check cannot tell which one leaked.
func TestLeaker(t *testing.T) {
	t.Parallel()
	runtimecheck.Check(t)
	time.Sleep(50 * time.Millisecond) // overlap with TestBystander
	if err := parallel.Leak(); err != nil {
		t.Fatal(err)
	}
}

func TestBystander(t *testing.T) {
	runtimecheck.Check(t)
	t.Parallel() // after Check: still parallel when the check runs
	time.Sleep(100 * time.Millisecond)
}

// TestSubtests' subtest is not parallel itself, but its parent is.
func TestSubtests(t *testing.T) {
	t.Parallel()
	t.Run("child", func(t *testing.T) {
		runtimecheck.Check(t)
		time.Sleep(100 * time.Millisecond)
	})
}
