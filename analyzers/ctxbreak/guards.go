package ctxbreak

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// A mark is a point of a function from which on a condition holds: the
// instructions of block from index on, and every block block dominates.
type mark struct {
	block *ssa.BasicBlock
	index int
	// failed holds, for the error path of calls given the context (err
	// := f(ctx); if err != nil), those calls: the failure may or may not
	// be the cancellation. Nil for the marks that know it is.
	failed []*ssa.Call
}

func (m mark) covers(instr ssa.Instruction) bool {
	b := instr.Block()
	if b == nil {
		return false
	}
	if b == m.block {
		for i, in := range b.Instrs {
			if in == instr {
				return i >= m.index
			}
		}
		return false
	}
	return m.block.Dominates(b)
}

// guards are the points of one function after which the caller's context
// is known to be over (cancelled), or a context was found to be nil.
type guards struct {
	cancelled []mark
	nilCtx    []mark
}

func (g *guards) isCancelled(instr ssa.Instruction) bool { return anyCovers(g.cancelled, instr) }
func (g *guards) isNilCtx(instr ssa.Instruction) bool    { return anyCovers(g.nilCtx, instr) }

func anyCovers(ms []mark, instr ssa.Instruction) bool {
	for _, m := range ms {
		if m.covers(instr) {
			return true
		}
	}
	return false
}

// afterCancel reports whether the call runs only once a context is over: in
// fn, or at every place fn (a synchronous literal) runs in the functions up
// to owner, the function whose context is in scope.
func (c *checker) afterCancel(fn, owner *ssa.Function, instr ssa.Instruction) bool {
	return c.guardedUp(fn, owner, instr, (*guards).isCancelled, 0)
}

// nilGuarded reports whether the call runs only where a context was found
// to be nil: if ctx == nil { ctx = context.Background() }.
func (c *checker) nilGuarded(fn *ssa.Function, instr ssa.Instruction) bool {
	return c.guardedUp(fn, nil, instr, (*guards).isNilCtx, 0)
}

func (c *checker) guardedUp(fn, owner *ssa.Function, instr ssa.Instruction, holds func(*guards, ssa.Instruction) bool, depth int) bool {
	if holds(c.guardsOf(fn), instr) {
		return true
	}
	if fn == owner || fn.Parent() == nil || depth > 8 || !c.synchronous(fn) {
		return false
	}
	sites := c.closureSites(fn)
	for _, s := range sites {
		if !c.guardedUp(fn.Parent(), owner, s, holds, depth+1) {
			return false
		}
	}
	return len(sites) > 0
}

func (c *checker) guardsOf(fn *ssa.Function) *guards {
	if g := c.guards[fn]; g != nil {
		return g
	}
	g := &guards{}
	c.guards[fn] = g
	for _, b := range fn.Blocks {
		for i, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.UnOp:
				if in.Op == token.ARROW && c.isDone(in.X) {
					g.cancelled = append(g.cancelled, mark{block: b, index: i + 1})
				}
			case *ssa.Select:
				for idx, st := range in.States {
					if st.Dir == types.RecvOnly && c.isDone(st.Chan) {
						g.cancelled = append(g.cancelled, selectCase(in, idx)...)
					}
				}
			case *ssa.If:
				c.branchGuards(g, in)
			}
		}
	}
	return g
}

// selectCase returns the start of the body of case idx of sel.
func selectCase(sel *ssa.Select, idx int) []mark {
	var out []mark
	for _, r := range ownership.Refs(sel) {
		ex, ok := r.(*ssa.Extract)
		if !ok || ex.Index != 0 {
			continue
		}
		for _, rr := range ownership.Refs(ex) {
			bin, ok := rr.(*ssa.BinOp)
			if !ok {
				continue
			}
			if s, k, ok := cfgpath.SelectCase(bin); !ok || s != sel || k != idx {
				continue
			}
			for _, rrr := range ownership.Refs(bin) {
				if ifi, ok := rrr.(*ssa.If); ok {
					if m, ok := edge(ifi, 0); ok {
						out = append(out, m)
					}
				}
			}
		}
	}
	return out
}

// edge returns the mark of successor i of the If's block when that block is
// entered only from the If (so that it means the branch was taken).
func edge(ifi *ssa.If, i int) (mark, bool) {
	b := ifi.Block()
	if len(b.Succs) != 2 {
		return mark{}, false
	}
	s := b.Succs[i]
	if in, succ, ok := cfgpath.Branch(s); !ok || in != ifi || succ != i {
		return mark{}, false
	}
	return mark{block: s}, true
}

