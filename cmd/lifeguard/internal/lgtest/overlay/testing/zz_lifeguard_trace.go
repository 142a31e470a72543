//go:build ignore

// This file is added to package testing by the overlay of "lifeguard test"
// (github.com/lifeguard-go/lifeguard, cmd/lifeguard/internal/lgtest/overlay);
// it exists only in test builds made that way. The "//go:build ignore" line
// above is dropped when the overlay is written.
//
// It runs lifeguard test's automatic check of every test binary:
// runtimecheck's own code, built into the standard library as package
// testing/internal (the files of runtimecheck that do not import testing),
// driven from the lines inserted into testing.go:
//
//	(*M).Run                 defer lifeguardAutoRunDone()
//	(*M).Run, at m.before()  lifeguardAutoRunStart(m): the baseline
//	tRunner, at t.start      lifeguardAutoTestStart(t)
//	tRunner, at t.report()   lifeguardAutoTestEnd(t), after the test's cleanups
//
// and from os.Exit, which reports (see runtimecheck's auto.go).
package testing

import (
	"os"
	"sync"
	lifeguardauto "testing/internal"
)

var lifeguardAutoState struct {
	mu      sync.Mutex
	checked map[*common]bool // top-level tests that called runtimecheck.Check
}

// lifeguardAutoTop returns the top-level test of c, nil for the root and
// for synctest bubbles.
func lifeguardAutoTop(c *common) *common {
	for c != nil && c.parent != nil && c.parent.parent != nil {
		if c.isSynctest {
			return nil
		}
		c = c.parent
	}
	if c == nil || c.parent == nil || c.isSynctest {
		return nil
	}
	return c
}

// LifeguardAutoChecked is called by runtimecheck.Check under lifeguard
// test: what appears while t's top-level test runs is Check's to report.
func LifeguardAutoChecked(t *T) {
	top := lifeguardAutoTop(&t.common)
	if top == nil {
		return
	}
	s := &lifeguardAutoState
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.checked == nil {
		s.checked = make(map[*common]bool)
	}
	s.checked[top] = true
}

// LifeguardAutoVerifyTestMain is called by runtimecheck.VerifyTestMain
// under lifeguard test: the package's check is VerifyTestMain's.
func LifeguardAutoVerifyTestMain() { lifeguardauto.LifeguardAutoVerifiedMain() }

func lifeguardAutoRunStart(m *M) {
	if *isFuzzWorker {
		return
	}
	lifeguardauto.LifeguardAutoMainStart(m.deps.ImportPath())
	os.LifeguardTraceOnExit(lifeguardauto.LifeguardAutoExit)
}

func lifeguardAutoRunDone() { lifeguardauto.LifeguardAutoMainDone() }

func lifeguardAutoTestStart(t *T) {
	if t.parent != nil && t.parent.parent == nil && !t.isSynctest {
		lifeguardauto.LifeguardAutoTestStart(t.name)
	}
}

func lifeguardAutoTestEnd(t *T) {
	if t.parent == nil || t.parent.parent != nil || t.isSynctest {
		return
	}
	s := &lifeguardAutoState
	s.mu.Lock()
	checked := s.checked[&t.common]
	delete(s.checked, &t.common)
	s.mu.Unlock()
	lifeguardauto.LifeguardAutoTestEnd(t.name, t.isParallel, checked)
}
