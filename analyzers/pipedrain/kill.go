package pipedrain

import (
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
// unread.
func killPoints(root ssa.Value, ops []lifecycle.Op) map[ssa.Instruction]bool {
	kills := map[ssa.Instruction]bool{}
	for _, op := range ops {
		if _, ok := op.Instr.(*ssa.Call); ok && op.IsKill() {
			kills[op.Instr] = true
		}
	}
	call, ok := root.(*ssa.Call)
	if !ok || len(call.Call.Args) == 0 || !apis.IsFunc(apis.Callee(&call.Call), "os/exec", "CommandContext") {
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
					if u.Kind == ownership.Call && u.Arg == -1 {
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
	cancels(call.Call.Args[0], 0)
	return kills
}
