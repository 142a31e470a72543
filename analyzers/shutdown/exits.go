package shutdown

import (
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
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

// A lifecycleDefer is a deferred call whose work outlives the process:
// what it writes out, the children it ends, the files it removes.
type lifecycleDefer struct {
	pos         token.Pos // the defer statement's call
	name        string    // what it calls, as messages name it
	consequence string
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
			var pending []*lifecycleDefer
			for _, d := range defers {
				if !cfgpath.Precedes(d, call) && !c.Graph.Reaches(d, call, nil) {
					continue
				}
				ld, seen := classified[d]
				if !seen {
					ld = c.lifecycle(d)
					classified[d] = ld
				}
				if ld != nil {
					pending = append(pending, ld)
				}
			}
			if len(pending) > 0 {
				c.reportExit(call, pending)
			}
		}
	}
}

func (c *checker) reportExit(call *ssa.Call, pending []*lifecycleDefer) {
	sort.Slice(pending, func(i, j int) bool { return pending[i].pos < pending[j].pos })
	first := pending[0]
	others := report.Msgf("")
	if n := len(pending) - 1; n == 1 {
		others = report.Msgf(" (and 1 other deferred cleanup)")
	} else if n > 1 {
		others = report.Msgf(" (and %d other deferred cleanups)", n)
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
	return &lifecycleDefer{pos: d.Pos(), name: name, consequence: consequence}
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
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
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
	}
	return "", ""
}

// lifecycleAPI classifies a call by what it calls.
func (c *checker) lifecycleAPI(common *ssa.CallCommon, named func() string) (name, consequence string) {
	fn := apis.Callee(common)
	if fn == nil {
		return c.cleanupValue(common, named)
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
		return named(), "what it removes stays behind"
	case pkg == "github.com/hashicorp/go-plugin" && name == "CleanupClients":
		return named(), "the plugin processes run on"
	case recv == nil:
		switch name {
		case "Shutdown", "Flush", "Sync":
			return named(), lost
		}
	case name == "Shutdown":
		if apis.IsMethod(fn, "net/http", "Server", "Shutdown") {
			return named(), "the requests in flight are cut off"
		}
		return named(), lost
	case name == "Flush" || name == "Sync":
		if pkg == "net/http" {
			return "", ""
		}
		return named(), lost
	case name == "Stop":
		if pkg == "time" || strings.HasSuffix(typeName(recv.Type()), "Timer") || strings.HasSuffix(typeName(recv.Type()), "Ticker") {
			return "", ""
		}
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

func typeName(t types.Type) string {
	if n := apis.NamedOf(t); n != nil {
		return n.Obj().Name()
	}
	return ""
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
