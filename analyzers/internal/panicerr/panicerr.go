// Package panicerr turns a panic in analysis code into an error for the one
// package being analyzed. lifeguard promises that an internal failure is an
// error for that package, never a crash; but neither go/analysis/checker
// nor unitchecker recovers a panic in an analyzer: it happens on one of
// their goroutines and kills the process, losing every other package's
// findings. So the places that run analysis code (lazyssa.Run for
// lifeguard's analyzers, the bundle for the analyzers it wraps, the binary
// for every analyzer it runs, through suite.GuardPanics) catch panics here,
// all alike: an *Error, whose message names the panic and the stack from
// the panicking frame down to the code that caught it.
package panicerr

import (
	"fmt"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// An Error is a panic caught by Catch.
type Error struct {
	// Context says what was running ("ctxbreak in example.com/p"), or "".
	Context string
	// Value is what was given to panic.
	Value any
	// Stack lists the frames from the one that panicked down to the one
	// whose deferred Catch caught it, not included; one "function(...)"
	// line and one tab-indented "file:line" line each.
	Stack string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("internal error: panic: %v\n%s", e.Value, e.Stack)
	if e.Context != "" {
		msg = e.Context + ": " + msg
	}
	return msg
}

// Catch returns a function to defer, in the function whose panics are to
// become errors, at once:
//
//	defer panicerr.Catch(&err, "what runs")()
//
// If a panic then unwinds to that function, it returns with *err set to an
// *Error (and its other results as they were). A panic whose value is
// already an *Error (caught once, and panicked with again) keeps its value
// and stack, and gets the context in front of its own. Catch must be called
// where the returned function is deferred: it notes which function that is,
// where the Error's stack ends. It runs on every analysis of every package,
// so it notes one program counter and walks the stack only on a panic.
func Catch(err *error, context string) func() {
	var at [1]uintptr
	runtime.Callers(2, at[:]) // a return address in the caller of Catch
	return func() {
		r := recover()
		if r == nil {
			return
		}
		if e, ok := r.(*Error); ok {
			caught := *e
			if context != "" {
				caught.Context = strings.TrimSuffix(context+": "+caught.Context, ": ")
			}
			*err = &caught
			return
		}
		catcher := ""
		if f := runtime.FuncForPC(at[0]); f != nil {
			catcher = f.Name()
		}
		*err = &Error{Context: context, Value: r, Stack: stack(frames(1), catcher)}
	}
}

// frames returns the logical frames (inlined calls expanded) of the calling
// goroutine, skipping the first skip of them (0: frames itself).
func frames(skip int) []runtime.Frame {
	var out []runtime.Frame
	it := runtime.CallersFrames(callers(skip + 1))
	for {
		f, more := it.Next()
		out = append(out, f)
		if !more {
			return out
		}
	}
}

// callers returns the program counters of the calling goroutine's stack,
// skipping the first skip frames (0: callers itself).
func callers(skip int) []uintptr {
	pcs := make([]uintptr, 64)
	for {
		n := runtime.Callers(skip+1, pcs)
		if n < len(pcs) {
			return pcs[:n]
		}
		pcs = make([]uintptr, 2*len(pcs))
	}
}

// stack formats the frames of a panic being recovered, taken in the
// deferred function, from the one that panicked (the first after the
// runtime's panic machinery and the runtime's own helpers, such as the
// index check's) down to the frame of catcher, the function that deferred
// the recovering function, not included.
func stack(fs []runtime.Frame, catcher string) string {
	start := 0
	for i, f := range fs {
		if f.Function == "runtime.gopanic" {
			start = i + 1
			break
		}
	}
	for start < len(fs) && strings.HasPrefix(fs[start].Function, "runtime.") {
		start++
	}
	end := len(fs)
	for i := start; i < len(fs); i++ {
		if fs[i].Function == catcher {
			end = i
			break
		}
	}
	if end <= start {
		// The catching function panicked itself: its frame is the
		// panicking one.
		end = min(start+1, len(fs))
	}
	var b strings.Builder
	for _, f := range fs[start:end] {
		fmt.Fprintf(&b, "%s(...)\n\t%s:%d\n", f.Function, f.File, f.Line)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var (
	guardedMu sync.Mutex
	guarded   = make(map[*analysis.Analyzer]bool)
)

// Guard makes the analyzers, and all they require, return a panic in their
// Run as an *Error for that (analyzer, package): the checker then reports
// that error for the one action, and fails only the actions that depend on
// it. The analyzers are shared values, so this changes them for the whole
// process; it is for drivers (the binary) that want it in all their modes.
// Guard is idempotent: an analyzer is wrapped once.
func Guard(analyzers []*analysis.Analyzer) {
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
			// No context: the checker names the analyzer and the
			// package of a failed action.
			defer Catch(&err, "")()
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