// branchGuards records the branches of an if on which a context is over
// (ctx.Err() != nil, err == context.Canceled, errors.Is(err,
// context.DeadlineExceeded)) or nil (ctx == nil).
func (c *checker) branchGuards(g *guards, ifi *ssa.If) {
	add := func(list *[]mark, succ int) {
		if m, ok := edge(ifi, succ); ok {
			*list = append(*list, m)
		}
	}
	switch cond := ifi.Cond.(type) {
	case *ssa.BinOp:
		if cond.Op != token.EQL && cond.Op != token.NEQ {
			return
		}
		whenEqual, whenNot := 0, 1
		if cond.Op == token.NEQ {
			whenEqual, whenNot = 1, 0
		}
		x, y := cond.X, cond.Y
		if apis.IsNilConst(x) {
			x, y = y, x
		}
		switch {
		case apis.IsNilConst(y) && c.isErrOfCtx(x):
			add(&g.cancelled, whenNot) // ctx.Err() != nil
		case apis.IsNilConst(y) && c.errOfCtxCall(x, map[ssa.Value]bool{}) != nil:
			// err := f(ctx); err != nil
			if m, ok := edge(ifi, whenNot); ok {
				m.failed = c.errOfCtxCall(x, map[ssa.Value]bool{})
				g.cancelled = append(g.cancelled, m)
			}
		case apis.IsNilConst(y) && c.isCtxType(x.Type()):
			add(&g.nilCtx, whenEqual) // ctx == nil
		case apis.IsContextErrVar(x) || apis.IsContextErrVar(y):
			add(&g.cancelled, whenEqual) // err == context.Canceled
		}
	case *ssa.Call:
		fn := apis.Callee(&cond.Call)
		if apis.IsFunc(fn, "errors", "Is") && len(cond.Call.Args) == 2 && apis.IsContextErrVar(cond.Call.Args[1]) {
			add(&g.cancelled, 0)
		}
	}
}

// isDone reports whether v is the Done() channel of a context.
func (c *checker) isDone(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	common := &call.Call
	if common.IsInvoke() {
		return common.Method.Name() == "Done" && c.implementsCtx(common.Value.Type())
	}
	fn := apis.Callee(common)
	return fn != nil && fn.Name() == "Done" && len(common.Args) == 1 && apis.RecvTypeName(fn) != "" && c.implementsCtx(common.Args[0].Type())
}

// isErrOfCtx reports whether v is ctx.Err() or context.Cause(ctx).
func (c *checker) isErrOfCtx(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	common := &call.Call
	if common.IsInvoke() {
		return common.Method.Name() == "Err" && c.implementsCtx(common.Value.Type())
	}
	fn := apis.Callee(common)
	if apis.ContextFunc(fn) == "Cause" {
		return true
	}
	return fn != nil && fn.Name() == "Err" && len(common.Args) == 1 && apis.RecvTypeName(fn) != "" && c.implementsCtx(common.Args[0].Type())
}

// errOfCtxCall returns the calls given a context from outside (not a
// fresh root) that the error v was returned by, or nil: the failure may be
// that context's cancellation, so its error path may run after the
// caller's context is over, and a fresh root there (to record the
// failure, to clean up) is deliberate. Not to retry the call (retry.go).
func (c *checker) errOfCtxCall(v ssa.Value, seen map[ssa.Value]bool) []*ssa.Call {
	if seen[v] || !isError(v.Type()) {
		return nil
	}
	var calls []*ssa.Call
	ownership.Origins(v, seen, func(o ssa.Value) bool {
		if !isError(o.Type()) {
			return true // made into an error from another type
		}
		switch o := o.(type) {
		case *ssa.Extract:
			if call, ok := o.Tuple.(*ssa.Call); ok && c.takesCtx(call) {
				calls = append(calls, call)
			}
		case *ssa.Call:
			if c.takesCtx(o) {
				calls = append(calls, o)
			}
		}
		return true
	})
	return calls
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// takesCtx reports whether call is given a context that is not a fresh root.
func (c *checker) takesCtx(call *ssa.Call) bool {
	for _, a := range call.Call.Args {
		if c.isCtxType(a.Type()) && !c.fresh(a) {
			return true
		}
	}
	return false
}
