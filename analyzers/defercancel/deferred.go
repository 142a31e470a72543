package defercancel

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// checkDeferred reports the cancellable contexts made by a deferred call
// that govern nothing: the deferred call is context.With* itself, or the
// deferred function makes a context it neither uses nor hands off.
func (c *checker) checkDeferred(d *ssa.Defer) {
	if d.Call.IsInvoke() {
		return
	}
	switch v := d.Call.Value.(type) {
	case *ssa.Function:
		if name := apis.ContextFunc(apis.Callee(&d.Call)); apis.IsCancelling(name) {
			clause := report.Msgf("deferred context.%s makes its context as %s returns", name, c.Src.FuncName(owner(d.Parent())))
			c.Report.Report(c.Src.CallRange(d.Call.Pos()),
				report.Msgf("%s: it bounds none of the work before; call context.%s before that work and defer only its cancel", clause, name),
				report.RelatedClause(clause))
			return
		}
		if v.Blocks != nil && v.Pkg != nil && v.Pkg.Pkg == c.Pass.Pkg {
			c.checkDeferredFunc(d, v, nil)
		}
	case *ssa.MakeClosure:
		if fn, ok := v.Fn.(*ssa.Function); ok && fn.Blocks != nil {
			c.checkDeferredFunc(d, fn, v)
		}
	}
}

// checkDeferredFunc looks at the context.With* calls of fn, which the defer
// d runs (through the closure mc, if not nil).
func (c *checker) checkDeferredFunc(d *ssa.Defer, fn *ssa.Function, mc *ssa.MakeClosure) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || call.Call.IsInvoke() {
				continue
			}
			name := apis.ContextFunc(apis.Callee(&call.Call))
			if !apis.IsCancelling(name) || c.lostcancel[call.Pos()] || c.reported[call] {
				continue
			}
			var ctx ssa.Value
			for _, r := range ownership.Refs(call) {
				if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
					ctx = ex
				}
			}
			u := ctxUses{c: c, fn: fn, mc: mc, seen: map[ssa.Value]bool{}}
			if ctx != nil && u.governs(ctx) {
				// The Shutdown idiom: right, unless the parent may
				// already be cancelled (rule 3, cleanup.go).
				c.checkCleanupParent(d, fn, call, name, ctx)
				continue
			}
			c.reported[call] = true
			what := c.Src.Func(call.Call.Pos(), "context."+name)
			head, opts := c.deferredHead(what, fn, d)
			if u.outer != "" {
				assigns := report.Msgf("assigns %s as %s returns", u.outer, c.Src.FuncName(owner(d.Parent())))
				clause := report.Msgf("%s %s", head, assigns)
				if fn.Parent() == nil {
					clause = assigns
				}
				c.Report.Report(c.Src.CallRange(call.Call.Pos()),
					report.Msgf("%s %s: the context bounds none of the work that ran before; call %s before that work and defer only its cancel",
						head, assigns, what),
					append(opts, report.RelatedClause(clause))...)
			} else {
				c.Report.Report(c.Src.CallRange(call.Call.Pos()),
					report.Msgf("%s makes a context that nothing uses: it bounds no work; pass it to the calls it should bound, or call %s before the work and defer only its cancel",
						head, what),
					opts...)
			}
		}
	}
}

// deferredHead is how a finding in the deferred function fn begins, what
// and where: "context.WithTimeout in a deferred function", or
// "context.WithTimeout in cleanup, deferred at api.go:64,", whose last
// clause names the defer and is related information (opts).
func (c *checker) deferredHead(what string, fn *ssa.Function, d *ssa.Defer) (head report.Msg, opts []report.Option) {
	if fn.Parent() != nil {
		return report.Msgf("%s in a deferred function", what), nil
	}
	deferred := report.Msgf("deferred %s", c.Src.At(d.Pos()))
	return report.Msgf("%s in %s, %s,", what, fn.Name(), deferred), []report.Option{report.RelatedClause(deferred)}
}

// ctxUses decides whether a context made in a deferred function governs
// anything: is passed to a call, handed off, or kept where someone can
// still read it.
type ctxUses struct {
	c    *checker
	fn   *ssa.Function    // the deferred function
	mc   *ssa.MakeClosure // the deferred closure, or nil
	seen map[ssa.Value]bool
	// outer names the enclosing function's variable the context was
	// assigned to, when that is all that happens to it.
	outer string
}

