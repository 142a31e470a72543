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
	// see (a parameter, a field): the goroutine is then not judged.
	Protected bool
	// RunsUnderRecover: bit i is set when the function calls its func
	// parameter i (the receiver of a method being parameter 0) under its
	// own deferred recover, or hands it to a function that does.
	RunsUnderRecover uint64
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
	return "panics(" + strings.Join(parts, " ") + ")"
}

// Empty reports whether the fact says nothing.
func (f *RecoverFact) Empty() bool { return *f == RecoverFact{} }
