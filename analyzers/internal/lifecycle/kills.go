package lifecycle

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// This file is what ends a command's child, as os/exec, os, syscall,
// golang.org/x/sys/unix and context define it: a signal sent to its
// process, and the cancel of the context exec.CommandContext bound it to
// (os/exec kills the child when that context is done). The analyzers
// decide what a kill means to their rules; what a kill is lives here.

// A Signal is a call that sends a signal to a process.
type Signal struct {
	// Pid is the pid argument of syscall.Kill or unix.Kill (a negative
	// pid signals the process group), nil for the other calls: Tgkill
	// signals one thread, PidfdSendSignal takes a pidfd, and
	// (*os.Process).Kill and Signal have their process as receiver.
	Pid ssa.Value
	// Sig is the signal sent, nil for (*os.Process).Kill (SIGKILL).
	Sig ssa.Value
}

// SignalOf reports whether the call sends a signal to a process:
// (*os.Process).Kill or Signal, or syscall's or unix's Kill, Tgkill or
// PidfdSendSignal. Signal 0 is included: see Probe.
func SignalOf(call *ssa.CallCommon) (Signal, bool) {
	switch apis.ProcessMethod(call) {
	case "Kill":
		return Signal{}, true
	case "Signal":
		s := Signal{}
		if len(call.Args) == 2 {
			s.Sig = call.Args[1]
		}
		return s, true
	}
	fn := apis.Callee(call)
	if fn == nil || fn.Pkg() == nil {
		return Signal{}, false
	}
	switch fn.Pkg().Path() {
	case "syscall", "golang.org/x/sys/unix":
	default:
		return Signal{}, false
	}
	args := call.Args
	switch fn.Name() {
	case "Kill": // Kill(pid, sig)
		s := Signal{}
		if len(args) == 2 {
			s.Pid, s.Sig = args[0], args[1]
		}
		return s, true
	case "Tgkill": // Tgkill(tgid, tid, sig)
		s := Signal{}
		if len(args) == 3 {
			s.Sig = args[2]
		}
		return s, true
	case "PidfdSendSignal": // PidfdSendSignal(pidfd, sig, info, flags)
		s := Signal{}
		if len(args) == 4 {
			s.Sig = args[1]
		}
		return s, true
	}
	return Signal{}, false
}

// Probe reports whether the signal is the constant 0: it checks that the
// process exists and ends nothing.
func (s Signal) Probe() bool { return s.Sig != nil && IsSignalZero(s.Sig) }

// IsSignalZero reports whether sig, a syscall.Signal or an os.Signal
// holding one, is the constant 0.
func IsSignalZero(sig ssa.Value) bool {
	if mi, ok := sig.(*ssa.MakeInterface); ok {
		sig = mi.X
	}
	c, ok := sig.(*ssa.Const)
	return ok && (c.Value == nil || c.Value.Kind() == constant.Int && constant.Sign(c.Value) == 0)
}

// KillsOfPid returns the calls of syscall.Kill or unix.Kill, signal 0
// aside, whose pid is v (the address of a Process's Pid field, or a
// value computed from it) through loads, conversions and negation (-pid:
// the process group).
func KillsOfPid(v ssa.Value) []ssa.Instruction {
	return killsOfPid(v, 0)
}

func killsOfPid(v ssa.Value, depth int) []ssa.Instruction {
	if depth > 3 || v.Referrers() == nil {
		return nil
	}
	var kills []ssa.Instruction
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			kills = append(kills, killsOfPid(r, depth+1)...)
		case *ssa.Convert:
			kills = append(kills, killsOfPid(r, depth+1)...)
		case *ssa.Call:
			if s, ok := SignalOf(&r.Call); ok && s.Pid == v && !s.Probe() {
				kills = append(kills, r)
			}
		}
	}
	return kills
}

