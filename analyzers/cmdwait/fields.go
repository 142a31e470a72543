package cmdwait

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// A fieldUse summarizes what the package does with the command (or process)
// kept in one struct field, over every function that reads or writes it.
type fieldUse struct {
	starts  []*ssa.Call // Start calls (or helpers that start it)
	kills   []lifecycle.Op
	waited  bool // some function waits for it (or gives it to one that does)
	escaped bool // it leaves the package's sight: returned, handed off, its address taken
	// child: the field holds a child of this process: it is a command,
	// or a process stored from os.StartProcess or a command's Process.
	// An *os.Process from os.FindProcess(pid) (go-plugin's reattached
	// plugin) may be anyone's child: killing it leaves no zombie here.
	child bool
}

// checkFields reports a command kept in an unexported struct field that
// the package starts (or kills) and never waits for: per field, so that
// another type's Wait changes nothing. The field's command is what is loaded
// from it and what is stored into it (with the ops of the local variable
// stored, cmd.Start() before s.cmd = cmd). A field whose command escapes
// (returned by a method, given to a function that may keep it, its address
// taken) may be waited for elsewhere: silent (nomad#240, ory/x#824).
func (c *checker) checkFields(funcs []*ssa.Function) {
	uses := map[*types.Var]*fieldUse{}
	var order []*types.Var
	get := func(f *types.Var) *fieldUse {
		u := uses[f]
		if u == nil {
			u = &fieldUse{}
			uses[f] = u
			order = append(order, f)
		}
		return u
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch in := instr.(type) {
				case *ssa.FieldAddr:
					f := apis.FieldOf(in)
					if !c.trackedField(f) {
						continue
					}
					u := get(f)
					if !apis.IsProcess(f.Type()) {
						u.child = true
					}
					if !lifecycle.Tracked(f.Type()) {
						// A field of type exec.Cmd: its address is the command.
						c.addFieldOps(u, f, in, nil)
						continue
					}
					for _, r := range ownership.Refs(in) {
						switch r := r.(type) {
						case *ssa.UnOp:
							if r.Op == token.MUL {
								c.addFieldOps(u, f, r, nil)
							} else {
								u.escaped = true
							}
						case *ssa.Store:
							if r.Addr != in {
								u.escaped = true
								continue
							}
							c.addStored(u, f, r)
						case *ssa.DebugRef:
						default:
							u.escaped = true
						}
					}
				case *ssa.Field:
					if f := fieldOfValue(in); c.trackedField(f) && lifecycle.Tracked(f.Type()) {
						c.addFieldOps(get(f), f, in, nil)
					}
				}
			}
		}
	}
	for _, f := range order {
		u := uses[f]
		if u.waited || u.escaped {
			continue
		}
		owner := ownerName(f)
		if len(u.starts) > 0 {
			for _, call := range u.starts {
				recv := c.Src.Recv(call.Pos(), "cmd")
				what := recv + ".Start"
				if apis.CmdMethod(&call.Call) != "Start" {
					recv = "the command"
					what = c.Src.Func(call.Pos(), "a helper") + " starts the command"
				}
				wait := "call " + recv + ".Wait"
				if !report.Named(recv) {
					wait = "wait for it"
				}
				c.Report.Report(c.Src.CallRange(call.Pos()),
					report.Msgf("%s without Wait: nothing in this package waits for the command kept in field %s%s, so the child becomes a zombie and its pipes leak; %s where the command is stopped (in a Stop or Close method, or in a goroutine started after Start)",
						what, f.Name(), owner, wait))
			}
			continue
		}
		if !u.child {
			continue
		}
		for _, k := range u.kills {
			what := c.killText(k)
			c.Report.Report(c.Src.CallRange(k.Use.Common.Pos()),
				report.Msgf("%s without Wait: nothing in this package waits for the child kept in field %s%s, so once killed it stays a zombie; call %s after killing it",
					what, f.Name(), owner, c.cmdWaitName(k)))
		}
	}
}

// trackedField reports whether f is an unexported field of this package
// holding a command or process: only this package can wait for it.
func (c *checker) trackedField(f *types.Var) bool {
	if f == nil || f.Exported() || f.Pkg() != c.Pass.Pkg || f.Embedded() {
		return false
	}
	t := f.Type()
	if lifecycle.Tracked(t) {
		return true
	}
	return apis.IsNamed(t, "os/exec", "Cmd") // exec.Cmd by value
}

// addStored adds what happens to a value stored into the field: the ops of
// the command it comes from when that is made in the storing function (a
// local command, a factory's), minus the store itself.
func (c *checker) addStored(u *fieldUse, f *types.Var, st *ssa.Store) {
	ownership.Origins(st.Val, map[ssa.Value]bool{}, func(v ssa.Value) bool {
		if isChildProcess(v) {
			u.child = true
		}
		switch v.(type) {
		case *ssa.Call, *ssa.Extract, *ssa.Alloc:
			c.addFieldOps(u, f, v, st)
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

// addFieldOps adds the ops of v, a value of the field's command, to u.
// into is the store of v into the field, not a hand-off.
func (c *checker) addFieldOps(u *fieldUse, f *types.Var, v ssa.Value, into *ssa.Store) {
	for _, op := range lifecycle.Ops(c.table, v) {
		switch {
		case op.IsWait():
			u.waited = true
		case op.StartsCmd():
			if call, ok := op.Instr.(*ssa.Call); ok {
				u.starts = append(u.starts, call)
			}
		case op.KillsCmd():
			if op.Use.Kind == ownership.Call || op.Use.Kind == ownership.Defer {
				u.kills = append(u.kills, op)
			}
		case op.Use.Kind == ownership.Store:
			if st, ok := op.Instr.(*ssa.Store); ok && (st == into || storesField(st, f)) {
				continue
			}
			u.escaped = true
		case op.Effect&facts.Handoff != 0:
			u.escaped = true
		}
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

// ownerName returns " of T" for the named struct type declaring field f,
// when it can be found, else "".
func ownerName(f *types.Var) string {
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
