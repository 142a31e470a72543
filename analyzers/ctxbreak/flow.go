package ctxbreak

import (
	"go/token"
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
}

type walker struct {
	c     *checker
	f     *flow
	seen  map[walkKey]bool
	cells map[*ssa.Store]bool
}

type walkKey struct {
	v        ssa.Value
	detached bool
}

// follow traces the context a Background()/TODO() call returns through the
// function: locals, φ-nodes, conversions, derived contexts and the closures
// that capture it.
func (c *checker) follow(root *ssa.Call) *flow {
	w := &walker{c: c, f: &flow{}, seen: map[walkKey]bool{}, cells: map[*ssa.Store]bool{}}
	w.value(root, false)
	return w.f
}

// value follows the uses of v. detached is set once the root is inside a
// closure that does not run now (a goroutine, a deferred or handed-off
// function literal): calls there are not this function's work, but a copy
// of values is still a copy.
func (w *walker) value(v ssa.Value, detached bool) {
	k := walkKey{v, detached}
	if v == nil || w.seen[k] || v.Referrers() == nil {
		return
	}
	w.seen[k] = true
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Phi:
			for _, e := range r.Edges {
				if e != v && !w.c.fresh(e) {
					w.f.fallback = true
				}
			}
			w.value(r, detached)
		case *ssa.ChangeInterface:
			w.value(r, detached)
		case *ssa.MakeInterface:
			w.value(r, detached)
		case *ssa.ChangeType:
			w.value(r, detached)
		case *ssa.TypeAssert:
			if !r.CommaOk {
				w.value(r, detached)
			} else {
				w.extracts(r, 0, detached)
			}
		case *ssa.Store:
			if r.Val == v && ownership.IsLocalCell(r.Addr) {
				w.stored(r, detached)
			} else if r.Val == v {
				// Stored in a field, global or slice: the lifetime
				// of a component, not work of this call.
				w.f.kept = true
			}
		case *ssa.Go, *ssa.Defer, *ssa.Return, *ssa.Send, *ssa.MapUpdate:
			w.f.kept = true
		case *ssa.Call:
			w.call(v, r, detached)
		case *ssa.MakeClosure:
			fn, _ := r.Fn.(*ssa.Function)
			for i, b := range r.Bindings {
				if b == v && fn != nil && i < len(fn.FreeVars) {
					w.captured(fn, fn.FreeVars[i], detached)
				}
			}
		}
		// Go and Defer (detachment, cleanup), Return, Send, MapUpdate,
		// comparisons: not work of this function.
	}
}

// extracts follows the results #index of a tuple-valued v.
func (w *walker) extracts(v ssa.Value, index int, detached bool) {
	if v.Referrers() == nil {
		return
	}
	for _, r := range *v.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == index {
			w.value(ex, detached)
		}
	}
}

