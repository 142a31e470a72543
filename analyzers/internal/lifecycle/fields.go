package lifecycle

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// A FieldCmd is what a package does with the command (or process) kept in
// one struct field, over every function that reads or writes it: the field
// is the command's owner, the type's methods its lifecycle (a Start method
// starts it, a Stop method kills it, a Close method waits for it).
type FieldCmd struct {
	Field *types.Var
	// Ops are the ops of every value of the field's command: what is
	// loaded from the field, and what is stored into it (with the ops of
	// the local variable stored: cmd.Start() before s.cmd = cmd), minus
	// the stores into the field themselves.
	Ops []Op
	// Stored are the values stored into the field that a function made
	// (a command, a factory's result, an os.StartProcess process).
	Stored []ssa.Value
	// Escaped: the command leaves the package's sight (returned by a
	// method, given to a function that may keep it, its address taken),
	// so it may be waited for, killed or set up elsewhere.
	Escaped bool
	// Child: the field holds a child of this process: it is a command,
	// or a process stored from os.StartProcess or a command's Process.
	// An *os.Process from os.FindProcess(pid) (go-plugin's reattached
	// plugin) may be anyone's child.
	Child bool

	opsOf func(*facts.Table, ssa.Value) []Op
}

// FieldCmds returns, per unexported field of pkg's struct types holding a
// command or process (or an exec.Cmd by value), what funcs do with it, in
// the order the fields are first met, with each value's ops from opsOf
// (Ops, or SetupOps). Only the package can touch such a field, so its
// functions are the command's whole lifecycle.
func FieldCmds(t *facts.Table, pkg *types.Package, funcs []*ssa.Function, opsOf func(*facts.Table, ssa.Value) []Op) []*FieldCmd {
	byField := map[*types.Var]*FieldCmd{}
	var order []*FieldCmd
	get := func(f *types.Var) *FieldCmd {
		u := byField[f]
		if u == nil {
			u = &FieldCmd{Field: f, opsOf: opsOf}
			byField[f] = u
			order = append(order, u)
		}
		return u
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch in := instr.(type) {
				case *ssa.FieldAddr:
					f := apis.FieldOf(in)
					if !trackedField(pkg, f) {
						continue
					}
					u := get(f)
					if !apis.IsProcess(f.Type()) {
						u.Child = true
					}
					if !Tracked(f.Type()) {
						// A field of type exec.Cmd: its address is the command.
						u.addOps(t, in, nil)
						continue
					}
					for _, r := range ownership.Refs(in) {
						switch r := r.(type) {
						case *ssa.UnOp:
							if r.Op == token.MUL {
								u.addOps(t, r, nil)
							} else {
								u.Escaped = true
							}
						case *ssa.Store:
							if r.Addr != in {
								u.Escaped = true
								continue
							}
							u.addStored(t, r)
						case *ssa.DebugRef:
						default:
							u.Escaped = true
						}
					}
				case *ssa.Field:
					if f := fieldOfValue(in); trackedField(pkg, f) && Tracked(f.Type()) {
						get(f).addOps(t, in, nil)
					}
				}
			}
		}
	}
	return order
}

// trackedField reports whether f is an unexported field of pkg holding a
// command or process: only pkg can wait for it.
func trackedField(pkg *types.Package, f *types.Var) bool {
	if f == nil || f.Exported() || f.Pkg() != pkg || f.Embedded() {
		return false
	}
	t := f.Type()
	if Tracked(t) {
		return true
	}
	return apis.IsNamed(t, "os/exec", "Cmd") // exec.Cmd by value
}

// addStored adds what happens to a value stored into the field: the ops of
// the command it comes from when that is made in the storing function (a
// local command, a factory's), minus the store itself.
func (u *FieldCmd) addStored(t *facts.Table, st *ssa.Store) {
	ownership.Origins(st.Val, map[ssa.Value]bool{}, func(v ssa.Value) bool {
		if isChildProcess(v) {
			u.Child = true
		}
		switch v.(type) {
		case *ssa.Call, *ssa.Extract, *ssa.Alloc:
			u.Stored = append(u.Stored, v)
			u.addOps(t, v, st)
		}
		return true
	})
}

// isChildProcess reports whether v, an *os.Process, is a child of this
// process: the result of os.StartProcess, or the Process of a command.
func isChildProcess(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok && v.Index == 0 {
			return apis.IsFunc(apis.Callee(&call.Call), "os", "StartProcess")
		}
	case *ssa.UnOp:
		if fa, ok := v.X.(*ssa.FieldAddr); ok && v.Op == token.MUL {
			if fld := apis.FieldOf(fa); fld != nil && fld.Name() == "Process" {
				return apis.IsCmd(fa.X.Type())
			}
		}
	}
	return false
}

// addOps adds the ops of v, a value of the field's command. into is the
// store of v into the field, not a hand-off. What waits, starts or kills
// it is the lifecycle, whatever else the op does; any other store or
// hand-off lets it escape.
func (u *FieldCmd) addOps(t *facts.Table, v ssa.Value, into *ssa.Store) {
	for _, op := range u.opsOf(t, v) {
		switch {
		case op.IsWait(), op.StartsCmd(), op.KillsCmd():
		case op.Use.Kind == ownership.Store:
			if st, ok := op.Instr.(*ssa.Store); ok && (st == into || storesField(st, u.Field)) {
				continue
			}
			u.Escaped = true
		case op.Effect&facts.Handoff != 0:
			u.Escaped = true
		}
		u.Ops = append(u.Ops, op)
	}
}

// storesField reports whether st stores into field f (of any value).
func storesField(st *ssa.Store, f *types.Var) bool {
	fa, ok := st.Addr.(*ssa.FieldAddr)
	return ok && apis.FieldOf(fa) == f
}

// fieldOfValue returns the struct field an ssa.Field reads.
func fieldOfValue(fl *ssa.Field) *types.Var {
	st, ok := fl.X.Type().Underlying().(*types.Struct)
	if !ok || fl.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fl.Field)
}

// OwnerName returns " of T" for the named struct type declaring field f,
// when it can be found, else "".
func OwnerName(f *types.Var) string {
	if f.Pkg() == nil {
		return ""
	}
	scope := f.Pkg().Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i) == f {
				return " of " + tn.Name()
			}
		}
	}
	return ""
}

// MentionsCmdFields reports whether the function reads or writes a struct
// field holding a command or process: the field rules look at all of a
// type's methods, so each needs its SSA.
func MentionsCmdFields(info *types.Info, decl *ast.FuncDecl) bool {
	if decl.Body == nil {
		return false
	}
	return apis.AnyNode(decl.Body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if s, ok := info.Selections[sel]; ok && s.Kind() == types.FieldVal {
				return Tracked(s.Obj().Type())
			}
		}
		return false
	})
}
