package cfgpath

import "golang.org/x/tools/go/ssa"

// IsRangeFuncBody reports whether fn is the body of a range-over-func loop
// (for x := range seq { ... }), which go/ssa makes a synthetic function
// literal the iterator calls. It runs while the function around it runs:
// its returns are the loop's continue, break and the enclosing function's
// own returns, and its defers run when that function returns.
func IsRangeFuncBody(fn *ssa.Function) bool {
	return fn != nil && fn.Synthetic == "range-over-func yield"
}

// EnclosingFunc returns fn or, for the body of a range-over-func loop
// (through nested ones), the function the loop is in: the one whose return
// runs the body's defers, and that a reader sees the body as part of.
func EnclosingFunc(fn *ssa.Function) *ssa.Function {
	for IsRangeFuncBody(fn) && fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}
