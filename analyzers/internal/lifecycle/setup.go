package lifecycle

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// This file is how a command is set up to end when it is cancelled or
// killed, as os/exec and syscall define it (cmdcancel's question): its
// WaitDelay, which bounds how long Wait waits for the output pipes after
// the kill; its SysProcAttr, whose Setpgid or Setsid give the child a
// process group of its own; its Cancel func, which replaces the kill
// exec.CommandContext does; the kills of the group, syscall.Kill(-pid, …);
// and whether its output is an *os.File (given to the child as it is) or
// something else, which os/exec copies from a pipe in a goroutine that
// Wait waits for.

// SetupOps returns what every use of the command v does, as Ops does, with
// the closures that capture it looked into: the ops of a closure's body
// take the place of the capture (a Cancel func, a deferred or AfterFunc
// kill), since that body is all it does with the command. A goroutine
// that waits for it is kept, as a wait and no longer a hand-off.
func SetupOps(t *facts.Table, v ssa.Value) []Op {
	return throughClosures(t, Ops(t, v), 0)
}

func throughClosures(t *facts.Table, ops []Op, depth int) []Op {
	out := make([]Op, 0, len(ops))
	for _, op := range ops {
		if op.Use.Kind != ownership.Capture || op.Use.FreeVar == nil {
			out = append(out, op)
			continue
		}
		if op.InGoroutine {
			op.Effect &^= facts.Handoff
			out = append(out, op)
		}
		if depth >= 2 {
			if !op.InGoroutine {
				out = append(out, op) // too deep to look into: a hand-off
			}
			continue
		}
		var inner []Op
		collect(t, ownership.CellUses(op.Use.FreeVar), apis.IsProcess(op.Use.Value.Type()), &inner, 0)
		out = append(out, throughClosures(t, inner, depth+1)...)
	}
	return out
}

// ClassifySetup is the facts.Classifier of cmdcancel's table: Classify's
// effects, closures looked into, and the setup effects of each op.
func ClassifySetup(t *facts.Table, u ownership.Use) facts.Effect {
	var ops []Op
	collect(t, []ownership.Use{u}, apis.IsProcess(u.Value.Type()), &ops, 0)
	var e facts.Effect
	for _, op := range throughClosures(t, ops, 0) {
		e |= op.Effect | Setup(op)
	}
	return e
}

// Setup returns the setup effects an op shows by itself: a store into the
// command's WaitDelay, SysProcAttr, Cancel, Stdout or Stderr, a method that
// captures its output, a use of its pid that signals the group. (A helper
// call's setup effects come from the helper's facts, in op.Effect.)
func Setup(op Op) facts.Effect {
	var e facts.Effect
	switch op.Field {
	case "WaitDelay":
		if !isZero(op.Stored) {
			e |= facts.SetDelay
		}
	case "Stdout", "Stderr":
		if NotFile(op.Stored) {
			e |= facts.Captures
		}
	case "Cancel":
		e |= facts.SetCancel
		if k := CancelKills(op.Stored); len(k.Group) > 0 || k.Opaque {
			e |= facts.KillGroup
		}
	case "SysProcAttr":
		e |= facts.SetAttr
		if g := GroupOf(op.Stored); g != NoGroup {
			e |= facts.SetGroup
		}
	}
	if !op.OnProcess {
		switch op.Method {
		case "Output", "CombinedOutput", "StdoutPipe", "StderrPipe":
			e |= facts.Captures
		}
	}
	if fa, ok := op.Instr.(*ssa.FieldAddr); ok && op.Use.Kind == ownership.Field {
		switch f := fieldName(fa); {
		case f == "SysProcAttr" && apis.IsCmd(fa.X.Type()):
			// cmd.SysProcAttr.Setpgid = true
			for _, r := range ownership.Refs(fa) {
				if ld, ok := r.(*ssa.UnOp); ok && ld.Op == token.MUL && setsGroupFields(ld) {
					e |= facts.SetGroup | facts.SetAttr
				}
			}
		case f == "Pid" && apis.IsProcess(fa.X.Type()):
			if k := PidKills(fa); len(k.Group) > 0 || k.Opaque {
				e |= facts.KillGroup
			}
		}
	}
	return e
}

