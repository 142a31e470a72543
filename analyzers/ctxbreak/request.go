package ctxbreak

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// A request's context carried past its request. net/http cancels
// r.Context() as soon as ServeHTTP returns, so a goroutine a handler starts
// and does not wait for, doing work with that context (or one derived from
// it), fails with "context canceled" part-way:
//
//	func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
//		ctx := r.Context()
//		go s.index(ctx, id)  // cancelled when handleUpload returns
//		w.WriteHeader(http.StatusAccepted)
//	}
//
// The handlers are the functions and literals of the package with the
// handler signature (ServeHTTP methods included); what they reach is
// followed along the request: r, r.Context(), the contexts derived from it
// that keep its cancellation (WithValue, WithCancel, WithTimeout..., or any
// call that takes it and returns a context; not WithoutCancel), the
// parameters of the package's functions they are passed to (maxReqDepth
// calls deep), and the closures that run in place. A go statement reached
// that way is a finding when all of these hold:
//
//   - the goroutine does work with the context: passes it (or a context
//     derived from it) to a call that is not telemetry or teardown,
//     directly, through the package's functions, or by reading
//     r.Context() from the request it was given. A goroutine that only
//     watches ctx.Done(), or hands the context to context.AfterFunc, is
//     there to stop with the request: correct;
//   - the function that starts it does not wait for it: not joined on
//     every path (joined.go), and not waiting for it at all. A goroutine
//     that signals (sends on or closes a channel, calls Done on a
//     WaitGroup, is given a channel or WaitGroup) started by a function
//     that receives, selects or Waits is one the handler waits for: its
//     work is the request's, and cancelling it when the handler gives up
//     (a timeout case, an early error return) is what the request's
//     context is for;
//   - the handler does not stream over the connection (Flush, Hijack, a
//     websocket Upgrade or Accept): goroutines there are tied to the
//     connection, which ends with the handler.
const maxReqDepth = 2

type reqKind uint8

const (
	kindCtx     reqKind = iota // a context carrying the request's cancellation
	kindRequest                // the *http.Request itself: r.Context() inside
)

// reqReach is how a function is reached from a handler, by the first chain
// found.
type reqReach struct {
	handler *ssa.Function
	from    *ssa.Function   // the function that passed the request on; nil in the handler
	call    ssa.Instruction // its call that did
	depth   int
}

// reqItem is a value of fn that carries the request: fn's parameter, or
// the handler's request.
type reqItem struct {
	fn   *ssa.Function
	v    ssa.Value
	kind reqKind
	expr string // how the fix names the context: "r.Context()", "ctx"
}

// reqGoroutine is a go statement given the request's context (or the
// request) by value, argument or capture.
type reqGoroutine struct {
	g *ssa.Go
	// body is the goroutine's function when its code is at hand (a
	// literal or a function of the package), with inner the request's
	// value there: a free variable (a cell when cell is set) or a
	// parameter. Nil body: another package's function or an interface
	// method is called with the context, which is work.
	body  *ssa.Function
	inner ssa.Value
	cell  bool
	kind  reqKind
}

// checkRequests reports the goroutines that carry a request's context past
// the request.
func (c *checker) checkRequests() {
	if isTestPackage(c.Pass.Pkg) {
		return
	}
	reached := map[*ssa.Function]reqReach{}
	c.reqReached = reached
	var queue []reqItem
	for _, fn := range c.Funcs {
		if fn.Blocks == nil || !apis.IsHandlerSignature(fn.Signature) || c.isTestFile(fn.Pos()) || c.inTest(fn) {
			continue
		}
		req := fn.Params[len(fn.Params)-1]
		reached[fn] = reqReach{handler: fn}
		queue = append(queue, reqItem{fn: fn, v: req, kind: kindRequest, expr: req.Name() + ".Context()"})
	}
	seenParam := map[*ssa.Parameter]bool{}
	reported := map[token.Pos]bool{}
	for i := 0; i < len(queue); i++ {
		it := queue[i]
		l := reached[it.fn]
		s := c.scanRequest(it)
		for _, gr := range s.goroutines {
			if !reported[gr.g.Pos()] && c.carriedPast(gr, l) {
				reported[gr.g.Pos()] = true
				c.reportCarried(it, l, gr)
			}
		}
		if l.depth >= maxReqDepth {
			continue
		}
		for _, p := range s.passed {
			if seenParam[p.param] || c.isTestFile(p.param.Parent().Pos()) {
				continue
			}
			seenParam[p.param] = true
			callee := p.param.Parent()
			if _, ok := reached[callee]; !ok {
				reached[callee] = reqReach{handler: l.handler, from: it.fn, call: p.call, depth: l.depth + 1}
			}
			expr := p.param.Name()
			if p.kind == kindRequest {
				expr += ".Context()"
			}
			queue = append(queue, reqItem{fn: callee, v: p.param, kind: p.kind, expr: expr})
		}
	}
}

