package shutdown

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lazyssa"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// exitFunc reports whether calling fn ends the process without running
// the deferred calls: os.Exit, syscall.Exit, log.Fatal and every Fatal*
// logger (they call os.Exit), but not testing's Fatal (runtime.Goexit
// runs the test's defers).
func exitFunc(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "os", "syscall":
		return fn.Name() == "Exit" && apis.RecvTypeName(fn) == ""
	case "testing":
		return false
	}
	switch fn.Name() {
	case "Fatal", "Fatalf", "Fatalln", "Fatalw":
		return true
	}
	return false
}

// logPanic reports whether fn is log.Panic and its kin: the process dies
// of the panic unless someone recovers it.
func logPanic(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "log" {
		return false
	}
	switch fn.Name() {
	case "Panic", "Panicf", "Panicln":
		return true
	}
	return false
}

// isExitCall reports whether a call ends the process when a Serve error
// reaches it: an exit or a log.Panic.
func isExitCall(common *ssa.CallCommon) bool {
	fn := apis.Callee(common)
	return exitFunc(fn) || logPanic(fn)
}

// exits returns the functions of the package that end the process on
// every path: they cannot return and call an exit or such a function
// (func fatal(err error) { log.Print(err); os.Exit(1) }).
func (c *checker) exiters() map[*ssa.Function]bool {
	exiters := map[*ssa.Function]bool{}
	for changed := true; changed; {
		changed = false
		for _, fn := range c.Funcs {
			if fn.Blocks == nil || exiters[fn] || fn.Parent() != nil || !c.neverReturns(fn) {
				continue
			}
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if call, ok := instr.(*ssa.Call); ok && (exitFunc(apis.Callee(call.Common())) || exiters[apis.StaticFunc(call.Common())]) {
						exiters[fn] = true
						changed = true
					}
				}
			}
		}
	}
	return exiters
}

// neverReturns reports whether no path of fn returns (cfgpath's Graph
// knows the package's own).
func (c *checker) neverReturns(fn *ssa.Function) bool {
	return c.Graph.NeverReturns(&ssa.CallCommon{Value: fn})
}

const removedStays = "what it removes stays behind"

// A lifecycleDefer is a deferred call whose work outlives the process:
// what it writes out, the children it ends, the files it removes.
type lifecycleDefer struct {
	pos         token.Pos // the defer statement's call
	name        string    // what it calls, as messages name it
	consequence string
	removes     bool // os.Remove or RemoveAll: what is lost is disk space
}

// checkExits reports the exits of fn reached with a lifecycle defer of
// fn pending: os.Exit does not run deferred calls.
func (c *checker) checkExits(fn *ssa.Function) {
	var defers []*ssa.Defer
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if d, ok := instr.(*ssa.Defer); ok {
				defers = append(defers, d)
			}
		}
	}
	if len(defers) == 0 {
		return
	}
	var exiters map[*ssa.Function]bool
	classified := map[*ssa.Defer]*lifecycleDefer{}
	// The exits in source order, each with the cleanups pending there.
	type exit struct {
		call    *ssa.Call
		pending []*lifecycleDefer
	}
	var exits []exit
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if !exitFunc(apis.Callee(call.Common())) {
				if exiters == nil {
					exiters = c.exiters()
				}
				if !exiters[apis.StaticFunc(call.Common())] {
					continue
				}
			}
			e := exit{call: call}
			for _, d := range defers {
				// Pending unless the same call was made by hand on the way
				// (buf.Close(); os.Exit(1)).
				if !c.Graph.Reaches(d, call, func(in ssa.Instruction) bool { return sameCall(in, d) }) {
					continue
				}
				ld, seen := classified[d]
				if !seen {
					ld = c.lifecycle(d)
					classified[d] = ld
				}
				// Files left behind on an error path are a nuisance; on
				// the exit every run takes (os.Exit(m.Run()), os.Exit(code))
				// they pile up.
				if ld != nil && (!ld.removes || normalExit(call)) {
					e.pending = append(e.pending, ld)
				}
			}
			if len(e.pending) > 0 {
				exits = append(exits, e)
			}
		}
	}
	sort.Slice(exits, func(i, j int) bool { return exits[i].call.Pos() < exits[j].call.Pos() })
	// One finding per cleanup, at the first exit that skips it.
	reported := map[*lifecycleDefer]bool{}
	for _, e := range exits {
		var fresh []*lifecycleDefer
		for _, ld := range e.pending {
			if !reported[ld] {
				reported[ld] = true
				fresh = append(fresh, ld)
			}
		}
		if len(fresh) == 0 {
			continue
		}
		sort.Slice(fresh, func(i, j int) bool { return fresh[i].pos < fresh[j].pos })
		more := 0
		for _, other := range exits {
			if other.call != e.call && slices.Contains(other.pending, fresh[0]) {
				more++
			}
		}
		c.reportExit(e.call, fresh, more)
	}
}

