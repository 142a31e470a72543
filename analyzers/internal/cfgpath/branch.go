package cfgpath

import (
	"go/constant"
	"go/token"
	"iter"

	"golang.org/x/tools/go/ssa"
)

// Branch returns the If whose branch alone enters b: b's only predecessor
// ends in a two-way If, and b is its successor succ (0: the condition held,
// 1: it did not). Wherever b runs, that branch was taken. ok is false for
// any other block (a join, a loop header, a block entered by a jump).
func Branch(b *ssa.BasicBlock) (ifi *ssa.If, succ int, ok bool) {
	if len(b.Preds) != 1 {
		return nil, 0, false
	}
	p := b.Preds[0]
	if p == b || len(p.Instrs) == 0 || len(p.Succs) != 2 {
		return nil, 0, false
	}
	ifi, ok = p.Instrs[len(p.Instrs)-1].(*ssa.If)
	if !ok {
		return nil, 0, false
	}
	if p.Succs[0] == b {
		return ifi, 0, true
	}
	return ifi, 1, true
}

// Guards yields the branches taken on every path to instr, innermost first:
// for instr's block and each block that dominates it, the If whose branch
// alone enters that block (see Branch), and the branch.
func Guards(instr ssa.Instruction) iter.Seq2[*ssa.If, int] {
	return func(yield func(*ssa.If, int) bool) {
		for b := instr.Block(); b != nil; b = b.Idom() {
			if ifi, succ, ok := Branch(b); ok && !yield(ifi, succ) {
				return
			}
		}
	}
}

// SelectCase recognises the test go/ssa makes of which case a select chose:
// cond is "index == k" on the select's chosen index (result #0), and k is a
// case of it (an index into its States; the default case has none). The
// true branch of an If on cond starts the body of case k.
func SelectCase(cond ssa.Value) (sel *ssa.Select, k int, ok bool) {
	eq, ok := cond.(*ssa.BinOp)
	if !ok || eq.Op != token.EQL {
		return nil, 0, false
	}
	ex, ok := eq.X.(*ssa.Extract)
	if !ok || ex.Index != 0 {
		return nil, 0, false
	}
	sel, ok = ex.Tuple.(*ssa.Select)
	if !ok {
		return nil, 0, false
	}
	c, ok := eq.Y.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return nil, 0, false
	}
	n, exact := constant.Int64Val(c.Value)
	if !exact || n < 0 || n >= int64(len(sel.States)) {
		return nil, 0, false
	}
	return sel, int(n), true
}
