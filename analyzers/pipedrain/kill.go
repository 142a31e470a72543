package pipedrain

import (
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
)

// killPoints returns the instructions of this function, run in its own
// goroutine and not deferred, that end the child: cmd.Process.Kill or
// Signal (not signal 0), syscall.Kill of its pid, and calls of the cancel
// function of the context the command was made with (or of a context it
// derives from: cancelling a parent cancels the child's). A child killed
// before Wait exits whatever it still had to write, so Wait returns with
// its pipes unread. factory is the call of the factory the command comes
// from, if any. What a kill is, is lifecycle's (kills.go).
func killPoints(root ssa.Value, factory *ssa.Call, ops []lifecycle.Op) map[ssa.Instruction]bool {
	kills := map[ssa.Instruction]bool{}
	for _, op := range ops {
		if _, ok := op.Instr.(*ssa.Call); ok && op.IsKill() {
			kills[op.Instr] = true
		}
		// syscall.Kill(cmd.Process.Pid, sig), syscall.Kill(-pid, sig).
		if fa, ok := op.Instr.(*ssa.FieldAddr); ok && apis.IsProcess(op.Use.Value.Type()) {
			if f := apis.FieldOf(fa); f != nil && f.Name() == "Pid" {
				for _, k := range lifecycle.KillsOfPid(fa) {
					kills[k] = true
				}
			}
		}
	}
	var ctxs []ssa.Value
	if ctx := lifecycle.CommandContext(root); ctx != nil {
		ctxs = append(ctxs, ctx)
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
	for _, ctx := range ctxs {
		for _, k := range lifecycle.CancelCalls(ctx) {
			kills[k] = true
		}
	}
	return kills
}
