package cmdwait

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lazyssa"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name:      "cmdwait",
	Doc:       doc,
	URL:       "https://github.com/lifeguard-go/lifeguard/blob/main/docs/cmdwait.md",
	Run:       run,
	FactTypes: []analysis.Fact{new(facts.CmdFact)},
}

var waitFuncs apis.FuncList

func init() {
	lazyssa.Consume(Analyzer, lazyssa.Interest{
		Package: func(info *types.Info, imports []*types.Package) bool {
			return apis.Watched(info, imports) || rulesPackage(info, imports)
		},
		Func: func(info *types.Info, decl *ast.FuncDecl) bool {
			return apis.UsesWatched(info, decl) || apis.HasParam(info, decl, lifecycle.Tracked) || rulesFunc(info, decl)
		},
	})
	Analyzer.Flags.Var(&waitFuncs, "wait-funcs",
		"comma-separated extra functions that wait for every *exec.Cmd or *os.Process argument: pkg/path.Func or (*pkg/path.T).Method")
}

type checker struct {
	*lazyssa.Package // the pass, the reporter and source of its findings, the SSA
	table            *facts.Table
}

func run(pass *analysis.Pass) (any, error) { return lazyssa.Run(pass, check) }

func check(p *lazyssa.Package) error {
	pass, funcs := p.Pass, p.Funcs
	c := &checker{Package: p, table: facts.NewTable(pass, func() facts.Fact { return new(facts.CmdFact) })}
	c.table.Extra = []facts.ExtraFuncs{{List: &waitFuncs, Effect: facts.Wait}}
	c.table.Compute(funcs, lifecycle.Tracked, lifecycle.Classify)
	for _, fn := range funcs {
		c.checkFunc(fn)
	}
	c.checkFieldKills(funcs)
	return nil
}

func (c *checker) checkFunc(fn *ssa.Function) {
	for _, root := range lifecycle.CmdRoots(fn) {
		c.checkCmd(fn, root)
	}
	c.checkRules(fn) // timeout.go, forkexec.go
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && apis.IsFunc(apis.Callee(&call.Call), "os", "StartProcess") {
				c.checkStartProcess(fn, call)
			}
		}
	}
}

// stops returns the instructions that end an unreaped path: waits and
// hand-offs. Kills are reported on their own and stop the Start search too.
func stops(ops []lifecycle.Op, killsToo bool) map[ssa.Instruction]bool {
	m := map[ssa.Instruction]bool{}
	for _, op := range ops {
		if op.Effect&(facts.Wait|facts.Handoff) != 0 || killsToo && op.IsKill() {
			m[op.Instr] = true
		}
	}
	return m
}

// ownedElsewhere reports whether the command was handed off, or a deferred
// wait registered, before acquire could run: then someone else reaps it.
func (c *checker) ownedElsewhere(root ssa.Value, ops []lifecycle.Op, acquire ssa.Instruction) bool {
	rootInstr, _ := root.(ssa.Instruction)
	notRoot := func(in ssa.Instruction) bool { return in == rootInstr }
	for _, op := range ops {
		if op.Effect&facts.Handoff != 0 && (op.Instr == acquire || c.Graph.Reaches(op.Instr, acquire, notRoot) || cfgpath.Precedes(op.Instr, acquire)) {
			return true
		}
		if _, ok := op.Instr.(*ssa.Defer); ok && op.Effect&facts.Wait != 0 && cfgpath.Precedes(op.Instr, acquire) {
			return true
		}
	}
	return false
}

// startedBefore reports whether another Start of the same command can run
// before this one: then this Start fails with "exec: already started" and
// starts nothing.
func (c *checker) startedBefore(root ssa.Value, ops []lifecycle.Op, start ssa.Instruction) bool {
	rootInstr, _ := root.(ssa.Instruction)
	for _, op := range ops {
		if op.Method == "Start" && !op.OnProcess && op.Instr != start {
			if c.Graph.Reaches(op.Instr, start, func(in ssa.Instruction) bool { return in == rootInstr }) {
				return true
			}
		}
	}
	return false
}

// waitedBefore reports whether the process was already reaped on every path
// to the kill: signalling a reaped process only returns ErrProcessDone.
func (c *checker) waitedBefore(ops []lifecycle.Op, kill ssa.Instruction) bool {
	for _, op := range ops {
		if op.Effect&facts.Wait != 0 && cfgpath.Precedes(op.Instr, kill) {
			if _, isCall := op.Instr.(*ssa.Call); isCall {
				return true
			}
		}
	}
	return false
}

