package ownership

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// This file looks backward: what can a value be? It undoes the steps a
// Walker takes forward (φ-nodes, conversions, type assertions, local
// variables, closures' free variables) to the values that start a flow.

// Origins calls yield with each value v may be a copy of: going back through
// φ-nodes, conversions, type assertions (the value result of a comma-ok one
// too), the loads of local variables (to what is stored there; for a
// closure's free variable, also in the cells bound to it) and free
// variables (to the values bound to them). What yield is given starts a
// flow: a call, a parameter, a constant, a global, or a load or free
// variable whose stores or bindings are not to be seen (none, or not a
// local variable's).
//
// seen holds the values visited, v's included; a caller that recurses
// through what it is given (a context derived from a context) passes its own
// map along, so that a cycle through both ends. A value already seen is
// skipped. Origins returns false as soon as yield does.
func Origins(v ssa.Value, seen map[ssa.Value]bool, yield func(ssa.Value) bool) bool {
	if v == nil || seen[v] {
		return true
	}
	seen[v] = true
	from := CopiedFrom(v)
	if len(from) == 0 {
		return yield(v)
	}
	for _, f := range from {
		if !Origins(f, seen, yield) {
			return false
		}
	}
	return true
}

// CopiedFrom returns the values v is a copy of, one step back (see Origins),
// or nil when v is none of those steps or its sources are not to be seen.
func CopiedFrom(v ssa.Value) []ssa.Value {
	switch v := v.(type) {
	case *ssa.Phi:
		return v.Edges
	case *ssa.ChangeType:
		return []ssa.Value{v.X}
	case *ssa.ChangeInterface:
		return []ssa.Value{v.X}
	case *ssa.MakeInterface:
		return []ssa.Value{v.X}
	case *ssa.TypeAssert:
		return []ssa.Value{v.X}
	case *ssa.Extract:
		if ta, ok := v.Tuple.(*ssa.TypeAssert); ok && v.Index == 0 {
			return []ssa.Value{ta.X}
		}
	case *ssa.UnOp:
		if v.Op == token.MUL && IsLocalCell(v.X) {
			return StoredValues(v.X)
		}
	case *ssa.FreeVar:
		return Bindings(v)
	}
	return nil
}

// StoredValues returns what is stored in the local variable cell: for an
// Alloc, its stores; for a closure's free variable, the stores into it in
// the closure and into the cells bound to it where the closure is made
// (for nested closures, up to the variable's own function). Nil when there
// are none.
func StoredValues(cell ssa.Value) []ssa.Value {
	var vals []ssa.Value
	for _, cl := range cellsOf(cell, 0) {
		for _, r := range Refs(cl) {
			if st, ok := r.(*ssa.Store); ok && st.Addr == cl {
				vals = append(vals, st.Val)
			}
		}
	}
	return vals
}

// maxClosureDepth bounds how many closures deep cellsOf looks for the
// variable a free variable stands for. Nesting is finite, so this only
// keeps a pathological program cheap.
const maxClosureDepth = 8

// cellsOf returns cell and, for a free variable, the values bound to it
// where its closure is made (recursively for nested closures).
func cellsOf(cell ssa.Value, depth int) []ssa.Value {
	fv, ok := cell.(*ssa.FreeVar)
	if !ok {
		return []ssa.Value{cell}
	}
	out := []ssa.Value{cell}
	if depth > maxClosureDepth {
		return out
	}
	for _, b := range Bindings(fv) {
		out = append(out, cellsOf(b, depth+1)...)
	}
	return out
}

// Bindings returns the values bound to the free variable fv where its
// closure is made: the captured variable's cell, or the value a method
// value binds.
func Bindings(fv *ssa.FreeVar) []ssa.Value {
	fn := fv.Parent()
	if fn == nil {
		return nil
	}
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	if idx < 0 {
		return nil
	}
	var out []ssa.Value
	for _, r := range Refs(fn) {
		if mc, ok := r.(*ssa.MakeClosure); ok && idx < len(mc.Bindings) {
			out = append(out, mc.Bindings[idx])
		}
	}
	return out
}
