package defercancel

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// This file decides whether living until the function returns is what the
// context of a deferred cancel is for. A loop that starts one worker per
// item with its own cancellable context, and defers the cancels so that
// every worker stops when the function returns, is correct: cancelling at
// the end of each iteration would stop the workers at once.

// keptPastIteration reports whether the context made by s (or one derived
// from it) is used by something that can outlive the iteration: a
// goroutine, a closure that is not just called in place, a field, global,
// slice, map or channel, or a child process started with it. (A deferred
// call using it, such as defer span.End(), piles up with it.)
func (c *checker) keptPastIteration(s *ssa.Call) bool {
	seen := map[ssa.Value]bool{}
	for _, r := range ownership.Refs(s) {
		if ex, ok := r.(*ssa.Extract); ok && !isCancelType(ex.Type()) && kept(ex, seen) {
			return true
		}
	}
	return false
}

func kept(v ssa.Value, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	for _, r := range ownership.Refs(v) {
		switch in := r.(type) {
		case *ssa.Go, *ssa.Send, *ssa.MapUpdate:
			return true
		case *ssa.Call:
			if isCmdMethod(&in.Call, "Start") && in.Call.Args[0] == v {
				return true // exec.CommandContext(ctx, ...).Start()
			}
			if derived(in, seen) {
				return true
			}
		case *ssa.MakeClosure:
			if !calledInPlace(in) {
				return true
			}
		case *ssa.Store:
			if in.Val != v {
				continue
			}
			if fa, ok := in.Addr.(*ssa.FieldAddr); ok {
				if lit, ok := fa.X.(*ssa.Alloc); ok {
					// &Request{Ctx: ctx}: follow the struct.
					if kept(lit, seen) {
						return true
					}
					continue
				}
			}
			alloc, ok := in.Addr.(*ssa.Alloc)
			if !ok || !ownership.IsLocalCell(alloc) {
				return true
			}
			for _, rr := range ownership.Refs(alloc) {
				switch x := rr.(type) {
				case *ssa.UnOp:
					if kept(x, seen) {
						return true
					}
				case *ssa.MakeClosure:
					if !calledInPlace(x) {
						return true
					}
				}
			}
		case *ssa.Phi, *ssa.ChangeType, *ssa.ChangeInterface, *ssa.MakeInterface, *ssa.TypeAssert, *ssa.Extract:
			if kept(in.(ssa.Value), seen) {
				return true
			}
		case *ssa.FieldAddr:
			// resp.Body of a response made with the context: kept if the
			// body is (appended to a slice for reading after the loop).
			if in.X != v {
				continue
			}
			for _, rr := range ownership.Refs(in) {
				if load, ok := rr.(*ssa.UnOp); ok && load.Op == token.MUL && holder(load.Type()) && kept(load, seen) {
					return true
				}
			}
		case *ssa.Field:
			if holder(in.Type()) && kept(in, seen) {
				return true
			}
		}
	}
	return false
}

// derived follows what a call makes from the context: a derived context, a
// request or command that holds it, a channel from ctx.Done().
func derived(call *ssa.Call, seen map[ssa.Value]bool) bool {
	if _, ok := call.Type().(*types.Tuple); ok {
		for _, r := range ownership.Refs(call) {
			if ex, ok := r.(*ssa.Extract); ok && holder(ex.Type()) && kept(ex, seen) {
				return true
			}
		}
		return false
	}
	return holder(call.Type()) && kept(call, seen)
}

// holder reports whether a value of type t made from the context can keep
// it alive: a pointer, interface, channel, function, map or slice (a
// request, a command, a connection, ctx.Done()), but not a cancel function
// (the cancel of a context derived from this one has its own defer).
// Values such as errors, counts and parsed messages cannot.
func holder(t types.Type) bool {
	if isCancelType(t) || types.Identical(t, types.Universe.Lookup("error").Type()) {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Chan, *types.Signature, *types.Map, *types.Slice:
		return true
	}
	return false
}