// reqScan collects, in one function, the go statements the request reaches
// and the parameters of the package's functions it is passed to.
type reqScan struct {
	c          *checker
	goroutines []reqGoroutine
	passed     []passedParam
	ctxWalk    ownership.Walker
	reqWalk    ownership.Walker
}

type passedParam struct {
	param *ssa.Parameter
	call  ssa.Instruction
	kind  reqKind
}

func (c *checker) scanRequest(it reqItem) *reqScan {
	s := &reqScan{c: c}
	s.ctxWalk = ownership.Walker{Use: s.ctxUse, Enter: func(u ownership.Use) bool { return s.enter(u, kindCtx) }}
	s.reqWalk = ownership.Walker{Use: s.reqUse, Enter: func(u ownership.Use) bool { return s.enter(u, kindRequest) }}
	if it.kind == kindCtx {
		s.ctxWalk.Value(it.v)
	} else {
		s.reqWalk.Value(it.v)
	}
	return s
}

// ctxUse follows the contexts derived from the request's that keep its
// cancellation, and notes where it goes.
func (s *reqScan) ctxUse(u ownership.Use) {
	if u.OfCell || u.Variadic {
		return
	}
	switch u.Kind {
	case ownership.Call:
		call, ok := u.Instr.(*ssa.Call)
		if !ok || u.Arg < 0 {
			return // ctx.Done(), ctx.Err(), ctx.Value(k)
		}
		switch name := apis.ContextFunc(apis.Callee(u.Common)); {
		case name == "WithValue" || apis.IsCancelling(name):
			if u.Arg == 0 {
				s.ctxResults(call)
			}
			return
		case name != "":
			return // WithoutCancel detaches; AfterFunc, Cause do no work
		}
		if returnsCtx(s.c, call) {
			s.ctxResults(call) // a tracer's Start, metadata.NewOutgoingContext
			return
		}
		s.pass(u, kindCtx)
	case ownership.Go:
		s.goUse(u, kindCtx)
	}
}

func (s *reqScan) ctxResults(call *ssa.Call) {
	if tup, ok := call.Type().(*types.Tuple); ok {
		for i := 0; i < tup.Len(); i++ {
			if s.c.isCtxType(tup.At(i).Type()) {
				for _, r := range ownership.Refs(call) {
					if ex, ok := r.(*ssa.Extract); ok && ex.Index == i {
						s.ctxWalk.Value(ex)
					}
				}
			}
		}
		return
	}
	s.ctxWalk.Value(call)
}

// reqUse follows the request to its Context() and to the functions and
// goroutines it is given. r.WithContext(ctx) and r.Clone(ctx) carry ctx,
// not r's context, and are not followed.
func (s *reqScan) reqUse(u ownership.Use) {
	if u.OfCell || u.Variadic {
		return
	}
	switch u.Kind {
	case ownership.Call:
		call, ok := u.Instr.(*ssa.Call)
		if !ok {
			return
		}
		if u.Arg == 0 && isRequestContext(u.Common) {
			s.ctxWalk.Value(call)
			return
		}
		s.pass(u, kindRequest)
	case ownership.Go:
		s.goUse(u, kindRequest)
	}
}

// isRequestContext reports whether the call is (*http.Request).Context.
func isRequestContext(common *ssa.CallCommon) bool {
	return !common.IsInvoke() && apis.IsMethod(apis.Callee(common), "net/http", "Request", "Context")
}

// pass notes the parameter of a function of the package the value is
// passed to.
func (s *reqScan) pass(u ownership.Use, kind reqKind) {
	callee := s.c.localCallee(u.Common)
	if callee == nil || u.Arg < 0 || u.Arg >= len(callee.Params) {
		return
	}
	s.passed = append(s.passed, passedParam{param: callee.Params[u.Arg], call: u.Instr, kind: kind})
}

// localCallee returns the function of this package with a body that the
// call statically calls, or nil.
func (c *checker) localCallee(common *ssa.CallCommon) *ssa.Function {
	callee := common.StaticCallee()
	if callee == nil {
		return nil
	}
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if callee.Pkg != c.SSA || len(callee.Blocks) == 0 {
		return nil
	}
	return callee
}

