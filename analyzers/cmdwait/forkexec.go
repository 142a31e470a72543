package cmdwait

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
)

// This file is the rule for the raw layer under os/exec: syscall.ForkExec
// and syscall.StartProcess start a child and return only its pid. Nothing
// reaps it but a wait for that pid (syscall.Wait4, unix.Wait4,
// unix.Waitid, or os.FindProcess(pid) and Wait), so a path that drops the
// pid leaves a zombie, as a Start without Wait does. golang.org/x/sys/unix
// has no ForkExec of its own.
//
// A package that reaps any child (Wait4 with pid -1, 0 or a negative
// process group, Waitid with P_ALL or P_PGID: an init system's or a
// sandbox's reaper loop) reaps the children it forks there too: the rule
// does not apply to it.

// checkRules runs the rules of this file and timeout.go on fn.
func (c *checker) checkRules(fn *ssa.Function) {
	c.checkTimeouts(fn)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && rawFork(&call.Call) != "" {
				c.checkRawFork(fn, call)
			}
		}
	}
}

// rulesPackage reports whether the rules of this file and timeout.go have
// anything to look at in a package that the shared apis.Watched leaves out.
func rulesPackage(info *types.Info, imports []*types.Package) bool {
	return runsCommands(info, imports) || forksRaw(info, imports)
}

// rulesFunc reports whether a declaration needs SSA for these rules.
func rulesFunc(info *types.Info, decl *ast.FuncDecl) bool {
	return waitsInGoroutine(info, decl) || decl.Body != nil && apis.UsesFunc(info, decl.Body, func(fn *types.Func) bool {
		return rawForkFunc(fn) != "" || pidWaitFunc(fn) != ""
	})
}

// forksRaw reports whether a package calls syscall.ForkExec or
// syscall.StartProcess.
func forksRaw(info *types.Info, imports []*types.Package) bool {
	return apis.ImportsAndUses(info, imports, func(fn *types.Func) bool { return rawForkFunc(fn) != "" }, "syscall")
}

// rawForkFunc returns "syscall.ForkExec" or "syscall.StartProcess" for
// those functions, or "".
func rawForkFunc(fn *types.Func) string {
	if apis.IsFunc(fn, "syscall", "ForkExec") || apis.IsFunc(fn, "syscall", "StartProcess") {
		return "syscall." + fn.Name()
	}
	return ""
}

func rawFork(c *ssa.CallCommon) string {
	if c.IsInvoke() {
		return ""
	}
	return rawForkFunc(apis.Callee(c))
}

// pidOnlyLooked reports whether fn is known to only look at a pid it is
// given: it signals or inspects the process (syscall.Kill, Setpgid,
// Ptrace...) or formats the number (fmt, strconv, log). Any other function,
// in the standard library too (os's newProcess wraps it in the
// *os.Process it returns), may keep or wait for it.
func pidOnlyLooked(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "fmt", "strconv", "log", "log/slog", "errors":
		return true
	case "syscall", "golang.org/x/sys/unix":
		switch name := fn.Name(); {
		case name == "Kill", name == "Tgkill", name == "Tkill", name == "Getpgid", name == "Setpgid",
			name == "Getpriority", name == "Setpriority", name == "Prlimit",
			strings.HasPrefix(name, "Ptrace"), strings.HasPrefix(name, "SchedSet"), strings.HasPrefix(name, "SchedGet"):
			return true
		}
	}
	return false
}

// pidWaitFunc returns the name of a function that waits for a pid it is
// given ("Wait4", "Waitid"), or "".
func pidWaitFunc(fn *types.Func) string {
	if fn == nil || fn.Pkg() == nil {
		return ""
	}
	switch fn.Pkg().Path() {
	case "syscall", "golang.org/x/sys/unix":
		if (fn.Name() == "Wait4" || fn.Name() == "Waitid") && apis.RecvTypeName(fn) == "" {
			return fn.Name()
		}
	}
	return ""
}

// pidArg returns the index of the pid argument of a pid wait function.
func pidArg(name string) int {
	if name == "Waitid" {
		return 1 // Waitid(idType, id, info, options, rusage)
	}
	return 0
}

