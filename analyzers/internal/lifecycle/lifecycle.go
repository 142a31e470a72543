// Package lifecycle holds what cmdwait and pipedrain share about a command
// or process owned by one function: where it is created, and what each use
// of it does (waits, hands it off, kills it, starts it).
package lifecycle

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// CmdRoots returns the commands fn creates itself: results of
// exec.Command/CommandContext (or a same-named wrapper returning *exec.Cmd,
// such as x/sys/execabs) and exec.Cmd composite literals or variables.
func CmdRoots(fn *ssa.Function) []ssa.Value {
	var roots []ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if v, ok := instr.(ssa.Value); ok && isNewCmd(v) {
				roots = append(roots, v)
			}
		}
	}
	return roots
}

// isNewCmd reports whether v makes a command: a call of
// exec.Command/CommandContext (or of a same-named function returning
// *exec.Cmd), or an exec.Cmd variable or composite literal (an Alloc of
// type *exec.Cmd, not a variable holding a *exec.Cmd).
func isNewCmd(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Call:
		callee := apis.Callee(&v.Call)
		return callee != nil && (callee.Name() == "Command" || callee.Name() == "CommandContext") && apis.IsCmd(v.Type()) && apis.RecvTypeName(callee) == ""
	case *ssa.Alloc:
		if p, ok := v.Type().(*types.Pointer); ok && apis.IsCmd(p.Elem()) {
			_, isPtr := types.Unalias(p.Elem()).(*types.Pointer)
			return !isPtr
		}
	}
	return false
}

// Op is what a use does to a command or process.
type Op struct {
	Instr  ssa.Instruction
	Use    ownership.Use
	Effect facts.Effect
	// Method is the *exec.Cmd method ("Start", "Wait", "StdoutPipe", ...)
	// or, with OnProcess set, the *os.Process method called, or "".
	Method    string
	OnProcess bool
	// InGoroutine: the op is a goroutine, started at Instr, that does it;
	// Inner is what it does there (the Wait call in the closure).
	InGoroutine bool
	Inner       *Op
	// Field is the *exec.Cmd field stored into ("Stdout", "Cancel"...),
	// with Stored the value stored.
	Field  string
	Stored ssa.Value
}

// IsKill reports whether the op kills or signals the process (not a
// signal-0 liveness probe).
func (o Op) IsKill() bool {
	if !o.OnProcess || o.Use.Common == nil {
		return false
	}
	switch o.Method {
	case "Kill":
		return true
	case "Signal":
		if args := o.Use.Common.Args; len(args) == 2 && IsSignalZero(args[1]) {
			return false
		}
		return true
	}
	return false
}

// Ops lists what every use of the command (or process) v does. Uses of
// cmd.Process are folded in with OnProcess set.
func Ops(t *facts.Table, v ssa.Value) []Op {
	var ops []Op
	collect(t, ownership.Uses(v), apis.IsProcess(v.Type()), &ops, 0)
	return ops
}

// Classify is the facts.Classifier for commands and processes.
func Classify(t *facts.Table, u ownership.Use) facts.Effect {
	var ops []Op
	collect(t, []ownership.Use{u}, apis.IsProcess(u.Value.Type()), &ops, 0)
	var e facts.Effect
	for _, op := range ops {
		e |= op.Effect
	}
	return e
}

func collect(t *facts.Table, uses []ownership.Use, isProcess bool, ops *[]Op, depth int) {
	for _, u := range uses {
		op := Op{Instr: u.Instr, Use: u}
		switch u.Kind {
		case ownership.Call, ownership.Go, ownership.Defer:
			op.Effect = callEffect(t, u, isProcess, &op)
		case ownership.Field:
			if fa, ok := u.Instr.(*ssa.FieldAddr); ok && !isProcess {
				field := fieldName(fa)
				if field == "Process" && depth < 2 {
					for _, r := range *fa.Referrers() {
						if ld, ok := r.(*ssa.UnOp); ok {
							collect(t, ownership.Uses(ld), true, ops, depth+1)
						}
					}
				}
				for _, r := range *fa.Referrers() {
					if st, ok := r.(*ssa.Store); ok && st.Addr == fa {
						*ops = append(*ops, Op{Instr: st, Use: u, Effect: facts.Neutral, Field: field, Stored: st.Val})
					}
				}
			}
			op.Effect = facts.Neutral
		case ownership.Compare:
			op.Effect = facts.Neutral
		case ownership.Capture:
			op.Effect = facts.Handoff
			if g, w := goClosureWaits(t, u, isProcess, depth); g != nil {
				// go func() { done <- cmd.Wait() }(): the command is
				// waited for concurrently, from the go statement on.
				// A cmd.Process.Wait() there is still a Process.Wait.
				op.Instr, op.Method, op.InGoroutine = g, "Wait", true
				op.OnProcess, op.Inner = w.OnProcess, w
				op.Effect |= facts.Wait
			}
		default:
			op.Effect = facts.Handoff
		}
		*ops = append(*ops, op)
	}
}

