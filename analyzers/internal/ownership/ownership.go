// Package ownership follows one resource (a command, a process, a pipe end)
// through the SSA form of the function that holds it, and lists every place
// that uses it. The analyzers classify those uses: a use that waits, drains
// or closes the resource satisfies a rule; a use that hands it off (returns
// it, stores it in a field, global, map or slice, sends it on a channel,
// captures it in a closure, passes it to a function not known to only borrow
// it) makes it someone else's responsibility and ends tracking.
package ownership

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
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
	w := walker{seen: map[ssa.Value]bool{}, seenStores: map[*ssa.Store]bool{}}
	w.value(v)
	return w.uses
}

// CellUses returns the uses of the resource held in a variable cell: an Alloc
// or a closure's FreeVar. Loads are followed; stores re-assign the variable
// and are not uses.
func CellUses(cell ssa.Value) []Use {
	w := walker{seen: map[ssa.Value]bool{}, seenStores: map[*ssa.Store]bool{}}
	w.cell(cell)
	return w.uses
}

type walker struct {
	seen       map[ssa.Value]bool
	seenStores map[*ssa.Store]bool
	uses       []Use
}

func (w *walker) add(u Use) { w.uses = append(w.uses, u) }

func (w *walker) value(v ssa.Value) {
	if v == nil || w.seen[v] {
		return
	}
	w.seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, instr := range *refs {
		w.instr(v, instr)
	}
}

func (w *walker) instr(v ssa.Value, instr ssa.Instruction) {
	switch in := instr.(type) {
	case *ssa.DebugRef:
	case *ssa.Phi:
		w.value(in)
	case *ssa.ChangeType:
		w.value(in)
	case *ssa.ChangeInterface:
		w.value(in)
	case *ssa.MakeInterface:
		w.value(in)
	case *ssa.TypeAssert:
		if !in.CommaOk {
			w.value(in)
			return
		}
		for _, r := range refs(in) {
			if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
				w.value(ex)
			}
		}
	case *ssa.Call:
		w.call(Call, v, in, &in.Call)
	case *ssa.Go:
		w.call(Go, v, in, &in.Call)
	case *ssa.Defer:
		w.call(Defer, v, in, &in.Call)
	case *ssa.Return:
		w.add(Use{Kind: Return, Instr: in, Value: v})
	case *ssa.Send:
		if in.X == v {
			w.add(Use{Kind: Send, Instr: in, Value: v})
		} else {
			w.add(Use{Kind: Other, Instr: in, Value: v})
		}
	case *ssa.Store:
		if in.Val != v {
			// v is the address stored through: *v = x. The resource is
			// being initialised or overwritten, not handed off.
			return
		}
		if IsLocalCell(in.Addr) {
			w.storedCell(in)
			return
		}
		if call, c, arg := variadicCall(in.Addr); call != nil {
			// fmt.Println(cmd): the resource is packed into the
			// variadic slice of one call; that call is the use.
			w.add(Use{Kind: kindOf(call), Instr: call, Value: v, Common: c, Arg: arg})
			return
		}
		w.add(Use{Kind: Store, Instr: in, Value: v})
	case *ssa.MapUpdate:
		w.add(Use{Kind: Store, Instr: in, Value: v})
	case *ssa.MakeClosure:
		w.capture(v, in)
	case *ssa.FieldAddr:
		if in.X == v {
			w.add(Use{Kind: Field, Instr: in, Value: v})
			return
		}
		w.add(Use{Kind: Other, Instr: in, Value: v})
	case *ssa.Field:
		w.add(Use{Kind: Field, Instr: in, Value: v})
	case *ssa.BinOp:
		if in.Op == token.EQL || in.Op == token.NEQ {
			w.add(Use{Kind: Compare, Instr: in, Value: v})
			return
		}
		w.add(Use{Kind: Other, Instr: in, Value: v})
	case *ssa.If, *ssa.Jump, *ssa.RunDefers:
	default:
		w.add(Use{Kind: Other, Instr: instr, Value: v})
	}
}

func (w *walker) call(kind UseKind, v ssa.Value, instr ssa.Instruction, c *ssa.CallCommon) {
	if c.Value == v {
		w.add(Use{Kind: kind, Instr: instr, Value: v, Common: c, Arg: -1})
	}
	for i, a := range c.Args {
		if a == v {
			w.add(Use{Kind: kind, Instr: instr, Value: v, Common: c, Arg: i})
		}
	}
}