// ctxResults follows every context-typed result of call.
func (w *walker) ctxResults(call *ssa.Call, detached bool) {
	if tup, ok := call.Type().(*types.Tuple); ok {
		for i := 0; i < tup.Len(); i++ {
			if w.c.isCtxType(tup.At(i).Type()) {
				w.extracts(call, i, detached)
			}
		}
		return
	}
	w.value(call, detached)
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

func (w *walker) call(v ssa.Value, call *ssa.Call, detached bool) {
	common := &call.Call
	if common.IsInvoke() && common.Value == v {
		return // Done, Err, Deadline or Value of the root itself: no work
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
			w.value(call, detached)
		}
		return
	case name == "WithoutCancel" || apis.IsCancelling(name):
		if common.Args[0] == v {
			w.ctxResults(call, detached)
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
		w.ctxResults(call, detached)
		return
	}
	if isTelemetry(common) || isTeardown(common) || w.c.onlyKept(common, v) {
		return
	}
	if !detached && w.f.work == nil {
		w.f.work = call
	}
}

// onlyKept reports whether the call is to a function of this package that
// keeps the context v it is given and does no work with it: it stores it in
// a struct, starts goroutines with it, or returns it (a constructor of a
// component with its own lifetime, called from a function that has a
// context). A function that ignores its context does not keep it: the
// fresh root is still the wrong one to give it.
func (c *checker) onlyKept(common *ssa.CallCommon, v ssa.Value) bool {
	callee := common.StaticCallee()
	if callee == nil {
		return false
	}
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if callee.Pkg == nil || callee.Pkg.Pkg != c.pass.Pkg || len(callee.Blocks) == 0 {
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
		switch c.paramUse(callee.Params[i]) {
		case workYes, workPending:
			return false
		case paramKept:
			kept = true
		}
	}
	return kept
}

// paramUse says what the function does with its context parameter p, as
// follow decides for a fresh root: workYes, paramKept, or workNo (nothing).
func (c *checker) paramUse(p *ssa.Parameter) int8 {
	if u := c.paramWork[p]; u != 0 {
		return u
	}
	c.paramWork[p] = workPending
	w := &walker{c: c, f: &flow{}, seen: map[walkKey]bool{}, cells: map[*ssa.Store]bool{}}
	w.value(p, false)
	u := workNo
	switch {
	case w.f.work != nil:
		u = workYes
	case w.f.kept:
		u = paramKept
	}
	c.paramWork[p] = u
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

// stored follows a root stored in a local variable cell: the loads that can
// see this store, and the closures that capture the cell. A variable that
// also holds a context that is not a fresh root is a fallback.
func (w *walker) stored(st *ssa.Store, detached bool) {
	if w.cells[st] {
		return
	}
	w.cells[st] = true
	cell := st.Addr
	var others []ssa.Instruction
	for _, r := range *cell.Referrers() {
		if o, ok := r.(*ssa.Store); ok && o != st && o.Addr == cell {
			others = append(others, o)
			if !w.c.fresh(o.Val) {
				w.f.fallback = true
			}
		}
	}
	reassigned := func(in ssa.Instruction) bool {
		for _, o := range others {
			if in == o {
				return true
			}
		}
		return false
	}
	for _, r := range *cell.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op != token.MUL {
				continue
			}
			if len(others) == 0 || r.Parent() == st.Parent() && cfgpath.Reaches(st, r, reassigned) {
				w.value(r, detached)
			}
		case *ssa.MakeClosure:
			fn, _ := r.Fn.(*ssa.Function)
			for i, b := range r.Bindings {
				if b == cell && fn != nil && i < len(fn.FreeVars) {
					w.captured(fn, fn.FreeVars[i], detached)
				}
			}
		}
	}
}

// captured follows the root into the function literal fn that captures it
// as free variable fv (a value, or a variable's cell).
func (w *walker) captured(fn *ssa.Function, fv *ssa.FreeVar, detached bool) {
	if !w.c.synchronous(fn) {
		detached = true
		w.f.kept = true
	}
	if _, isCell := fv.Type().Underlying().(*types.Pointer); !isCell || fv.Referrers() == nil {
		w.value(fv, detached)
		return
	}
	k := walkKey{fv, detached}
	if w.seen[k] {
		return
	}
	w.seen[k] = true
	for _, r := range *fv.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op == token.MUL {
				w.value(r, detached)
			}
		case *ssa.MakeClosure:
			inner, _ := r.Fn.(*ssa.Function)
			for i, b := range r.Bindings {
				if b == fv && inner != nil && i < len(inner.FreeVars) {
					w.captured(inner, inner.FreeVars[i], detached)
				}
			}
		}
	}
}

// fresh reports whether the context v is a fresh root or derived from one
// (or nil): not a context from outside.
func (c *checker) fresh(v ssa.Value) bool {
	return c.freshIn(v, map[ssa.Value]bool{})
}

