package handlerrecover

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// tri is a three-valued answer: a deferred function value may be one
// lifeguard cannot see into.
type tri uint8

const (
	no tri = iota
	maybe
	yes
)

func join(a, b tri) tri {
	if a == b {
		return a
	}
	return maybe
}

// protection says whether a function's body runs under a recover, and
// through which instruction (the recovering defer or the wrapper call).
type protection struct {
	state tri
	by    ssa.Instruction
}

// callee is what a call statically invokes.
type callee struct {
	fn    *ssa.Function // the SSA function, nil for an interface method
	obj   *types.Func   // its declaration (the origin of an instance), nil for a literal
	iface bool          // an interface method: nothing is known of its body
	shift int           // added to argument indices: 1 through a bound method value
	local bool          // fn is this package's and has a body
}

// calleeOf returns what a call invokes, or false for a function value.
func (c *checker) calleeOf(cc *ssa.CallCommon) (callee, bool) {
	if cc.IsInvoke() {
		return callee{obj: cc.Method, iface: true}, true
	}
	switch v := cc.Value.(type) {
	case *ssa.Function:
		return c.resolve(v), true
	case *ssa.MakeClosure:
		if fn, ok := v.Fn.(*ssa.Function); ok {
			return c.resolve(fn), true
		}
	}
	return callee{}, false
}

// resolve maps generic instances to their origin, and method wrappers,
// thunks and bound method values to the method they call.
func (c *checker) resolve(fn *ssa.Function) callee {
	shift := 0
	for range 4 {
		if o := fn.Origin(); o != nil && o != fn {
			fn = o
			continue
		}
		bound := strings.HasPrefix(fn.Synthetic, "bound method wrapper for ")
		if !bound && !strings.HasPrefix(fn.Synthetic, "wrapper for ") && !strings.HasPrefix(fn.Synthetic, "thunk for ") {
			break
		}
		obj, _ := fn.Object().(*types.Func)
		if obj == nil {
			break
		}
		obj = obj.Origin()
		if bound {
			shift = 1
		}
		if sig, _ := obj.Type().(*types.Signature); sig != nil && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
			return callee{obj: obj, iface: true, shift: shift}
		}
		next := fn.Prog.FuncValue(obj)
		if next == nil || next == fn {
			return callee{obj: obj, shift: shift}
		}
		fn = next
	}
	obj, _ := fn.Object().(*types.Func)
	if obj != nil {
		obj = obj.Origin()
	}
	return callee{fn: fn, obj: obj, shift: shift, local: fn.Pkg == c.SSA && fn.Blocks != nil}
}

// fact returns the imported fact of another package's function, or nil.
func (c *checker) fact(obj *types.Func) *facts.RecoverFact {
	if obj == nil || obj.Pkg() == nil || obj.Pkg() == c.Pass.Pkg {
		return nil
	}
	if f, ok := c.imported[obj]; ok {
		return f
	}
	f := new(facts.RecoverFact)
	if !c.Pass.ImportObjectFact(obj, f) {
		f = nil
	}
	c.imported[obj] = f
	return f
}

// isStd reports whether obj belongs to another package of the standard
// library.
func (c *checker) isStd(obj *types.Func) bool {
	return obj != nil && obj.Pkg() != nil && obj.Pkg() != c.Pass.Pkg && apis.IsStdPath(obj.Pkg().Path())
}

// calleeRecovers reports whether deferring the callee stops a panic.
func (c *checker) calleeRecovers(cl callee) bool {
	if cl.obj != nil && recoverFuncs.Matches(cl.obj) {
		return true
	}
	if cl.iface {
		return false
	}
	if cl.local {
		return c.recovers[cl.fn]
	}
	if f := c.fact(cl.obj); f != nil {
		return f.Recovers
	}
	return false
}

// calleeRuns reports whether the callee runs its argument j under recover.
func (c *checker) calleeRuns(cl callee, j int) bool {
	if cl.obj != nil && wrapperFuncs.Matches(cl.obj) {
		return true
	}
	if cl.iface {
		return false
	}
	j += cl.shift
	if cl.local {
		return facts.Has(c.runs[cl.fn], j)
	}
	if f := c.fact(cl.obj); f != nil {
		return facts.Has(f.RunsUnderRecover, j)
	}
	return false
}

// calleeRunsAny reports whether the callee runs some func argument under
// recover: a recovering wrapper.
func (c *checker) calleeRunsAny(cl callee) bool {
	if cl.obj != nil && wrapperFuncs.Matches(cl.obj) {
		return true
	}
	if cl.iface {
		return false
	}
	if cl.local {
		return c.runs[cl.fn] != 0
	}
	if f := c.fact(cl.obj); f != nil {
		return f.RunsUnderRecover != 0
	}
	return false
}

