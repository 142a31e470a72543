package ownership

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// SameValue reports whether a and b denote the same thing by how they are
// computed: the same SSA value, equal constants, or the same operation
// (a load, a field, an element, a conversion) of the same operands. Two
// loads of s.group in one function are the same group; two calls are never
// the same value. It does not ask whether a store can come between two
// loads: callers use it for the identity of a receiver, a map or a key, not
// for what a variable holds.
func SameValue(a, b ssa.Value) bool { return sameValue(a, b, nil, 0) }

// SameValueIn is SameValue for a computed in a closure and b outside it:
// outer maps a value of the closure that comes from outside (a free
// variable, a parameter of a go statement's literal) to the value it
// stands for there, or returns nil.
func SameValueIn(a, b ssa.Value, outer func(ssa.Value) ssa.Value) bool {
	return sameValue(a, b, outer, 0)
}

func sameValue(a, b ssa.Value, outer func(ssa.Value) ssa.Value, depth int) bool {
	if a == b {
		return a != nil
	}
	if a == nil || b == nil || depth > 8 {
		return false
	}
	if outer != nil {
		if o := outer(a); o != nil {
			return sameValue(o, b, nil, depth+1)
		}
	}
	depth++
	switch a := a.(type) {
	case *ssa.Const:
		b, ok := b.(*ssa.Const)
		if !ok {
			return false
		}
		if a.Value == nil || b.Value == nil {
			// nil, or the zero value of a struct or array type.
			return a.Value == nil && b.Value == nil && types.Identical(a.Type(), b.Type())
		}
		return a.Value.Kind() == b.Value.Kind() && constant.Compare(a.Value, token.EQL, b.Value)
	case *ssa.UnOp:
		b, ok := b.(*ssa.UnOp)
		return ok && a.Op == b.Op && a.Op == token.MUL && sameValue(a.X, b.X, outer, depth)
	case *ssa.FieldAddr:
		b, ok := b.(*ssa.FieldAddr)
		return ok && a.Field == b.Field && sameValue(a.X, b.X, outer, depth)
	case *ssa.Field:
		b, ok := b.(*ssa.Field)
		return ok && a.Field == b.Field && sameValue(a.X, b.X, outer, depth)
	case *ssa.IndexAddr:
		b, ok := b.(*ssa.IndexAddr)
		return ok && sameValue(a.X, b.X, outer, depth) && sameValue(a.Index, b.Index, outer, depth)
	case *ssa.Index:
		b, ok := b.(*ssa.Index)
		return ok && sameValue(a.X, b.X, outer, depth) && sameValue(a.Index, b.Index, outer, depth)
	case *ssa.ChangeType:
		b, ok := b.(*ssa.ChangeType)
		return ok && sameValue(a.X, b.X, outer, depth)
	case *ssa.MakeInterface:
		b, ok := b.(*ssa.MakeInterface)
		return ok && sameValue(a.X, b.X, outer, depth)
	case *ssa.ChangeInterface:
		b, ok := b.(*ssa.ChangeInterface)
		return ok && sameValue(a.X, b.X, outer, depth)
	case *ssa.Convert:
		b, ok := b.(*ssa.Convert)
		return ok && sameValue(a.X, b.X, outer, depth)
	}
	return false
}
