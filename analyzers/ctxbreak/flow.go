package ctxbreak

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// flow is what becomes of a fresh root in the function that makes it.
type flow struct {
	// work is the first call that runs now with the root (or a context
	// derived from it), in this function or a closure it calls
	// synchronously; nil when the root is only detached, deferred,
	// stored, returned or sent.
	work ssa.Instruction
	// fallback is set when the root is merged with another context: a
	// default for a context that may be nil or missing.
	fallback bool
	// copied is the context whose values are copied into the root
	// (WithValue(root, k, ctx.Value(k))), or nil.
	copied *source
	// kept is set when the root is stored, returned, sent, or handed to
	// a goroutine or deferred call: someone keeps it.
	kept bool
	// keptBy is the first call given the root whose results are only
	// kept (see resultsKept): no work now, unless it repeats a call that
	// failed (retry.go).
	keptBy *ssa.Call
}

// walker follows one context (a fresh root, or a context parameter) through
// the function that has it, as a client of ownership.Walker, which steps
// through locals, φ-nodes and conversions and into the closures that
// capture it; the walker records what the uses do.
type walker struct {
	c *checker
	f *flow
	// home is the function the walk starts in. Code in a closure inside
	// it that does not run now (a goroutine, a deferred or handed-off
	// function literal) is detached: its calls are not this function's
	// work, but a copy of values is still a copy.
	home *ssa.Function
	// start is the context the walk starts from.
	start ssa.Value
	walk  ownership.Walker
	// request is set when the walk follows a request's context inside a
	// goroutine (request.go): only the contexts that keep its
	// cancellation are followed (WithoutCancel ends the walk), and a wait
	// on Done is the goroutine stopping with the request, not work.
	request bool
}

func (c *checker) newWalker(home *ssa.Function) *walker {
	w := &walker{c: c, f: &flow{}, home: home}
	w.walk = ownership.Walker{Use: w.use, Merge: w.merge, Enter: w.enter}
	return w
}

// follow traces the context a Background()/TODO() call returns through the
// function: locals, φ-nodes, conversions, derived contexts and the closures
// that capture it.
func (c *checker) follow(root *ssa.Call) *flow {
	w := c.newWalker(root.Parent())
	w.start = root
	w.walk.Value(root)
	return w.f
}

// use records what one use of the context does: work (a call), keeping it
// (stored, returned, sent, given to a goroutine or deferred call), or
// nothing (a comparison, a field of a concrete context...).
func (w *walker) use(u ownership.Use) {
	if u.OfCell {
		return // &ctx inside a closure: the variable, not the context
	}
	switch u.Kind {
	case ownership.Call:
		if call, ok := u.Instr.(*ssa.Call); ok && !u.Variadic {
			w.call(u.Value, call)
			return
		}
		// Packed into a variadic call's slice: stored in it.
		w.f.kept = true
	case ownership.Go, ownership.Defer, ownership.Return, ownership.Send, ownership.Store:
		// Detachment, cleanup, or kept in a field, global, slice or
		// map: the lifetime of a component, not work of this call.
		w.f.kept = true
	case ownership.Other:
		if _, ok := u.Instr.(*ssa.Send); ok {
			w.f.kept = true
		}
	}
}

// merge notes the other contexts the root is merged with: a default for a
// context that may be nil or missing, unless they are fresh too.
func (w *walker) merge(others []ssa.Value) {
	for _, o := range others {
		if !w.c.fresh(o) {
			w.f.fallback = true
		}
	}
}

// enter lets the walk into every closure that captures the context; one
// that does not run now keeps it.
func (w *walker) enter(u ownership.Use) bool {
	if !w.c.synchronous(u.Closure) {
		w.f.kept = true
	}
	return true
}

// detached reports whether code in fn is detached from home's work.
func (w *walker) detached(fn *ssa.Function) bool {
	for f := fn; f != nil && f != w.home; f = f.Parent() {
		if !w.c.synchronous(f) {
			return true
		}
	}
	return false
}

// extracts follows the results #index of a tuple-valued v.
func (w *walker) extracts(v ssa.Value, index int) {
	for _, r := range ownership.Refs(v) {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == index {
			w.walk.Value(ex)
		}
	}
}

// ctxResults follows every context-typed result of call.
func (w *walker) ctxResults(call *ssa.Call) {
	if tup, ok := call.Type().(*types.Tuple); ok {
		for i := 0; i < tup.Len(); i++ {
			if w.c.isCtxType(tup.At(i).Type()) {
				w.extracts(call, i)
			}
		}
		return
	}
	w.walk.Value(call)
}

