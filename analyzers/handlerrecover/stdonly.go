package handlerrecover

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
)

// stdOnly reports whether the goroutine body fn does nothing but
// standard-library work: every call in it (deferred ones included) is a
// builtin, a standard-library function or method, a function value the
// standard library made (a context's cancel, an iterator) or that was
// handed in (a callback parameter: as unknown as go cb()), or a function
// literal of fn's that is standard-library work too; it has no explicit
// panic and no type assertion that can fail. Such a goroutine
// (go func() { <-ctx.Done(); conn.Close() }(), a copy loop, a watcher) is
// go io.Copy(dst, src) written out: the standard library does not panic on
// correct use, and no maintainer adds a recover to it. A call of one of the
// package's named functions is the package's own logic and ends the
// exemption; so does reflect's Call, which runs arbitrary code.
//
// In a package of the standard library, the package's own functions are
// the standard library's.
func (c *checker) stdOnly(fn *ssa.Function, depth int) bool {
	if depth > 4 || fn.Blocks == nil {
		return false
	}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			switch in := in.(type) {
			case *ssa.Call:
				if !c.callStdOnly(&in.Call, depth) {
					return false
				}
			case *ssa.Defer:
				if !c.callStdOnly(&in.Call, depth) {
					return false
				}
			case *ssa.Panic:
				// An explicit panic; not the ones go/ssa adds (a blocking
				// select matching no case, a misbehaving iterator),
				// which have no position.
				if in.Pos().IsValid() {
					return false
				}
			case *ssa.TypeAssert:
				if !in.CommaOk {
					return false
				}
			}
		}
	}
	return true
}

// stdOnlyFunc is stdOnly for a function a goroutine starts or calls: a
// literal, or a named function of the package that does standard-library
// work. A named function that calls nothing at all (func work(string) {})
// is not standard-library work: it is the package's own code, a
// placeholder for it.
func (c *checker) stdOnlyFunc(fn *ssa.Function, depth int) bool {
	return c.stdOnly(fn, depth) && (fn.Parent() != nil || makesCalls(fn))
}

// makesCalls reports whether fn calls, defers or starts anything.
func makesCalls(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if _, ok := in.(ssa.CallInstruction); ok {
				return true
			}
		}
	}
	return false
}

func (c *checker) stdObj(obj *types.Func) bool {
	return obj != nil && obj.Pkg() != nil && apis.IsStdPath(obj.Pkg().Path())
}

func (c *checker) callStdOnly(cc *ssa.CallCommon, depth int) bool {
	if _, ok := cc.Value.(*ssa.Builtin); ok {
		return true
	}
	cl, ok := c.calleeOf(cc)
	switch {
	case !ok:
		if !c.handedValue(cc.Value, depth, 0) {
			return false
		}
		return c.funcArgsStdOnly(cc, nil, depth)
	case cl.iface && isUnnamedInterface(cc):
		// A capability probe (x.(interface{ CloseWrite() error })) on
		// whatever the value is: the method belongs to no package.
	case cl.iface || c.stdObj(cl.obj):
		if !c.stdObj(cl.obj) || runsArbitrary(cl.obj) {
			return false
		}
	case cl.local && c.protectionOf(cl.fn).state != no:
		return true // it recovers, or runs under a recovering wrapper
	case cl.local:
		// A function literal, or a named function of the package doing
		// only standard-library work: calling it in a literal is what
		// starting it directly is (go copyBack(errc, a, b)).
		return c.stdOnlyFunc(cl.fn, depth+1) && c.funcArgsStdOnly(cc, &cl, depth)
	default:
		// Another package's function that is safe as a goroutine body:
		// it recovers, or only starts its arguments in recovering
		// goroutines (safe.Go(f)).
		f := c.fact(cl.obj)
		return f != nil && f.Protected
	}
	return c.funcArgsStdOnly(cc, &cl, depth)
}

// funcArgsStdOnly: what a call is handed to call back (a less function, a
// range-over-func body, the callback of a goroutine function) must keep
// the exemption too, unless the callee (cl, when known) does not run it in
// the caller's goroutine: it only starts it in goroutines of its own (whose
// go statements are judged where they are), or runs it under a recover,
// or it is a timer's callback.
func (c *checker) funcArgsStdOnly(cc *ssa.CallCommon, cl *callee, depth int) bool {
	for j, a := range cc.Args {
		if !isFunc(a.Type()) {
			continue
		}
		if cl != nil {
			if u := c.paramUse(*cl, j); !u.sync {
				continue
			}
		}
		if !c.handedValue(a, depth, 0) {
			return false
		}
	}
	return true
}

