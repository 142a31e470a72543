package defercancel

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// This file finds where a cancel function comes from: the calls that made
// the context it cancels (a context.With* call, or a call of a helper that
// makes one), following φ-nodes, conversions, local variable cells and
// closures that call the cancel they capture.

// freshResult reports whether result i of the call is the cancel function
// of a context the call makes.
func (c *checker) freshResult(call *ssa.CallCommon, i int) bool {
	callee := apis.Callee(call)
	if callee == nil {
		if fn := apis.StaticFunc(call); fn != nil { // a closure called in place
			return c.local[fn]&(1<<i) != 0
		}
		return false
	}
	if apis.IsCancelling(apis.ContextFunc(callee)) {
		return i == 1
	}
	if apis.IsFunc(callee, "os/signal", "NotifyContext") {
		return i == 1 // stop unregisters the signal handler and cancels
	}
	if cancelFuncs.Matches(callee) {
		sig := callee.Type().(*types.Signature)
		return cancelResults(sig)&(1<<i) != 0
	}
	if i >= 64 {
		return false
	}
	if fn := apis.StaticFunc(call); fn != nil {
		if o := fn.Origin(); o != nil {
			fn = o
		}
		if bits, ok := c.local[fn]; ok {
			return bits&(1<<i) != 0
		}
	}
	if callee.Pkg() == nil || callee.Pkg() == c.Pass.Pkg {
		return false
	}
	var f facts.CancelFact
	return c.Pass.ImportObjectFact(callee, &f) && f.Results&(1<<i) != 0
}

// sources adds to out the calls that made the cancel function v.
func (c *checker) sources(v ssa.Value, seen map[ssa.Value]bool, out map[*ssa.Call]bool) {
	if v == nil || seen[v] {
		return
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok && c.freshResult(&call.Call, v.Index) {
			out[call] = true
		}
	case *ssa.Call:
		if _, tuple := v.Type().(*types.Tuple); !tuple && c.freshResult(&v.Call, 0) {
			out[v] = true
		}
	case *ssa.Phi:
		for _, e := range v.Edges {
			c.sources(e, seen, out)
		}
	case *ssa.ChangeType:
		c.sources(v.X, seen, out)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			c.cellSources(v.X, seen, out)
		}
	case *ssa.MakeClosure:
		// A wrapper: func() { cancel(); span.End() }.
		if fn, ok := v.Fn.(*ssa.Function); ok {
			c.calledCancels(fn, v.Bindings, nil, seen, out, nil)
		}
	}
}

// cellSources adds the sources of every cancel stored in a local
// variable's cell.
func (c *checker) cellSources(cell ssa.Value, seen map[ssa.Value]bool, out map[*ssa.Call]bool) {
	alloc, ok := cell.(*ssa.Alloc)
	if !ok || !ownership.IsLocalCell(alloc) {
		return
	}
	for _, r := range ownership.Refs(alloc) {
		if st, ok := r.(*ssa.Store); ok && st.Addr == alloc {
			c.sources(st.Val, seen, out)
		}
	}
}

// calledCancels adds the sources of the cancels that fn calls and that
// come from outside it: through its free variables (bound to bindings, in
// the function that makes the closure) or its parameters (given args).
// called, if not nil, records the first call that calls one.
func (c *checker) calledCancels(fn *ssa.Function, bindings, args []ssa.Value, seen map[ssa.Value]bool, out map[*ssa.Call]bool, called **ssa.Call) {
	if len(bindings) == 0 && len(args) == 0 {
		return
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || call.Call.IsInvoke() {
				continue
			}
			before := len(out)
			switch v := call.Call.Value.(type) {
			case *ssa.UnOp:
				if fv, ok := v.X.(*ssa.FreeVar); ok && v.Op == token.MUL {
					if i := freeVarIndex(fn, fv); i >= 0 && i < len(bindings) {
						c.cellSources(bindings[i], seen, out)
					}
				}
			case *ssa.FreeVar:
				if i := freeVarIndex(fn, v); i >= 0 && i < len(bindings) {
					c.sources(bindings[i], seen, out)
				}
			case *ssa.Parameter:
				for i, p := range fn.Params {
					if p == v && i < len(args) {
						c.sources(args[i], seen, out)
					}
				}
			}
			if called != nil && *called == nil && len(out) > before {
				*called = call
			}
		}
	}
}

func freeVarIndex(fn *ssa.Function, fv *ssa.FreeVar) int {
	for i, f := range fn.FreeVars {
		if f == fv {
			return i
		}
	}
	return -1
}

// callCancels returns the sources of the cancels a call (or deferred call)
// calls: the cancel itself (cancel()), a closure calling captured cancels
// (func() { cancel() }()), or a same-package function calling a cancel it
// is given (stop(cancel)). called is the call that calls the cancel, for
// messages (nil when it is the call itself).
func (c *checker) callCancels(common *ssa.CallCommon) (srcs map[*ssa.Call]bool, called *ssa.Call) {
	if common.IsInvoke() {
		return nil, nil
	}
	srcs = map[*ssa.Call]bool{}
	seen := map[ssa.Value]bool{}
	switch v := common.Value.(type) {
	case *ssa.MakeClosure:
		if fn, ok := v.Fn.(*ssa.Function); ok {
			c.calledCancels(fn, v.Bindings, common.Args, seen, srcs, &called)
		}
	case *ssa.Function:
		if v.Blocks != nil {
			c.calledCancels(v, nil, common.Args, seen, srcs, &called)
		}
	case *ssa.Builtin:
	default:
		c.sources(v, seen, srcs)
	}
	return srcs, called
}

// computeFacts finds the functions whose cancel-typed results come from
// contexts they make, iterating to a fixed point (helpers calling helpers),
// and exports the facts of the package's named functions.
func (c *checker) computeFacts(funcs []*ssa.Function) {
	type candidate struct {
		fn   *ssa.Function
		bits uint64
		rets []*ssa.Return
	}
	var cands []candidate
	for _, fn := range funcs {
		if fn.Blocks == nil {
			continue
		}
		bits := cancelResults(fn.Signature)
		if bits == 0 {
			continue
		}
		cand := candidate{fn: fn, bits: bits}
		for _, b := range fn.Blocks {
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				cand.rets = append(cand.rets, ret)
			}
		}
		cands = append(cands, cand)
	}
	for round := 0; round <= len(cands); round++ {
		changed := false
		for _, cand := range cands {
			var got uint64
			for i := 0; i < 64; i++ {
				if cand.bits&(1<<i) == 0 {
					continue
				}
				for _, ret := range cand.rets {
					if i >= len(ret.Results) {
						continue
					}
					out := map[*ssa.Call]bool{}
					c.sources(ret.Results[i], map[ssa.Value]bool{}, out)
					if len(out) > 0 {
						got |= 1 << i
						break
					}
				}
			}
			if got != c.local[cand.fn] {
				c.local[cand.fn] = got
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	// As for the other analyzers, the standard library's facts are built
	// in (freshResult knows os/signal.NotifyContext) rather than exported.
	if apis.IsStdlib(c.Pass) {
		return
	}
	for _, cand := range cands {
		bits := c.local[cand.fn]
		if bits == 0 || cand.fn.Parent() != nil {
			continue
		}
		if obj, ok := cand.fn.Object().(*types.Func); ok && obj.Pkg() == c.Pass.Pkg {
			c.Pass.ExportObjectFact(obj, &facts.CancelFact{Results: bits})
		}
	}
}
