package facts

import (
	"fmt"
	"strings"
)

// RecoverFact is handlerrecover's fact about a function and panics.
type RecoverFact struct {
	// Recovers: the function calls recover() itself, so `defer f()`
	// stops a panic (recover works only when the deferred function calls
	// it directly).
	Recovers bool
	// Protected: the function defers a recovering function, or runs its
	// body through a recovering wrapper, so it is safe as the body of a
	// goroutine. Also set when it defers a function value lifeguard cannot
	// see (a parameter, a field): the goroutine is then not judged. Also
	// set for a starter: a function that does only standard-library work
	// and starts its func parameters in goroutines that recover (never
	// calling them itself), like func Go(f func()) { go func() { defer
	// logPanic(); f() }() }: as the body of a goroutine it cannot panic.
	Protected bool
	// RunsUnderRecover: bit i is set when the function calls its func
	// parameter i (the receiver of a method being parameter 0) under its
	// own deferred recover, or hands it to a function that does.
	RunsUnderRecover uint64
	// StartsUnderRecover: bit i is set when the function starts its func
	// parameter i in a new goroutine under a deferred recover (or hands it
	// to a function that does), and neither calls it itself nor keeps it.
	StartsUnderRecover uint64
}

func (*RecoverFact) AFact() {}

func (f *RecoverFact) String() string {
	var parts []string
	if f.Recovers {
		parts = append(parts, "recovers")
	}
	if f.Protected {
		parts = append(parts, "protected")
	}
	if f.RunsUnderRecover != 0 {
		parts = append(parts, fmt.Sprintf("runs%v", bitList(f.RunsUnderRecover)))
	}
	if f.StartsUnderRecover != 0 {
		parts = append(parts, fmt.Sprintf("starts%v", bitList(f.StartsUnderRecover)))
	}
	return "panics(" + strings.Join(parts, " ") + ")"
}

// Empty reports whether the fact says nothing.
func (f *RecoverFact) Empty() bool { return *f == RecoverFact{} }