func (w *walker) capture(v ssa.Value, mc *ssa.MakeClosure) {
	fn, _ := mc.Fn.(*ssa.Function)
	for i, b := range mc.Bindings {
		if b != v {
			continue
		}
		u := Use{Kind: Capture, Instr: mc, Value: v, Closure: fn}
		if fn != nil && i < len(fn.FreeVars) {
			u.FreeVar = fn.FreeVars[i]
		}
		w.add(u)
	}
}

// storedCell follows the loads of a local variable's cell that can observe
// the value st stores: when the variable is re-assigned (cmd = exec.Command
// twice), a load after the second store sees the second command, not this one.
func (w *walker) storedCell(st *ssa.Store) {
	cell := st.Addr
	var others []ssa.Instruction
	for _, r := range refs(cell) {
		if o, ok := r.(*ssa.Store); ok && o != st && o.Addr == cell {
			others = append(others, o)
		}
	}
	if len(others) == 0 {
		w.cell(cell)
		return
	}
	if w.seenStores[st] {
		return
	}
	w.seenStores[st] = true
	reassigned := func(in ssa.Instruction) bool {
		for _, o := range others {
			if in == o {
				return true
			}
		}
		return false
	}
	for _, instr := range refs(cell) {
		if instr.Block() == nil || instr.Parent() != st.Parent() {
			continue
		}
		switch in := instr.(type) {
		case *ssa.UnOp:
			if in.Op == token.MUL && cfgpath.Reaches(st, in, reassigned) {
				w.value(in)
			}
		case *ssa.MakeClosure:
			if cfgpath.Reaches(st, in, nil) || cfgpath.Precedes(in, st) {
				w.capture(cell, in)
			}
		}
	}
}

// cell follows the loads of a variable cell.
func (w *walker) cell(cell ssa.Value) {
	if w.seen[cell] {
		return
	}
	w.seen[cell] = true
	for _, instr := range refs(cell) {
		switch in := instr.(type) {
		case *ssa.UnOp:
			if in.Op == token.MUL {
				w.value(in)
			}
		case *ssa.Store:
			if in.Addr != cell {
				w.add(Use{Kind: Store, Instr: in, Value: cell})
			}
		case *ssa.MakeClosure:
			w.capture(cell, in)
		case *ssa.DebugRef:
		default:
			w.add(Use{Kind: Other, Instr: instr, Value: cell})
		}
	}
}

// IsLocalCell reports whether addr is a local variable's cell whose address
// never leaves the function except into closures: an Alloc used only by loads,
// stores into it and closure bindings, or a closure's FreeVar.
func IsLocalCell(addr ssa.Value) bool {
	switch a := addr.(type) {
	case *ssa.FreeVar:
		return true
	case *ssa.Alloc:
		for _, instr := range refs(a) {
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

func refs(v ssa.Value) []ssa.Instruction {
	if r := v.Referrers(); r != nil {
		return *r
	}
	return nil
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

// variadicCall recognises a store into the backing array of the slice that
// go/ssa builds for a variadic call's ... parameter and returns that call.
func variadicCall(addr ssa.Value) (ssa.Instruction, *ssa.CallCommon, int) {
	ia, ok := addr.(*ssa.IndexAddr)
	if !ok {
		return nil, nil, 0
	}
	arr, ok := ia.X.(*ssa.Alloc)
	if !ok {
		return nil, nil, 0
	}
	var slice *ssa.Slice
	for _, r := range refs(arr) {
		switch r := r.(type) {
		case *ssa.IndexAddr:
		case *ssa.Slice:
			if slice != nil {
				return nil, nil, 0
			}
			slice = r
		default:
			return nil, nil, 0
		}
	}
	if slice == nil || len(refs(slice)) != 1 {
		return nil, nil, 0
	}
	user := refs(slice)[0]
	var c *ssa.CallCommon
	switch u := user.(type) {
	case *ssa.Call:
		c = &u.Call
	case *ssa.Go:
		c = &u.Call
	case *ssa.Defer:
		c = &u.Call
	default:
		return nil, nil, 0
	}
	sig := c.Signature()
	if sig == nil || !sig.Variadic() || len(c.Args) == 0 || c.Args[len(c.Args)-1] != slice {
		return nil, nil, 0
	}
	return user, c, len(c.Args) - 1
}

func kindOf(instr ssa.Instruction) UseKind {
	switch instr.(type) {
	case *ssa.Go:
		return Go
	case *ssa.Defer:
		return Defer
	}
	return Call
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
	for _, r := range refs(arr) {
		sl, ok := r.(*ssa.Slice)
		if !ok {
			continue
		}
		for _, rr := range refs(sl) {
			if st, ok := rr.(*ssa.Store); ok && st.Val == sl {
				if _, ok := st.Addr.(*ssa.FieldAddr); ok {
					return st
				}
			}
		}
	}
	return nil
}
