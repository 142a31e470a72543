package defercancel

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// checkLoop reports a deferred cancel whose context is made again on the
// way from the defer back to it: one more context, and one more deferred
// cancel, per loop iteration, all released only when the function returns.
func (c *checker) checkLoop(d *ssa.Defer) {
	// In a test the loop ends with the test, and what piles up is freed
	// then: at worst a test's worth of contexts, not a leak.
	if strings.HasSuffix(c.Pass.Fset.Position(d.Pos()).Filename, "_test.go") {
		return
	}
	srcs, called := c.callCancels(&d.Call)
	fn := d.Parent()
	for _, s := range sortedCalls(srcs) {
		if s.Parent() != fn || !c.pilesUp(d, s) || c.onceByTimer(d, s) || nilGuarded(s) ||
			c.keptPastIteration(s) || c.cancelledElsewhere(s, d) {
			continue
		}
		c.reportLoop(d, s, called)
		return
	}
}

// pilesUp reports whether control can go from just after the defer to the
// next making of its context (the next iteration) without calling cancel,
// and without learning that the context is done (see expired):
// back to s in the same function, or, in the body of a range-over-func loop,
// to a return of true (continue, or the end of the body) that asks for the
// next iteration.
func (c *checker) pilesUp(d *ssa.Defer, s *ssa.Call) bool {
	fn := d.Parent()
	yield := cfgpath.IsRangeFuncBody(fn)
	if !yield && !c.Graph.Reaches(s, d, nil) {
		return false
	}
	var explicit map[*ssa.Call]map[*ssa.Call]bool
	pruned, done := c.expired(s)
	search := cfgpath.Search{
		IgnoreReturns: true,
		Pruned:        pruned,
		Stop: func(in ssa.Instruction) bool {
			if done(in) {
				return true
			}
			call, ok := in.(*ssa.Call)
			if !ok {
				return false
			}
			if explicit == nil {
				explicit = c.explicitCancels(fn)
			}
			return explicit[call][s]
		},
		End: func(in ssa.Instruction) bool {
			return in == s || yield && returnsTrue(in)
		},
	}
	return c.Graph.From(&search, d) != nil
}

// explicitCancels returns, for each call in fn that calls a cancel, the
// sources of the cancels it calls.
func (c *checker) explicitCancels(fn *ssa.Function) map[*ssa.Call]map[*ssa.Call]bool {
	if m, ok := c.explicit[fn]; ok {
		return m
	}
	m := map[*ssa.Call]map[*ssa.Call]bool{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok {
				if srcs, _ := c.callCancels(&call.Call); len(srcs) > 0 {
					m[call] = srcs
				}
			}
		}
	}
	c.explicit[fn] = m
	return m
}

// returnsTrue reports whether in is a return of the constant true: in the
// body of a range-over-func loop, a continue or the end of the body.
func returnsTrue(in ssa.Instruction) bool {
	ret, ok := in.(*ssa.Return)
	if !ok || len(ret.Results) != 1 {
		return false
	}
	k, ok := ret.Results[0].(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.Bool && constant.BoolVal(k.Value)
}

func (c *checker) reportLoop(d *ssa.Defer, s *ssa.Call, called *ssa.Call) {
	stmt := c.defers[d.Pos()]
	start, end := d.Pos(), d.Pos()
	name := "cancel"
	what := "defer cancel()"
	if stmt != nil {
		start, end = stmt.Pos(), stmt.End()
		if _, lit := ast.Unparen(stmt.Call.Fun).(*ast.FuncLit); !lit {
			name = types.ExprString(stmt.Call.Fun)
			what = "defer " + name + "()"
		}
	}
	if called != nil {
		name = c.Src.Func(called.Call.Pos(), name)
		what = "deferred " + name + "()"
	}
	callee := apis.Callee(&s.Call)
	made := c.Src.Func(s.Call.Pos(), "context.WithCancel")
	// ctx is "the context.WithTimeout %s and its timer stay", where the
	// context is made.
	var ctx string
	switch apis.ContextFunc(callee) {
	case "WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause":
		ctx = "the " + made + " %s and its timer stay"
	case "WithCancel", "WithCancelCause":
		ctx = "the " + made + " %s stays"
	default:
		ctx = "the context from " + made + " %s stays"
	}
	clause := report.Msgf(ctx+" alive until %s returns", c.Src.At(s.Pos()), c.Src.FuncName(owner(d.Parent())))
	c.Report.Report(report.Span{Start: start, Stop: end},
		report.Msgf("%s inside a loop: %s, one per iteration; call %s() at the end of each iteration, or move the loop body into a function",
			what, clause, name),
		report.RelatedClause(clause),
		report.Path(
			report.Step{Pos: s.Pos(), Message: made + " makes a context and its cancel"},
			report.Step{Pos: start, End: end, Message: "the cancel is deferred to the function's return while the loop goes round to make another"}))
}
