package handlerrecover

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// helperUse is one call of a goroutine helper from code a handler reaches:
// the call's function and position, the helper called, and the function
// handed to it that can panic.
type helperUse struct {
	caller *ssa.Function
	at     token.Pos
	helper *ssa.Function
	arg    report.FuncName
}

// checkHelpers reports the go statements of the package's goroutine
// helpers (func background(f func()) { go f() }, a pool's Go method) that
// start, without a recover, a function that can panic handed to them by
// code an HTTP handler reaches. The helper's go statement itself runs a
// function value, which checkGo cannot judge; the function is known only
// at the call. One finding per go statement, naming the first handler's
// call (in the order the handlers are found) and the others as related
// information. Go statements already reported are left alone.
//
// Helpers are this package's: another package's go statements are its own
// to report (and a call of its helper in a goroutine is judged by the
// helper's fact).
func (c *checker) checkHelpers(reached []*ssa.Function, reported map[token.Pos]bool) {
	uses := map[*ssa.Go][]helperUse{}
	var order []*ssa.Go
	for _, fn := range reached {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				ci, ok := in.(ssa.CallInstruction)
				if !ok {
					continue
				}
				cc := ci.Common()
				stmt, _ := in.(*ssa.Go)
				cl, ok := c.calleeOf(cc)
				if !ok || !cl.local {
					continue
				}
				for j, a := range cc.Args {
					if !isFuncList(a.Type()) {
						continue
					}
					u := c.paramUse(cl, j)
					if stmt != nil {
						u = apply(runUse{bare: stmt}, u)
					}
					g := u.bare
					if g == nil || g == stmt || reported[g.Pos()] || isTestFile(c.Pass.Fset, g.Pos()) {
						continue
					}
					name, ok := c.panicking(a, 0)
					if !ok {
						continue
					}
					if uses[g] == nil {
						order = append(order, g)
					}
					uses[g] = append(uses[g], helperUse{caller: fn, at: in.Pos(), helper: cl.fn, arg: name})
				}
			}
		}
	}
	for _, g := range order {
		c.reportHelper(g, uses[g])
	}
}

// panicking returns the name of a function the value v may be that can
// panic: a function literal or a function of the package that neither
// recovers nor does only standard-library work, or another package's
// function (outside the standard library) with no fact saying it is
// protected. Function values of unknown origin (parameters, fields,
// results) are not judged.
func (c *checker) panicking(v ssa.Value, n int) (report.FuncName, bool) {
	if n > 8 {
		return report.FuncName{}, false
	}
	switch v := v.(type) {
	case *ssa.Function:
		return c.fnPanics(v)
	case *ssa.MakeClosure:
		if fn, ok := v.Fn.(*ssa.Function); ok {
			return c.fnPanics(fn)
		}
	case *ssa.ChangeType:
		return c.panicking(v.X, n+1)
	case *ssa.Phi:
		for _, e := range v.Edges {
			if name, ok := c.panicking(e, n+1); ok {
				return name, true
			}
		}
	case *ssa.FreeVar:
		if b := binding(v); b != v {
			return c.panicking(b, n+1)
		}
	case *ssa.UnOp:
		stored, _ := localStores(v)
		for _, s := range stored {
			if name, ok := c.panicking(s, n+1); ok {
				return name, true
			}
		}
	case *ssa.Slice:
		// The arguments of a variadic call: the elements stored into
		// its backing array.
		if alloc, ok := v.X.(*ssa.Alloc); ok {
			for _, r := range *alloc.Referrers() {
				ia, ok := r.(*ssa.IndexAddr)
				if !ok || ia.X != alloc {
					continue
				}
				for _, rr := range *ia.Referrers() {
					if s, ok := rr.(*ssa.Store); ok && s.Addr == ia {
						if name, ok := c.panicking(s.Val, n+1); ok {
							return name, true
						}
					}
				}
			}
		}
	}
	return report.FuncName{}, false
}

// fnPanics says whether running fn (a literal, a function, a method value)
// can panic, and names it.
func (c *checker) fnPanics(fn *ssa.Function) (report.FuncName, bool) {
	cl := c.resolve(fn)
	switch {
	case cl.iface || cl.obj != nil && (recoverFuncs.Matches(cl.obj) || wrapperFuncs.Matches(cl.obj)):
		return report.FuncName{}, false
	case cl.local:
		if c.protectionOf(cl.fn).state != no || c.stdOnlyFunc(cl.fn, 1) {
			return report.FuncName{}, false
		}
		return c.name(cl.fn), true
	case cl.fn != nil && cl.fn.Pkg == c.SSA, cl.obj == nil, c.stdObj(cl.obj):
		return report.FuncName{}, false // no body, or the standard library's
	}
	if f := c.fact(cl.obj); f != nil && (f.Protected || f.RunsUnderRecover != 0) {
		return report.FuncName{}, false
	}
	return report.FuncName{Decl: c.Src.ObjName(cl.obj)}, true
}

// topLevel returns the declared function fn is part of.
func topLevel(fn *ssa.Function) *ssa.Function {
	for range 100 {
		if fn.Parent() == nil {
			break
		}
		fn = fn.Parent()
	}
	return fn
}

func (c *checker) reportHelper(g *ssa.Go, uses []helperUse) {
	first := uses[0]
	holder := topLevel(g.Parent())
	helper := c.name(holder).Msg()
	if called := topLevel(first.helper); called != holder {
		helper = report.Msgf("%s, through %s,", helper, c.name(called))
	}
	chain := c.describe(first.caller)
	// The function handed over is named once, in "it runs ...".
	forClause := report.Msgf("%s %s", chain[0], c.Src.At(first.at))
	where := forClause
	for _, link := range chain[1:] {
		where = report.Msgf("%s, %s", where, link)
	}
	if len(chain) > 1 {
		where = report.Msgf("%s,", where)
	}
	msg := report.Msgf("goroutine started in %s for %s has no deferred recover: it runs %s, which can panic, and %s; defer a recover at the top of the goroutine %s starts, or recover in the function handed to it",
		helper, where, first.arg.Msg(), consequence, c.name(holder))
	opts := []report.Option{report.RelatedClause(forClause)}
	for _, link := range chain[1:] {
		opts = append(opts, report.RelatedClause(link))
	}
	seen := map[token.Pos]bool{first.at: true}
	for _, u := range uses[1:] {
		if seen[u.at] {
			continue
		}
		seen[u.at] = true
		opts = append(opts, report.Related(u.at, report.Msgf("also started for %s with %s", c.label(visible(u.caller)), u.arg.Msg()).String()))
	}
	steps := c.pathTo(first.caller, report.Step{Pos: first.at, Message: report.Msgf("%s hands %s to %s", c.label(visible(first.caller)), first.arg.Msg(), c.name(first.helper)).String()})
	steps = append(steps, report.Step{Pos: g.Pos(), Message: "the goroutine starts here, without a deferred recover"})
	opts = append(opts, report.Path(steps...))
	span := report.Span{Start: g.Pos()}
	if stmt := c.goStmt(g.Pos()); stmt != nil {
		span = report.Span{Start: stmt.Pos(), Stop: stmt.End()}
	}
	c.Report.Report(span, msg, opts...)
}
