package panicerr

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

//go:noinline
func explode(v any) { panic(v) }

//go:noinline
func outOfRange(xs []int) int { return xs[len(xs)] }

func caught(context string, f func()) (err error) {
	defer Catch(&err, context)()
	f()
	return nil
}

func TestCatch(t *testing.T) {
	err := caught("ctxbreak in example.com/p", func() { explode("boom") })
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an *Error", err)
	}
	if e.Value != "boom" || e.Context != "ctxbreak in example.com/p" {
		t.Errorf("got value %v, context %q", e.Value, e.Context)
	}
	if want := "ctxbreak in example.com/p: internal error: panic: boom\n"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q does not start with %q", err.Error(), want)
	}
	// From the panicking frame down to the function given to caught:
	// neither the recovery machinery above nor caught and the test below.
	lines := strings.Split(e.Stack, "\n")
	if len(lines) != 4 {
		t.Fatalf("want 2 frames, got:\n%s", e.Stack)
	}
	if !strings.HasPrefix(lines[0], "github.com/lifeguard-go/lifeguard/analyzers/internal/panicerr.explode(") ||
		!strings.HasPrefix(lines[2], "github.com/lifeguard-go/lifeguard/analyzers/internal/panicerr.TestCatch.func1(") ||
		!strings.HasPrefix(lines[1], "\t") || !strings.Contains(lines[1], "panicerr_test.go:") {
		t.Errorf("the stack is not explode's and the literal's:\n%s", e.Stack)
	}

	if err := caught("", func() {}); err != nil {
		t.Errorf("no panic, got %v", err)
	}
}

// A runtime error: the runtime's helpers (goPanicIndex) are not frames of
// the code that failed.
func TestCatchRuntimeError(t *testing.T) {
	err := caught("", func() { outOfRange(nil) })
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an *Error", err)
	}
	if _, ok := e.Value.(runtime.Error); !ok {
		t.Errorf("the value is a %T, want the runtime.Error", e.Value)
	}
	if !strings.HasPrefix(err.Error(), "internal error: panic: runtime error: index out of range") {
		t.Errorf("message: %s", err)
	}
	if !strings.HasPrefix(e.Stack, "github.com/lifeguard-go/lifeguard/analyzers/internal/panicerr.outOfRange(") {
		t.Errorf("the stack does not start at outOfRange:\n%s", e.Stack)
	}
}

// A panic in the function that catches it: its own frame is the stack.
func TestCatchOwnPanic(t *testing.T) {
	err := selfPanic(nil)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an *Error", err)
	}
	if !strings.HasPrefix(e.Stack, "github.com/lifeguard-go/lifeguard/analyzers/internal/panicerr.selfPanic(") || strings.Count(e.Stack, "\n") != 1 {
		t.Errorf("the stack is not selfPanic's frame:\n%s", e.Stack)
	}
}

//go:noinline
func selfPanic(xs []int) (err error) {
	defer Catch(&err, "self")()
	xs[0] = 1 // index out of range
	return nil
}

// An *Error panicked with again (lazyssa's Take re-panics a failed build in
// each consumer) keeps its value and stack, with the new context first.
func TestCatchRepanic(t *testing.T) {
	first := caught("building SSA for example.com/p", func() { explode("bad AST") })
	err := caught("cmdwait in example.com/p", func() { panic(first) })
	want := "cmdwait in example.com/p: building SSA for example.com/p: internal error: panic: bad AST\n"
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %q, want it to start with %q", err.Error(), want)
	}
	if strings.Count(err.Error(), "internal error") != 1 || !strings.Contains(err.Error(), "panicerr.explode(") {
		t.Errorf("the first stack is not kept as it was:\n%s", err)
	}
}

func TestGuard(t *testing.T) {
	wrappers := func() int {
		n := 0
		for _, f := range framesOf() {
			if strings.Contains(f.Function, "panicerr.Guard.") {
				n++
			}
		}
		return n
	}
	var depth int
	req := &analysis.Analyzer{Name: "req", Doc: "panics", Run: func(*analysis.Pass) (any, error) { explode("req"); return nil, nil }}
	a := &analysis.Analyzer{
		Name:     "a",
		Doc:      "counts its wrappers",
		Requires: []*analysis.Analyzer{req},
		Run: func(*analysis.Pass) (any, error) {
			depth = wrappers()
			return "result", nil
		},
	}
	list := []*analysis.Analyzer{a}
	Guard(list)
	Guard(list) // idempotent: not wrapped twice

	res, err := a.Run(&analysis.Pass{})
	if res != "result" || err != nil {
		t.Errorf("a guarded Run that does not panic returned %v, %v", res, err)
	}
	if depth != 1 {
		t.Errorf("Run is wrapped %d times, want once", depth)
	}
	// What the analyzer requires is guarded too.
	res, err = req.Run(&analysis.Pass{})
	if res != nil || err == nil || !strings.HasPrefix(err.Error(), "internal error: panic: req\n") {
		t.Errorf("the required analyzer's panic gave %v, %v", res, err)
	}
}

func framesOf() []runtime.Frame { return frames(1) }
