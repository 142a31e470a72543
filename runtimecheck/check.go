package runtimecheck

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
)

// Check verifies that the test leaks no file descriptor or child process:
// it takes a baseline now and compares with it in a t.Cleanup, so call it
// first in the test, before anything registers cleanups of its own. A leak
// fails the test with one line per leaked resource.
//
// A test that runs in parallel with others (t.Parallel, in it or in a
// parent) cannot be told apart from them: what appeared while it ran is
// logged as not attributable, and the test does not fail for it; use
// VerifyTestMain for such packages. Under lifeguard test, leaks whose
// stack runs in the test itself are still blamed on it.
//
// On systems other than Linux, Check logs that it cannot verify and passes.
func Check(t testing.TB, opts ...Option) {
	t.Helper()
	check(t, defaultSystem, callerPackage(2), newConfig(opts))
}

func check(t testing.TB, sys system, pkg string, cfg *config) {
	t.Helper()
	autoCovered(t)
	s, err := takeSnapshot(sys, cfg)
	if err != nil {
		if errors.Is(err, errors.ErrUnsupported) {
			t.Log(err)
			return
		}
		t.Errorf("runtimecheck: %v", err)
		return
	}
	name := t.Name()
	t.Cleanup(func() {
		t.Helper()
		leaks, err := s.Leaks()
		if err != nil {
			t.Errorf("runtimecheck: %v", err)
			return
		}
		if len(leaks) == 0 {
			return
		}
		parallel := isParallel(t)
		blamed, others := blame(name, leaks, parallel)
		var recs []record
		for _, l := range blamed {
			recs = append(recs, newRecord(name, pkg, parallel, l))
		}
		for _, l := range others {
			test := name
			if l.Origin != nil && l.Origin.Test != "" {
				test = l.Origin.Test
			}
			recs = append(recs, newRecord(test, pkg, parallel, l))
		}
		if err := appendRecords(recs); err != nil {
			t.Errorf("runtimecheck: %v", err)
		}
		if len(blamed) > 0 {
			t.Error(formatLeaks(name+" leaked "+summary(blamed)+":", blamed, true))
		}
		if len(others) > 0 {
			t.Log(formatLeaks(name+" runs in parallel with other tests (t.Parallel), so the "+summary(others)+
				" that appeared while it ran cannot be attributed to it (VerifyTestMain checks them once all tests are done; lifeguard test shows where each was made):",
				others, false))
		}
	})
}

// blame splits leaks into those the test is to blame for and the others.
// A test that does not run in parallel is to blame for everything that
// appeared while it ran; a parallel one only for what the overlay's stacks
// say it made.
func blame(name string, leaks []Leak, parallel bool) (blamed, others []Leak) {
	if !parallel {
		return leaks, nil
	}
	top, _, _ := strings.Cut(name, "/")
	for _, l := range leaks {
		if l.Origin != nil && l.Origin.Test == top {
			blamed = append(blamed, l)
		} else {
			others = append(others, l)
		}
	}
	return blamed, others
}

// VerifyTestMain runs the package's tests and then checks that they left no
// file descriptor or child process behind that was not there before them.
// It prints a report to standard error and exits with status 1 on leaks,
// else with m.Run's status. Use it as the whole of TestMain, or at its end
// in place of os.Exit(m.Run()):
//
//	func TestMain(m *testing.M) {
//		runtimecheck.VerifyTestMain(m)
//	}
//
// Unlike Check it works with parallel tests, but it cannot say which test
// leaked (lifeguard test can). On systems other than Linux it prints that
// it cannot verify and exits with m.Run's status.
func VerifyTestMain(m *testing.M, opts ...Option) {
	autoCoveredMain()
	os.Exit(verifyMain(m.Run, os.Stderr, callerPackage(2), opts))
}

func verifyMain(run func() int, w io.Writer, pkg string, opts []Option) int {
	return verifyMainWith(defaultSystem, run, w, pkg, newConfig(opts))
}

func verifyMainWith(sys system, run func() int, w io.Writer, pkg string, cfg *config) int {
	s, err := takeSnapshot(sys, cfg)
	code := run()
	if errors.Is(err, errors.ErrUnsupported) {
		fmt.Fprintln(w, err)
		return code
	}
	if err != nil {
		fmt.Fprintf(w, "runtimecheck: %v\n", err)
		return max(code, 1)
	}
	leaks, err := s.Leaks()
	if err != nil {
		fmt.Fprintf(w, "runtimecheck: %v\n", err)
		return max(code, 1)
	}
	if len(leaks) == 0 {
		return code
	}
	var recs []record
	for _, l := range leaks {
		test := ""
		if l.Origin != nil {
			test = l.Origin.Test
		}
		recs = append(recs, newRecord(test, pkg, false, l))
	}
	if err := appendRecords(recs); err != nil {
		fmt.Fprintf(w, "runtimecheck: %v\n", err)
	}
	who := "the tests"
	if pkg != "" {
		who = "the tests of " + pkg
	}
	fmt.Fprintln(w, formatLeaks("runtimecheck: "+who+" leaked "+summary(leaks)+":", leaks, true))
	return max(code, 1)
}

// callerPackage is the package under test of the function skip frames up,
// for the records' "package".
func callerPackage(skip int) string {
	pc, _, _, ok := runtime.Caller(skip)
	if !ok {
		return ""
	}
	fn := runtime.FuncForPC(pc)
	if fn == nil {
		return ""
	}
	return testedPackage(funcPackage(fn.Name()))
}