// enter lets the walk into the closures that run in place, and notes the
// ones a go statement starts.
func (s *reqScan) enter(u ownership.Use, kind reqKind) bool {
	if u.Closure == nil {
		return false
	}
	if s.c.synchronous(u.Closure) {
		return true
	}
	mc, _ := u.Instr.(*ssa.MakeClosure)
	if mc == nil {
		return false
	}
	cell := isCell(u.FreeVar.Type(), kind)
	if cell && !s.c.cellCarries(u.FreeVar, kind) {
		// The variable the goroutine captures is also assigned what
		// does not carry the request's cancellation (r = r.WithContext(
		// context.WithoutCancel(r.Context()))): which one it sees is
		// not known here.
		return false
	}
	for _, r := range ownership.Refs(mc) {
		if g, ok := r.(*ssa.Go); ok && g.Call.Value == mc {
			s.goroutines = append(s.goroutines, reqGoroutine{g: g, body: u.Closure, inner: u.FreeVar, cell: cell, kind: kind})
			break
		}
	}
	return false
}

// cellCarries reports whether every value stored in the captured variable
// cell carries the request's cancellation: the request (a parameter) or its
// context (r.Context(), a context parameter, contexts derived from them
// that keep it).
func (c *checker) cellCarries(cell ssa.Value, kind reqKind) bool {
	vals := ownership.StoredValues(cell)
	if len(vals) == 0 {
		return false
	}
	for _, v := range vals {
		if !c.carries(v, kind, map[ssa.Value]bool{}) {
			return false
		}
	}
	return true
}

func (c *checker) carries(v ssa.Value, kind reqKind, seen map[ssa.Value]bool) bool {
	return ownership.Origins(v, seen, func(o ssa.Value) bool {
		switch o := o.(type) {
		case *ssa.Parameter, *ssa.FreeVar:
			return true // the reached function's own, or captured
		case *ssa.Extract:
			call, ok := o.Tuple.(*ssa.Call)
			return ok && kind == kindCtx && c.carries(call, kind, seen)
		case *ssa.Call:
			if kind == kindRequest {
				return false // r.WithContext(ctx), r.Clone(ctx): ctx's
			}
			if isRequestContext(&o.Call) {
				return true
			}
			name := apis.ContextFunc(apis.Callee(&o.Call))
			switch {
			case name == "WithValue" || apis.IsCancelling(name):
				return len(o.Call.Args) > 0 && c.carries(o.Call.Args[0], kind, seen)
			case name != "":
				return false // WithoutCancel, Background, TODO
			}
			for _, a := range o.Call.Args {
				if c.isCtxType(a.Type()) && c.carries(a, kind, seen) {
					return true // derived by a call that takes the context
				}
			}
		}
		return false
	})
}

// isCell reports whether a free variable of type t holds a captured
// variable's cell rather than the context or request itself.
func isCell(t types.Type, kind reqKind) bool {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	if kind == kindCtx {
		return types.IsInterface(p.Elem())
	}
	_, ok = p.Elem().Underlying().(*types.Pointer)
	return ok
}

// goUse notes a go statement given the value as an argument.
func (s *reqScan) goUse(u ownership.Use, kind reqKind) {
	g, ok := u.Instr.(*ssa.Go)
	if !ok || u.Arg < 0 {
		return
	}
	if apis.ContextFunc(apis.Callee(&g.Call)) != "" || isTelemetry(&g.Call) || isTeardown(&g.Call) {
		return
	}
	var body *ssa.Function
	switch v := g.Call.Value.(type) {
	case *ssa.Function:
		body = v
	case *ssa.MakeClosure:
		body, _ = v.Fn.(*ssa.Function)
	}
	if body != nil {
		if o := body.Origin(); o != nil {
			body = o
		}
		if body.Pkg == s.c.SSA && len(body.Blocks) > 0 && u.Arg < len(body.Params) {
			s.goroutines = append(s.goroutines, reqGoroutine{g: g, body: body, inner: body.Params[u.Arg], kind: kind})
			return
		}
	}
	if kind == kindCtx {
		// Another package's function, or an interface method, given the
		// context: work with it, as for any call.
		s.goroutines = append(s.goroutines, reqGoroutine{g: g, kind: kind})
	}
}

// carriedPast reports whether the goroutine does work with the request's
// context and nothing waits for it.
func (c *checker) carriedPast(gr reqGoroutine, l reqReach) bool {
	if !c.goroutineWorks(gr) {
		return false
	}
	if gr.body != nil && gr.body.Parent() != nil && len(c.joinSites(gr.body)) > 0 {
		return false
	}
	if c.awaited(gr, l.from != nil) {
		return false
	}
	return !streams(gr.g.Parent()) && !streams(l.handler)
}