// goClosureWaits returns the go statement that runs a closure capturing the
// command when the closure waits for it, and the wait inside (a cmd.Wait
// rather than a cmd.Process.Wait when there are both), or nils.
func goClosureWaits(t *facts.Table, u ownership.Use, isProcess bool, depth int) (ssa.Instruction, *Op) {
	mc, ok := u.Instr.(*ssa.MakeClosure)
	if !ok || u.FreeVar == nil || depth >= 2 {
		return nil, nil
	}
	refs := *mc.Referrers()
	if len(refs) != 1 {
		return nil, nil
	}
	g, ok := refs[0].(*ssa.Go)
	if !ok || g.Call.Value != mc {
		return nil, nil
	}
	var inner []Op
	collect(t, ownership.CellUses(u.FreeVar), isProcess, &inner, depth+1)
	var wait *Op
	for i, op := range inner {
		if op.Method == "Wait" && (wait == nil || wait.OnProcess && !op.OnProcess) {
			wait = &inner[i]
		}
	}
	if wait == nil {
		return nil, nil
	}
	return g, wait
}

func callEffect(t *facts.Table, u ownership.Use, isProcess bool, op *Op) facts.Effect {
	c := u.Common
	if u.Arg == 0 && !c.IsInvoke() {
		if !isProcess {
			if m := apis.CmdMethod(c); m != "" {
				op.Method = m
				switch m {
				case "Wait", "Run", "Output", "CombinedOutput":
					return facts.Wait
				case "Start":
					return facts.Neutral | facts.Start
				}
				return facts.Neutral
			}
		} else if m := apis.ProcessMethod(c); m != "" {
			op.Method, op.OnProcess = m, true
			if m == "Wait" {
				return facts.Wait
			}
			if op.IsKill() {
				return facts.Neutral | facts.Kill
			}
			return facts.Neutral
		}
	}
	return t.ArgEffect(c, u.Arg)
}

func fieldName(fa *ssa.FieldAddr) string {
	if f := apis.FieldOf(fa); f != nil {
		return f.Name()
	}
	return ""
}

// Tracked reports whether t is a command or process type whose parameters
// get facts.
func Tracked(t types.Type) bool {
	_, isPtr := types.Unalias(t).(*types.Pointer)
	return isPtr && (apis.IsCmd(t) || apis.IsProcess(t))
}

// OwnedHere reports whether the command value v (the X of a field store
// such as cmd.Stdout = w) is a command this function created and keeps to
// itself: created by exec.Command/CommandContext or a composite literal here
// (directly, or through a local variable's cell), and never handed off.
// Only then does nobody else get to close what is stored in its fields.
func OwnedHere(t *facts.Table, v ssa.Value) bool {
	root := CreatedHere(v)
	if root == nil {
		return false
	}
	for _, op := range Ops(t, root) {
		if op.Effect&facts.Handoff != 0 {
			return false
		}
		// c1.Stdout.(io.WriteCloser).Close(): what is stored in the
		// command's stdio is read back, and may be closed, here.
		if fa, ok := op.Instr.(*ssa.FieldAddr); ok {
			switch fieldName(fa) {
			case "Stdin", "Stdout", "Stderr", "ExtraFiles":
				for _, r := range *fa.Referrers() {
					if _, isLoad := r.(*ssa.UnOp); isLoad {
						return false
					}
				}
			}
		}
	}
	return true
}

// CreatedHere returns the command v is, when v makes one (a root of
// CmdRoots) or is loaded from a local variable assigned once with one: a
// command made in v's function. It returns nil otherwise.
func CreatedHere(v ssa.Value) ssa.Value { return createdHere(v, 0) }

func createdHere(v ssa.Value, depth int) ssa.Value {
	if depth > 4 {
		return nil
	}
	if isNewCmd(v) {
		return v
	}
	// A load from a variable assigned once: the value stored there.
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if cell, ok := ld.X.(*ssa.Alloc); ok {
			if stored := ownership.StoredValues(cell); len(stored) == 1 {
				return createdHere(stored[0], depth+1)
			}
		}
	}
	return nil
}