// reapsAnyChild reports whether the package has a wait for any child of
// the process: Wait4 with a constant pid of -1 (any child), 0 or below
// (a process group), or Waitid with an idtype other than P_PID. Raw forks
// are rare, so it is not cached.
func (c *checker) reapsAnyChild() bool {
	found := false
	for _, fn := range c.Funcs {
		forEachCall(fn, func(call ssa.CallInstruction) {
			name := pidWaitFunc(apis.Callee(call.Common()))
			if name == "" {
				return
			}
			args := call.Common().Args
			switch name {
			case "Wait4":
				if len(args) > 0 {
					if v, ok := intConst(args[0]); ok && v <= 0 {
						found = true
					}
				}
			case "Waitid":
				if len(args) > 0 {
					if v, ok := intConst(args[0]); ok && v != 1 { // P_PID is 1
						found = true
					}
				}
			}
		})
	}
	return found
}

func forEachCall(fn *ssa.Function, f func(ssa.CallInstruction)) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok {
				f(ci)
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		forEachCall(anon, f)
	}
}

func intConst(v ssa.Value) (int64, bool) {
	if cv, ok := v.(*ssa.Convert); ok {
		v = cv.X
	}
	k, ok := v.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(k.Value)
}

// checkRawFork reports a ForkExec or StartProcess whose pid reaches no wait
// on some path that returns.
func (c *checker) checkRawFork(fn *ssa.Function, call *ssa.Call) {
	if f := c.Pass.Fset.File(call.Pos()); f != nil && strings.HasSuffix(f.Name(), "_windows.go") {
		return // a process handle, not a zombie: Windows has none
	}
	if c.reapsAnyChild() {
		return
	}
	if len(*call.Referrers()) == 0 {
		// syscall.ForkExec(...) as a statement: neither the pid nor
		// the error looked at, a probe of the call itself (the
		// standard library's TestForkExecNilArgv forks /dev/null,
		// which fails to exec; ForkExec reaps a child that fails).
		return
	}
	name := rawFork(&call.Call)
	var pid ssa.Value
	for _, r := range *call.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
			pid = ex
		}
	}
	stop := map[ssa.Instruction]bool{}
	if pid != nil {
		for _, u := range ownership.Uses(pid) {
			if c.pidUseEnds(u) {
				stop[u.Instr] = true
			}
		}
	}
	end := c.unreaped(nil, call, stop, cfgpath.ErrorEdges(call))
	if end == nil {
		return
	}
	c.reportLeak(call.Pos(), name+" without a wait for its pid", c.pathEnd(fn, end),
		"the child becomes a zombie (syscall.Kill does not reap it); call syscall.Wait4(pid, ...), or os.FindProcess(pid) and its Wait",
		name+" starts the child", "a wait for the pid")
}

// pidUseEnds reports whether a use of the pid reaps the child or hands the
// pid to code that may (a helper, a closure, a field, the caller).
func (c *checker) pidUseEnds(u ownership.Use) bool {
	switch u.Kind {
	case ownership.Call, ownership.Go, ownership.Defer:
		cc := u.Common
		fn := apis.Callee(cc)
		if name := pidWaitFunc(fn); name != "" {
			return u.Arg == pidArg(name)
		}
		if apis.IsFunc(fn, "os", "FindProcess") {
			// On Unix FindProcess always succeeds: the process it
			// finds is waited for if some use of it waits.
			if call, ok := u.Instr.(*ssa.Call); ok {
				for _, r := range *call.Referrers() {
					if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
						for _, op := range lifecycle.Ops(c.table, ex) {
							if op.Effect&(facts.Wait|facts.Handoff) != 0 {
								return true
							}
						}
					}
				}
			}
			return false
		}
		if b, ok := cc.Value.(*ssa.Builtin); ok {
			return b.Name() != "print" && b.Name() != "println" // append keeps it
		}
		return !pidOnlyLooked(fn)
	case ownership.Return, ownership.Store, ownership.Send, ownership.Capture:
		return true
	}
	return false
}