// goroutineWorks reports whether the goroutine does work with the
// request's context.
func (c *checker) goroutineWorks(gr reqGoroutine) bool {
	if gr.body == nil {
		return true
	}
	if gr.kind == kindRequest {
		return c.requestWorks(gr.body, gr.inner, gr.cell, map[ssa.Value]bool{})
	}
	if p, ok := gr.inner.(*ssa.Parameter); ok && gr.body.Parent() == nil {
		return c.paramUse(p, true) == workYes
	}
	return c.ctxWorks(gr.body, gr.inner, gr.cell)
}

// ctxWorks reports whether home does work with the request's context v.
func (c *checker) ctxWorks(home *ssa.Function, v ssa.Value, cell bool) bool {
	w := c.newWalker(home)
	w.request = true
	w.start = v
	if cell {
		w.walk.Cell(v)
	} else {
		w.walk.Value(v)
	}
	return w.f.work != nil
}

// requestWorks reports whether home does work with the context of the
// request r: reads r.Context() for work, or passes r to a function of the
// package that does.
func (c *checker) requestWorks(home *ssa.Function, r ssa.Value, cell bool, seen map[ssa.Value]bool) bool {
	if seen[r] || len(seen) > 16 {
		return false
	}
	seen[r] = true
	works := false
	var walk ownership.Walker
	walk = ownership.Walker{
		Use: func(u ownership.Use) {
			if works || u.OfCell || u.Variadic || u.Kind != ownership.Call {
				return
			}
			call, ok := u.Instr.(*ssa.Call)
			if !ok {
				return
			}
			if u.Arg == 0 && isRequestContext(u.Common) {
				works = !detachedIn(c, call.Parent(), home) && c.ctxWorks(home, call, false)
				return
			}
			if callee := c.localCallee(u.Common); callee != nil && u.Arg >= 0 && u.Arg < len(callee.Params) && !detachedIn(c, call.Parent(), home) {
				works = c.requestWorks(callee, callee.Params[u.Arg], false, seen)
			}
		},
		Enter: func(u ownership.Use) bool { return u.Closure != nil && c.synchronous(u.Closure) },
	}
	if cell {
		walk.Cell(r)
	} else {
		walk.Value(r)
	}
	return works
}

// detachedIn reports whether code in fn runs detached from home.
func detachedIn(c *checker, fn, home *ssa.Function) bool {
	for f := fn; f != nil && f != home; f = f.Parent() {
		if !c.synchronous(f) {
			return true
		}
	}
	return false
}

// awaited reports whether the function starting the goroutine waits for it
// somewhere: the goroutine signals (sends, closes, calls Done, or is given
// a channel or a WaitGroup) and the function, or a closure in it,
// receives, selects or Waits. It need not be on every path: a handler
// that stops waiting (a timeout, an early error return) has given up on
// the goroutine's result, and the cancellation is what stops the work.
//
// In a helper (inHelper) a goroutine that signals is taken as awaited: the
// helper may return its channel, or the handler wait on the WaitGroup it
// was given, after the helper returns.
func (c *checker) awaited(gr reqGoroutine, inHelper bool) bool {
	signals := false
	for i, a := range gr.g.Call.Args {
		if gr.body != nil && gr.body.Parent() != nil && i >= len(gr.body.Params) {
			break
		}
		if isSignal(a.Type()) {
			signals = true
		}
	}
	if mc, ok := gr.g.Call.Value.(*ssa.MakeClosure); ok {
		for _, b := range mc.Bindings {
			if isSignal(b.Type()) {
				signals = true
			}
		}
	}
	if gr.body != nil && signalsIn(gr.body) {
		signals = true
	}
	if !signals {
		return false
	}
	if inHelper {
		return true
	}
	return waitsIn(cfgpath.EnclosingFunc(gr.g.Parent()), gr.body)
}

// isSignal reports whether t (or what a cell of type t holds) is a
// channel or a *sync.WaitGroup.
func isSignal(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		if apis.IsNamed(p.Elem(), "sync", "WaitGroup") {
			return true
		}
		t = p.Elem()
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// signalsIn reports whether fn sends on or closes a channel, or calls Done
// on a WaitGroup.
func signalsIn(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Send:
				return true
			case ssa.CallInstruction:
				common := in.Common()
				if isClose(common) || isWaitGroup(common, "Done") {
					return true
				}
			}
		}
	}
	return false
}

