// Package ownership follows one resource (a command, a process, a pipe end)
// through the SSA form of the function that holds it, and lists every place
// that uses it. The analyzers classify those uses: a use that waits, drains
// or closes the resource satisfies a rule; a use that hands it off (returns
// it, stores it in a field, global, map or slice, sends it on a channel,
// captures it in a closure, passes it to a function not known to only borrow
// it) makes it someone else's responsibility and ends tracking.
//
// It is the analyzers' one layer of value flow in SSA. Forward, a Walker
// steps from a value to its aliases (φ-nodes, conversions, type assertions,
// local variables, and closures if its client lets it) and tells its client
// every other use: Uses and CellUses for commands and pipes, ctxbreak's
// walker for contexts. Backward, Origins undoes the same steps, to the
// values something can be a copy of.
package ownership

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// UseKind says how an instruction uses the resource.
type UseKind int

const (
	Call    UseKind = iota // operand of a call: receiver, argument, or the function value itself
	Go                     // operand of a go statement's call
	Defer                  // operand of a defer statement's call
	Return                 // returned
	Store                  // stored into a field, global, map, slice element or unknown memory
	Send                   // sent on a channel
	Capture                // captured by a closure
	Field                  // a field of the resource is addressed or read (X of FieldAddr/Field)
	Compare                // compared (== or !=), typically with nil
	Other                  // any other use; treat as a hand-off
)

// A Use is one instruction that uses the resource.
type Use struct {
	Kind  UseKind
	Instr ssa.Instruction
	// Value is the alias of the resource that the instruction uses.
	Value ssa.Value
	// Common is the call of a Call, Go or Defer use.
	Common *ssa.CallCommon
	// Arg is the index in Common.Args, or -1 when Value is Common.Value
	// (the receiver of an invoke-mode call, or the function called).
	Arg int
	// Closure and FreeVar are the closure and its free variable (a cell
	// holding the resource) of a Capture use.
	Closure *ssa.Function
	FreeVar *ssa.FreeVar
	// Variadic is set when Value was packed into the slice go/ssa builds
	// for a variadic call's ... parameter: Common.Args[Arg] is that
	// slice, not Value.
	Variadic bool
	// OfCell is set when the use is of a captured variable's cell, its
	// address, rather than of the value it holds: &x stored or passed on
	// inside a closure that captures x.
	OfCell bool
}

// Pos returns the position of the use's instruction, or of its call.
func (u Use) Pos() token.Pos {
	if u.Common != nil && u.Common.Pos().IsValid() {
		return u.Common.Pos()
	}
	return u.Instr.Pos()
}

// Uses returns the uses of the resource whose value is v, following it
// through φ-nodes, conversions, type assertions and the cells of local
// variables captured by closures.
func Uses(v ssa.Value) []Use {
	var uses []Use
	w := Walker{Use: func(u Use) { uses = append(uses, u) }}
	w.Value(v)
	return uses
}

// CellUses returns the uses of the resource held in a variable cell: an Alloc
// or a closure's FreeVar. Loads are followed; stores re-assign the variable
// and are not uses.
func CellUses(cell ssa.Value) []Use {
	var uses []Use
	w := Walker{Use: func(u Use) { uses = append(uses, u) }}
	w.Cell(cell)
	return uses
}

// IsLocalCell reports whether addr is a local variable's cell whose address
// never leaves the function except into closures: an Alloc used only by loads,
// stores into it and closure bindings, or a closure's FreeVar.
func IsLocalCell(addr ssa.Value) bool {
	switch a := addr.(type) {
	case *ssa.FreeVar:
		return true
	case *ssa.Alloc:
		for _, instr := range Refs(a) {
			switch in := instr.(type) {
			case *ssa.UnOp:
				if in.Op != token.MUL {
					return false
				}
			case *ssa.Store:
				if in.Addr != a {
					return false
				}
			case *ssa.MakeClosure, *ssa.DebugRef:
			default:
				return false
			}
		}
		return true
	}
	return false
}

// IsHandoff reports whether a use, by its kind alone, gives the resource to
// someone else: returned, stored, sent, captured, or used in an unknown way.
// Calls are decided by the caller, from the callee's facts.
func (u Use) IsHandoff() bool {
	switch u.Kind {
	case Return, Store, Send, Capture, Other:
		return true
	}
	return false
}

// SliceStoredInto returns the store of the slice whose backing array addr
// indexes into a struct field (cmd.ExtraFiles = []*os.File{w}), or nil.
func SliceStoredInto(addr ssa.Value) *ssa.Store {
	ia, ok := addr.(*ssa.IndexAddr)
	if !ok {
		return nil
	}
	arr, ok := ia.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	for _, r := range Refs(arr) {
		sl, ok := r.(*ssa.Slice)
		if !ok {
			continue
		}
		for _, rr := range Refs(sl) {
			if st, ok := rr.(*ssa.Store); ok && st.Val == sl {
				if _, ok := st.Addr.(*ssa.FieldAddr); ok {
					return st
				}
			}
		}
	}
	return nil
}

// OnlyKept reports whether v is kept for later and nothing uses it now:
// each of its uses (there must be one) hands it off into storage that
// outlives the function's use of it. It is returned, sent on a channel, or
// stored into a field, a global, a map or a slice element, or into a struct
// or array literal made here (&T{F: v}, []T{v}) that is itself only kept.
// A call, a capture, a field of it read: a use now.
func OnlyKept(v ssa.Value) bool { return onlyKept(v, 0) }

func onlyKept(v ssa.Value, depth int) bool {
	uses := Uses(v)
	if len(uses) == 0 || depth > 3 {
		return false
	}
	for _, u := range uses {
		switch u.Kind {
		case Return, Send:
		case Store:
			// &T{Source: v}, []T{v}: kept if the literal is.
			if st, ok := u.Instr.(*ssa.Store); ok {
				var lit ssa.Value
				switch addr := st.Addr.(type) {
				case *ssa.FieldAddr:
					lit = addr.X
				case *ssa.IndexAddr:
					lit = addr.X
				}
				if alloc, ok := lit.(*ssa.Alloc); ok && !onlyKept(alloc, depth+1) {
					return false
				}
			}
		case Field:
			// The literal's fields being set, not read.
			fa, ok := u.Instr.(*ssa.FieldAddr)
			if !ok {
				return false
			}
			for _, r := range Refs(fa) {
				if st, ok := r.(*ssa.Store); !ok || st.Addr != fa {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}
