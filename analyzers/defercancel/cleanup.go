package defercancel

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// Rule 3: a deferred cleanup's context derived from a context that may
// already be cancelled when the function returns. The With* call governs
// the cleanup (rule 1 does not apply), but its parent is the enclosing
// function's own cancellable context: a context parameter, r.Context() of
// an *http.Request parameter, or a context derived from them. A function
// often returns *because* that context was cancelled (the caller gave up,
// the client went away, the signal came), and then the child is done the
// moment it is made: the rollback, the release, the flush, the Shutdown
// fails at once with "context canceled". context.WithoutCancel keeps the
// values (trace spans, loggers) and drops the cancellation.

// checkCleanupParent reports call, a context.With* call in the deferred
// function fn (run by d, through mc if not nil) whose context ctx governs
// something, when ctx is passed to the cleanup's calls and its parent may
// already be cancelled.
func (c *checker) checkCleanupParent(d *ssa.Defer, fn *ssa.Function, call *ssa.Call, name string, ctx ssa.Value) {
	if len(call.Call.Args) == 0 || !passedToCall(ctx, map[ssa.Value]bool{}) {
		return
	}
	ctxIface := contextInterface(apis.Callee(&call.Call))
	if ctxIface == nil {
		return
	}
	t := &parentTrace{c: c, defer_: d, deferred: fn, ctxIface: ctxIface, seen: map[ssa.Value]bool{}}
	if !t.all(call.Call.Args[0]) || !t.found {
		return
	}
	expr := c.Src.Call(call.Call.Pos())
	if expr == nil || len(expr.Args) == 0 {
		return
	}
	parent := types.ExprString(expr.Args[0])
	what := c.Src.Func(call.Call.Pos(), "context."+name)
	qual := "context."
	if sel, ok := ast.Unparen(expr.Fun).(*ast.SelectorExpr); ok {
		qual = types.ExprString(sel.X) + "."
	} else {
		qual = "" // a dot import
	}
	detach := qual + "WithoutCancel(" + parent + ")"
	c.reported[call] = true
	head, opts := c.deferredHead(what, fn, d)
	if c.Pass.Fset.File(expr.Args[0].Pos()) != nil && apis.AllowsWithoutCancel(c.Pass, expr.Args[0].Pos()) {
		opts = append(opts, report.Fixes(analysis.SuggestedFix{
			Message: "derive the cleanup's context from " + detach,
			TextEdits: []analysis.TextEdit{
				{Pos: expr.Args[0].Pos(), End: expr.Args[0].Pos(), NewText: []byte(qual + "WithoutCancel(")},
				{Pos: expr.Args[0].End(), End: expr.Args[0].End(), NewText: []byte(")")},
			},
		}))
	}
	c.Report.Report(c.Src.CallRange(call.Call.Pos()),
		report.Msgf("%s derives from %s, which may already be cancelled when %s returns: the cleanup's calls fail at once with context canceled; derive it from %s",
			head, parent, c.Src.FuncName(owner(d.Parent())), "context.WithoutCancel("+parent+")"),
		opts...)
}

// contextInterface returns context.Context, the type of the first
// parameter of the context.With* function fn.
func contextInterface(fn *types.Func) *types.Interface {
	if fn == nil {
		return nil
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Params().Len() == 0 {
		return nil
	}
	iface, _ := sig.Params().At(0).Type().Underlying().(*types.Interface)
	return iface
}

// passedToCall reports whether the context v is an argument of a call (a
// go or defer statement's too), is captured by a closure (which calls with
// it), or is the parent of a context that is. Its own methods (Done, Err)
// and comparisons do not count: a cleanup that only waits on the context
// has no call that fails because of it.
func passedToCall(v ssa.Value, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	for _, u := range ownership.Uses(v) {
		switch u.Kind {
		case ownership.Capture:
			return true
		case ownership.Call, ownership.Go, ownership.Defer:
			if u.Arg < 0 {
				continue // ctx.Done(), ctx.Err(): the context's own methods
			}
			if derived := derivedContext(u); derived != nil {
				if passedToCall(derived, seen) {
					return true
				}
				continue
			}
			return true
		}
	}
	return false
}

// derivedContext returns the context made from the context a call use gives
// to a context.With* or WithValue call as its parent, or nil when the call is
// another one.
func derivedContext(u ownership.Use) ssa.Value {
	call, ok := u.Instr.(*ssa.Call)
	if !ok || u.Arg != 0 {
		return nil
	}
	name := apis.ContextFunc(apis.Callee(&call.Call))
	switch {
	case name == "WithValue":
		return call
	case apis.IsCancelling(name):
		for _, r := range ownership.Refs(call) {
			if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
				return ex
			}
		}
	}
	return nil
}

// A parentTrace follows the parent of a cleanup's context back to where it
// comes from, through φ-nodes, variables, closures' free variables, the
// arguments of the deferred call, and the context.With* and WithValue
// calls that derive one context from another.
type parentTrace struct {
	c        *checker
	defer_   *ssa.Defer
	deferred *ssa.Function // the function the defer runs
	ctxIface *types.Interface
	seen     map[ssa.Value]bool
	// found is set once an origin is a cancellable context of the
	// function's own.
	found bool
}

// all reports whether every value v may have is a context the enclosing
// function may see cancelled (or nil): one value that is not (a
// Background root, a WithoutCancel, a field, a helper's result) and the
// parent is not known to be cancellable.
func (t *parentTrace) all(v ssa.Value) bool {
	return ownership.Origins(v, t.seen, t.origin)
}

