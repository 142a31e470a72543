package cfgpath

import (
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
