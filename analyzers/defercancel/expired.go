package defercancel

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// A context whose deadline has passed, or that was cancelled, has already
// released what it held: its timer has fired and its parent has forgotten
// it. A loop that goes round only once the context is done (a test waiting
// for a short timeout to expire, a retry on context.DeadlineExceeded) keeps
// nothing alive but the deferred call itself. These are the branches on
// which that is known:
//
//	err == context.DeadlineExceeded, errors.Is(err, context.Canceled)
//	ctx.Err() != nil
//	<-ctx.Done(), and a select case receiving from it
//
// expired returns a Pruned function for cfgpath.Search cutting them, and
// a Stop for the receives.
func (c *checker) expired(s *ssa.Call) (pruned func(*ssa.BasicBlock, int) bool, stop func(ssa.Instruction) bool) {
	pruned = func(b *ssa.BasicBlock, i int) bool {
		if len(b.Instrs) == 0 || len(b.Succs) != 2 {
			return false
		}
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			return false
		}
		branch, ok := doneBranch(ifi.Cond, s)
		return ok && branch == i
	}
	stop = func(in ssa.Instruction) bool {
		recv, ok := in.(*ssa.UnOp)
		return ok && recv.Op == token.ARROW && isDoneOf(recv.X, s)
	}
	return pruned, stop
}

// doneBranch returns which branch of "if cond" (0: true, 1: false) is taken
// only when the context made by s is done.
func doneBranch(cond ssa.Value, s *ssa.Call) (int, bool) {
	switch cond := cond.(type) {
	case *ssa.BinOp:
		if cond.Op != token.EQL && cond.Op != token.NEQ {
			return 0, false
		}
		eq := 0
		if cond.Op == token.NEQ {
			eq = 1
		}
		switch {
		case apis.IsContextErrVar(cond.X) || apis.IsContextErrVar(cond.Y):
			return eq, true // err == context.DeadlineExceeded
		case apis.IsNilConst(cond.Y) && isErrOf(cond.X, s), apis.IsNilConst(cond.X) && isErrOf(cond.Y, s):
			return 1 - eq, true // ctx.Err() != nil
		}
		if sel, i, ok := cfgpath.SelectCase(cond); ok && sel.States[i].Dir == types.RecvOnly && isDoneOf(sel.States[i].Chan, s) {
			return 0, true // case <-ctx.Done():
		}
	case *ssa.Call:
		if apis.IsFunc(apis.Callee(&cond.Call), "errors", "Is") && len(cond.Call.Args) == 2 && apis.IsContextErrVar(cond.Call.Args[1]) {
			return 0, true
		}
	}
	return 0, false
}

// isErrOf reports whether v is ctx.Err() of the context made by s.
func isErrOf(v ssa.Value, s *ssa.Call) bool {
	call, ok := v.(*ssa.Call)
	return ok && call.Call.IsInvoke() && call.Call.Method.Name() == "Err" && isCtxOf(call.Call.Value, s, map[ssa.Value]bool{})
}

// isDoneOf reports whether v is ctx.Done() of the context made by s.
func isDoneOf(v ssa.Value, s *ssa.Call) bool {
	call, ok := v.(*ssa.Call)
	return ok && call.Call.IsInvoke() && call.Call.Method.Name() == "Done" && isCtxOf(call.Call.Value, s, map[ssa.Value]bool{})
}

// isCtxOf reports whether v can be the context made by s.
func isCtxOf(v ssa.Value, s *ssa.Call, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Extract:
		return v.Tuple == s
	case *ssa.Phi:
		for _, e := range v.Edges {
			if isCtxOf(e, s, seen) {
				return true
			}
		}
	case *ssa.ChangeInterface:
		return isCtxOf(v.X, s, seen)
	case *ssa.UnOp:
		if alloc, ok := v.X.(*ssa.Alloc); ok && v.Op == token.MUL {
			for _, r := range ownership.Refs(alloc) {
				if st, ok := r.(*ssa.Store); ok && st.Addr == alloc && isCtxOf(st.Val, s, seen) {
					return true
				}
			}
		}
	}
	return false
}