func isRecoverBuiltin(v ssa.Value) bool {
	b, ok := v.(*ssa.Builtin)
	return ok && b.Name() == "recover"
}

// callsRecover reports whether fn calls recover() itself. A recover
// deferred by fn counts too: when fn is itself deferred, its own defers run
// while the panic is still active and stop it (test/recover.go, test4).
func callsRecover(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			switch in := in.(type) {
			case *ssa.Call:
				if isRecoverBuiltin(in.Call.Value) {
					return true
				}
			case *ssa.Defer:
				if isRecoverBuiltin(in.Call.Value) {
					return true
				}
			}
		}
	}
	return false
}

// summarize computes which functions recover, which run a func parameter
// under recover (to a fixed point: wrappers of wrappers), and leaves
// protection to be computed on demand.
func (c *checker) summarize() {
	c.recovers = map[*ssa.Function]bool{}
	c.runs = map[*ssa.Function]uint64{}
	c.prot = map[*ssa.Function]protection{}
	for _, fn := range c.Funcs {
		if fn.Blocks != nil && callsRecover(fn) {
			c.recovers[fn] = true
		}
	}
	for range 8 {
		changed := false
		for _, fn := range c.Funcs {
			if fn.Blocks == nil {
				continue
			}
			var bits uint64
			for i, p := range fn.Params {
				if i < 64 && isFunc(p.Type()) && c.runsValue(fn, p, 0) {
					bits |= 1 << i
				}
			}
			if bits|c.runs[fn] != c.runs[fn] {
				c.runs[fn] |= bits
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}

// runsValue reports whether fn calls the function value v (a parameter or
// free variable of fn, or the cell holding a captured one) under a recover
// fn defers first, or hands it to a wrapper that does, or to a literal it
// calls that does.
func (c *checker) runsValue(fn *ssa.Function, v ssa.Value, depth int) bool {
	if depth > 8 || v.Referrers() == nil {
		return false
	}
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Call:
			if r.Call.Value == v && c.recoverBefore(fn, r) {
				return true
			}
			for j, a := range r.Call.Args {
				if a != v {
					continue
				}
				if cl, ok := c.calleeOf(&r.Call); ok && c.calleeRuns(cl, j) {
					return true
				}
			}
		case *ssa.ChangeType:
			if c.runsValue(fn, r, depth+1) {
				return true
			}
		case *ssa.Store:
			// A captured parameter lives in a cell: follow its loads
			// and the closures it is bound into.
			if alloc, ok := r.Addr.(*ssa.Alloc); ok && r.Val == v && c.runsValue(fn, alloc, depth+1) {
				return true
			}
		case *ssa.UnOp:
			if r.Op == token.MUL && r.X == v && c.runsValue(fn, r, depth+1) {
				return true
			}
		case *ssa.MakeClosure:
			k, _ := r.Fn.(*ssa.Function)
			if k == nil || !calledHere(r) {
				continue
			}
			for i, b := range r.Bindings {
				if b == v && i < len(k.FreeVars) && c.runsValue(k, k.FreeVars[i], depth+1) {
					return true
				}
			}
		}
	}
	return false
}

// calledHere reports whether the closure is called where it is made (not
// only started in a goroutine or stored).
func calledHere(mc *ssa.MakeClosure) bool {
	for _, r := range *mc.Referrers() {
		if call, ok := r.(*ssa.Call); ok && call.Call.Value == mc {
			return true
		}
	}
	return false
}

// recoverBefore reports whether a recovering defer of fn is registered on
// every path before instr.
func (c *checker) recoverBefore(fn *ssa.Function, instr ssa.Instruction) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if d, ok := in.(*ssa.Defer); ok && c.deferState(d) == yes && cfgpath.Precedes(d, instr) {
				return true
			}
		}
	}
	return false
}

// deferState says whether a deferred call stops a panic: yes for a
// function that calls recover itself; maybe for a function value
// lifeguard cannot see into; no otherwise, defer recover() included (it
// runs recover as the deferred function, too early to see the panic).
func (c *checker) deferState(d *ssa.Defer) tri {
	if _, ok := d.Call.Value.(*ssa.Builtin); ok {
		return no
	}
	if cl, ok := c.calleeOf(&d.Call); ok {
		if c.calleeRecovers(cl) {
			return yes
		}
		return no
	}
	return c.valueRecovers(d.Call.Value, 0)
}