// handedValue reports whether calling the function value v keeps a
// goroutine body exempt: a value the standard library made, or one handed
// in from elsewhere (a parameter, a field, a callback bound into the
// literal), which lifeguard cannot see into any more than go cb() itself;
// the package's own literals count when they are exempt themselves.
func (c *checker) handedValue(v ssa.Value, depth, n int) bool {
	if n > 6 {
		return false
	}
	switch v := v.(type) {
	case *ssa.Parameter, *ssa.Global:
		return true
	case *ssa.FreeVar:
		if b := binding(v); b != v {
			return c.handedValue(b, depth, n+1)
		}
		return true
	case *ssa.UnOp:
		stored, local := localStores(v)
		if !local {
			return true // a field or a global: handed in
		}
		for _, s := range stored {
			if !c.handedValue(s, depth, n+1) {
				return false
			}
		}
		return true
	case *ssa.Phi:
		for _, e := range v.Edges {
			if !c.handedValue(e, depth, n+1) {
				return false
			}
		}
		return true
	case *ssa.ChangeType:
		return c.handedValue(v.X, depth, n+1)
	case *ssa.MakeClosure:
		if fn, ok := v.Fn.(*ssa.Function); ok && fn.Parent() != nil && fn.Pkg == c.SSA {
			return c.stdOnly(fn, depth+1)
		}
	case *ssa.Function:
		if v.Parent() != nil && v.Pkg == c.SSA {
			return c.stdOnly(v, depth+1)
		}
	}
	return c.stdValue(v, n)
}

// stdValue reports whether the function value v comes from the standard
// library: the result of one of its calls (cancel, stop, an iterator) or a
// bound method of one of its types (wg.Done).
func (c *checker) stdValue(v ssa.Value, depth int) bool {
	if depth > 6 {
		return false
	}
	switch v := v.(type) {
	case *ssa.Const:
		return true // nil
	case *ssa.Function:
		return c.stdObj(c.resolve(v).obj) && v.Parent() == nil
	case *ssa.MakeClosure:
		fn, _ := v.Fn.(*ssa.Function)
		return fn != nil && fn.Parent() == nil && c.stdObj(c.resolve(fn).obj)
	case *ssa.ChangeType:
		return c.stdValue(v.X, depth+1)
	case *ssa.Phi:
		for _, e := range v.Edges {
			if !c.stdValue(e, depth+1) {
				return false
			}
		}
		return true
	case *ssa.Call:
		cl, ok := c.calleeOf(&v.Call)
		return ok && c.stdObj(cl.obj)
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			cl, ok := c.calleeOf(&call.Call)
			return ok && c.stdObj(cl.obj)
		}
	case *ssa.UnOp:
		stored, local := localStores(v)
		if !local {
			return false
		}
		for _, s := range stored {
			if !c.stdValue(s, depth+1) {
				return false
			}
		}
		return len(stored) > 0
	case *ssa.FreeVar:
		if b := binding(v); b != v {
			return c.stdValue(b, depth+1)
		}
	}
	return false
}

// runsArbitrary: standard-library functions that run code of any package
// handed to them as a value lifeguard cannot see.
func runsArbitrary(obj *types.Func) bool {
	return apis.IsMethod(obj, "reflect", "Value", "Call") || apis.IsMethod(obj, "reflect", "Value", "CallSlice")
}

// isUnnamedInterface reports whether an interface method call is made on
// a value of an unnamed interface type.
func isUnnamedInterface(cc *ssa.CallCommon) bool {
	if !cc.IsInvoke() {
		return false
	}
	_, named := types.Unalias(cc.Value.Type()).(*types.Named)
	return !named
}

// localStores returns the values stored into the local variable (or the
// variable a closure captured) that the load v reads, in the function that
// declares it; local is false when v reads something else (a field, a
// global, through a pointer).
func localStores(v *ssa.UnOp) (stored []ssa.Value, local bool) {
	addr := v.X
	if fv, ok := addr.(*ssa.FreeVar); ok {
		addr = binding(fv)
	}
	alloc, ok := addr.(*ssa.Alloc)
	if !ok {
		return nil, false
	}
	for _, r := range *alloc.Referrers() {
		if s, ok := r.(*ssa.Store); ok && s.Addr == alloc {
			stored = append(stored, s.Val)
		}
	}
	return stored, true
}
