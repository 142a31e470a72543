package ctxbreak

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// A goroutine is detached work only when the function that starts it can
// return while it runs. One the function waits for is part of the
// function's own work, as much as a literal it calls, and the context in
// scope is the one it should use:
//
//	g.Go(func() error { ... })  // errgroup.Group, sync.WaitGroup.Go (Go
//	return g.Wait()             // 1.25), conc pools: a Go method whose
//	                            // receiver has a Wait method, and Wait on
//	                            // that receiver before every return
//
//	wg.Add(1)
//	go func() { defer wg.Done(); ... }()  // Done on a sync.WaitGroup
//	wg.Wait()                             // Wait on it before every return
//
//	go func() { errc <- ... }()  // a send on (or close of) a channel
//	err := <-errc                // received before every return
//
// "Before every return" is a path search from the go statement or the Go
// call: a path that returns without waiting (an early return in the loop
// that starts the goroutines, a select that gives up on a timeout) leaves
// the goroutine running past the function, and then it is detached.

// joinSites returns the go statements and Go calls that start the function
// literal fn when every use of fn starts it and the function around waits
// for it after each; nil otherwise.
func (c *checker) joinSites(fn *ssa.Function) []ssa.Instruction {
	if sites, ok := c.joins[fn]; ok {
		return sites
	}
	c.joins[fn] = nil
	sites := c.computeJoin(fn)
	c.joins[fn] = sites
	return sites
}

func (c *checker) computeJoin(fn *ssa.Function) []ssa.Instruction {
	if fn.Parent() == nil || cfgpath.IsRangeFuncBody(fn) || fn.Referrers() == nil {
		return nil
	}
	var sites []ssa.Instruction
	// started decides the uses of v, the literal (fn itself, or the
	// closure mc made of it).
	started := func(v ssa.Value, mc *ssa.MakeClosure) bool {
		for _, r := range ownership.Refs(v) {
			switch r := r.(type) {
			case *ssa.DebugRef:
			case *ssa.Go:
				if r.Call.Value != v || argOf(&r.Call, v) || !c.goJoined(r, fn, mc) {
					return false
				}
				sites = append(sites, r)
			case *ssa.Call:
				if r.Call.Value == v || !c.groupJoined(r, v) {
					return false
				}
				sites = append(sites, r)
			default:
				return false
			}
		}
		return true
	}
	for _, r := range *fn.Referrers() {
		mc, _ := r.(*ssa.MakeClosure)
		var ok bool
		if mc != nil {
			ok = started(mc, mc)
		} else {
			// The literal captures nothing: its uses are of fn.
			ok = started(fn, nil)
		}
		if !ok {
			return nil
		}
		if mc == nil {
			break // started(fn) saw every use of fn
		}
	}
	return sites
}

func argOf(common *ssa.CallCommon, v ssa.Value) bool {
	for _, a := range common.Args {
		if a == v {
			return true
		}
	}
	return false
}

// groupJoined reports whether call hands the literal v to a Go (or TryGo)
// method whose receiver has a Wait method, and the function waits on that
// receiver on every path after the call.
func (c *checker) groupJoined(call *ssa.Call, v ssa.Value) bool {
	common := &call.Call
	n := 0
	for _, a := range common.Args {
		if a == v {
			n++
		}
	}
	if n != 1 {
		return false
	}
	var name string
	if common.IsInvoke() {
		name = common.Method.Name()
	} else if fn := apis.Callee(common); fn != nil {
		name = fn.Name()
	}
	if name != "Go" && name != "TryGo" {
		return false
	}
	recv := apis.Receiver(common)
	if recv == nil || recv == v || !hasWait(recv.Type()) {
		return false
	}
	return c.waitsAfter(call, func(in ssa.Instruction) bool {
		w, ok := in.(*ssa.Call)
		if !ok || !isWaitCall(&w.Call) {
			return false
		}
		r := apis.Receiver(&w.Call)
		return r != nil && ownership.SameValue(r, recv)
	})
}

// hasWait reports whether values of type t have a method Wait that takes
// nothing: what a group waits for its goroutines with.
func hasWait(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Wait")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig, _ := fn.Type().(*types.Signature)
	return sig != nil && sig.Params().Len() == 0
}

func isWaitCall(common *ssa.CallCommon) bool {
	if common.IsInvoke() {
		return common.Method.Name() == "Wait" && len(common.Args) == 0
	}
	fn := apis.Callee(common)
	return fn != nil && fn.Name() == "Wait" && apis.RecvTypeName(fn) != "" && len(common.Args) == 1
}

// goJoined reports whether the goroutine g starts (the literal fn, through
// the closure mc if not nil) is waited for on every path after g: fn calls
// Done on a sync.WaitGroup and the function then calls Wait on it, or fn
// sends on or closes a channel the function then receives from.
func (c *checker) goJoined(g *ssa.Go, fn *ssa.Function, mc *ssa.MakeClosure) bool {
	var groups, chans []ssa.Value // in fn's terms
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Call:
				if isWaitGroup(&in.Call, "Done") {
					groups = append(groups, in.Call.Args[0])
				} else if isClose(&in.Call) {
					chans = append(chans, in.Call.Args[0])
				}
			case *ssa.Defer:
				if isWaitGroup(&in.Call, "Done") {
					groups = append(groups, in.Call.Args[0])
				} else if isClose(&in.Call) {
					chans = append(chans, in.Call.Args[0])
				}
			case *ssa.Send:
				chans = append(chans, in.Chan)
			}
		}
	}
	if len(groups) == 0 && len(chans) == 0 {
		return false
	}
	// outer maps a value of fn that comes from outside (a captured
	// variable, an argument of the go statement) to the value outside.
	outer := func(v ssa.Value) ssa.Value {
		switch v := v.(type) {
		case *ssa.FreeVar:
			if mc == nil {
				return nil
			}
			for i, fv := range fn.FreeVars {
				if fv == v && i < len(mc.Bindings) {
					return mc.Bindings[i]
				}
			}
		case *ssa.Parameter:
			for i, p := range fn.Params {
				if p == v && i < len(g.Call.Args) {
					return g.Call.Args[i]
				}
			}
		}
		return nil
	}
	same := func(inner []ssa.Value, v ssa.Value) bool {
		for _, x := range inner {
			if ownership.SameValueIn(x, v, outer) {
				return true
			}
		}
		return false
	}
	return c.waitsAfter(g, func(in ssa.Instruction) bool {
		switch in := in.(type) {
		case *ssa.Call:
			return isWaitGroup(&in.Call, "Wait") && same(groups, in.Call.Args[0])
		case *ssa.UnOp:
			return in.Op == token.ARROW && same(chans, in.X)
		}
		return false
	})
}

// waitsAfter reports whether every path from instr to a return of its
// function goes through an instruction that waits.
func (c *checker) waitsAfter(instr ssa.Instruction, waits func(ssa.Instruction) bool) bool {
	return c.Graph.From(&cfgpath.Search{Stop: waits}, instr) == nil
}

// isWaitGroup reports whether the call is (*sync.WaitGroup).name.
func isWaitGroup(common *ssa.CallCommon, name string) bool {
	return !common.IsInvoke() && apis.IsMethod(apis.Callee(common), "sync", "WaitGroup", name) && len(common.Args) == 1
}

func isClose(common *ssa.CallCommon) bool {
	b, ok := common.Value.(*ssa.Builtin)
	return ok && b.Name() == "close" && len(common.Args) == 1
}