// valueRecovers says whether the function value v, deferred, stops a
// panic, following it to where it was made.
func (c *checker) valueRecovers(v ssa.Value, depth int) tri {
	if depth > 6 {
		return maybe
	}
	switch v := v.(type) {
	case *ssa.Function:
		if c.calleeRecovers(c.resolve(v)) {
			return yes
		}
		return no
	case *ssa.MakeClosure:
		if fn, ok := v.Fn.(*ssa.Function); ok && c.calleeRecovers(c.resolve(fn)) {
			return yes
		}
		return no
	case *ssa.Const:
		return no // nil: defer panics, recovers nothing
	case *ssa.ChangeType:
		return c.valueRecovers(v.X, depth+1)
	case *ssa.Phi:
		var st tri
		for i, e := range v.Edges {
			s := c.valueRecovers(e, depth+1)
			if i == 0 {
				st = s
			} else {
				st = join(st, s)
			}
		}
		return st
	case *ssa.Call:
		return c.resultRecovers(v, 0, depth)
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			return c.resultRecovers(call, v.Index, depth)
		}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return c.loadRecovers(v.X, depth)
		}
	}
	return maybe
}

// resultRecovers says whether result i of a call, a function, recovers:
// the standard library's (context.WithCancel's cancel, NotifyContext's
// stop) never do; the package's own functions are followed to what they
// return (defer timer("x")()).
func (c *checker) resultRecovers(call *ssa.Call, i, depth int) tri {
	cl, ok := c.calleeOf(&call.Call)
	if !ok || cl.iface {
		return maybe
	}
	if c.isStd(cl.obj) {
		return no
	}
	if !cl.local {
		return maybe
	}
	st, seen := no, false
	for _, b := range cl.fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && i < len(ret.Results) {
			s := c.valueRecovers(ret.Results[i], depth+1)
			if !seen {
				st, seen = s, true
			} else {
				st = join(st, s)
			}
		}
	}
	return st
}

// loadRecovers says whether the function loaded from addr recovers: a
// local variable is followed to what is stored in it; a field or global
// could hold anything.
func (c *checker) loadRecovers(addr ssa.Value, depth int) tri {
	if fv, ok := addr.(*ssa.FreeVar); ok {
		addr = binding(fv)
	}
	alloc, ok := addr.(*ssa.Alloc)
	if !ok {
		return maybe
	}
	st, seen := no, false
	for _, r := range *alloc.Referrers() {
		if s, ok := r.(*ssa.Store); ok && s.Addr == alloc {
			x := c.valueRecovers(s.Val, depth+1)
			if !seen {
				st, seen = x, true
			} else {
				st = join(st, x)
			}
		}
	}
	return st
}

// binding returns the value a free variable is bound to where its closure
// is made, or the free variable itself when that is not found.
func binding(fv *ssa.FreeVar) ssa.Value {
	// A function literal is made once, where it is written.
	if b := ownership.Bindings(fv); len(b) > 0 {
		return b[0]
	}
	return fv
}

// yieldBodies returns fn and the bodies of its range-over-func loops,
// which run in fn's goroutine and defer onto fn's stack.
func yieldBodies(fn *ssa.Function) []*ssa.Function {
	out := []*ssa.Function{fn}
	for i := 0; i < len(out); i++ {
		for _, anon := range out[i].AnonFuncs {
			if cfgpath.IsRangeFuncBody(anon) {
				out = append(out, anon)
			}
		}
	}
	return out
}

// protectionOf says whether fn is safe as a goroutine body: it defers a
// recovering function, calls a recovering wrapper, or is one itself.
func (c *checker) protectionOf(fn *ssa.Function) protection {
	if p, ok := c.prot[fn]; ok {
		return p
	}
	var p protection
	if c.runs[fn] != 0 {
		p.state = yes
	}
	for _, body := range yieldBodies(fn) {
		for _, b := range body.Blocks {
			for _, in := range b.Instrs {
				if p.state == yes {
					break
				}
				switch in := in.(type) {
				case *ssa.Defer:
					switch c.deferState(in) {
					case yes:
						p = protection{yes, in}
					case maybe:
						p.state = maybe
					}
				case *ssa.Call:
					if cl, ok := c.calleeOf(&in.Call); ok && c.calleeRunsAny(cl) {
						p = protection{yes, in}
					}
				}
			}
		}
	}
	c.prot[fn] = p
	return p
}

// exportFacts exports what the package's functions do with panics. The
// standard library exports none: it has no recovering helpers, and every
// fact is copied into every importer.
func (c *checker) exportFacts() {
	if apis.IsStdlib(c.Pass) {
		return
	}
	for _, fn := range c.Funcs {
		if fn.Blocks == nil || fn.Parent() != nil || fn.Synthetic != "" {
			continue
		}
		obj, _ := fn.Object().(*types.Func)
		if obj == nil || obj.Pkg() != c.Pass.Pkg || obj.Name() == "init" {
			continue
		}
		starts, starter := c.starterFact(fn)
		f := &facts.RecoverFact{
			Recovers:           c.recovers[fn],
			Protected:          c.protectionOf(fn).state != no || starter,
			RunsUnderRecover:   c.runs[fn],
			StartsUnderRecover: starts,
		}
		if !f.Empty() {
			c.Pass.ExportObjectFact(obj, f)
		}
	}
}
