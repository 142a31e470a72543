package shutdown

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// What a Shutdown's context is.
type ctxKind int

const (
	bounded     ctxKind = iota // a deadline, or not known
	noDeadline                 // rooted in Background or TODO, no deadline added
	alreadyDone                // its Done channel was received from on every path here
)

type ctxOrigin struct {
	kind  ctxKind
	pos   token.Pos // the root, or the receive from Done
	param int       // the parameter it is, through contexts adding no deadline; -1
}

// deadline says what the context v, given to a Shutdown at the call at,
// bounds: nothing when it is a Background or TODO context (or WithoutCancel
// of any) to which only WithCancel, WithValue, signal.NotifyContext or an
// errgroup added anything; nothing either when the context, or one it
// derives from, is done on every path to the call: a Shutdown whose
// context is done closes the listeners and returns at once.
func (c *checker) deadline(v ssa.Value, at ssa.Instruction) ctxOrigin {
	if pos := c.doneBefore(v, at); pos.IsValid() {
		return ctxOrigin{kind: alreadyDone, pos: pos, param: -1}
	}
	return c.origin(v, 0)
}

func (c *checker) origin(v ssa.Value, depth int) ctxOrigin {
	unknown := ctxOrigin{kind: bounded, param: -1}
	if depth > 16 {
		return unknown
	}
	v = resolve(v)
	switch v := v.(type) {
	case *ssa.Parameter:
		for i, p := range v.Parent().Params {
			if p == v {
				return ctxOrigin{kind: bounded, param: i}
			}
		}
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok && v.Index == 0 {
			return c.derived(call, depth)
		}
	case *ssa.Call:
		return c.derived(v, depth)
	case *ssa.Phi:
		// Every edge without a deadline, or it is not known.
		var first ctxOrigin
		for i, e := range v.Edges {
			o := c.origin(e, depth+1)
			if o.kind != noDeadline {
				return unknown
			}
			if i == 0 {
				first = o
			}
		}
		if len(v.Edges) > 0 {
			return first
		}
	}
	return unknown
}

// derived is origin for a call making a context.
func (c *checker) derived(call *ssa.Call, depth int) ctxOrigin {
	unknown := ctxOrigin{kind: bounded, param: -1}
	fn := apis.Callee(call.Common())
	args := call.Common().Args
	switch name := apis.ContextFunc(fn); {
	case apis.IsNewRoot(name), name == "WithoutCancel":
		return ctxOrigin{kind: noDeadline, pos: call.Pos(), param: -1}
	case name == "WithCancel", name == "WithCancelCause", name == "WithValue":
		if len(args) > 0 {
			return c.origin(args[0], depth+1)
		}
	case apis.IsFunc(fn, "os/signal", "NotifyContext"), isErrgroupWithContext(fn):
		if len(args) > 0 {
			return c.origin(args[0], depth+1)
		}
	}
	return unknown
}

func isErrgroupWithContext(fn *types.Func) bool {
	return apis.IsFunc(fn, "golang.org/x/sync/errgroup", "WithContext")
}

// parents returns v and the contexts it derives from through contexts that
// are done when their parent is: WithCancel, WithTimeout, WithDeadline,
// WithValue, signal.NotifyContext, errgroup.WithContext.
func parents(v ssa.Value) []ssa.Value {
	var list []ssa.Value
	for depth := 0; v != nil && depth < 16; depth++ {
		v = resolve(v)
		list = append(list, v)
		var call *ssa.Call
		switch x := v.(type) {
		case *ssa.Extract:
			call, _ = x.Tuple.(*ssa.Call)
		case *ssa.Call:
			call = x
		}
		if call == nil || len(call.Common().Args) == 0 {
			break
		}
		fn := apis.Callee(call.Common())
		name := apis.ContextFunc(fn)
		if !(name == "WithValue" || apis.IsCancelling(name) || apis.IsFunc(fn, "os/signal", "NotifyContext") || isErrgroupWithContext(fn)) {
			break
		}
		v = call.Common().Args[0]
	}
	return list
}

// doneBefore returns the receive from the Done channel of v, or of a
// context v derives from, that comes before at on every path (a <-ctx.Done()
// or the select case of one), or NoPos.
func (c *checker) doneBefore(v ssa.Value, at ssa.Instruction) token.Pos {
	ctxs := map[ssa.Value]bool{}
	for _, p := range parents(v) {
		ctxs[p] = true
	}
	isDone := func(ch ssa.Value) bool {
		call, ok := resolve(ch).(*ssa.Call)
		if !ok || !call.Common().IsInvoke() || call.Common().Method.Name() != "Done" || !apis.IsContext(call.Common().Value.Type()) {
			return false
		}
		return ctxs[resolve(call.Common().Value)]
	}
	// A plain receive before the call in its function.
	for _, b := range at.Parent().Blocks {
		for _, instr := range b.Instrs {
			if recv, ok := instr.(*ssa.UnOp); ok && recv.Op == token.ARROW && isDone(recv.X) && cfgpath.Precedes(recv, at) {
				return recv.Pos()
			}
		}
	}
	// A select case on the way to it.
	for ifi, succ := range cfgpath.Guards(at) {
		if succ != 0 {
			continue
		}
		if sel, k, ok := cfgpath.SelectCase(ifi.Cond); ok && sel.States[k].Dir == types.RecvOnly && isDone(sel.States[k].Chan) {
			return sel.States[k].Pos
		}
	}
	return token.NoPos
}