// sameCall reports whether instr calls what the defer d does, on the same
// receiver: the cleanup done by hand.
func sameCall(instr ssa.Instruction, d *ssa.Defer) bool {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return false
	}
	callee, deferred := apis.Callee(call.Common()), apis.Callee(d.Common())
	if callee == nil || callee != deferred {
		return false
	}
	a, b := apis.Receiver(call.Common()), apis.Receiver(d.Common())
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return resolve(a) == resolve(b) || sameLoad(a, b)
}

// sameLoad reports whether a and b load the same field of the same value
// (ctxt.Bso twice).
func sameLoad(a, b ssa.Value) bool {
	la, ok1 := a.(*ssa.UnOp)
	lb, ok2 := b.(*ssa.UnOp)
	if !ok1 || !ok2 || la.Op != token.MUL || lb.Op != token.MUL {
		return false
	}
	fa, ok1 := la.X.(*ssa.FieldAddr)
	fb, ok2 := lb.X.(*ssa.FieldAddr)
	return ok1 && ok2 && fa.Field == fb.Field && (resolve(fa.X) == resolve(fb.X) || sameLoad(fa.X, fb.X))
}

// normalExit reports whether call is os.Exit of a code that is not a
// constant: the exit of every run, not of an error path.
func normalExit(call *ssa.Call) bool {
	if !apis.IsFunc(apis.Callee(call.Common()), "os", "Exit") || len(call.Common().Args) != 1 {
		return false
	}
	_, isConst := call.Common().Args[0].(*ssa.Const)
	return !isConst
}

func (c *checker) reportExit(call *ssa.Call, pending []*lifecycleDefer, more int) {
	first := pending[0]
	others := report.Msgf("")
	if n := len(pending) - 1; n == 1 {
		others = report.Msgf(" (and 1 other deferred cleanup)")
	} else if n > 1 {
		others = report.Msgf(" (and %d other deferred cleanups)", n)
	}
	if more == 1 {
		others = report.Msgf("%s, and so does 1 other exit of the function", others)
	} else if more > 1 {
		others = report.Msgf("%s, and so do %d other exits of the function", others, more)
	}
	exit := c.Src.Func(call.Pos(), "os.Exit")
	msg := report.Msgf("%s exits without running the deferred %s %s%s: %s; return instead, and exit where no such defer is pending (func main() { os.Exit(run()) })",
		exit, first.name, c.Src.At(first.pos), others, first.consequence)
	c.Report.Report(c.Src.CallRange(call.Pos()), msg, report.RelatedClause(msg))
}

// lifecycle classifies a deferred call: a lifecycle call itself, or a
// function literal or function of the package that makes one.
func (c *checker) lifecycle(d *ssa.Defer) *lifecycleDefer {
	name, consequence := c.lifecycleCall(d.Common(), 0)
	if consequence == "" {
		return nil
	}
	return &lifecycleDefer{pos: d.Pos(), name: name, consequence: consequence, removes: consequence == removedStays}
}

// lifecycleCall returns what a call is named and what is lost when it
// does not run, or "" when nothing is: unlocks, cancels, closes of what
// the kernel closes at exit.
func (c *checker) lifecycleCall(common *ssa.CallCommon, depth int) (name, consequence string) {
	pos := common.Pos()
	named := func() string { return c.Src.Func(pos, "the call") }
	if name, cons := c.lifecycleAPI(common, named); cons != "" {
		return name, cons
	}
	fn := funcOf(common.Value)
	if fn == nil || fn.Blocks == nil || fn.Pkg == nil || fn.Pkg.Pkg != c.Pass.Pkg || depth >= 3 {
		return "", ""
	}
	// A function literal or a function of the package: what it calls.
	for call := range apis.Calls(fn) {
		if inner, cons := c.lifecycleCall(call.Common(), depth+1); cons != "" {
			switch {
			case depth > 0:
				return inner, cons
			case fn.Parent() != nil:
				return "function literal (which calls " + inner + ")", cons
			}
			return named() + " (which calls " + inner + ")", cons
		}
	}
	return "", ""
}