// unreaped searches for a path from acquire to a return (or back to the
// command's creation, a new loop iteration) that passes no stop.
func (c *checker) unreaped(root ssa.Value, acquire ssa.Instruction, stop map[ssa.Instruction]bool, pruned func(*ssa.BasicBlock, int) bool) ssa.Instruction {
	rootInstr, _ := root.(ssa.Instruction)
	s := cfgpath.Search{
		Stop:   func(in ssa.Instruction) bool { return stop[in] },
		End:    func(in ssa.Instruction) bool { return rootInstr != nil && in == rootInstr },
		Pruned: pruned,
		// Returning from main.main ends the process: the child is
		// re-parented to init, which reaps it.
		IgnoreReturns: isMainMain(acquire.Parent()),
	}
	return c.Graph.From(&s, acquire)
}

func isMainMain(fn *ssa.Function) bool {
	return fn != nil && fn.Name() == "main" && fn.Signature.Recv() == nil && fn.Parent() == nil &&
		fn.Pkg != nil && fn.Pkg.Pkg.Name() == "main"
}

// A pathEnd is where an unreaped path ends, as messages name it.
type pathEnd struct {
	at     report.At  // the zero At: the end of a function without syntax
	phrase report.Msg // "on the path returning at run.go:57"
	step   string     // what happens there, for the path's last step
}

// pathEnd describes where an unreaped path ends.
func (c *checker) pathEnd(fn *ssa.Function, end ssa.Instruction) pathEnd {
	if _, ok := end.(*ssa.Return); ok {
		pos := end.Pos()
		if !pos.IsValid() && fn.Syntax() != nil {
			pos = fn.Syntax().End() - 1
		}
		at := c.Src.At(pos)
		if cfgpath.IsRangeFuncBody(fn) {
			// The body of a range-over-func loop: its returns are
			// continue, break and the loop's own returns.
			return pathEnd{at, report.Msgf("on the path leaving the loop body %s", at), "the loop body is left"}
		}
		return pathEnd{at, report.Msgf("on the path returning %s", at), "the function returns"}
	}
	at := c.Src.At(end.Pos())
	return pathEnd{at, report.Msgf("before the next loop iteration %s", at), "the next iteration makes a new command"}
}

// reportLeak reports a leak at the call at pos: what happened there ("cmd.Start
// without Wait"), then the end of the path and why it matters ("the child
// becomes a zombie ..."). waiter is the Wait the path lacks.
func (c *checker) reportLeak(pos token.Pos, what string, e pathEnd, consequence, step, waiter string) {
	clause := report.Msgf("%s %s", what, e.phrase)
	steps := []report.Step{{Pos: pos, Message: step}}
	if e.at.Pos.IsValid() {
		steps = append(steps, report.Step{Pos: e.at.Pos, Message: e.step + " without " + waiter})
	}
	c.Report.Report(c.Src.CallRange(pos), report.Msgf("%s: %s", clause, consequence),
		report.RelatedClause(clause), report.Path(steps...))
}