// resolve follows a value to the one it stands for: a captured variable to
// what the enclosing function bound, a load of a local variable stored once
// to what was stored, a conversion to its operand.
func resolve(v ssa.Value) ssa.Value {
	for depth := 0; depth < 16; depth++ {
		switch x := v.(type) {
		case *ssa.FreeVar:
			b := binding(x)
			if b == nil {
				return v
			}
			v = b
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return v
			}
			addr := x.X
			if fv, ok := addr.(*ssa.FreeVar); ok {
				// A variable captured by reference: the enclosing
				// function's.
				addr = binding(fv)
			}
			st := onlyStore(addr)
			if st == nil {
				return v
			}
			v = st
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
	return v
}

// binding returns what the only MakeClosure of fv's function binds to fv.
func binding(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	parent := fn.Parent()
	if idx < 0 || parent == nil {
		return nil
	}
	var found ssa.Value
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != fn || idx >= len(mc.Bindings) {
				continue
			}
			if found != nil {
				return nil
			}
			found = mc.Bindings[idx]
		}
	}
	return found
}

// onlyStore returns the value stored in the local variable addr when it is
// stored once (its declaration's), or nil.
func onlyStore(addr ssa.Value) ssa.Value {
	alloc, ok := addr.(*ssa.Alloc)
	if !ok {
		return nil
	}
	var stored ssa.Value
	for _, ref := range *alloc.Referrers() {
		switch r := ref.(type) {
		case *ssa.Store:
			if r.Addr != alloc || stored != nil {
				return nil
			}
			stored = r.Val
		case *ssa.UnOp, *ssa.DebugRef:
		case *ssa.MakeClosure:
		default:
			return nil
		}
	}
	return stored
}

// checkShutdownContexts reports the Shutdown calls of fn, and the calls of
// helpers that hand their context to one, whose context bounds nothing.
func (c *checker) checkShutdownContexts(fn *ssa.Function) {
	if c.inTestFile(fn.Pos()) {
		// A test's Shutdown is bounded by the test's timeout.
		return
	}
	for call := range apis.Calls(fn) {
		common := call.Common()
		if isShutdown(apis.Callee(common)) && len(common.Args) > 1 {
			c.reportShutdownCtx(call, common.Args[1], "")
			continue
		}
		cf := c.factOf(common)
		if cf == nil || cf.ShutdownCtx == 0 {
			continue
		}
		for i, arg := range common.Args {
			if facts.Has(cf.ShutdownCtx, i) {
				c.reportShutdownCtx(call, arg, c.Src.Func(call.Pos(), "the helper"))
			}
		}
	}
}

// reportShutdownCtx reports a Shutdown (or a helper's call, named by
// helper) whose context ctx bounds nothing.
func (c *checker) reportShutdownCtx(call ssa.CallInstruction, ctx ssa.Value, helper string) {
	o := c.deadline(ctx, call)
	if o.kind == bounded || c.reported[call.Pos()] {
		return
	}
	c.reported[call.Pos()] = true
	what := c.Src.Func(call.Pos(), "Shutdown")
	if helper != "" {
		what = helper + ", which calls Shutdown with its context,"
	}
	var msg report.Msg
	switch o.kind {
	case noDeadline:
		root := report.Msgf("%s() %s", c.Src.Func(o.pos, "context"), c.Src.At(o.pos))
		if c.Src.At(o.pos).String() == c.Src.At(call.Pos()).String() {
			root = report.Msgf("%s()", c.Src.Func(o.pos, "context"))
		}
		msg = report.Msgf("%s with a context that has no deadline (%s): one connection that never goes idle blocks it for ever; give it context.WithTimeout and call Close when that expires",
			what, root)
	case alreadyDone:
		msg = report.Msgf("%s with a context that is already done (received from its Done channel %s): Shutdown closes the listeners and returns at once, without waiting for in-flight requests; give it context.WithTimeout(context.WithoutCancel(ctx), d)",
			what, c.Src.At(o.pos))
	}
	c.Report.Report(c.Src.CallRange(call.Pos()), msg, report.RelatedClause(msg))
}