// calledInPlace reports whether a closure is only called or deferred, not
// kept: func() { ... }(), f := func() {...}; f(), defer func() {...}().
func calledInPlace(mc *ssa.MakeClosure) bool {
	for _, r := range ownership.Refs(mc) {
		switch in := r.(type) {
		case *ssa.Call:
			if in.Call.Value != mc {
				return false
			}
		case *ssa.Defer:
			if in.Call.Value != mc {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isCmdMethod(c *ssa.CallCommon, name string) bool {
	return apis.IsMethod(apis.Callee(c), "os/exec", "Cmd", name) && !c.IsInvoke() && len(c.Args) > 0
}

// cancelledElsewhere reports whether the cancel function made by s is used
// other than by deferring or calling it (or a closure that only does that):
// stored, sent, handed to another goroutine or function. Then something
// else manages the context's lifetime, and the defer is a backstop.
func (c *checker) cancelledElsewhere(s *ssa.Call, d *ssa.Defer) bool {
	seen := map[ssa.Value]bool{}
	for _, r := range ownership.Refs(s) {
		if ex, ok := r.(*ssa.Extract); ok && isCancelType(ex.Type()) && c.cancelEscapes(ex, d, s, seen) {
			return true
		}
	}
	if _, tuple := s.Type().(*types.Tuple); !tuple && isCancelType(s.Type()) {
		return c.cancelEscapes(s, d, s, seen)
	}
	return false
}

func (c *checker) cancelEscapes(v ssa.Value, d *ssa.Defer, s *ssa.Call, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	for _, r := range ownership.Refs(v) {
		switch in := r.(type) {
		case *ssa.DebugRef, *ssa.If, *ssa.Jump:
		case *ssa.Call:
			if in.Call.Value != v {
				return true // given to a function
			}
		case *ssa.Defer:
			if in.Call.Value != v && in != d {
				return true
			}
		case *ssa.BinOp:
			if in.Op != token.EQL && in.Op != token.NEQ {
				return true
			}
		case *ssa.Phi, *ssa.ChangeType:
			if c.cancelEscapes(in.(ssa.Value), d, s, seen) {
				return true
			}
		case *ssa.Return:
			// Returned from inside the loop: that path leaves it.
		case *ssa.MapUpdate:
			// m[k] = cancel: a hand-off, unless the iteration deletes
			// it again without calling it (maps.go).
			if in.Value != v || !c.deletedInIteration(in, s) {
				return true
			}
		case *ssa.MakeClosure:
			if !calledInPlace(in) {
				return true
			}
		case *ssa.Store:
			alloc, ok := in.Addr.(*ssa.Alloc)
			if in.Val != v || !ok || !ownership.IsLocalCell(alloc) {
				return true
			}
			for _, rr := range ownership.Refs(alloc) {
				switch x := rr.(type) {
				case *ssa.UnOp:
					if c.cancelEscapes(x, d, s, seen) {
						return true
					}
				case *ssa.MakeClosure:
					if !calledInPlace(x) {
						return true
					}
				}
			}
		default:
			return true
		}
	}
	return false
}

// nilGuarded reports whether s runs only while a variable that s itself
// sets is still nil, or the zero value of its type:
// if cancel == nil { ctx, cancel = context.WithCancel(...) },
// if l == zero { l, cancel = acquire(ctx) }. Once set, the guard keeps s from
// running again.
func nilGuarded(s *ssa.Call) bool {
	for ifi, succ := range cfgpath.Guards(s) {
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || (cmp.Op != token.EQL && cmp.Op != token.NEQ) {
			continue
		}
		x := cmp.X
		if apis.IsZeroConst(x) {
			x = cmp.Y
		} else if !apis.IsZeroConst(cmp.Y) {
			continue
		}
		nilEdge := 0
		if cmp.Op == token.NEQ {
			nilEdge = 1
		}
		if succ == nilEdge && setOnceBy(x, s) {
			return true
		}
	}
	return false
}

// setOnceBy reports whether the variable whose value x is holds a result
// of s once s has run: every other value it can have (through φ-nodes, or
// stores into its cell) is assigned before s can first run, never on the
// way back from s.
func setOnceBy(x ssa.Value, s *ssa.Call) bool {
	sawS, ok := false, true
	seen := map[ssa.Value]bool{}
	var leaf func(v ssa.Value, from ssa.Instruction, fromBlock *ssa.BasicBlock)
	leaf = func(v ssa.Value, from ssa.Instruction, fromBlock *ssa.BasicBlock) {
		if seen[v] {
			return
		}
		seen[v] = true
		switch v := v.(type) {
		case *ssa.Extract:
			if v.Tuple == s {
				sawS = true
				return
			}
		case *ssa.ChangeType:
			leaf(v.X, from, fromBlock)
			return
		case *ssa.Phi:
			for i, e := range v.Edges {
				leaf(e, nil, v.Block().Preds[i])
			}
			return
		}
		// Another value: it must not be assigned after s has run.
		switch {
		case from != nil && cfgpath.Reaches(s, from, nil):
			ok = false
		case fromBlock != nil && cfgpath.BlockReaches(s.Block(), fromBlock):
			ok = false
		}
	}
	switch x := x.(type) {
	case *ssa.UnOp:
		alloc, isAlloc := x.X.(*ssa.Alloc)
		if !isAlloc || x.Op != token.MUL || !ownership.IsLocalCell(alloc) {
			return false
		}
		for _, r := range ownership.Refs(alloc) {
			if st, isStore := r.(*ssa.Store); isStore && st.Addr == alloc {
				delete(seen, st.Val)
				leaf(st.Val, st, nil)
			}
		}
	case *ssa.Phi:
		leaf(x, nil, nil)
	default:
		return false
	}
	return sawS && ok
}