func returnsCtx(c *checker, call *ssa.Call) bool {
	if tup, ok := call.Type().(*types.Tuple); ok {
		for i := 0; i < tup.Len(); i++ {
			if c.isCtxType(tup.At(i).Type()) {
				return true
			}
		}
		return false
	}
	return c.isCtxType(call.Type())
}

// call decides a call the context is given to: a derived context is
// followed, a copy of values noted, anything else is work unless it is
// telemetry, teardown, or a constructor that only keeps the context.
func (w *walker) call(v ssa.Value, call *ssa.Call) {
	common := &call.Call
	if common.IsInvoke() && common.Value == v {
		// Done, Err, Deadline or Value of the context: no work, but for
		// a wait on the Done channel of a context derived from the
		// root (select.go).
		if !w.request && v != w.start && common.Method.Name() == "Done" && w.f.work == nil &&
			!w.detached(call.Parent()) && w.c.waitsOnDone(call) {
			w.f.work = call
		}
		return
	}
	isArg := false
	for _, a := range common.Args {
		if a == v {
			isArg = true
		}
	}
	if !isArg {
		return
	}
	switch name := apis.ContextFunc(apis.Callee(common)); {
	case name == "WithValue":
		if len(common.Args) == 3 && common.Args[0] == v {
			if w.f.copied == nil {
				w.f.copied = w.c.copiedFrom(common.Args[2], map[ssa.Value]bool{})
			}
			w.walk.Value(call)
		}
		return
	case name == "WithoutCancel" || apis.IsCancelling(name):
		if common.Args[0] == v && !(w.request && name == "WithoutCancel") {
			w.ctxResults(call)
		}
		return
	case name != "":
		return // AfterFunc, Cause: no work
	}
	if returnsCtx(w.c, call) {
		// A call that derives a context from the root (a propagator's
		// Extract, metadata.NewOutgoingContext, a tracer's Start): what
		// counts is what the derived context is used for. A call that
		// also takes another context merges the two.
		for _, a := range common.Args {
			if a != v && w.c.isCtxType(a.Type()) && !w.c.fresh(a) {
				w.f.fallback = true
			}
		}
		w.ctxResults(call)
		return
	}
	if isTelemetry(common) || isTeardown(common) || w.c.onlyKept(common, v, w.request) {
		return
	}
	if w.request && (readsValues(common) || w.c.ignoredBy(common, v)) {
		// A request's context given to a function of the package that
		// does nothing with it: nothing to cancel. (A fresh root given to
		// one is still the wrong context, so the other rules count it.)
		return
	}
	if resultsKept(call) {
		w.f.kept = true
		if w.f.keptBy == nil && !w.detached(call.Parent()) {
			w.f.keptBy = call
		}
		return
	}
	if w.f.work == nil && !w.detached(call.Parent()) {
		w.f.work = call
	}
}

// resultsKept reports whether a call given the context builds something
// that holds it for later, and nothing uses it now: every result but an
// error is only kept, stored where it outlives the call (a field, a global,
// a map or slice, a struct literal that is itself kept), returned or sent.
// oauth2's Config.TokenSource(ctx) keeps ctx to fetch every later token
// with; the token source lives as long as the transport that keeps it, not
// as long as the request that happened to build it, so the request's
// context would be the wrong one to give it. A call whose result is used
// at once (ts.Token()) is work, as is one that returns nothing to keep.
func resultsKept(call *ssa.Call) bool {
	var results []ssa.Value
	if tup, ok := call.Type().(*types.Tuple); ok {
		for i := 0; i < tup.Len(); i++ {
			if isError(tup.At(i).Type()) {
				continue
			}
			var extract ssa.Value
			for _, r := range ownership.Refs(call) {
				if ex, ok := r.(*ssa.Extract); ok && ex.Index == i {
					extract = ex
				}
			}
			if extract == nil {
				return false // discarded: the call was made for what it does
			}
			results = append(results, extract)
		}
	} else if !isError(call.Type()) {
		results = append(results, call)
	}
	if len(results) == 0 {
		return false
	}
	for _, r := range results {
		if !ownership.OnlyKept(r) {
			return false
		}
	}
	return true
}

// onlyKept reports whether the call is to a function of this package that
// keeps the context v it is given and does no work with it: it stores it in
// a struct, starts goroutines with it, or returns it (a constructor of a
// component with its own lifetime, called from a function that has a
// context). A function that ignores its context does not keep it: the
// fresh root is still the wrong one to give it.
//
// With request set the question is request.go's: what the function does
// with a request's context (paramUse's request mode).
func (c *checker) onlyKept(common *ssa.CallCommon, v ssa.Value, request bool) bool {
	callee := common.StaticCallee()
	if callee == nil {
		return false
	}
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if callee.Pkg == nil || callee.Pkg.Pkg != c.Pass.Pkg || len(callee.Blocks) == 0 {
		return false
	}
	kept := false
	for i, a := range common.Args {
		if a != v {
			continue
		}
		if i >= len(callee.Params) {
			return false
		}
		switch c.paramUse(callee.Params[i], request) {
		case workYes, workPending:
			return false
		case paramKept:
			kept = true
		}
	}
	return kept
}

