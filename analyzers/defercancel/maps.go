package defercancel

import (
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// A cancel stored in a map is handed off: whoever reads the map may call
// it (a Cancel(id) method stopping a running job), and the deferred cancel
// is then a backstop. Not when the iteration that stores it deletes it
// again:
//
//	for _, id := range ids {
//		ctx, cancel := context.WithCancel(ctx)
//		defer cancel()
//		j.running[id] = cancel
//		run(ctx, id)
//		delete(j.running, id)
//	}
//
// Once deleted, nobody can call it but the deferred call, and a context
// that Cancel did not stop lives on until the function returns, one per
// iteration, as with no map at all.

// deletedInIteration reports whether every path from the store mu of a
// cancel to the next making of its context by s (the next iteration) goes
// through delete(m, k) of the same map and key, and the function reads the
// map nowhere (a read could call the cancel before the delete).
func (c *checker) deletedInIteration(mu *ssa.MapUpdate, s *ssa.Call) bool {
	fn := mu.Parent()
	if fn == nil || s.Parent() != fn {
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Lookup:
				if ownership.SameValue(in.X, mu.Map) {
					return false
				}
			case *ssa.Range:
				if ownership.SameValue(in.X, mu.Map) {
					return false
				}
			case *ssa.Call:
				if isDelete(&in.Call) {
					continue
				}
				for _, a := range in.Call.Args {
					if ownership.SameValue(a, mu.Map) {
						return false // given to a function that may call it
					}
				}
			}
		}
	}
	yield := cfgpath.IsRangeFuncBody(fn)
	search := cfgpath.Search{
		IgnoreReturns: true,
		Stop: func(in ssa.Instruction) bool {
			call, ok := in.(*ssa.Call)
			return ok && isDelete(&call.Call) &&
				ownership.SameValue(call.Call.Args[0], mu.Map) && ownership.SameValue(call.Call.Args[1], mu.Key)
		},
		End: func(in ssa.Instruction) bool {
			return in == s || yield && returnsTrue(in)
		},
	}
	return c.Graph.From(&search, mu) == nil
}

func isDelete(common *ssa.CallCommon) bool {
	b, ok := common.Value.(*ssa.Builtin)
	return ok && b.Name() == "delete" && len(common.Args) == 2
}