// NotFile reports whether w, a value stored into a command's Stdout or
// Stderr, is known to be something other than an *os.File: then os/exec
// gives the child a pipe and copies from it in a goroutine that Wait waits
// for. nil (the null device), an *os.File, or a writer whose dynamic type
// is not known here (a parameter) is not.
func NotFile(w ssa.Value) bool {
	if w == nil || apis.IsNilConst(w) {
		return false
	}
	found := false
	ownership.Origins(w, map[ssa.Value]bool{}, func(o ssa.Value) bool {
		// Origins sees through the conversion to io.Writer: o is the
		// concrete writer, unless it came as an interface already.
		t := o.Type()
		if !types.IsInterface(t) && !apis.IsNamed(t, "os", "File") && !apis.IsNilConst(o) {
			found = true
		}
		return !found
	})
	return found
}

// Group says whether a SysProcAttr puts the child in a process group of its
// own.
type Group uint8

const (
	NoGroup    Group = iota // a SysProcAttr made here without Setpgid or Setsid
	InGroup                 // Setpgid or Setsid set
	MaybeGroup              // made elsewhere (a helper, a platform file): unknown
)

// GroupOf says whether the *syscall.SysProcAttr attr gives the child a
// process group of its own: &syscall.SysProcAttr{Setpgid: true}, or one
// whose Setpgid or Setsid is set afterwards.
func GroupOf(attr ssa.Value) Group {
	if attr == nil || apis.IsNilConst(attr) {
		return NoGroup
	}
	g := NoGroup
	ownership.Origins(attr, map[ssa.Value]bool{}, func(o ssa.Value) bool {
		switch o := o.(type) {
		case *ssa.Alloc:
			if setsGroupFields(o) {
				g = InGroup
			}
		case *ssa.Const:
		default:
			if g == NoGroup {
				g = MaybeGroup
			}
		}
		return g != InGroup
	})
	return g
}

// setsGroupFields reports whether the SysProcAttr at attr has Setpgid or
// Setsid set to anything but false.
func setsGroupFields(attr ssa.Value) bool {
	for _, r := range ownership.Refs(attr) {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		if n := fieldName(fa); n != "Setpgid" && n != "Setsid" {
			continue
		}
		for _, s := range ownership.Refs(fa) {
			if st, ok := s.(*ssa.Store); ok && st.Addr == fa && !isFalse(st.Val) {
				return true
			}
		}
	}
	return false
}

func isFalse(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value != nil && c.Value.Kind() == constant.Bool && !constant.BoolVal(c.Value)
}

// Kills are the signals a Cancel func or a use of a child's pid sends.
type Kills struct {
	Group  []ssa.Instruction // to the process group: syscall.Kill(-pid, sig)
	Leader []ssa.Instruction // to the child alone: Process.Kill or Signal, syscall.Kill(pid, sig)
	// Opaque: something this package cannot see may kill the group (the
	// pid given to another function, a Cancel that calls one).
	Opaque bool
}

// PidKills returns the signals sent with the pid read from the *os.Process
// Pid field at pid (a FieldAddr): syscall.Kill(-pid, …) reaches the group,
// syscall.Kill(pid, …) the child alone, the group of syscall.Getpgid(pid)
// the group; the pid given to any other function (a tree killer, taskkill
// /T, gopsutil) may reach the group.
func PidKills(pid ssa.Value) Kills {
	var k Kills
	pidKills(pid, false, &k, 0)
	return k
}

