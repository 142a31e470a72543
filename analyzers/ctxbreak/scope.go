package ctxbreak

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// A source is a context a function has at hand: a context parameter (ctx)
// or a parameter with a Context() method (r, for r.Context()).
type source struct {
	param  *ssa.Parameter
	method bool // the context is param.Context()
}

// A scope is the context in scope at a call: the source and the function
// that declares it (the call's own function, or one it is nested in).
type scope struct {
	src   *source
	owner *ssa.Function
}

// isCtxType reports whether t is an interface (or type parameter) that
// implements context.Context: context.Context itself or a framework
// interface embedding it.
func (c *checker) isCtxType(t types.Type) bool {
	return c.ctx != nil && types.IsInterface(t) && types.Implements(t, c.ctx)
}

// implementsCtx reports whether values of type t are contexts, interface or
// not (a *gin.Context implements context.Context).
func (c *checker) implementsCtx(t types.Type) bool {
	return c.ctx != nil && types.Implements(t, c.ctx)
}

// hasContextMethod reports whether t has a method Context() returning a
// context: *http.Request, grpc.ServerStream, *message.Message, *cobra.Command.
func (c *checker) hasContextMethod(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Context")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig, _ := fn.Type().(*types.Signature)
	return sig != nil && sig.Params().Len() == 0 && sig.Results().Len() == 1 && c.isCtxType(sig.Results().At(0).Type())
}

// ownSource returns the context fn declares as a parameter, or nil. A
// context parameter wins over a parameter with a Context method; the first
// one of each kind wins. Parameters named _ or not named cannot be used and
// do not count, nor do the loop variables of a range-over-func body.
func (c *checker) ownSource(fn *ssa.Function) *source {
	params := fn.Params
	if fn.Signature.Recv() != nil && len(params) > 0 {
		params = params[1:]
	}
	var byMethod *source
	for _, p := range params {
		src := c.paramSource(fn, p)
		switch {
		case src == nil:
		case !src.method:
			return src
		case byMethod == nil:
			byMethod = src
		}
	}
	if byMethod != nil && launched(fn) {
		// go func(hello *tls.ClientHelloInfo) {...}(hello): the
		// arguments of a goroutine (or deferred) literal are data it
		// was handed; the context inside one is that of the work the
		// goroutine outlives on purpose. Only a context parameter is
		// the goroutine's own.
		return nil
	}
	return byMethod
}

// launched reports whether the function literal fn is started with go or
// deferred.
func launched(fn *ssa.Function) bool {
	if fn.Parent() == nil || fn.Referrers() == nil {
		return false
	}
	for _, r := range *fn.Referrers() {
		if mc, ok := r.(*ssa.MakeClosure); ok {
			for _, rr := range ownership.Refs(mc) {
				if isGoOrDefer(rr, mc) {
					return true
				}
			}
		} else if isGoOrDefer(r, fn) {
			return true
		}
	}
	return false
}

func isGoOrDefer(r ssa.Instruction, v ssa.Value) bool {
	switch r := r.(type) {
	case *ssa.Go:
		return r.Call.Value == v
	case *ssa.Defer:
		return r.Call.Value == v
	}
	return false
}

// scopeOf returns the context in scope in fn: its own, or for a function
// literal called synchronously (and a range-over-func loop body) that of the
// function around it. Nil when there is none.
func (c *checker) scopeOf(fn *ssa.Function) *scope {
	for f := fn; f != nil; f = f.Parent() {
		if src := c.ownSource(f); src != nil {
			return &scope{src: src, owner: f}
		}
		if f.Parent() == nil || !c.synchronous(f) {
			return nil
		}
	}
	return nil
}

// synchronous reports whether the function literal fn runs only while the
// function around it is running, at the places it is created: a
// range-over-func loop body, a literal that is only called (directly or
// through a local variable), never started with go, deferred, stored or
// handed to another function; or a literal run in a goroutine that the
// function waits for before it returns (joined.go).
func (c *checker) synchronous(fn *ssa.Function) bool {
	if cfgpath.IsRangeFuncBody(fn) {
		return true
	}
	sync, ok := c.syncs[fn]
	if !ok {
		c.syncs[fn] = false // while deciding: a literal that joins itself is not
		_, sync = closureCalls(fn)
		if !sync {
			sync = len(c.joinSites(fn)) > 0
		}
		c.syncs[fn] = sync
	}
	return sync
}

// closureSites returns the instructions of fn's parent where the code of
// the function literal fn runs, for the questions about what happened
// before it: the calls of a synchronous literal, the go statements or Go
// calls that start a joined one, the creation of a range-over-func loop
// body (the iterator is called right after).
func (c *checker) closureSites(fn *ssa.Function) []ssa.Instruction {
	if !cfgpath.IsRangeFuncBody(fn) {
		if calls, ok := closureCalls(fn); ok {
			return calls
		}
		return c.joinSites(fn)
	}
	var sites []ssa.Instruction
	if refs := fn.Referrers(); refs != nil {
		for _, r := range *refs {
			if r.Parent() == fn.Parent() {
				sites = append(sites, r)
			}
		}
	}
	return sites
}

// closureCalls returns the calls of the function literal fn when every use
// of it is a call, and whether that is so.
func closureCalls(fn *ssa.Function) ([]ssa.Instruction, bool) {
	refs := fn.Referrers()
	if refs == nil {
		return nil, false
	}
	var calls []ssa.Instruction
	seen := map[ssa.Value]bool{}
	var value func(v ssa.Value) bool
	value = func(v ssa.Value) bool {
		if seen[v] {
			return true
		}
		seen[v] = true
		if v.Referrers() == nil {
			return false
		}
		for _, r := range *v.Referrers() {
			if !use(v, r, &calls, value) {
				return false
			}
		}
		return true
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.MakeClosure:
			if !value(r) {
				return nil, false
			}
		default:
			if !use(fn, r, &calls, value) {
				return nil, false
			}
		}
	}
	return calls, len(calls) > 0
}

// use classifies one use of a closure value v for closureCalls.
func use(v ssa.Value, r ssa.Instruction, calls *[]ssa.Instruction, value func(ssa.Value) bool) bool {
	switch r := r.(type) {
	case *ssa.DebugRef:
		return true
	case *ssa.Call:
		if r.Call.Value == v && !r.Call.IsInvoke() {
			for _, a := range r.Call.Args {
				if a == v {
					return false
				}
			}
			*calls = append(*calls, r)
			return true
		}
		return false
	case *ssa.Phi:
		return value(r)
	case *ssa.ChangeType:
		return value(r)
	case *ssa.Store:
		if r.Val != v || !ownership.IsLocalCell(r.Addr) {
			return false
		}
		for _, rr := range *r.Addr.Referrers() {
			switch rr := rr.(type) {
			case *ssa.UnOp:
				if rr.Op == token.MUL && !value(rr) {
					return false
				}
			case *ssa.Store, *ssa.DebugRef:
			default:
				return false // captured by another closure: run when?
			}
		}
		return true
	}
	return false
}