func (c *checker) freshIn(v ssa.Value, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return true // a cycle through φ-nodes adds nothing
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Const:
		return v.IsNil()
	case *ssa.Call:
		name := apis.ContextFunc(apis.Callee(&v.Call))
		switch {
		case apis.IsNewRoot(name):
			return true
		case name == "WithValue" || name == "WithoutCancel" || apis.IsCancelling(name):
			return len(v.Call.Args) > 0 && c.freshIn(v.Call.Args[0], seen)
		}
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			return c.freshIn(call, seen)
		}
	case *ssa.Phi:
		for _, e := range v.Edges {
			if !c.freshIn(e, seen) {
				return false
			}
		}
		return true
	case *ssa.ChangeInterface:
		return c.freshIn(v.X, seen)
	case *ssa.MakeInterface:
		return c.freshIn(v.X, seen)
	case *ssa.ChangeType:
		return c.freshIn(v.X, seen)
	case *ssa.TypeAssert:
		return c.freshIn(v.X, seen)
	case *ssa.UnOp:
		if v.Op == token.MUL && ownership.IsLocalCell(v.X) {
			stored := storedValues(v.X)
			if stored == nil {
				return false
			}
			for _, s := range stored {
				if !c.freshIn(s, seen) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// storedValues returns what is stored in the local variable cell, following
// a closure's free variable to the cells bound to it. Nil when unknown.
func storedValues(cell ssa.Value) []ssa.Value {
	var vals []ssa.Value
	for _, cl := range cellsOf(cell, 0) {
		if cl.Referrers() == nil {
			continue
		}
		for _, r := range *cl.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == cl {
				vals = append(vals, st.Val)
			}
		}
	}
	return vals
}

// cellsOf returns cell and, for a free variable, the values bound to it
// where its closure is made (recursively for nested closures).
func cellsOf(cell ssa.Value, depth int) []ssa.Value {
	fv, ok := cell.(*ssa.FreeVar)
	if !ok {
		return []ssa.Value{cell}
	}
	out := []ssa.Value{cell}
	if depth > 8 {
		return out
	}
	for _, b := range bindings(fv) {
		out = append(out, cellsOf(b, depth+1)...)
	}
	return out
}

// bindings returns the values bound to the free variable fv where its
// closure is made.
func bindings(fv *ssa.FreeVar) []ssa.Value {
	fn := fv.Parent()
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	if idx < 0 || fn.Referrers() == nil {
		return nil
	}
	var out []ssa.Value
	for _, r := range *fn.Referrers() {
		if mc, ok := r.(*ssa.MakeClosure); ok && idx < len(mc.Bindings) {
			out = append(out, mc.Bindings[idx])
		}
	}
	return out
}

// copiedFrom returns the context in scope whose Value v is (through
// conversions, type assertions, locals and free variables), or nil.
func (c *checker) copiedFrom(v ssa.Value, seen map[ssa.Value]bool) *source {
	if v == nil || seen[v] {
		return nil
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.MakeInterface:
		return c.copiedFrom(v.X, seen)
	case *ssa.ChangeInterface:
		return c.copiedFrom(v.X, seen)
	case *ssa.ChangeType:
		return c.copiedFrom(v.X, seen)
	case *ssa.TypeAssert:
		return c.copiedFrom(v.X, seen)
	case *ssa.Extract:
		if ta, ok := v.Tuple.(*ssa.TypeAssert); ok && v.Index == 0 {
			return c.copiedFrom(ta.X, seen)
		}
	case *ssa.Phi:
		for _, e := range v.Edges {
			if s := c.copiedFrom(e, seen); s != nil {
				return s
			}
		}
	case *ssa.UnOp:
		if v.Op == token.MUL && ownership.IsLocalCell(v.X) {
			for _, s := range storedValues(v.X) {
				if src := c.copiedFrom(s, seen); src != nil {
					return src
				}
			}
		}
	case *ssa.FreeVar:
		for _, b := range bindings(v) {
			if s := c.copiedFrom(b, seen); s != nil {
				return s
			}
		}
	case *ssa.Call:
		common := &v.Call
		if common.IsInvoke() {
			if common.Method.Name() == "Value" && c.isCtxType(common.Value.Type()) {
				return c.sourceOf(common.Value, map[ssa.Value]bool{})
			}
			return nil
		}
		if fn := apis.Callee(common); fn != nil && fn.Name() == "Value" && apis.RecvTypeName(fn) != "" && len(common.Args) == 2 && c.implementsCtx(common.Args[0].Type()) {
			return c.sourceOf(common.Args[0], map[ssa.Value]bool{})
		}
	}
	return nil
}

// sourceOf returns the context source (a parameter, or p.Context()) the
// context v is, or is derived from, or nil. A context derived from a fresh
// root is not one.
func (c *checker) sourceOf(v ssa.Value, seen map[ssa.Value]bool) *source {
	if v == nil || seen[v] {
		return nil
	}
	seen[v] = true
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
	case *ssa.Phi:
		for _, e := range v.Edges {
			if s := c.sourceOf(e, seen); s != nil {
				return s
			}
		}
	case *ssa.ChangeInterface:
		return c.sourceOf(v.X, seen)
	case *ssa.MakeInterface:
		return c.sourceOf(v.X, seen)
	case *ssa.ChangeType:
		return c.sourceOf(v.X, seen)
	case *ssa.TypeAssert:
		return c.sourceOf(v.X, seen)
	case *ssa.UnOp:
		if v.Op == token.MUL && ownership.IsLocalCell(v.X) {
			for _, s := range storedValues(v.X) {
				if src := c.sourceOf(s, seen); src != nil {
					return src
				}
			}
		}
	case *ssa.FreeVar:
		for _, b := range bindings(v) {
			if s := c.sourceOf(b, seen); s != nil {
				return s
			}
		}
	}
	return nil
}

// paramSource returns p as a source of fn when it is one: a named context
// parameter, or a named parameter with a Context method.
func (c *checker) paramSource(fn *ssa.Function, p *ssa.Parameter) *source {
	if fn == nil || fn.Synthetic == yieldSynthetic {
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
