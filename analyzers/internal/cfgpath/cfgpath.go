// Package cfgpath searches the control-flow graph of an SSA function for a
// path on which a rule is broken: from an acquisition to a return (or to
// another instruction) that avoids every instruction that would satisfy the
// rule. Blocks ending in panic are dead ends, and so are calls that never
// return (the standard exits, Fatal* loggers, t.FailNow, the package's own
// functions that cannot return: Graph): go/ssa does not cut them from the
// CFG, and lifeguard builds its SSA without ctrlflow's facts (lazyssa).
package cfgpath

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
)

// Search describes one path search in one function.
type Search struct {
	// Stop reports whether executing the instruction satisfies the rule on
	// this path (the resource was waited on, closed, handed off...).
	Stop func(ssa.Instruction) bool
	// End reports whether reaching the instruction breaks the rule (for
	// example a Wait reached before the pipe was read). Returns always end
	// a path unless IgnoreReturns is set.
	End func(ssa.Instruction) bool
	// IgnoreReturns makes returns plain dead ends rather than ends.
	IgnoreReturns bool
	// Pruned reports whether the edge from b to its i'th successor is
	// infeasible for this search (for example the error branch of the
	// acquiring call).
	Pruned func(b *ssa.BasicBlock, i int) bool
}

// From returns the first instruction that ends a path starting just after
// instr and avoiding every Stop, or nil when every path is satisfied.
// Calls that never return end a path without breaking the rule; the
// package's own such functions are known only through a Graph (From is
// (*Graph)(nil).From).
func (s *Search) From(instr ssa.Instruction) ssa.Instruction {
	return (*Graph)(nil).From(s, instr)
}

// From is Search.From knowing the package's own never-returning functions.
func (g *Graph) From(s *Search, instr ssa.Instruction) ssa.Instruction {
	b := instr.Block()
	if b == nil {
		return nil
	}
	return g.searchFrom(s, b, indexOf(b, instr)+1)
}

func (g *Graph) searchFrom(s *Search, b *ssa.BasicBlock, start int) ssa.Instruction {
	seen := make(map[*ssa.BasicBlock]bool)
	type item struct {
		b     *ssa.BasicBlock
		start int
	}
	stack := []item{{b, start}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		end, open := g.scan(s, it.b, it.start)
		if end != nil {
			return end
		}
		if !open {
			continue
		}
		for i, succ := range it.b.Succs {
			if s.Pruned != nil && s.Pruned(it.b, i) {
				continue
			}
			if !seen[succ] {
				seen[succ] = true
				stack = append(stack, item{succ, 0})
			}
		}
	}
	return nil
}

// scan walks b's instructions from index start. It returns the instruction
// that ends a path, or whether control leaves the block still unsatisfied.
func (g *Graph) scan(s *Search, b *ssa.BasicBlock, start int) (end ssa.Instruction, open bool) {
	for _, in := range b.Instrs[start:] {
		if s.Stop != nil && s.Stop(in) {
			return nil, false
		}
		if s.End != nil && s.End(in) {
			return in, false
		}
		switch in := in.(type) {
		case *ssa.Return:
			if s.IgnoreReturns {
				return nil, false
			}
			return in, false
		case *ssa.Panic:
			return nil, false
		case *ssa.Call:
			if failsTest(&in.Call) || g.NeverReturns(&in.Call) {
				return nil, false
			}
		}
	}
	return nil, true
}

func indexOf(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, in := range b.Instrs {
		if in == instr {
			return i
		}
	}
	return -1
}

// Reaches reports whether control can flow from just after instr a to
// instr b, without passing any instruction for which avoid returns true.
func Reaches(a, b ssa.Instruction, avoid func(ssa.Instruction) bool) bool {
	return (*Graph)(nil).Reaches(a, b, avoid)
}

// Reaches is the package-level Reaches knowing the package's own
// never-returning functions.
func (g *Graph) Reaches(a, b ssa.Instruction, avoid func(ssa.Instruction) bool) bool {
	s := Search{
		IgnoreReturns: true,
		Stop:          avoid,
		End:           func(in ssa.Instruction) bool { return in == b },
	}
	return g.From(&s, a) != nil
}

// Precedes reports whether a is executed before b on every path to b: a's
// block dominates b's, and a comes first when they share a block.
func Precedes(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == nil || bb == nil {
		return false
	}
	if ab == bb {
		return indexOf(ab, a) < indexOf(bb, b)
	}
	return ab.Dominates(bb)
}

// ErrorEdges returns a Pruned function that cuts the branches taken when the
// error result of call is not nil: the resource was not acquired there (or,
// for Start, exec already released it). call is the call instruction's value;
// its error is its last result.
func ErrorEdges(call ssa.Value) func(b *ssa.BasicBlock, i int) bool {
	errv := errorResult(call)
	if errv == nil {
		return func(*ssa.BasicBlock, int) bool { return false }
	}
	type edge struct {
		b *ssa.BasicBlock
		i int
	}
	cut := make(map[edge]bool)
	visit := func(v ssa.Value, depth int) {
		if depth > 3 || v.Referrers() == nil {
			return
		}
		for _, r := range *v.Referrers() {
			bin, ok := r.(*ssa.BinOp)
			if !ok || (bin.Op != token.NEQ && bin.Op != token.EQL) || !isNil(bin.X, bin.Y, v) {
				continue
			}
			for _, rr := range *bin.Referrers() {
				if ifi, ok := rr.(*ssa.If); ok && len(ifi.Block().Succs) == 2 {
					errBranch := 0 // err != nil: the true branch
					if bin.Op == token.EQL {
						errBranch = 1
					}
					cut[edge{ifi.Block(), errBranch}] = true
				}
			}
		}
	}
	visit(errv, 0)
	// if err = cmd.Start(); err == nil {...} with err a variable that
	// lives in memory (a named result in a function with a defer, a
	// variable a closure captures): the comparison is of a load of the
	// cell just stored, which holds the call's error.
	for _, ld := range reloads(errv) {
		visit(ld, 1)
	}
	return func(b *ssa.BasicBlock, i int) bool { return cut[edge{b, i}] }
}