// mayBeLifecycle reports, from the syntax, whether a deferred call might
// be one lifecycleCall classifies as lifecycle work: so that the SSA is
// built only for the functions whose exits can skip some. It
// over-approximates lifecycleCall: a call of a function or method named as
// lifecycleAPI's are; a call of a func value (a cleanup a setup returned,
// which cleanupValue looks into); and a function literal or a function of
// the package that makes such a call, to lifecycleCall's depth.
func mayBeLifecycle(info *types.Info, decls lazyssa.Decls, call *ast.CallExpr, depth int) bool {
	var body *ast.BlockStmt
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		body = lit.Body
	} else {
		id := apis.CalleeIdent(call.Fun)
		if id == nil {
			return true // f()(), a func value from elsewhere
		}
		switch obj := info.Uses[id].(type) {
		case *types.Func:
			if lifecycleName(obj.Name()) {
				return true
			}
			decl := decls[obj.Origin()]
			if decl == nil {
				return false // another package's: named as nothing lifecycleAPI knows
			}
			body = decl.Body
		case *types.Builtin, *types.TypeName:
			return false
		default:
			return true // a func value
		}
	}
	if depth >= 3 {
		return false
	}
	return apis.AnyNode(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		return ok && mayBeLifecycle(info, decls, call, depth+1)
	})
}

// lifecycleName reports whether a function or method of this name may be
// one lifecycleAPI classifies as lifecycle work: lifecycleAPI looks at no
// other.
func lifecycleName(name string) bool {
	switch name {
	case "StopCPUProfile", "Stop", "Remove", "RemoveAll", "CleanupClients", "Kill", "Wait", "Close":
		return true
	}
	lower := strings.ToLower(name)
	return lower == "shutdown" || lower == "sync" || strings.HasPrefix(lower, "flush")
}

// lifecycleAPI classifies a call by what it calls.
func (c *checker) lifecycleAPI(common *ssa.CallCommon, named func() string) (name, consequence string) {
	fn := apis.Callee(common)
	if fn == nil {
		return c.cleanupValue(common, named)
	}
	if !lifecycleName(fn.Name()) {
		// The names are lifecycleName's alone, so that mayBeLifecycle,
		// which decides from them what is built, misses none of these.
		return "", ""
	}
	recv := apis.Receiver(common)
	pkg := ""
	if fn.Pkg() != nil {
		pkg = fn.Pkg().Path()
	}
	lost := "what it would flush or write out is lost"
	switch name := fn.Name(); {
	case pkg == "runtime/pprof" && name == "StopCPUProfile", pkg == "runtime/trace" && name == "Stop":
		return named(), "the profile or trace is never written out"
	case pkg == "os" && (name == "Remove" || name == "RemoveAll"):
		return named(), removedStays
	case pkg == "github.com/hashicorp/go-plugin" && name == "CleanupClients":
		return named(), "the plugin processes run on"
	case recv == nil:
		// glog.Flush, klog.Flush, logs.FlushLogs, sentry.Flush, a
		// package's Shutdown.
		if lower := strings.ToLower(name); lower == "shutdown" || lower == "sync" || strings.HasPrefix(lower, "flush") {
			return named(), lost
		}
	case name == "Shutdown":
		if apis.IsMethod(fn, "net/http", "Server", "Shutdown") {
			return named(), "the requests in flight are cut off"
		}
		return named(), lost
	case strings.HasPrefix(name, "Flush") || name == "Sync":
		if pkg == "net/http" {
			return "", ""
		}
		return named(), lost
	case name == "Stop" && stopWritesOut(pkg):
		// A Stop elsewhere (a timer's, a gRPC server's, a metrics reader's)
		// is not known to write anything out; the package's own are looked
		// into below.
		return named(), "what it would stop and write out is lost"
	case name == "Kill":
		return named(), "the child process runs on"
	case name == "Wait" && (apis.IsCmd(recv.Type()) || apis.IsProcess(recv.Type())):
		return named(), "the child process runs on, unwaited for"
	case name == "Close":
		if writesOnClose(recv.Type()) {
			return named(), "what it buffers is never written out"
		}
	}
	return "", ""
}

