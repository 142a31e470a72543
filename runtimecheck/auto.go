package runtimecheck

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// The automatic check of lifeguard test. Built into the standard library's
// testing package by lifeguard test's overlay (this file and the others of
// runtimecheck that do not import testing become package testing/internal
// there), it checks every test binary, whether its tests call runtimecheck
// or not. testing calls it:
//
//	autoMainStart   when (*testing.M).Run starts the tests: the baseline
//	autoTestStart   before each top-level test's function
//	autoTestEnd     after it and its cleanups, with whether it ran in
//	                parallel and whether it called runtimecheck.Check
//	autoMainDone    when (*testing.M).Run returns
//	autoExit        in os.Exit, after TestMain's own teardown
//
// A sequential top-level test runs alone, so what appeared while it ran and
// is still there when it ends is its own: the end of each such test notes
// those resources and the test. The report is made once, at exit, of what
// is still there then and was not at the baseline (a resource a later test
// or TestMain's teardown released was no leak), each with the test that
// made it: the Test function in the stack that made it (lifeguard test's
// records), else the sequential test during which it appeared.
//
// The check never fails a test nor changes the exit status: it writes
// runtimecheck's records for lifeguard test to join with the static
// findings, and a report on standard error. What appeared during a test
// that called runtimecheck.Check is that Check's to report, and a package
// whose TestMain calls VerifyTestMain is left to it.

// autoOffEnv turns the automatic check off when set to "off"
// (lifeguard test -lgtest.noauto).
const autoOffEnv = "LIFEGUARD_AUTO"

type autoChecker struct {
	mu       sync.Mutex
	sys      system
	cfg      *config
	w        io.Writer
	pkg      string
	off      bool
	base     *sample // at m.Run's start
	done     bool    // m.Run returned
	test     string  // the top-level test running, "" if none
	testBase *sample
	cmdlines map[procKey][]string
	seen     map[string]string // resource key -> the sequential test it appeared in
	checked  map[string]bool   // appeared in a test that called Check
}

var auto = &autoChecker{sys: defaultSystem, w: os.Stderr}

func (a *autoChecker) finder(base *sample) *finder {
	f := newFinder(a.sys, a.cfg, base)
	f.cmdlines = a.cmdlines
	return f
}

// autoMainStart takes the baseline; pkg is the package under test.
func autoMainStart(pkg string) {
	a := auto
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.base != nil || a.off {
		return // m.Run called again
	}
	if os.Getenv(autoOffEnv) == "off" {
		a.off = true
		return
	}
	a.pkg = testedPackage(pkg)
	a.cfg = newConfig([]Option{Descendants()})
	a.cmdlines = make(map[procKey][]string)
	a.seen = make(map[string]string)
	a.checked = make(map[string]bool)
	if a.sys == defaultSystem {
		enableSubreaper()
	}
	base, err := a.sys.read()
	if err != nil {
		a.off = true // unsupported, or /proc unreadable: nothing to check
		return
	}
	a.base = base
}

func autoTestStart(name string) {
	a := auto
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.base == nil || a.done {
		return
	}
	a.test, a.testBase = "", nil
	if s, err := a.sys.read(); err == nil {
		a.test, a.testBase = name, s
	}
}

func autoTestEnd(name string, parallel, checked bool) {
	a := auto
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.testBase == nil || a.test != name {
		return
	}
	base := a.testBase
	a.test, a.testBase = "", nil
	if parallel {
		return // other tests ran at the same time
	}
	cur, err := a.sys.read()
	if err != nil {
		return
	}
	f := a.finder(base)
	var now []candidate
	for _, c := range f.find(cur) {
		switch {
		case checked:
			a.checked[c.key()] = true
		case c.kind == KindProcess && c.descendant:
			// A descendant still running when its test is over: nothing
			// in the program holds it, nothing will end it.
			now = append(now, c)
		default:
			if _, ok := a.seen[c.key()]; !ok {
				a.seen[c.key()] = name
			}
		}
	}
	if len(now) > 0 {
		// The test may have ended on the pipe's EOF of a descendant
		// still exiting (a Run without WaitDelay returns when the
		// background job closes its stdout): only one that lasts is
		// left behind.
		now, err = f.settle(now, func(candidate) bool { return true })
		if err != nil {
			return
		}
	}
	for _, c := range now {
		a.checked[c.key()] = true
	}
	if len(now) > 0 {
		leaks, _ := f.describe(now)
		tests := make([]string, len(leaks))
		for i := range tests {
			tests[i] = name
		}
		a.report(leaks, tests)
	}
}

// report writes the records of leaks, each of the test in tests, and a
// report of them.
func (a *autoChecker) report(leaks []Leak, tests []string) {
	recs := make([]record, len(leaks))
	for i, l := range leaks {
		recs[i] = newRecord(tests[i], a.pkg, false, l)
		recs[i].Auto = true
	}
	if err := appendRecords(recs); err != nil {
		fmt.Fprintf(a.w, "lifeguard: the automatic check: %v\n", err)
	}
	fmt.Fprintln(a.w, formatLeaks("lifeguard: the automatic check of lifeguard test found that the tests of "+a.pkg+" leaked "+summary(leaks)+
		" (reported by lifeguard test; the tests' status is unchanged):", leaks, false))
}

func autoMainDone() {
	a := auto
	a.mu.Lock()
	a.done = true
	a.mu.Unlock()
}

// autoVerifiedMain leaves the package to VerifyTestMain.
func autoVerifiedMain() {
	a := auto
	a.mu.Lock()
	a.off = true
	a.mu.Unlock()
}

// autoExit reports what the tests left, once m.Run has returned; os.Exit
// calls it with the exit status, which it does not change.
func autoExit(int) {
	a := auto
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.off || !a.done || a.base == nil {
		return
	}
	a.off = true // once
	f := a.finder(a.base)
	f.skip = a.checked
	s := &Snapshot{f: f}
	leaks, keys, err := s.leaks()
	if err != nil {
		fmt.Fprintf(a.w, "lifeguard: the automatic check: %v\n", err)
		return
	}
	var reported []Leak
	var tests []string
	for i, l := range leaks {
		test := ""
		if l.Origin != nil {
			test = l.Origin.Test
		}
		if test == "" {
			test = a.seen[keys[i]]
		}
		tests = append(tests, test)
		reported = append(reported, l)
	}
	if len(reported) == 0 {
		return
	}
	a.report(reported, tests)
}