// readsValues reports whether the call only reads values from the context
// it is given, which a cancelled context still has: a FromContext getter
// (a request ID, auth claims, metadata.FromIncomingContext), zerolog's
// log.Ctx, OpenTelemetry's trace and baggage accessors.
func readsValues(common *ssa.CallCommon) bool {
	fn := apis.Callee(common)
	if fn == nil {
		return false
	}
	if fn.Pkg() != nil {
		path := fn.Pkg().Path()
		if strings.HasPrefix(path, "go.opentelemetry.io/otel/trace") || strings.HasPrefix(path, "go.opentelemetry.io/otel/baggage") {
			return true
		}
	}
	name := fn.Name()
	return strings.HasSuffix(name, "FromContext") || strings.HasSuffix(name, "FromIncomingContext") ||
		strings.HasSuffix(name, "FromOutgoingContext") || strings.HasSuffix(name, "FromCtx") || name == "Ctx"
}

// ignoredBy reports whether the call is to a function of this package that
// does no work with the context v it is given (paramUse, request mode).
func (c *checker) ignoredBy(common *ssa.CallCommon, v ssa.Value) bool {
	callee := c.localCallee(common)
	if callee == nil {
		return false
	}
	for i, a := range common.Args {
		if a == v && (i >= len(callee.Params) || c.paramUse(callee.Params[i], true) != workNo) {
			return false
		}
	}
	return true
}

// paramUse says what the function does with its context parameter p, as
// follow decides for a fresh root: workYes, paramKept, or workNo (nothing).
// With request set, p is followed as a request's context is (walker.request).
func (c *checker) paramUse(p *ssa.Parameter, request bool) int8 {
	cache := c.paramWork
	if request {
		cache = c.paramWorkReq
	}
	if u := cache[p]; u != 0 {
		return u
	}
	cache[p] = workPending
	w := c.newWalker(p.Parent())
	w.request = request
	w.start = p
	w.walk.Value(p)
	u := workNo
	switch {
	case w.f.work != nil:
		u = workYes
	case w.f.kept:
		u = paramKept
	}
	cache[p] = u
	return u
}

// isTelemetry reports whether the call logs or records a metric: such calls
// read values from their context (a trace ID, baggage) and never wait on it,
// so a fresh root there breaks no cancellation.
func isTelemetry(common *ssa.CallCommon) bool {
	var fn *types.Func
	if common.IsInvoke() {
		fn = common.Method
	} else {
		fn = apis.Callee(common)
	}
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	path := fn.Pkg().Path()
	if path == "log/slog" || strings.HasPrefix(path, "go.opentelemetry.io/otel/metric") || strings.HasPrefix(path, "go.opentelemetry.io/otel/log") {
		return true
	}
	if isLogName(fn.Pkg().Name()) {
		return true
	}
	recv := apis.RecvTypeName(fn)
	return strings.HasSuffix(recv, "Logger") || strings.HasSuffix(recv, "Logging") || recv == "Log" || recv == "LogSink"
}

