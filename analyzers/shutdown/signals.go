package shutdown

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// chanKey names a channel across the functions of a package: the value
// itself for a local channel (captured variables resolved to it), or the
// field or global variable that holds it.
func chanKey(v ssa.Value) any {
	v = resolve(v)
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		switch addr := load.X.(type) {
		case *ssa.FieldAddr:
			if f := apis.FieldOf(addr); f != nil {
				return f
			}
		case *ssa.Global:
			return addr
		}
	}
	return v
}

// notified returns the channels of the package given to signal.Notify,
// with the first such call.
func (c *checker) notified() map[any]token.Pos {
	if c.notifies != nil {
		return c.notifies
	}
	c.notifies = map[any]token.Pos{}
	for _, fn := range c.Funcs {
		for call := range apis.Calls(fn) {
			if !isNotify(apis.Callee(call.Common())) || len(call.Common().Args) == 0 {
				continue
			}
			k := chanKey(call.Common().Args[0])
			if _, seen := c.notifies[k]; !seen {
				c.notifies[k] = call.Pos()
			}
		}
	}
	return c.notifies
}

// checkSignalCloses reports the closes in fn of a channel given to
// signal.Notify that can run before signal.Stop of it: the next signal is
// sent on the closed channel, and the send panics.
func (c *checker) checkSignalCloses(fn *ssa.Function) {
	for call := range apis.Calls(fn) {
		common := call.Common()
		if bi, ok := common.Value.(*ssa.Builtin); !ok || bi.Name() != "close" || len(common.Args) != 1 || !isSignalChan(common.Args[0].Type()) {
			continue
		}
		k := chanKey(common.Args[0])
		notify, ok := c.notified()[k]
		if !ok {
			continue
		}
		stops := func(in ssa.Instruction) bool { return c.stopsSignals(in, k) }
		var unstopped bool
		if _, deferred := call.(*ssa.Defer); deferred {
			// It runs at the return: a Stop after the defer, or a
			// deferred one (it runs first), must come on every path.
			s := cfgpath.Search{Stop: stops}
			unstopped = c.Graph.From(&s, call) != nil
		} else {
			unstopped = c.reachedUnstopped(fn, call, stops)
		}
		if !unstopped {
			continue
		}
		msg := report.Msgf("close of %s, given to signal.Notify %s, with no signal.Stop before it: a signal that arrives afterwards is sent on the closed channel and panics; call signal.Stop(%s) first",
			c.argText(common.Pos(), "the channel"), c.Src.At(notify), c.argText(common.Pos(), "c"))
		c.Report.Report(c.Src.CallRange(common.Pos()), msg, report.RelatedClause(msg))
	}
}

// argText returns the source text of the only argument of the call at pos,
// or def.
func (c *checker) argText(pos token.Pos, def string) string {
	if call := c.Src.Call(pos); call != nil && len(call.Args) == 1 {
		return types.ExprString(call.Args[0])
	}
	return def
}

// reachedUnstopped reports whether a path from fn's entry reaches the
// close without a Stop.
func (c *checker) reachedUnstopped(fn *ssa.Function, close ssa.CallInstruction, stops func(ssa.Instruction) bool) bool {
	entry := fn.Blocks[0].Instrs[0]
	if entry == close {
		return true
	}
	if stops(entry) {
		return false
	}
	return c.Graph.Reaches(entry, close, stops)
}

// stopsSignals reports whether instr stops the delivery of signals to the
// channel k: signal.Stop of it (deferred or not), or a call that is given
// it (a helper that may stop it).
func (c *checker) stopsSignals(instr ssa.Instruction, k any) bool {
	call, ok := instr.(ssa.CallInstruction)
	if !ok {
		return false
	}
	common := call.Common()
	if _, ok := common.Value.(*ssa.Builtin); ok {
		return false
	}
	fn := apis.Callee(common)
	if isNotify(fn) {
		return false
	}
	// signal.Reset and signal.Ignore end the delivery of the signals they
	// name, to every channel.
	if apis.IsFunc(fn, "os/signal", "Reset") || apis.IsFunc(fn, "os/signal", "Ignore") {
		return true
	}
	for _, a := range common.Args {
		if isSignalChan(a.Type()) && chanKey(a) == k {
			return true
		}
	}
	// A method or function of the package that reaches the field.
	if f, ok := k.(*types.Var); ok {
		if callee := apis.StaticFunc(common); callee != nil && callee.Pkg != nil && callee.Pkg.Pkg == c.Pass.Pkg {
			return c.stopsField(callee, f, 0)
		}
	}
	return false
}

// stopsField reports whether fn calls signal.Stop of the field f, itself
// or through the package's functions it calls.
func (c *checker) stopsField(fn *ssa.Function, f *types.Var, depth int) bool {
	if depth > 3 || fn.Blocks == nil {
		return false
	}
	for call := range apis.Calls(fn) {
		common := call.Common()
		if isSignalStop(apis.Callee(common)) && len(common.Args) > 0 && chanKey(common.Args[0]) == any(f) {
			return true
		}
		if callee := apis.StaticFunc(common); callee != nil && callee.Pkg != nil && callee.Pkg.Pkg == c.Pass.Pkg && callee != fn {
			if c.stopsField(callee, f, depth+1) {
				return true
			}
		}
	}
	return false
}