func pidKills(v ssa.Value, negated bool, k *Kills, depth int) {
	if depth > 4 {
		return
	}
	for _, r := range ownership.Refs(v) {
		switch r := r.(type) {
		case *ssa.UnOp:
			switch r.Op {
			case token.MUL:
				pidKills(r, negated, k, depth+1)
			case token.SUB:
				pidKills(r, !negated, k, depth+1)
			}
		case *ssa.BinOp:
			if r.Op == token.SUB && r.Y == v && isZero(r.X) {
				pidKills(r, !negated, k, depth+1)
			}
		case *ssa.Convert, *ssa.ChangeType:
			pidKills(r.(ssa.Value), negated, k, depth+1)
		case *ssa.DebugRef, *ssa.MakeInterface:
			// Boxed for a message (log.Printf("pid %d", pid)), or
			// only described.
		case ssa.CallInstruction:
			c := r.Common()
			if s, ok := SignalOf(c); ok {
				switch {
				case s.Probe() || s.Pid != v:
				case negated:
					k.Group = append(k.Group, r)
				default:
					k.Leader = append(k.Leader, r)
				}
				continue
			}
			fn := apis.Callee(c)
			if fn != nil && fn.Pkg() != nil && (fn.Pkg().Path() == "syscall" || fn.Pkg().Path() == "golang.org/x/sys/unix") && fn.Name() == "Getpgid" {
				if call, ok := r.(*ssa.Call); ok {
					for _, x := range ownership.Refs(call) {
						if ex, ok := x.(*ssa.Extract); ok && ex.Index == 0 {
							pidKills(ex, negated, k, depth+1)
						}
					}
				}
				continue
			}
			if fn != nil && fn.Pkg() != nil && (fn.Pkg().Path() == "fmt" || fn.Pkg().Path() == "log" || fn.Pkg().Path() == "log/slog") {
				continue // formatted into a message
			}
			k.Opaque = true
		default:
			// Compared, stored in a map, put in a struct: it may reach a
			// kill this function does not show.
			if _, isBin := r.(*ssa.BinOp); !isBin {
				k.Opaque = true
			}
		}
	}
}

// CancelKills returns the signals the Cancel func f sends (f is the value
// stored into cmd.Cancel): a closure or function that kills the group, the
// child alone, or does something this package cannot follow.
func CancelKills(f ssa.Value) Kills {
	var k Kills
	var fn *ssa.Function
	switch f := f.(type) {
	case *ssa.MakeClosure:
		fn, _ = f.Fn.(*ssa.Function)
	case *ssa.Function:
		fn = f
	}
	if fn == nil || len(fn.Blocks) == 0 {
		k.Opaque = true
		return k
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := call.Common()
			if s, ok := SignalOf(c); ok {
				switch {
				case s.Probe():
				case s.Pid != nil && negative(s.Pid):
					k.Group = append(k.Group, call)
				default:
					k.Leader = append(k.Leader, call)
				}
				continue
			}
			if fn := apis.Callee(c); fn == nil || fn.Pkg() == nil || !apis.IsStdPath(fn.Pkg().Path()) {
				k.Opaque = true // a helper that may kill the tree
			}
		}
	}
	if len(k.Group) == 0 && len(k.Leader) == 0 {
		k.Opaque = true
	}
	return k
}

// negative reports whether the pid v is negated: -pid, 0 - pid, or a
// constant below zero.
func negative(v ssa.Value) bool {
	for i := 0; i < 3; i++ {
		switch x := v.(type) {
		case *ssa.UnOp:
			if x.Op == token.SUB {
				return true
			}
			return false
		case *ssa.BinOp:
			return x.Op == token.SUB && isZero(x.X)
		case *ssa.Convert:
			v = x.X
		case *ssa.Const:
			return x.Value != nil && x.Value.Kind() == constant.Int && constant.Sign(x.Value) < 0
		default:
			return false
		}
	}
	return false
}

// isZero reports whether v is a constant zero (or nil, or the zero value).
func isZero(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	if !ok {
		return false
	}
	if c.Value == nil {
		return true
	}
	switch c.Value.Kind() {
	case constant.Int, constant.Float:
		return constant.Sign(c.Value) == 0
	}
	return false
}