func (t *parentTrace) origin(o ssa.Value) bool {
	switch o := o.(type) {
	case *ssa.Const:
		return true // nil on some path: no context there to judge
	case *ssa.Parameter:
		fn := o.Parent()
		if fn == t.deferred && fn != t.defer_.Parent() {
			// A parameter of the deferred function: what the defer
			// statement gives it (the receiver included for a method).
			for i, p := range fn.Params {
				if p == o && i < len(t.defer_.Call.Args) {
					return t.all(t.defer_.Call.Args[i])
				}
			}
			return false
		}
		if !t.enclosing(fn) || !t.isContext(o.Type()) || t.c.detachedByCallers(o) {
			return false
		}
		t.found = true
		return true
	case *ssa.Call:
		callee := apis.Callee(&o.Call)
		switch {
		case apis.ContextFunc(callee) == "WithValue" && len(o.Call.Args) > 0:
			return t.all(o.Call.Args[0])
		case apis.IsMethod(callee, "net/http", "Request", "Context") && len(o.Call.Args) > 0:
			return t.requestParam(o.Call.Args[0])
		}
		return false
	case *ssa.Extract:
		call, ok := o.Tuple.(*ssa.Call)
		if !ok {
			return false
		}
		callee := apis.Callee(&call.Call)
		switch {
		case o.Index == 0 && apis.IsCancelling(apis.ContextFunc(callee)) && len(call.Call.Args) > 0:
			return t.all(call.Call.Args[0])
		case o.Index == 0 && apis.IsFunc(callee, "os/signal", "NotifyContext"):
			// Cancelled when the signal arrives: the very moment the
			// deferred shutdown is meant for.
			t.found = true
			return true
		case o.Index == 1 && apis.IsFunc(callee, "golang.org/x/sync/errgroup", "WithContext"):
			// Cancelled when a goroutine of the group fails, and
			// always once Wait returns.
			t.found = true
			return true
		}
	}
	return false
}

// requestParam reports whether every value the request r may have is an
// *http.Request parameter of the enclosing function (or given to the
// deferred call): a request it serves or sends, whose context its caller or
// client cancels.
func (t *parentTrace) requestParam(r ssa.Value) bool {
	ok := false
	all := ownership.Origins(r, map[ssa.Value]bool{}, func(o ssa.Value) bool {
		p, isParam := o.(*ssa.Parameter)
		if !isParam {
			return false
		}
		if p.Parent() == t.deferred && p.Parent() != t.defer_.Parent() {
			for i, q := range p.Parent().Params {
				if q == p && i < len(t.defer_.Call.Args) {
					if t.requestParam(t.defer_.Call.Args[i]) {
						ok = true
						return true
					}
				}
			}
			return false
		}
		if !t.enclosing(p.Parent()) {
			return false
		}
		ok = true
		return true
	})
	if all && ok {
		t.found = true
		return true
	}
	return false
}

// enclosing reports whether fn is the function the defer is in or one it is
// nested in: whose parameters are in scope at the defer.
func (t *parentTrace) enclosing(fn *ssa.Function) bool {
	for f := t.defer_.Parent(); f != nil; f = f.Parent() {
		if f == fn {
			return true
		}
	}
	return false
}

// isContext reports whether t is context.Context or an interface that
// embeds it: a context parameter.
func (t *parentTrace) isContext(typ types.Type) bool {
	return types.IsInterface(typ) && types.Implements(typ, t.ctxIface)
}

// detachedByCallers reports whether every call of p's function passes a
// context that cannot be cancelled for p (context.WithoutCancel(...),
// Background(), TODO()): the function is unexported, named only in calls
// in this package, and each of them detaches. Such a function's ctx is
// detached already; a caller elsewhere cannot exist.
func (c *checker) detachedByCallers(p *ssa.Parameter) bool {
	fn := p.Parent()
	obj, _ := fn.Object().(*types.Func)
	if fn.Parent() != nil || obj == nil || obj.Exported() {
		return false
	}
	index := -1
	for i, q := range fn.Params {
		if q == p {
			index = i
		}
	}
	if fn.Signature.Recv() != nil {
		index-- // the syntax's arguments do not include the receiver
	}
	if index < 0 {
		return false
	}
	calls := c.callsOf(obj)
	if len(calls) == 0 {
		return false
	}
	for _, call := range calls {
		if call == nil || index >= len(call.Args) {
			return false // a use that is not a plain call: a value, a method expression
		}
		arg, ok := ast.Unparen(call.Args[index]).(*ast.CallExpr)
		if !ok {
			return false
		}
		switch apis.ContextFunc(calledFunc(c.Pass.TypesInfo, arg)) {
		case "WithoutCancel", "Background", "TODO":
		default:
			return false
		}
	}
	return true
}

// callsOf returns, for each use of the function obj in the package, the
// call expression that calls it, or nil for a use that is not a plain call
// (a function value, a method expression).
func (c *checker) callsOf(obj *types.Func) []*ast.CallExpr {
	if c.calls == nil {
		c.calls = map[*types.Func][]*ast.CallExpr{}
		info := c.Pass.TypesInfo
		called := map[*ast.Ident]*ast.CallExpr{}
		for _, f := range c.Pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				switch fun := ast.Unparen(call.Fun).(type) {
				case *ast.Ident:
					called[fun] = call
				case *ast.SelectorExpr:
					if sel := info.Selections[fun]; sel == nil || sel.Kind() == types.MethodVal {
						called[fun.Sel] = call
					}
				}
				return true
			})
		}
		for id, o := range info.Uses {
			if fn, ok := o.(*types.Func); ok {
				c.calls[fn.Origin()] = append(c.calls[fn.Origin()], called[id])
			}
		}
	}
	return c.calls[obj]
}
