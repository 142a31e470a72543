package main

import (
	"fmt"
	"runtime/debug"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// Neither go/analysis/checker nor unitchecker recovers a panic in an
// analyzer: it happens on one of their goroutines and kills the process,
// losing every other package's findings. lifeguard promises that an internal
// failure is an error for that package, never a crash, so guardPanics wraps
// each analyzer's Run (and those of the analyzers it requires) to turn a
// panic into an error. The checker then reports that error for the one
// (analyzer, package) action, and marks only the actions that depend on it
// as failed.
//
// The analyzers are shared values, so this changes them for the whole
// process; that is what the binary wants, in both of its modes.

var (
	guardedMu sync.Mutex
	guarded   = make(map[*analysis.Analyzer]bool)
)

// guardPanics makes the analyzers, and all they require, recover from panics.
// It is idempotent.
func guardPanics(analyzers []*analysis.Analyzer) {
	guardedMu.Lock()
	defer guardedMu.Unlock()
	var guard func(a *analysis.Analyzer)
	guard = func(a *analysis.Analyzer) {
		if guarded[a] {
			return
		}
		guarded[a] = true
		run := a.Run
		a.Run = func(pass *analysis.Pass) (result any, err error) {
			defer func() {
				if r := recover(); r != nil {
					result = nil
					err = fmt.Errorf("internal error: panic: %v\n%s", r, panicStack(debug.Stack()))
				}
			}()
			return run(pass)
		}
		for _, req := range a.Requires {
			guard(req)
		}
	}
	for _, a := range analyzers {
		guard(a)
	}
}

// panicStack trims a stack taken in guardPanics' deferred recover to the
// frames that matter for a bug report: from the one that panicked down to
// the analyzer's Run, without the recovery machinery above them or the
// checker's goroutine plumbing below.
func panicStack(stack []byte) string {
	lines := strings.Split(strings.TrimSuffix(string(stack), "\n"), "\n")
	start, end := 0, len(lines)
	for i, line := range lines {
		if strings.HasPrefix(line, "panic(") && start == 0 {
			start = min(i+2, len(lines)) // the call to panic and its file:line
		} else if start > 0 && strings.Contains(line, ".guardPanics.func") {
			end = i
			break
		}
	}
	return strings.Join(lines[start:end], "\n")
}