// cleanupValue classifies the call of a func value by its name: a
// shutdown, flush, cleanup or teardown function a setup returned (the
// providers' shutdown of OpenTelemetry's examples, a test fixture's
// cleanup). Cancel functions and signal.NotifyContext's stop are not:
// their work ends with the process.
func (c *checker) cleanupValue(common *ssa.CallCommon, named func() string) (string, string) {
	if common.IsInvoke() || apis.IsCancelFunc(common.Value.Type()) {
		return "", ""
	}
	// What a function of the package returned: look at what it returns.
	if known, cons := c.returnedFuncs(common.Value); known {
		if cons == "" {
			return "", ""
		}
		return named(), cons
	}
	n := strings.ToLower(named())
	if i := strings.LastIndexByte(n, '.'); i >= 0 {
		n = n[i+1:]
	}
	for _, prefix := range []string{"shutdown", "flush", "cleanup", "teardown"} {
		if strings.HasPrefix(n, prefix) {
			return named(), "the cleanup it does never happens"
		}
	}
	return "", ""
}

// returnedFuncs classifies a func value that a function of the package
// returned (cleanup := setup()): known is false when the value comes from
// elsewhere or the function returns something not seen here; else
// consequence is what is lost when one of the funcs it returns is not
// called, or "" when none does lifecycle work (fo.Close of a file, a
// no-op).
func (c *checker) returnedFuncs(v ssa.Value) (known bool, consequence string) {
	ex, ok := resolve(v).(*ssa.Extract)
	if !ok {
		return false, ""
	}
	call, ok := ex.Tuple.(*ssa.Call)
	if !ok {
		return false, ""
	}
	fn := apis.StaticFunc(call.Common())
	if fn == nil || fn.Blocks == nil || fn.Pkg == nil || fn.Pkg.Pkg != c.Pass.Pkg {
		return false, ""
	}
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || ex.Index >= len(ret.Results) {
			continue
		}
		r := ret.Results[ex.Index]
		var cons string
		switch {
		case apis.IsNilConst(r):
		case boundMethod(r) != nil:
			mc := r.(*ssa.MakeClosure)
			_, cons = c.lifecycleAPI(&ssa.CallCommon{Value: boundMethod(r), Args: mc.Bindings}, func() string { return "" })
		case funcOf(r) != nil:
			_, cons = c.lifecycleCall(&ssa.CallCommon{Value: funcOf(r)}, 1)
		default:
			return false, ""
		}
		if cons != "" {
			return true, cons
		}
	}
	return true, ""
}

// boundMethod returns the method a method value (fo.Close) calls, or nil.
func boundMethod(v ssa.Value) *ssa.Function {
	mc, ok := v.(*ssa.MakeClosure)
	if !ok || len(mc.Bindings) != 1 {
		return nil
	}
	fn, _ := mc.Fn.(*ssa.Function)
	if fn == nil || !strings.HasPrefix(fn.Synthetic, "bound method wrapper") {
		return nil
	}
	return fn
}

// stopWritesOut reports whether the Stop methods of the package at path
// write out what they hold: profilers and tracers that flush or upload on
// Stop.
func stopWritesOut(path string) bool {
	switch path {
	case "github.com/pkg/profile",
		"gopkg.in/DataDog/dd-trace-go.v1/ddtrace/tracer", "gopkg.in/DataDog/dd-trace-go.v1/profiler",
		"github.com/DataDog/dd-trace-go/v2/ddtrace/tracer", "github.com/DataDog/dd-trace-go/v2/profiler":
		return true
	}
	return false
}

// writesOnClose reports whether closing a value of type t writes out what
// it buffers: a writer (it has a Write method) that is not a file or a
// connection (the kernel has their data and closes them at exit) or an
// io.PipeWriter (its reader dies with the process).
func writesOnClose(t types.Type) bool {
	if n := apis.NamedOf(t); n != nil && n.Obj().Pkg() != nil {
		switch n.Obj().Pkg().Path() {
		case "os", "net", "crypto/tls", "net/http", "io", "syscall", "golang.org/x/sys/unix":
			return false
		}
	}
	if types.IsInterface(t) {
		// io.WriteCloser and the like: what the value is, is not known.
		return false
	}
	ms := types.NewMethodSet(t)
	if _, isPtr := t.(*types.Pointer); !isPtr {
		ms = types.NewMethodSet(types.NewPointer(t))
	}
	for i := 0; i < ms.Len(); i++ {
		if ms.At(i).Obj().Name() == "Write" {
			return true
		}
	}
	return false
}
