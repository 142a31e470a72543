package pipedrain

import (
	"go/constant"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// killPoints returns the instructions of this function, run in its own
// goroutine and not deferred, that end the child: cmd.Process.Kill or
// Signal (not signal 0), and calls of the cancel function of the context a
// CommandContext command was made with (or of a context it derives from:
// cancelling a parent cancels the child's). A child killed before Wait
// exits whatever it still had to write, so Wait returns with its pipes
// unread. factory is the call of the factory the command comes from, if
// any.
func killPoints(root ssa.Value, factory *ssa.Call, ops []lifecycle.Op) map[ssa.Instruction]bool {
	kills := map[ssa.Instruction]bool{}
	for _, op := range ops {
		if _, ok := op.Instr.(*ssa.Call); ok && op.IsKill() {
			kills[op.Instr] = true
		}
		// syscall.Kill(cmd.Process.Pid, sig), syscall.Kill(-pid, sig).
		if fa, ok := op.Instr.(*ssa.FieldAddr); ok && apis.IsProcess(op.Use.Value.Type()) {
			if f := apis.FieldOf(fa); f != nil && f.Name() == "Pid" {
				for _, k := range rawKills(fa, 0) {
					kills[k] = true
				}
			}
		}
	}
	var ctxs []ssa.Value
	if call, ok := root.(*ssa.Call); ok && len(call.Call.Args) > 0 && apis.IsFunc(apis.Callee(&call.Call), "os/exec", "CommandContext") {
		ctxs = append(ctxs, call.Call.Args[0])
	}
	// A factory given a context (helperCommandContext(t, ctx, name))
	// makes its command with it: cancelling it kills the child.
	if factory != nil {
		for _, arg := range factory.Call.Args {
			if apis.IsNamed(arg.Type(), "context", "Context") {
				ctxs = append(ctxs, arg)
			}
		}
	}
	if len(ctxs) == 0 {
		return kills
	}
	seen := map[ssa.Value]bool{}
	var cancels func(ctx ssa.Value, depth int)
	cancels = func(ctx ssa.Value, depth int) {
		if depth > 4 {
			return
		}
		ownership.Origins(ctx, seen, func(v ssa.Value) bool {
			ex, ok := v.(*ssa.Extract)
			if !ok || ex.Index != 0 {
				return true
			}
			with, ok := ex.Tuple.(*ssa.Call)
			if !ok || !apis.IsCancelling(apis.ContextFunc(apis.Callee(&with.Call))) {
				return true
			}
			if cancel := extract(with, 1); cancel != nil {
				for _, u := range ownership.Uses(cancel) {
					// go cancel() cancels at once, in a goroutine
					// of its own: the Wait after it returns when
					// the child is killed (os/exec's TestContext).
					if (u.Kind == ownership.Call || u.Kind == ownership.Go) && u.Arg == -1 {
						kills[u.Instr] = true
					}
				}
			}
			if len(with.Call.Args) > 0 {
				cancels(with.Call.Args[0], depth+1)
			}
			return true
		})
	}
	for _, ctx := range ctxs {
		cancels(ctx, 0)
	}
	return kills
}

// rawKills returns the calls of syscall.Kill or unix.Kill whose pid is v
// (the pid, its load, its negation for a process group), signal 0 aside.
func rawKills(v ssa.Value, depth int) []ssa.Instruction {
	if depth > 3 || v.Referrers() == nil {
		return nil
	}
	var kills []ssa.Instruction
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			kills = append(kills, rawKills(r, depth+1)...)
		case *ssa.Convert:
			kills = append(kills, rawKills(r, depth+1)...)
		case *ssa.Call:
			fn := apis.Callee(&r.Call)
			if (apis.IsFunc(fn, "syscall", "Kill") || apis.IsFunc(fn, "golang.org/x/sys/unix", "Kill")) &&
				len(r.Call.Args) == 2 && r.Call.Args[0] == v && !isSignalZero(r.Call.Args[1]) {
				kills = append(kills, r)
			}
		}
	}
	return kills
}

// isSignalZero reports whether sig is the constant 0: a liveness probe.
func isSignalZero(sig ssa.Value) bool {
	c, ok := sig.(*ssa.Const)
	return ok && (c.Value == nil || c.Value.Kind() == constant.Int && constant.Sign(c.Value) == 0)
}
