package ownership

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
)

// A Walker follows a value forward through the SSA form and tells its client
// every use of it it finds. It steps from a value to the values that are the
// same thing under another name: φ-nodes, conversions, type assertions, the
// loads of a local variable the value is stored in (when the variable is
// assigned elsewhere too, only the loads that can see this store), and, when
// Enter lets it, the free variable of a closure that captures it. Every
// other use goes to Use.
//
// Uses and CellUses are Walkers that collect the uses and enter no closure:
// a closure that captures a resource has it handed off, and its analyzer
// looks inside with CellUses if it wants. ctxbreak's walker enters the
// closures that capture a context, and watches the values a context is
// merged with.
//
// A zero Walker with Use set is ready; it visits each value once, so one
// Walker can be given several values that share uses.
type Walker struct {
	// Use is told each use that is not a step of the walk.
	Use func(Use)
	// Merge, if not nil, is told the other values a followed value meets:
	// the other edges of a φ-node it flows into, the values of the other
	// stores into a local variable it is stored in. It is told each time
	// the walk gets there, from each followed value.
	Merge func(others []ssa.Value)
	// Enter, if not nil, is asked about each closure that captures a
	// followed value (a Capture use with Closure and FreeVar set). When
	// it returns true the walk goes on inside the closure, from the free
	// variable: the value itself when the closure was given the value (a
	// method value's receiver), the variable's cell when it captures a
	// variable; Use is not told of the capture.
	Enter func(Use) bool

	seen       map[ssa.Value]bool
	seenStores map[*ssa.Store]bool
}

func (w *Walker) init() {
	if w.seen == nil {
		w.seen = map[ssa.Value]bool{}
		w.seenStores = map[*ssa.Store]bool{}
	}
}

// Value follows the uses of v.
func (w *Walker) Value(v ssa.Value) {
	w.init()
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

func (w *Walker) instr(v ssa.Value, instr ssa.Instruction) {
	switch in := instr.(type) {
	case *ssa.DebugRef:
	case *ssa.Phi:
		if w.Merge != nil {
			var others []ssa.Value
			for _, e := range in.Edges {
				if e != v {
					others = append(others, e)
				}
			}
			if len(others) > 0 {
				w.Merge(others)
			}
		}
		w.Value(in)
	case *ssa.ChangeType:
		w.Value(in)
	case *ssa.ChangeInterface:
		w.Value(in)
	case *ssa.MakeInterface:
		w.Value(in)
	case *ssa.TypeAssert:
		if !in.CommaOk {
			w.Value(in)
			return
		}
		for _, r := range Refs(in) {
			if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
				w.Value(ex)
			}
		}
	case *ssa.Call:
		w.call(Call, v, in, &in.Call)
	case *ssa.Go:
		w.call(Go, v, in, &in.Call)
	case *ssa.Defer:
		w.call(Defer, v, in, &in.Call)
	case *ssa.Return:
		w.Use(Use{Kind: Return, Instr: in, Value: v})
	case *ssa.Send:
		if in.X == v {
			w.Use(Use{Kind: Send, Instr: in, Value: v})
		} else {
			w.Use(Use{Kind: Other, Instr: in, Value: v})
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
			w.Use(Use{Kind: kindOf(call), Instr: call, Value: v, Common: c, Arg: arg, Variadic: true})
			return
		}
		w.Use(Use{Kind: Store, Instr: in, Value: v})
	case *ssa.MapUpdate:
		w.Use(Use{Kind: Store, Instr: in, Value: v})
	case *ssa.MakeClosure:
		w.capture(v, in, false)
	case *ssa.FieldAddr:
		if in.X == v {
			w.Use(Use{Kind: Field, Instr: in, Value: v})
			return
		}
		w.Use(Use{Kind: Other, Instr: in, Value: v})
	case *ssa.Field:
		w.Use(Use{Kind: Field, Instr: in, Value: v})
	case *ssa.BinOp:
		if in.Op == token.EQL || in.Op == token.NEQ {
			w.Use(Use{Kind: Compare, Instr: in, Value: v})
			return
		}
		w.Use(Use{Kind: Other, Instr: in, Value: v})
	case *ssa.If, *ssa.Jump, *ssa.RunDefers:
	default:
		w.Use(Use{Kind: Other, Instr: instr, Value: v})
	}
}