// reloads returns the loads of a local cell that v is stored into and that
// can only read that store: on every path back from the load the store
// comes first, before any other store to the cell and, if a closure that
// can run before the function returns captures the cell, before any call.
// They are v again.
func reloads(v ssa.Value) []ssa.Value {
	var loads []ssa.Value
	for _, r := range *v.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok || st.Val != v {
			continue
		}
		cell, ok := st.Addr.(*ssa.Alloc)
		if !ok || cell.Referrers() == nil {
			continue
		}
		captured := false
		for _, cr := range *cell.Referrers() {
			if mc, ok := cr.(*ssa.MakeClosure); ok && !onlyDeferred(mc) {
				captured = true
			}
		}
		for _, cr := range *cell.Referrers() {
			if ld, ok := cr.(*ssa.UnOp); ok && ld.Op == token.MUL && onlyStoreBefore(st, ld, cell, captured) {
				loads = append(loads, ld)
			}
		}
	}
	return loads
}

// onlyDeferred reports whether the closure is only deferred: it runs as the
// function returns, not during a call before that.
func onlyDeferred(mc *ssa.MakeClosure) bool {
	for _, r := range *mc.Referrers() {
		if d, ok := r.(*ssa.Defer); !ok || d.Call.Value != mc {
			return false
		}
	}
	return true
}

// onlyStoreBefore reports whether st is the store to cell that ld reads on
// every path to it.
func onlyStoreBefore(st *ssa.Store, ld ssa.Instruction, cell *ssa.Alloc, captured bool) bool {
	seen := map[*ssa.BasicBlock]bool{}
	// back reports whether every path back from instruction i of b (not
	// included) meets st first.
	var back func(b *ssa.BasicBlock, i int) bool
	back = func(b *ssa.BasicBlock, i int) bool {
		for j := i - 1; j >= 0; j-- {
			in := b.Instrs[j]
			if in == st {
				return true
			}
			if other, ok := in.(*ssa.Store); ok && other.Addr == cell {
				return false
			}
			if _, ok := in.(ssa.CallInstruction); ok && captured {
				return false
			}
		}
		if len(b.Preds) == 0 {
			return false // the cell's zero value, or a recover block
		}
		for _, p := range b.Preds {
			if seen[p] {
				continue // a loop: its stores are judged on the first visit
			}
			seen[p] = true
			if !back(p, len(p.Instrs)) {
				return false
			}
		}
		return true
	}
	b := ld.Block()
	for i, in := range b.Instrs {
		if in == ld {
			return back(b, i)
		}
	}
	return false
}

// isNil reports whether the operand of x == y or x != y other than v is nil,
// or a constant the type checker could not make sense of (in code with type
// errors): the error v is compared with nil.
func isNil(x, y, v ssa.Value) bool {
	other := y
	if y == v {
		other = x
	}
	c, ok := other.(*ssa.Const)
	return apis.IsNilConst(other) || ok && c.Value != nil && c.Value.Kind() == constant.Unknown
}

// errorResult returns the error value a call produces: the call itself when
// it returns only an error, or the Extract of its last result.
func errorResult(call ssa.Value) ssa.Value {
	t := call.Type()
	if tup, ok := t.(*types.Tuple); ok {
		if tup.Len() == 0 || !isError(tup.At(tup.Len()-1).Type()) {
			return nil
		}
		for _, r := range *call.Referrers() {
			if ex, ok := r.(*ssa.Extract); ok && ex.Index == tup.Len()-1 {
				return ex
			}
		}
		return nil
	}
	if isError(t) {
		return call
	}
	return nil
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// Union combines Pruned functions.
func Union(fs ...func(*ssa.BasicBlock, int) bool) func(*ssa.BasicBlock, int) bool {
	return func(b *ssa.BasicBlock, i int) bool {
		for _, f := range fs {
			if f != nil && f(b, i) {
				return true
			}
		}
		return false
	}
}

// failsTest reports whether the call marks the running test as failed
// (t.Error, t.Errorf, t.Fail). What leaks after that point cannot make a
// failed test fail again, and a test asserting that an acquisition fails
// reaches its leak only through such a call; those paths are not searched.
// (t.Fatal and t.Skip never return and are cut from the CFG already.)
func failsTest(c *ssa.CallCommon) bool {
	fn, _ := c.Value.(*ssa.Function)
	if fn == nil || c.IsInvoke() {
		return false
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil || obj.Pkg() == nil || obj.Pkg().Path() != "testing" {
		return false
	}
	switch obj.Name() {
	case "Error", "Errorf", "Fail":
		return true
	}
	return false
}

// BlockReaches reports whether control can flow from the start of block from
// to block to, on the bare CFG: no call is assumed to end the path. Loop
// questions ("does this branch leave the loop?") need the real shape of the
// loop, not the leak searches' view in which a failed test ends a path.
func BlockReaches(from, to *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{from: true}
	stack := []*ssa.BasicBlock{from}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == to {
			return true
		}
		for _, s := range b.Succs {
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	return false
}
