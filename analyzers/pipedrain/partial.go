package pipedrain

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// partialReadBefore returns a read of the pipe (one line, a fixed size, a
// scan loop left early) from which a path reaches the Wait w with the pipe
// neither read to EOF, closed, handed off, nor the child killed: a child
// with more to write than the 64 KiB pipe buffer holds blocks, and Wait
// never returns. The branches on which a read says the pipe is done (Scan
// or More false, an error, the exits of a loop that reads until one) are
// not searched: the pipe is at EOF there, or broken.
//
// With a deferred Wait (defer cmd.Wait()), the paths end at the returns,
// and only reads the defer statement precedes count.
func (c *checker) partialReadBefore(p *cmdPipe, w ssa.Instruction, kills map[ssa.Instruction]bool) *pipeOp {
	_, deferred := w.(*ssa.Defer)
	end := func(in ssa.Instruction) bool { return in == w }
	if deferred {
		end = func(in ssa.Instruction) bool { _, ret := in.(*ssa.Return); return ret }
	}
	stop := map[ssa.Instruction]bool{}
	for ins := range kills {
		stop[ins] = true
	}
	var done []func(*ssa.BasicBlock, int) bool
	var deferredDrains []ssa.Instruction
	for _, op := range p.ops {
		drains := op.effect&(facts.Close|facts.Handoff) != 0 || op.effect&facts.Drain != 0 && !op.loop
		if op.deferred {
			// defer cmd.Wait(); defer io.Copy(io.Discard, out): deferred
			// calls run last in, first out, the drain before the Wait.
			if drains && deferred && cfgpath.Precedes(w, op.instr) {
				stop[op.instr] = true
				deferredDrains = append(deferredDrains, op.instr)
			}
			continue
		}
		if drains {
			stop[op.instr] = true
		}
		// A decoder's error may be malformed output, not the pipe's end.
		if sequentialRead(op) && !op.limited && !op.valueRead {
			if call, ok := op.instr.(*ssa.Call); ok && call.Pos() == op.pos {
				done = append(done, doneEdges(call, op.loop))
			}
		}
	}
	pruned := cfgpath.Union(done...)
	for i := range p.ops {
		op := &p.ops[i]
		if !sequentialRead(*op) || !op.partial && !op.valueRead || stop[op.instr] {
			continue
		}
		// A read inside a closure called here: where it says EOF is not
		// visible from here.
		call, ok := op.instr.(*ssa.Call)
		if !ok || call.Pos() != op.pos || deferred && !cfgpath.Precedes(w, call) {
			continue
		}
		if precedesAny(deferredDrains, call) {
			continue
		}
		s := cfgpath.Search{
			Stop:          func(in ssa.Instruction) bool { return stop[in] },
			End:           end,
			IgnoreReturns: true,
			Pruned:        pruned,
		}
		if op.valueRead {
			// A decoder that read its value leaves at most a newline; one
			// that failed on malformed output leaves the rest of it
			// (topolvm/topolvm#1171). Search from its error branches
			// only: where the error is not tested, nothing is known.
			for _, first := range errorBranches(call) {
				if end(first) || !stop[first] && c.Graph.From(&s, first) != nil {
					return op
				}
			}
			continue
		}
		if c.Graph.From(&s, op.instr) != nil {
			return op
		}
	}
	return nil
}

// doneEdges returns the branches taken when the read call says the reader
// is done: its error result not nil, its bool result (Scan, More) false,
// and, for a read in a loop that ends on its result, every branch on the
// result that leaves the loop.
func doneEdges(call *ssa.Call, loop bool) func(*ssa.BasicBlock, int) bool {
	type edge struct {
		b *ssa.BasicBlock
		i int
	}
	cut := map[edge]bool{}
	if b, ok := call.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsBoolean != 0 {
		for _, r := range *call.Referrers() {
			if ifi, ok := r.(*ssa.If); ok && len(ifi.Block().Succs) == 2 {
				cut[edge{ifi.Block(), 1}] = true
			}
			if not, ok := r.(*ssa.UnOp); ok && not.Op == token.NOT {
				for _, rr := range *not.Referrers() {
					if ifi, ok := rr.(*ssa.If); ok && len(ifi.Block().Succs) == 2 {
						cut[edge{ifi.Block(), 0}] = true
					}
				}
			}
		}
	}
	if loop && call.Block() != nil {
		home := call.Block()
		for _, ifi := range resultBranches(call) {
			for i, succ := range ifi.Block().Succs {
				if !cfgpath.BlockReaches(succ, home) {
					cut[edge{ifi.Block(), i}] = true
				}
			}
		}
	}
	errs := cfgpath.ErrorEdges(call)
	return func(b *ssa.BasicBlock, i int) bool { return cut[edge{b, i}] || errs(b, i) }
}