// IsPid reports whether v is read from an *os.Process's Pid field, or is
// its negation (the process group).
func IsPid(v ssa.Value) bool {
	found := false
	ownership.Origins(v, map[ssa.Value]bool{}, func(o ssa.Value) bool {
		if ld, ok := o.(*ssa.UnOp); ok && ld.Op == token.MUL {
			if fa, ok := ld.X.(*ssa.FieldAddr); ok && apis.IsProcess(fa.X.Type()) {
				found = true
			}
		}
		if un, ok := o.(*ssa.UnOp); ok && un.Op == token.SUB {
			found = IsPid(un.X)
		}
		return !found
	})
	return found
}

// CommandContext returns the context a command was made with: the first
// argument of exec.CommandContext, or of a function of that name taking a
// context first (a package's own wrapper, which CmdRoots takes for a
// command too); nil for a command made otherwise.
func CommandContext(root ssa.Value) ssa.Value {
	call, ok := root.(*ssa.Call)
	if !ok || len(call.Call.Args) == 0 {
		return nil
	}
	if fn := apis.Callee(&call.Call); fn != nil && fn.Name() == "CommandContext" && apis.IsContext(call.Call.Args[0].Type()) {
		return call.Call.Args[0]
	}
	return nil
}

// Parents calls yield with each origin of ctx and, through the context
// package's With* functions, of each context it derives from: when one of
// them is done, so is ctx. WithoutCancel cuts the chain (its context is
// never cancelled by its parent's), and Background and TODO start one.
func Parents(ctx ssa.Value, yield func(ssa.Value)) {
	seen := map[ssa.Value]bool{}
	var visit func(v ssa.Value, depth int)
	visit = func(v ssa.Value, depth int) {
		if depth > 8 {
			return
		}
		ownership.Origins(v, seen, func(o ssa.Value) bool {
			yield(o)
			if ex, ok := o.(*ssa.Extract); ok && ex.Index == 0 {
				o = ex.Tuple
			}
			if call, ok := o.(*ssa.Call); ok {
				name := apis.ContextFunc(apis.Callee(&call.Call))
				if name != "" && name != "WithoutCancel" && !apis.IsNewRoot(name) && len(call.Call.Args) > 0 {
					visit(call.Call.Args[0], depth+1)
				}
			}
			return true
		})
	}
	visit(ctx, 0)
}

// DerivesFrom reports whether ctx is parent or derives from it: when
// parent is done, so is ctx.
func DerivesFrom(ctx, parent ssa.Value) bool {
	if parent == nil {
		return false
	}
	targets := map[ssa.Value]bool{}
	ownership.Origins(parent, map[ssa.Value]bool{}, func(o ssa.Value) bool { targets[o] = true; return true })
	found := false
	Parents(ctx, func(v ssa.Value) {
		if targets[v] {
			found = true
		}
	})
	return found
}

// CancelCalls returns the instructions that cancel ctx: the calls of the
// cancel function of ctx or of a context it derives from (WithCancel,
// WithTimeout, WithDeadline and their Cause variants), and the go
// statements running one, which cancel at once in a goroutine of their
// own. A command made with ctx is killed by any of them.
func CancelCalls(ctx ssa.Value) []ssa.Instruction {
	var calls []ssa.Instruction
	Parents(ctx, func(v ssa.Value) {
		ex, ok := v.(*ssa.Extract)
		if !ok || ex.Index != 0 {
			return
		}
		with, ok := ex.Tuple.(*ssa.Call)
		if !ok || !apis.IsCancelling(apis.ContextFunc(apis.Callee(&with.Call))) {
			return
		}
		for _, r := range *with.Referrers() {
			if cancel, ok := r.(*ssa.Extract); ok && cancel.Index == 1 {
				for _, u := range ownership.Uses(cancel) {
					if (u.Kind == ownership.Call || u.Kind == ownership.Go) && u.Arg == -1 {
						calls = append(calls, u.Instr)
					}
				}
			}
		}
	})
	return calls
}