// waitsIn reports whether fn, or a function literal in it other than
// skip, receives from a channel, selects, or calls a Wait method.
func waitsIn(fn, skip *ssa.Function) bool {
	if fn == nil || fn == skip {
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.UnOp:
				if in.Op == token.ARROW {
					return true
				}
			case *ssa.Select:
				return true
			case ssa.CallInstruction:
				if isWaitCall(in.Common()) {
					return true
				}
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if waitsIn(anon, skip) {
			return true
		}
	}
	return false
}

// streams reports whether fn streams over the connection: it flushes,
// hijacks, or upgrades it (websocket Upgrade or Accept given the
// ResponseWriter). Goroutines such a handler starts (a read pump, a
// keep-alive ticker) belong to the connection, which ends with the
// handler.
func streams(fn *ssa.Function) bool {
	fn = cfgpath.EnclosingFunc(fn)
	for f := fn; f != nil; f = f.Parent() {
		fn = f
	}
	return streamsIn(fn)
}

func streamsIn(fn *ssa.Function) bool {
	for call := range apis.Calls(fn) {
		common := call.Common()
		var name string
		if common.IsInvoke() {
			name = common.Method.Name()
		} else if callee := apis.Callee(common); callee != nil {
			name = callee.Name()
		}
		switch name {
		case "Flush", "Hijack", "EnableFullDuplex":
			return true
		case "Upgrade", "Accept", "NewConn", "Handler":
			for _, a := range common.Args {
				if apis.IsNamed(a.Type(), "net/http", "ResponseWriter") {
					return true
				}
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if streamsIn(anon) {
			return true
		}
	}
	return false
}

// reportCarried reports the go statement of gr, reached from the handler
// along l, with the request's value it.
func (c *checker) reportCarried(it reqItem, l reqReach, gr reqGoroutine) {
	handler := c.Src.FuncName(l.handler)
	req := l.handler.Params[len(l.handler.Params)-1].Name() + ".Context()"
	fix := "context.WithoutCancel(" + it.expr + ")"
	consequence := "so the work fails with context canceled part-way"
	var msg report.Msg
	var opts []report.Option
	if l.from == nil {
		ret := report.Msgf("the handler returns %s", c.Src.At(returnPos(c, gr.g)))
		msg = report.Msgf("%s used by a goroutine that %s does not wait for: net/http cancels it when %s, %s; use %s with a timeout of its own",
			req, handler, ret, consequence, fix)
		opts = append(opts, report.RelatedClause(ret))
	} else {
		// Started in a function the handler calls: name the call that
		// handed the request on.
		call := report.Msgf("%s calls it %s", c.Src.FuncName(l.from), c.Src.At(l.call.Pos()))
		msg = report.Msgf("%s of %s used by a goroutine that %s does not wait for (%s): net/http cancels it when the handler returns, %s; use %s with a timeout of its own",
			req, handler, c.Src.FuncName(it.fn), call, consequence, fix)
		opts = append(opts, report.RelatedClause(call))
	}
	opts = append(opts, report.Path(c.requestPath(l, gr)...))
	span := report.Span{Start: gr.g.Pos()}
	for _, n := range c.Src.Enclosing(gr.g.Pos(), gr.g.Pos()+1) {
		if stmt, ok := n.(*ast.GoStmt); ok && stmt.Go == gr.g.Pos() {
			span = report.Span{Start: stmt.Pos(), Stop: stmt.End()}
			break
		}
	}
	c.Report.Report(span, msg, opts...)
}

// requestPath is the way from the handler to the go statement: the
// handler, each call that handed the request on, the go statement.
func (c *checker) requestPath(l reqReach, gr reqGoroutine) []report.Step {
	handler := c.Src.FuncName(l.handler).String()
	steps := []report.Step{{Pos: l.handler.Pos(), Message: handler + " serves a request; net/http cancels its context when it returns"}}
	var calls []report.Step
	for hop, n := l, 0; hop.from != nil && n <= maxReqDepth; hop, n = c.reqReached[hop.from], n+1 {
		calls = append(calls, report.Step{Pos: hop.call.Pos(), Message: c.Src.FuncName(hop.from).String() + " hands the request's context on"})
	}
	slices.Reverse(calls)
	steps = append(steps, calls...)
	return append(steps, report.Step{Pos: gr.g.Pos(), Message: "the goroutine starts here with the request's context, and nothing waits for it"})
}

// returnPos is the position of the first return reached from g without
// waiting: where the handler returns while the goroutine runs.
func returnPos(c *checker, g *ssa.Go) token.Pos {
	if end := c.Graph.From(&cfgpath.Search{}, g); end != nil {
		return end.Pos()
	}
	return token.NoPos
}