func (u *ctxUses) governs(v ssa.Value) bool {
	if u.seen[v] {
		return false
	}
	u.seen[v] = true
	for _, r := range ownership.Refs(v) {
		switch in := r.(type) {
		case *ssa.DebugRef, *ssa.If, *ssa.Jump:
		case *ssa.Phi:
			if u.governs(in) {
				return true
			}
		case *ssa.ChangeType:
			if u.governs(in) {
				return true
			}
		case *ssa.ChangeInterface:
			if u.governs(in) {
				return true
			}
		case *ssa.MakeInterface:
			if u.governs(in) {
				return true
			}
		case *ssa.TypeAssert:
			if !in.CommaOk {
				if u.governs(in) {
					return true
				}
				continue
			}
			for _, rr := range ownership.Refs(in) {
				if ex, ok := rr.(*ssa.Extract); ok && ex.Index == 0 && u.governs(ex) {
					return true
				}
			}
		case *ssa.BinOp:
			if in.Op != token.EQL && in.Op != token.NEQ {
				return true
			}
		case *ssa.Store:
			if in.Val == v && u.stored(in) {
				return true
			}
		default:
			// Passed to a call (or its receiver), returned, sent,
			// captured, put in a map: used or handed off.
			return true
		}
	}
	return false
}

// stored decides a store of the context: into a local variable, whose later
// loads are followed; into a variable of the enclosing function, which
// nothing reads once the deferred function runs unless it is a named result
// or another closure holds it; anywhere else, a hand-off.
func (u *ctxUses) stored(st *ssa.Store) bool {
	switch addr := st.Addr.(type) {
	case *ssa.Alloc:
		return !ownership.IsLocalCell(addr) || u.loadedAfter(addr, st)
	case *ssa.FreeVar:
		if u.loadedAfter(addr, st) || !u.deadAtReturn(addr) {
			return true
		}
		u.outer = addr.Name()
		return false
	}
	return true
}

// loadedAfter reports whether a load of cell that can follow the store uses
// the context, or a closure captures the cell.
func (u *ctxUses) loadedAfter(cell ssa.Value, st *ssa.Store) bool {
	for _, r := range ownership.Refs(cell) {
		switch in := r.(type) {
		case *ssa.UnOp:
			if in.Op == token.MUL && u.c.Graph.Reaches(st, in, nil) && u.governs(in) {
				return true
			}
		case *ssa.Store, *ssa.DebugRef:
		default:
			return true
		}
	}
	return false
}

// deadAtReturn reports whether the variable fv of u.fn refers to, a variable
// of the function whose return runs the defer (or of the range-over-func
// loop bodies in between), is read by nothing after the deferred function
// runs: it is not a named result (read after the defers run), and no other
// closure captures it.
func (u *ctxUses) deadAtReturn(fv *ssa.FreeVar) bool {
	fn, mc := u.fn, u.mc
	var cell ssa.Value = fv
	for {
		if mc == nil {
			return false
		}
		i := freeVarIndex(fn, cell.(*ssa.FreeVar))
		if i < 0 || i >= len(mc.Bindings) {
			return false
		}
		outer := mc.Bindings[i]
		// Only the closure on the way captures the variable.
		for _, r := range ownership.Refs(outer) {
			if other, ok := r.(*ssa.MakeClosure); ok && other != mc {
				return false
			}
		}
		parent := mc.Parent()
		switch outer := outer.(type) {
		case *ssa.Alloc:
			if !ownership.IsLocalCell(outer) {
				return false
			}
			for _, r := range ownership.Refs(outer) {
				if load, ok := r.(*ssa.UnOp); ok && afterDefers(load) {
					return false
				}
			}
			return true
		case *ssa.FreeVar:
			// A variable from further out: it outlives the function
			// unless that is the body of a range-over-func loop.
			if !cfgpath.IsRangeFuncBody(parent) {
				return false
			}
			fn, mc, cell = parent, u.c.madeBy[parent], outer
		default:
			return false
		}
	}
}

// afterDefers reports whether the load runs after the function's deferred
// calls: after a rundefers in its block (a named result being returned), or
// in the block that returns after a recovered panic.
func afterDefers(load ssa.Instruction) bool {
	b := load.Block()
	if b == nil {
		return false
	}
	if b == b.Parent().Recover {
		return true
	}
	for _, in := range b.Instrs {
		if in == load {
			return false
		}
		if _, ok := in.(*ssa.RunDefers); ok {
			return true
		}
	}
	return false
}