func (w *Walker) call(kind UseKind, v ssa.Value, instr ssa.Instruction, c *ssa.CallCommon) {
	if c.Value == v {
		w.Use(Use{Kind: kind, Instr: instr, Value: v, Common: c, Arg: -1})
	}
	for i, a := range c.Args {
		if a == v {
			w.Use(Use{Kind: kind, Instr: instr, Value: v, Common: c, Arg: i})
		}
	}
}

// capture handles the closure mc capturing v: a value, or with cell set a
// variable's cell.
func (w *Walker) capture(v ssa.Value, mc *ssa.MakeClosure, cell bool) {
	fn, _ := mc.Fn.(*ssa.Function)
	for i, b := range mc.Bindings {
		if b != v {
			continue
		}
		u := Use{Kind: Capture, Instr: mc, Value: v, Closure: fn}
		if fn != nil && i < len(fn.FreeVars) {
			u.FreeVar = fn.FreeVars[i]
		}
		if u.FreeVar != nil && w.Enter != nil && w.Enter(u) {
			if cell {
				w.Cell(u.FreeVar)
			} else {
				w.Value(u.FreeVar)
			}
			continue
		}
		w.Use(u)
	}
}

// storedCell follows the loads of a local variable's cell that can observe
// the value st stores: when the variable is re-assigned (cmd = exec.Command
// twice), a load after the second store sees the second command, not this one.
func (w *Walker) storedCell(st *ssa.Store) {
	cell := st.Addr
	var others []ssa.Instruction
	var values []ssa.Value
	for _, r := range Refs(cell) {
		if o, ok := r.(*ssa.Store); ok && o != st && o.Addr == cell {
			others = append(others, o)
			values = append(values, o.Val)
		}
	}
	if len(others) == 0 {
		w.Cell(cell)
		return
	}
	if w.Merge != nil {
		w.Merge(values)
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
	for _, instr := range Refs(cell) {
		if instr.Block() == nil || instr.Parent() != st.Parent() {
			continue
		}
		switch in := instr.(type) {
		case *ssa.UnOp:
			if in.Op == token.MUL && cfgpath.Reaches(st, in, reassigned) {
				w.Value(in)
			}
		case *ssa.MakeClosure:
			// A closure made after the store can see it; so can one
			// made before it that the store's path goes through.
			if cfgpath.Reaches(st, in, nil) || cfgpath.Precedes(in, st) {
				w.capture(cell, in, true)
			}
		}
	}
}

// Cell follows the uses of the value held in a variable cell: an Alloc, or a
// closure's FreeVar. Its loads are followed; stores into it re-assign the
// variable and are not uses. Uses of the cell itself (its address stored or
// passed on, which only a FreeVar's can be: an Alloc's cannot, or it would
// not be a local cell) are told with OfCell set.
func (w *Walker) Cell(cell ssa.Value) {
	w.init()
	if w.seen[cell] {
		return
	}
	w.seen[cell] = true
	for _, instr := range Refs(cell) {
		switch in := instr.(type) {
		case *ssa.UnOp:
			if in.Op == token.MUL {
				w.Value(in)
			}
		case *ssa.Store:
			if in.Addr != cell {
				w.Use(Use{Kind: Store, Instr: in, Value: cell, OfCell: true})
			}
		case *ssa.MakeClosure:
			w.capture(cell, in, true)
		case *ssa.DebugRef:
		default:
			w.Use(Use{Kind: Other, Instr: instr, Value: cell, OfCell: true})
		}
	}
}

// Refs returns the instructions that use v (none for a value that has no
// referrers list, such as a constant or a global).
func Refs(v ssa.Value) []ssa.Instruction {
	if r := v.Referrers(); r != nil {
		return *r
	}
	return nil
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
	for _, r := range Refs(arr) {
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
	if slice == nil || len(Refs(slice)) != 1 {
		return nil, nil, 0
	}
	user := Refs(slice)[0]
	ci, ok := user.(ssa.CallInstruction)
	if !ok {
		return nil, nil, 0
	}
	c := ci.Common()
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