// isTeardown reports whether the call stops, closes or cleans up:
// Shutdown, Stop, Close, Rollback, Unlock, Flush, exitProcess... Such calls
// must run to the end even when the caller's context is over (a shutdown
// that the request asking for it could cancel, a rollback after a
// cancelled query), so a fresh root there is the deliberate choice,
// deferred or not.
func isTeardown(common *ssa.CallCommon) bool {
	var name string
	if common.IsInvoke() {
		name = common.Method.Name()
	} else if fn := apis.Callee(common); fn != nil {
		name = fn.Name()
	}
	name = strings.ToLower(name)
	for _, prefix := range teardownPrefixes {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return strings.Contains(name, "shutdown") || strings.Contains(name, "cleanup") || strings.Contains(name, "teardown")
}

var teardownPrefixes = []string{
	"shutdown", "stop", "gracefulstop", "close", "exit", "quit", "terminate", "kill",
	"cleanup", "clean", "teardown", "release", "rollback", "abort",
	"drain", "unlock", "unregister", "deregister", "flush", "destroy", "dispose", "disconnect",
}

// isLogName reports whether a package name is a logging package's: log,
// slog, klog, zerolog, logr, logrus, logging...
func isLogName(name string) bool {
	switch name {
	case "logger", "logging", "logs", "logrus", "logr", "zap", "zapr", "zapcore", "log15":
		return true
	case "catalog", "dialog", "changelog", "backlog", "blog", "weblog", "binlog", "wal", "oplog", "auditlog", "eventlog", "syslog":
		// Logs that are data (a changelog, a binary log, a write-ahead
		// log, an audit trail): writing them is work.
		return false
	}
	return strings.HasSuffix(name, "log")
}

// fresh reports whether the context v is a fresh root or derived from one
// (or nil): not a context from outside.
func (c *checker) fresh(v ssa.Value) bool {
	return c.freshIn(v, map[ssa.Value]bool{})
}

func (c *checker) freshIn(v ssa.Value, seen map[ssa.Value]bool) bool {
	return ownership.Origins(v, seen, func(o ssa.Value) bool {
		switch o := o.(type) {
		case *ssa.Const:
			return o.IsNil()
		case *ssa.Call:
			name := apis.ContextFunc(apis.Callee(&o.Call))
			switch {
			case apis.IsNewRoot(name):
				return true
			case name == "WithValue" || name == "WithoutCancel" || apis.IsCancelling(name):
				return len(o.Call.Args) > 0 && c.freshIn(o.Call.Args[0], seen)
			}
		case *ssa.Extract:
			if call, ok := o.Tuple.(*ssa.Call); ok {
				return c.freshIn(call, seen)
			}
		}
		return false
	})
}

// copiedFrom returns the context in scope whose Value v is (through
// conversions, type assertions, locals and free variables), or nil.
func (c *checker) copiedFrom(v ssa.Value, seen map[ssa.Value]bool) *source {
	var src *source
	ownership.Origins(v, seen, func(o ssa.Value) bool {
		call, ok := o.(*ssa.Call)
		if !ok {
			return true
		}
		common := &call.Call
		if common.IsInvoke() {
			if common.Method.Name() == "Value" && c.isCtxType(common.Value.Type()) {
				src = c.sourceOf(common.Value, map[ssa.Value]bool{})
			}
		} else if fn := apis.Callee(common); fn != nil && fn.Name() == "Value" && apis.RecvTypeName(fn) != "" && len(common.Args) == 2 && c.implementsCtx(common.Args[0].Type()) {
			src = c.sourceOf(common.Args[0], map[ssa.Value]bool{})
		}
		return src == nil
	})
	return src
}

// sourceOf returns the context source (a parameter, or p.Context()) the
// context v is, or is derived from, or nil. A context derived from a fresh
// root is not one.
func (c *checker) sourceOf(v ssa.Value, seen map[ssa.Value]bool) *source {
	var src *source
	ownership.Origins(v, seen, func(o ssa.Value) bool {
		src = c.sourceAt(o, seen)
		return src == nil
	})
	return src
}

// sourceAt is sourceOf for a value that is not a copy of another.
func (c *checker) sourceAt(v ssa.Value, seen map[ssa.Value]bool) *source {
	switch v := v.(type) {
	case *ssa.Parameter:
		if fn := v.Parent(); fn != nil {
			if src := c.paramSource(fn, v); src != nil && !src.method {
				return src
			}
		}
	case *ssa.Call:
		common := &v.Call
		if common.IsInvoke() {
			if common.Method.Name() == "Context" && len(common.Args) == 0 {
				if p, ok := common.Value.(*ssa.Parameter); ok {
					if src := c.paramSource(p.Parent(), p); src != nil && src.method {
						return src
					}
				}
			}
			return nil
		}
		fn := apis.Callee(common)
		if fn == nil {
			return nil
		}
		if name := apis.ContextFunc(fn); name == "WithValue" || name == "WithoutCancel" || apis.IsCancelling(name) {
			return c.sourceOf(common.Args[0], seen)
		}
		if fn.Name() == "Context" && apis.RecvTypeName(fn) != "" && len(common.Args) == 1 {
			if p, ok := common.Args[0].(*ssa.Parameter); ok {
				if src := c.paramSource(p.Parent(), p); src != nil && src.method {
					return src
				}
			}
		}
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok && v.Index == 0 {
			return c.sourceOf(call, seen)
		}
	}
	return nil
}

// paramSource returns p as a source of fn when it is one: a named context
// parameter, or a named parameter with a Context method.
func (c *checker) paramSource(fn *ssa.Function, p *ssa.Parameter) *source {
	if fn == nil || cfgpath.IsRangeFuncBody(fn) {
		return nil
	}
	if v, ok := p.Object().(*types.Var); !ok || v.Name() == "" || v.Name() == "_" {
		return nil // cannot be used
	}
	if fn.Signature.Recv() != nil && len(fn.Params) > 0 && fn.Params[0] == p {
		return nil // the receiver
	}
	switch {
	case c.isCtxType(p.Type()):
		return &source{param: p}
	case c.hasContextMethod(p.Type()):
		return &source{param: p, method: true}
	}
	return nil
}
