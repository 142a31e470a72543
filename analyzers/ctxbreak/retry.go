package ctxbreak

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// A fresh root on the error path of a call given the caller's context is
// deliberate when it records or cleans up after the failure, which may be
// the caller's cancellation. Not when it does the failed call again:
//
//	err := s.fetch(ctx, key)
//	if err != nil {
//		err = s.fetch(context.Background(), key)
//	}
//
// The retry ignores the caller's deadline and cancellation, and when the
// failure was that cancellation it does the work the caller gave up on.
// A retry is the same function or method, on the same receiver, with the
// same arguments but the context. After a test that the failure is the
// cancellation (errors.Is(err, context.Canceled), ctx.Err() != nil, <-ctx.Done())
// going on with a fresh root is a decision to outlive it, as any work done
// there is, and stays unreported: context.WithoutCancel(ctx) would say so
// and keep the values, but that is style, not a bug.

// retried returns the failed call that the root's work call repeats, when
// what makes the root run once the context may be over (afterCancel) is
// only the error path of that call; nil otherwise.
func (c *checker) retried(fn, owner *ssa.Function, root *ssa.Call, work ssa.Instruction) *ssa.Call {
	wc, ok := work.(*ssa.Call)
	if !ok {
		return nil
	}
	var failed *ssa.Call
	holds := func(g *guards, instr ssa.Instruction) bool {
		for _, m := range g.cancelled {
			if !m.covers(instr) {
				continue
			}
			if f := c.repeated(wc, m.failed); f != nil {
				if failed == nil {
					failed = f
				}
				continue
			}
			return true
		}
		return false
	}
	if c.guardedUp(fn, owner, root, holds, 0) {
		return nil
	}
	return failed
}

// repeated returns the call of failed that call does again, or nil.
func (c *checker) repeated(call *ssa.Call, failed []*ssa.Call) *ssa.Call {
	for _, f := range failed {
		if c.sameCall(f, call) {
			return f
		}
	}
	return nil
}

// sameCall reports whether b calls what a calls with the same operands, but
// for the contexts.
func (c *checker) sameCall(a, b *ssa.Call) bool {
	ca, cb := &a.Call, &b.Call
	if a == b || ca.IsInvoke() != cb.IsInvoke() || len(ca.Args) != len(cb.Args) {
		return false
	}
	if ca.IsInvoke() {
		if ca.Method != cb.Method || !ownership.SameValue(ca.Value, cb.Value) {
			return false
		}
	} else {
		fa, fb := apis.Callee(ca), apis.Callee(cb)
		if fa == nil || fa != fb {
			return false
		}
	}
	for i := range ca.Args {
		x, y := ca.Args[i], cb.Args[i]
		if c.isCtxType(x.Type()) && c.isCtxType(y.Type()) {
			continue
		}
		if !ownership.SameValue(x, y) {
			return false
		}
	}
	return true
}

// reportRetry reports a retry of a failed call with a fresh root.
func (c *checker) reportRetry(fn *ssa.Function, call *ssa.Call, sc *scope, work ssa.Instruction, failed *ssa.Call) {
	span := c.Src.CallRange(call.Pos())
	what := c.Src.Func(call.Pos(), "context.Background") + "()"
	expr, ok := c.ctxExpr(sc.src, call.Pos())
	name := c.Src.Func(work.Pos(), "the call")
	clause := report.Msgf("%s in %s", what, c.Src.FuncName(fn))
	opts := []report.Option{
		report.RelatedClause(clause),
		report.Related(failed.Pos(), "the call that failed, given "+expr),
	}
	if ok && span.Stop.IsValid() {
		opts = append(opts, report.Fixes(analysis.SuggestedFix{
			Message:   "pass " + expr,
			TextEdits: []analysis.TextEdit{{Pos: span.Start, End: span.Stop, NewText: []byte(expr)}},
		}))
	}
	c.Report.Report(span,
		report.Msgf("%s, which has %s, retries %s after it failed %s: the retry ignores the caller's cancellation and deadline, and runs even when the failure was that cancellation; pass %s, or context.WithoutCancel(%s) with a timeout of its own if the retry must outlive it",
			clause, expr, name, c.Src.At(failed.Pos()), expr, expr),
		opts...)
}
