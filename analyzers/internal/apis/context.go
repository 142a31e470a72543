package apis

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// ContextFunc returns the name of the package-level function of package
// context that fn is ("Background", "WithTimeout", ...), or "".
func ContextFunc(fn *types.Func) string {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "context" || RecvTypeName(fn) != "" {
		return ""
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Recv() != nil {
		return ""
	}
	return fn.Name()
}

// IsCancelling reports whether the context function name returns a cancel
// function that must be called: WithCancel, WithTimeout, WithDeadline and
// their Cause variants.
func IsCancelling(name string) bool {
	switch name {
	case "WithCancel", "WithTimeout", "WithDeadline",
		"WithCancelCause", "WithTimeoutCause", "WithDeadlineCause":
		return true
	}
	return false
}

// IsNewRoot reports whether the context function name makes a context with
// no parent: Background or TODO.
func IsNewRoot(name string) bool { return name == "Background" || name == "TODO" }

// IsContext reports whether t is context.Context itself.
func IsContext(t types.Type) bool { return IsNamed(t, "context", "Context") && types.IsInterface(t) }

// IsContextErrVar reports whether v is context.Canceled or
// context.DeadlineExceeded: a load of the variable, possibly converted to
// another interface type, as comparisons and errors.Is see it.
func IsContextErrVar(v ssa.Value) bool {
	if ci, ok := v.(*ssa.ChangeInterface); ok {
		v = ci.X
	}
	if mi, ok := v.(*ssa.MakeInterface); ok {
		v = mi.X
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	g, ok := load.X.(*ssa.Global)
	if !ok || g.Pkg == nil || g.Pkg.Pkg.Path() != "context" {
		return false
	}
	return g.Name() == "Canceled" || g.Name() == "DeadlineExceeded"
}