// resultBranches returns the branches on values derived from the call's
// results (err == io.EOF, !ok, errors.Is(err, io.EOF)).
func resultBranches(call *ssa.Call) []*ssa.If {
	var ifs []*ssa.If
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value, depth int)
	walk = func(v ssa.Value, depth int) {
		if depth > 4 || seen[v] || v.Referrers() == nil {
			return
		}
		seen[v] = true
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.If:
				ifs = append(ifs, r)
			case *ssa.Extract, *ssa.BinOp, *ssa.UnOp, *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.Call:
				walk(r.(ssa.Value), depth+1)
			}
		}
	}
	walk(call, 0)
	return ifs
}

// checkPartialRead reports a Wait reached after a partial read of the pipe.
func (c *checker) checkPartialRead(p *cmdPipe, w lifecycle.Op, kills map[ssa.Instruction]bool, recv, pipeName string) {
	read := c.partialReadBefore(p, w.Instr, kills)
	if read == nil {
		return
	}
	clause := report.Msgf("%s is read only partly %s and neither read to EOF nor closed before %s.Wait", p.of(recv), c.Src.At(read.pos), recv)
	c.Report.Report(c.Src.CallRange(w.Use.Common.Pos()),
		report.Msgf("%s: a child that writes more than the 64 KiB pipe buffer blocks, and Wait never returns; read the rest (io.Copy(io.Discard, r)) or close the pipe before %s.Wait",
			clause, recv),
		report.RelatedClause(clause),
		report.Path(
			report.Step{Pos: p.call.Pos(), Message: p.takes(pipeName)},
			report.Step{Pos: read.pos, Message: "the pipe is read only partly"},
			report.Step{Pos: w.Use.Common.Pos(), Message: recv + ".Wait waits with the rest of the pipe unread"}))
}

// checkMultiReader reports io.MultiReader given both the stdout and the
// stderr pipe of one command: it reads the second only once the first is
// at EOF, which comes when the child exits, and the child cannot exit while
// it is blocked writing the second.
func (c *checker) checkMultiReader(pipes []*cmdPipe, recv string) {
	reported := map[*ssa.Call]bool{}
	for _, a := range pipes {
		for _, b := range pipes {
			if a == b || a.stream == "stdin" || b.stream == "stdin" || a.stream == b.stream {
				continue
			}
			for _, opA := range a.ops {
				if opA.multi == nil || reported[opA.multi] {
					continue
				}
				for _, opB := range b.ops {
					if opB.multi != opA.multi {
						continue
					}
					reported[opA.multi] = true
					c.Report.Report(c.Src.CallRange(opA.multi.Pos()),
						report.Msgf("io.MultiReader reads the stdout and stderr pipes of %s one after the other: the second is read only when the first reaches EOF, when the child exits, and once the child fills the 64 KiB buffer of the second, both sides block forever; read each pipe in its own goroutine, or set %s.Stdout and %s.Stderr to one writer",
							recv, recv, recv),
						report.Related(a.call.Pos(), a.takenHere()),
						report.Related(b.call.Pos(), b.takenHere()))
					break
				}
			}
		}
	}
}

// errorBranches returns the first instruction of each branch taken when the
// call's error result is not nil.
func errorBranches(call *ssa.Call) []ssa.Instruction {
	fn := call.Parent()
	if fn == nil {
		return nil
	}
	errs := cfgpath.ErrorEdges(call)
	var firsts []ssa.Instruction
	for _, b := range fn.Blocks {
		for i, succ := range b.Succs {
			if errs(b, i) && len(succ.Instrs) > 0 {
				firsts = append(firsts, succ.Instrs[0])
			}
		}
	}
	return firsts
}

func precedesAny(instrs []ssa.Instruction, b ssa.Instruction) bool {
	for _, a := range instrs {
		if cfgpath.Precedes(a, b) {
			return true
		}
	}
	return false
}