func (c *checker) checkCmd(fn *ssa.Function, root ssa.Value) {
	ops := lifecycle.Ops(c.table, root)
	startStops := stops(ops, true)
	killStops := stops(ops, false)
	isCtx := false
	if call, ok := root.(*ssa.Call); ok {
		isCtx = apis.Callee(&call.Call).Name() == "CommandContext"
	}
	hasCleanup := isCtx
	var cmdWait bool
	for _, op := range ops {
		switch {
		case op.Method == "StdoutPipe" || op.Method == "StderrPipe" || op.Method == "StdinPipe":
			hasCleanup = true
		case op.Field == "Cancel" || op.Field == "WaitDelay":
			hasCleanup = true
		case op.Field == "Stdout" || op.Field == "Stderr" || op.Field == "Stdin":
			if mi, ok := op.Stored.(*ssa.MakeInterface); ok && !apis.IsNamed(mi.X.Type(), "os", "File") {
				hasCleanup = true
			}
		case op.Method == "Wait" && !op.OnProcess:
			cmdWait = true
		}
	}

	for _, op := range ops {
		call, isCall := op.Instr.(*ssa.Call)
		switch {
		case isCall && op.Method == "Start" && !op.OnProcess:
			if c.ownedElsewhere(root, ops, op.Instr) || c.startedBefore(root, ops, op.Instr) {
				continue
			}
			if end := c.unreaped(root, op.Instr, startStops, cfgpath.ErrorEdges(call)); end != nil {
				recv := c.Src.Recv(call.Pos(), "cmd")
				fix := "call " + recv + ".Wait"
				if !report.Named(recv) {
					fix = "keep the *exec.Cmd in a variable and call its Wait"
				}
				c.reportLeak(call.Pos(), recv+".Start without Wait", c.pathEnd(fn, end),
					"the child becomes a zombie and its pipes leak; "+fix, recv+".Start starts the child", recv+".Wait")
			}
		case op.IsKill() && op.Use.Kind == ownership.Call:
			if c.ownedElsewhere(root, ops, op.Instr) || c.waitedBefore(ops, op.Instr) {
				continue
			}
			if end := c.unreaped(root, op.Instr, killStops, nil); end != nil {
				c.reportKill(fn, op, end, c.Src.Func(op.Use.Common.Pos(), "cmd.Process."+op.Method), c.cmdWaitName(op))
			}
		case isCall && op.Method == "Wait" && op.OnProcess && hasCleanup && !cmdWait:
			what := c.Src.Recv(call.Pos(), "cmd.Process")
			cmd := trimSuffix(what, ".Process")
			c.Report.Report(c.Src.CallRange(call.Pos()),
				report.Msgf("%s.Wait instead of %s.Wait: the copy goroutines, context watcher and pipes of %s leak; call %s.Wait",
					what, cmd, cmd, cmd), report.Fixes(c.processWaitFixes(ops, call)...))
		case isCall && op.Method == "Wait" && !op.OnProcess:
			rootInstr, _ := root.(ssa.Instruction)
			for _, prev := range ops {
				if prev.OnProcess || (prev.Method != "Run" && prev.Method != "Output" && prev.Method != "CombinedOutput") {
					continue
				}
				if _, ok := prev.Instr.(*ssa.Call); !ok {
					continue
				}
				if c.Graph.Reaches(prev.Instr, op.Instr, func(in ssa.Instruction) bool { return in == rootInstr }) {
					recv := c.Src.Recv(call.Pos(), "cmd")
					clause := report.Msgf("%s.Wait after %s.%s %s", recv, recv, prev.Method, c.Src.At(prev.Instr.Pos()))
					c.Report.Report(c.Src.CallRange(call.Pos()),
						report.Msgf("%s: %s already waited, so Wait only fails; drop the Wait, or use Start and Wait", clause, prev.Method),
						report.RelatedClause(clause),
						report.Path(
							report.Step{Pos: prev.Instr.Pos(), Message: recv + "." + prev.Method + " starts the child and waits for it"},
							report.Step{Pos: call.Pos(), Message: recv + ".Wait waits again, and fails"}),
						report.Fixes(c.dropWaitFixes(root, ops, prev, call)...))
					break
				}
			}
		}
	}
}

func (c *checker) cmdWaitName(op lifecycle.Op) string {
	recv := c.Src.Recv(op.Use.Common.Pos(), "cmd.Process")
	return trimSuffix(recv, ".Process") + ".Wait"
}

func trimSuffix(s, suffix string) string {
	if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
		return s[:len(s)-len(suffix)]
	}
	return s
}

func (c *checker) checkStartProcess(fn *ssa.Function, call *ssa.Call) {
	var proc ssa.Value
	for _, r := range *call.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
			proc = ex
		}
	}
	if proc == nil {
		return // the process is discarded: reported below as never waited
	}
	ops := lifecycle.Ops(c.table, proc)
	if c.ownedElsewhere(call, ops, call) {
		return
	}
	if end := c.unreaped(nil, call, stops(ops, true), cfgpath.ErrorEdges(call)); end != nil {
		c.reportLeak(call.Pos(), "os.StartProcess without Wait", c.pathEnd(fn, end),
			"the child becomes a zombie (Release does not reap it); call Wait on the returned *os.Process", "os.StartProcess starts the child", "Wait")
	}
	killStops := stops(ops, false)
	for _, op := range ops {
		if op.IsKill() && op.Use.Kind == ownership.Call && !c.waitedBefore(ops, op.Instr) {
			if end := c.unreaped(nil, op.Instr, killStops, nil); end != nil {
				what := c.Src.Func(op.Use.Common.Pos(), "p."+op.Method)
				c.reportKill(fn, op, end, what, trimSuffix(what, "."+op.Method)+".Wait")
			}
		}
	}
}

// reportKill reports the kill op (what: "cmd.Process.Kill"), after which
// the path to end does not wait; wait names the Wait to call.
func (c *checker) reportKill(fn *ssa.Function, op lifecycle.Op, end ssa.Instruction, what, wait string) {
	c.reportLeak(op.Use.Common.Pos(), what+" without Wait", c.pathEnd(fn, end),
		"the killed child stays a zombie; call "+wait+" after killing it", what+" kills the child", wait)
}
