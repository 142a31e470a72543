package handlerrecover

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
)

// runUse says how a function value is run: what a function does with one
// of its func parameters, or with a function value it makes or receives.
// Several may hold at once (on different paths, through different uses).
type runUse struct {
	// sync: called in the current goroutine without a recover before it,
	// or handed somewhere lifeguard cannot follow (stored, returned, given
	// to a function with no fact): it may run here, unrecovered.
	sync bool
	// recovered: called in the current goroutine under a recover.
	recovered bool
	// safe: started in a new goroutine that recovers.
	safe bool
	// bare: started in a new goroutine without a recover; the first such
	// go statement (in this function or in a helper of the package).
	bare *ssa.Go
}

func (u *runUse) merge(x runUse) {
	u.sync = u.sync || x.sync
	u.recovered = u.recovered || x.recovered
	u.safe = u.safe || x.safe
	if u.bare == nil {
		u.bare = x.bare
	}
}

func (u runUse) equal(x runUse) bool {
	return u.sync == x.sync && u.recovered == x.recovered && u.safe == x.safe && (u.bare == nil) == (x.bare == nil)
}

// startsOnly reports whether the value is only ever started in new
// goroutines (recovering or not), never run in the current one.
func (u runUse) startsOnly() bool { return !u.sync && !u.recovered && (u.safe || u.bare != nil) }

// apply composes: a function value run the way how says, which when it
// runs uses another value the way inner says; the result is how that other
// value is run.
func apply(how, inner runUse) runUse {
	var r runUse
	if how.sync {
		r.merge(inner)
	}
	if how.recovered {
		r.merge(runUse{recovered: inner.sync || inner.recovered, safe: inner.safe, bare: inner.bare})
	}
	if how.safe {
		r.merge(runUse{safe: inner.sync || inner.recovered || inner.safe, bare: inner.bare})
	}
	if how.bare != nil {
		var b *ssa.Go
		if inner.sync {
			b = how.bare
		}
		r.merge(runUse{safe: inner.recovered || inner.safe, bare: b})
		r.merge(runUse{bare: inner.bare})
	}
	return r
}

// isFuncList reports whether t is a function type or a slice of one (a
// variadic ...func()).
func isFuncList(t types.Type) bool {
	if isFunc(t) {
		return true
	}
	if s, ok := t.Underlying().(*types.Slice); ok {
		return isFunc(s.Elem())
	}
	return false
}

// summarizeStarts computes, to a fixed point (helpers of helpers), how each
// function of the package runs its func parameters.
func (c *checker) summarizeStarts() {
	c.starts = map[*ssa.Function][]runUse{}
	var fns []*ssa.Function
	for _, fn := range c.Funcs {
		if fn.Blocks == nil {
			continue
		}
		for _, p := range fn.Params {
			if isFuncList(p.Type()) {
				fns = append(fns, fn)
				break
			}
		}
	}
	for range 8 {
		changed := false
		for _, fn := range fns {
			old := c.starts[fn]
			uses := make([]runUse, len(fn.Params))
			for i, p := range fn.Params {
				if isFuncList(p.Type()) {
					uses[i] = c.howRun(p, map[ssa.Value]bool{})
				}
				if old == nil || !uses[i].equal(old[i]) {
					changed = true
				}
			}
			c.starts[fn] = uses
		}
		if !changed {
			break
		}
	}
}

// paramUse is how the callee runs its argument j.
func (c *checker) paramUse(cl callee, j int) runUse {
	if c.calleeRuns(cl, j) {
		return runUse{recovered: true}
	}
	if cl.iface {
		return runUse{sync: true}
	}
	j += cl.shift
	if cl.local {
		if uses := c.starts[cl.fn]; j >= 0 && j < len(uses) {
			return uses[j]
		}
		return runUse{sync: true}
	}
	if f := c.fact(cl.obj); f != nil && facts.Has(f.StartsUnderRecover, j) {
		return runUse{safe: true}
	}
	if c.stdObj(cl.obj) && runsElsewhere(cl.obj, j-cl.shift) {
		return runUse{} // run by the standard library's own goroutine, or not at all
	}
	return runUse{sync: true}
}

// runsElsewhere: standard-library functions whose func argument j does not
// run in the caller's goroutine: a timer's or context's callback, a
// finalizer, a handler net/http serves (under its own recover), a function
// wrapped to be called later.
func runsElsewhere(obj *types.Func, j int) bool {
	switch {
	case apis.IsFunc(obj, "time", "AfterFunc"), apis.IsFunc(obj, "context", "AfterFunc"),
		apis.IsFunc(obj, "runtime", "SetFinalizer"), apis.IsFunc(obj, "runtime", "AddCleanup"),
		apis.IsFunc(obj, "net/http", "HandleFunc"), apis.IsMethod(obj, "net/http", "ServeMux", "HandleFunc"):
		return j == 1
	case apis.IsFunc(obj, "sync", "OnceFunc"), apis.IsFunc(obj, "sync", "OnceValue"), apis.IsFunc(obj, "sync", "OnceValues"),
		apis.IsMethod(obj, "net/http", "Server", "RegisterOnShutdown"):
		return j == 0
	}
	return false
}

// howRun says how the function value v (a parameter, a free variable, a
// closure, a cell or slice holding them) is run by the function it is in.
func (c *checker) howRun(v ssa.Value, seen map[ssa.Value]bool) runUse {
	var u runUse
	if seen[v] {
		return u // followed already: its uses are merged there
	}
	if len(seen) > 64 {
		return runUse{sync: true} // too far to follow: it may run anywhere
	}
	seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return runUse{sync: true}
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef, *ssa.BinOp:
			// f != nil: not a use of the function
		case *ssa.Call:
			if r.Call.Value == v {
				if c.mayRecoverBefore(r.Parent(), r) {
					u.recovered = true
				} else {
					u.sync = true
				}
				continue
			}
			u.merge(c.argRun(&r.Call, v))
		case *ssa.Defer:
			if r.Call.Value == v {
				u.sync = true
				continue
			}
			u.merge(c.argRun(&r.Call, v))
		case *ssa.Go:
			if r.Call.Value == v {
				u.merge(runUse{bare: r})
				continue
			}
			u.merge(apply(runUse{bare: r}, c.argRun(&r.Call, v)))
		case *ssa.ChangeType, *ssa.Phi, *ssa.Slice:
			u.merge(c.howRun(r.(ssa.Value), seen))
		case *ssa.IndexAddr:
			if r.X == v {
				u.merge(c.howRun(r, seen))
			}
		case *ssa.Index:
			if r.X == v {
				u.merge(c.howRun(r, seen))
			}
		case *ssa.UnOp:
			if r.Op == token.MUL {
				u.merge(c.howRun(r, seen))
			} else {
				u.sync = true
			}
		case *ssa.Store:
			switch {
			case r.Addr == v:
				// a store into the cell or element, not a use of it
			case isLocalSlot(r.Addr):
				u.merge(c.howRun(slotOf(r.Addr), seen))
			default:
				u.sync = true // kept in a field or a global: anything may run it
			}
		case *ssa.MakeClosure:
			k, _ := r.Fn.(*ssa.Function)
			if k == nil {
				u.sync = true
				continue
			}
			for i, b := range r.Bindings {
				if b == v && i < len(k.FreeVars) {
					u.merge(apply(c.howRun(r, seen), c.howRun(k.FreeVars[i], seen)))
				}
			}
		default:
			u.sync = true
		}
	}
	return u
}

// argRun is how a call (or go or defer statement) runs v, one of its
// arguments (a builtin's are not run: len(fs)).
func (c *checker) argRun(cc *ssa.CallCommon, v ssa.Value) runUse {
	if b, ok := cc.Value.(*ssa.Builtin); ok {
		if b.Name() == "len" || b.Name() == "cap" {
			return runUse{}
		}
		return runUse{sync: true}
	}
	var u runUse
	cl, ok := c.calleeOf(cc)
	for j, a := range cc.Args {
		if a != v {
			continue
		}
		if !ok {
			u.sync = true
			continue
		}
		u.merge(c.paramUse(cl, j))
	}
	if cc.IsInvoke() && cc.Value == v {
		u.sync = true
	}
	return u
}

// isLocalSlot reports whether addr is a local variable (a cell) or an
// element of a local array (the backing array of a variadic call).
func isLocalSlot(addr ssa.Value) bool {
	switch a := addr.(type) {
	case *ssa.Alloc:
		return true
	case *ssa.IndexAddr:
		_, ok := a.X.(*ssa.Alloc)
		return ok
	}
	return false
}

func slotOf(addr ssa.Value) ssa.Value {
	if ia, ok := addr.(*ssa.IndexAddr); ok {
		return ia.X
	}
	return addr
}

// starterFact returns the fact bits of fn as a starter: the parameters it
// only starts in recovering goroutines, and whether fn is safe as a
// goroutine body because it does nothing but standard-library work and
// such starts.
func (c *checker) starterFact(fn *ssa.Function) (bits uint64, safeBody bool) {
	uses := c.starts[fn]
	if uses == nil {
		return 0, false
	}
	safeBody = true
	for i, u := range uses {
		if !isFuncList(fn.Params[i].Type()) {
			continue
		}
		if u.startsOnly() && u.bare == nil && i < 64 {
			bits |= 1 << i
		} else if u.sync || u.recovered || u.bare != nil {
			safeBody = false
		}
	}
	return bits, safeBody && bits != 0 && c.stdOnly(fn, 0)
}

// mayRecoverBefore reports whether a defer that recovers, or may (a
// function value lifeguard cannot see into: defer p.onPanic()), is
// registered on every path before instr.
func (c *checker) mayRecoverBefore(fn *ssa.Function, instr ssa.Instruction) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if d, ok := in.(*ssa.Defer); ok && c.deferState(d) != no && cfgpath.Precedes(d, instr) {
				return true
			}
		}
	}
	return false
}
