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
			return apis.Watched(info, imports) || lifecycle.UsesFactories(info) || rulesPackage(info, imports)
		},
		Func: func(info *types.Info, decl *ast.FuncDecl) bool {
			return apis.UsesWatched(info, decl) || apis.HasParam(info, decl, lifecycle.Tracked) ||
				lifecycle.DeclaresOrCallsFactory(info, decl) || lifecycle.MentionsCmdFields(info, decl) || rulesFunc(info, decl)
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
	c.table.Returns, c.table.ReturnsTracked = lifecycle.FactoryReturns, lifecycle.ReturnsCmd
	c.table.Compute(funcs, lifecycle.Tracked, lifecycle.Classify)
	for _, fn := range funcs {
		c.checkFunc(fn)
	}
	c.checkFields(funcs)
	return nil
}

func (c *checker) checkFunc(fn *ssa.Function) {
	for _, root := range lifecycle.Roots(c.table, fn) {
		c.checkCmd(fn, root, false)
	}
	for _, p := range fn.Params {
		if lifecycle.ReturnsCmd(p.Type()) {
			c.checkCmd(fn, lifecycle.Root{Value: p}, true)
		}
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

// rootInstr is the instruction that makes the root's command: a new one
// each time control passes it (a loop's next iteration).
func rootInstr(root lifecycle.Root) ssa.Instruction {
	if root.Call != nil {
		return root.Call
	}
	in, _ := root.Value.(ssa.Instruction)
	return in
}

// stops returns the instructions that end an unreaped path: waits (but
// notWaits, a Run on a command already started, which fails) and
// hand-offs. Kills are reported on their own and stop the Start search too,
// but not a deferred kill: it runs when the function returns, and leaves
// the child to be reaped all the same.
func stopsAt(ops []lifecycle.Op, killsToo bool, notWaits map[ssa.Instruction]bool) map[ssa.Instruction]bool {
	m := map[ssa.Instruction]bool{}
	for _, op := range ops {
		if op.IsWait() && !notWaits[op.Instr] || op.Effect&facts.Handoff != 0 || killsToo && op.KillsCmd() && op.Use.Kind == ownership.Call {
			m[op.Instr] = true
		}
	}
	return m
}

// ownedElsewhere reports whether the command was handed off, or a deferred
// wait registered, on every path before acquire: then someone else reaps
// it. It is flow-sensitive: a hand-off on some paths to acquire only (or
// after it) leaves the others to be checked.
func (c *checker) ownedBefore(fn *ssa.Function, root lifecycle.Root, ops []lifecycle.Op, acquire ssa.Instruction) bool {
	handoff := map[ssa.Instruction]bool{}
	for _, op := range ops {
		if op.Effect&facts.Handoff != 0 {
			if op.Instr == acquire || cfgpath.Precedes(op.Instr, acquire) {
				return true
			}
			handoff[op.Instr] = true
		}
		if _, ok := op.Instr.(*ssa.Defer); ok && op.IsWait() && cfgpath.Precedes(op.Instr, acquire) {
			return true
		}
	}
	if len(handoff) == 0 {
		return false
	}
	from := rootInstr(root)
	if from == nil {
		if len(fn.Blocks) == 0 || len(fn.Blocks[0].Instrs) == 0 {
			return true
		}
		from = fn.Blocks[0].Instrs[0]
		if handoff[from] {
			return true
		}
	}
	return !c.Graph.Reaches(from, acquire, func(in ssa.Instruction) bool { return handoff[in] || in == rootInstr(root) })
}

// startedBefore reports whether the command can already be running when
// start runs: another Start of it can run before (then this one fails with
// "exec: already started" and starts nothing), or a factory started it.
func (c *checker) runningBefore(root lifecycle.Root, ops []lifecycle.Op, start ssa.Instruction) bool {
	if root.Call != nil && root.Made.Started != facts.NotStarted && start != root.Call {
		return true
	}
	ri := rootInstr(root)
	for _, op := range ops {
		if op.StartsCmd() && op.Instr != start {
			if c.Graph.Reaches(op.Instr, start, func(in ssa.Instruction) bool { return in == ri }) {
				return true
			}
		}
	}
	return false
}

// runsWhenStarted returns the Run, Output and CombinedOutput calls that can
// run on a command already started: they fail with "exec: already
// started", and wait for nothing.
func (c *checker) runsWhenStarted(root lifecycle.Root, ops []lifecycle.Op) map[ssa.Instruction]bool {
	m := map[ssa.Instruction]bool{}
	ri := rootInstr(root)
	for _, op := range ops {
		if op.OnProcess || op.Method != "Run" && op.Method != "Output" && op.Method != "CombinedOutput" {
			continue
		}
		if root.Call != nil && root.Made.Started == facts.IsStarted {
			m[op.Instr] = true
			continue
		}
		for _, s := range ops {
			if s.StartsCmd() && s.Instr != op.Instr && c.Graph.Reaches(s.Instr, op.Instr, func(in ssa.Instruction) bool { return in == ri }) {
				m[op.Instr] = true
			}
		}
	}
	return m
}

// waitedBefore reports whether the process was already reaped on every path
// to the kill: signalling a reaped process only returns ErrProcessDone.
func (c *checker) reapedBefore(ops []lifecycle.Op, notWaits map[ssa.Instruction]bool, kill ssa.Instruction) bool {
	for _, op := range ops {
		if op.IsWait() && !notWaits[op.Instr] && cfgpath.Precedes(op.Instr, kill) {
			if _, isCall := op.Instr.(*ssa.Call); isCall {
				return true
			}
		}
	}
	return false
}

// unreaped searches for a path from acquire to a return (or back to the
// command's creation, a new loop iteration) that passes no stop.
func (c *checker) unreapedFrom(root lifecycle.Root, acquire ssa.Instruction, stop map[ssa.Instruction]bool, pruned func(*ssa.BasicBlock, int) bool) ssa.Instruction {
	ri := rootInstr(root)
	s := cfgpath.Search{
		Stop:   func(in ssa.Instruction) bool { return stop[in] },
		End:    func(in ssa.Instruction) bool { return ri != nil && in == ri },
		Pruned: pruned,
		// Returning from main.main ends the process: the child is
		// re-parented to init, which reaps it.
		IgnoreReturns: isMainMain(acquire.Parent()),
	}
	return c.Graph.From(&s, acquire)
}

// The helpers below keep the shape the single-function rules use (a root
// as a value), over the Root-based ones above.

// stops returns the instructions that end an unreaped path: waits and
// hand-offs, and non-deferred kills when killsToo.
func stops(ops []lifecycle.Op, killsToo bool) map[ssa.Instruction]bool {
	return stopsAt(ops, killsToo, nil)
}

func valueRoot(root ssa.Value) lifecycle.Root {
	if root == nil {
		return lifecycle.Root{}
	}
	return lifecycle.Root{Value: root}
}

// ownedElsewhere reports whether the command was handed off, or a deferred
// wait registered, on every path before acquire could run.
func (c *checker) ownedElsewhere(root ssa.Value, ops []lifecycle.Op, acquire ssa.Instruction) bool {
	return c.ownedBefore(acquire.Parent(), valueRoot(root), ops, acquire)
}

// waitedBefore reports whether the process was already reaped on every
// path to the kill.
func (c *checker) waitedBefore(ops []lifecycle.Op, kill ssa.Instruction) bool {
	return c.reapedBefore(ops, nil, kill)
}

// unreaped searches for a path from acquire to a return (or back to the
// command's creation, root) that passes no stop.
func (c *checker) unreaped(root ssa.Value, acquire ssa.Instruction, stop map[ssa.Instruction]bool, pruned func(*ssa.BasicBlock, int) bool) ssa.Instruction {
	return c.unreapedFrom(valueRoot(root), acquire, stop, pruned)
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

// ownsLifecycle reports whether a function given a command as a parameter
// has taken on its lifecycle, so that its own paths are checked: it waits
// for it on some path. One that only starts, configures or kills it hands
// that back to its caller (facts: Starts, Kills), where it is checked from
// the call.
func ownsLifecycle(ops []lifecycle.Op) bool {
	for _, op := range ops {
		if op.IsWait() {
			return true
		}
	}
	return false
}

func (c *checker) checkCmd(fn *ssa.Function, root lifecycle.Root, param bool) {
	ops := lifecycle.Ops(c.table, root.Value)
	notWaits := c.runsWhenStarted(root, ops)
	startStops := stopsAt(ops, true, notWaits)
	killStops := stopsAt(ops, false, notWaits)
	hasCleanup := lifecycle.HasCleanup(root, ops)
	owns := !param || ownsLifecycle(ops)
	var cmdWait bool
	for _, op := range ops {
		if op.IsWait() && !op.OnProcess && (op.Method == "Wait" || op.Method == "") {
			cmdWait = true
		}
	}

	startReported := false
	if owns && root.Call != nil && root.Made.Started == facts.IsStarted && !c.ownedBefore(fn, root, ops, root.Call) {
		if end := c.unreapedFrom(root, root.Call, startStops, cfgpath.ErrorEdges(root.Call)); end != nil {
			factory := c.Src.Func(root.Call.Pos(), "the factory")
			c.reportLeak(root.Call.Pos(), factory+" starts a command that is not waited for", c.pathEnd(fn, end),
				"the child becomes a zombie and its pipes leak; call Wait on the *exec.Cmd it returns",
				factory+" starts the child", "Wait")
			startReported = true
		}
	}
	for _, op := range ops {
		call, isCall := op.Instr.(*ssa.Call)
		switch {
		case owns && isCall && op.StartsCmd():
			if c.ownedBefore(fn, root, ops, op.Instr) || c.runningBefore(root, ops, op.Instr) {
				continue
			}
			if end := c.unreapedFrom(root, op.Instr, startStops, cfgpath.ErrorEdges(call)); end != nil {
				startReported = true
				if op.Method == "" {
					helper := c.Src.Func(call.Pos(), "a helper")
					arg := c.argText(call, op.Use.Arg, "the command")
					fix := "call " + arg + ".Wait"
					if !report.Named(arg) {
						fix = "keep the *exec.Cmd in a variable and call its Wait"
					}
					c.reportLeak(call.Pos(), helper+" starts "+arg+" without Wait", c.pathEnd(fn, end),
						"the child becomes a zombie and its pipes leak; "+fix, helper+" starts the child", arg+".Wait")
					continue
				}
				recv := c.Src.Recv(call.Pos(), "cmd")
				fix := "call " + recv + ".Wait"
				if !report.Named(recv) {
					fix = "keep the *exec.Cmd in a variable and call its Wait"
				}
				c.reportLeak(call.Pos(), recv+".Start without Wait", c.pathEnd(fn, end),
					"the child becomes a zombie and its pipes leak; "+fix, recv+".Start starts the child", recv+".Wait")
			}
		case owns && op.KillsCmd() && op.Use.Kind == ownership.Call:
			if c.ownedBefore(fn, root, ops, op.Instr) || c.reapedBefore(ops, notWaits, op.Instr) {
				continue
			}
			if end := c.unreapedFrom(root, op.Instr, killStops, nil); end != nil {
				c.reportKill(fn, op, end, c.killText(op), c.cmdWaitName(op))
			}
		case isCall && op.Method == "Wait" && op.OnProcess && hasCleanup && !cmdWait:
			c.reportProcessWait(call.Pos(), c.processWaitFixes(ops, call)...)
		case op.InGoroutine && op.OnProcess && op.Inner != nil && hasCleanup && !cmdWait:
			// go func() { cmd.Process.Wait() }(): a Process.Wait
			// all the same.
			c.reportProcessWait(op.Inner.Use.Pos())
		case isCall && op.Method == "Wait" && !op.OnProcess:
			c.waitAfterRun(root, ops, op, call)
		}
	}
	// defer cmd.Process.Kill(): the kill runs as the function returns,
	// and nothing reaps the child after it (unless a Wait was deferred
	// before it, which runs after it). Reported when the Start is not:
	// one finding per leaking path.
	if owns && !startReported {
		for _, op := range ops {
			if op.Use.Kind != ownership.Defer || !op.KillsCmd() {
				continue
			}
			if c.ownedBefore(fn, root, ops, op.Instr) || c.reapedBefore(ops, notWaits, op.Instr) {
				continue
			}
			if end := c.unreapedFrom(root, op.Instr, killStops, nil); end != nil {
				what := "deferred " + c.killText(op)
				c.reportLeak(op.Use.Common.Pos(), what+" without Wait", c.pathEnd(fn, end),
					"the child killed as the function returns stays a zombie; kill and wait in one deferred function: defer func() { "+
						trimSuffix(c.cmdWaitName(op), ".Wait")+".Process.Kill(); "+c.cmdWaitName(op)+"() }()",
					what+" is registered", c.cmdWaitName(op))
			}
		}
	}
}

func (c *checker) reportProcessWait(pos token.Pos, fixes ...analysis.SuggestedFix) {
	what := c.Src.Recv(pos, "cmd.Process")
	cmd := trimSuffix(what, ".Process")
	c.Report.Report(c.Src.CallRange(pos),
		report.Msgf("%s.Wait instead of %s.Wait: the copy goroutines, context watcher and pipes of %s leak; call %s.Wait",
			what, cmd, cmd, cmd), report.Fixes(fixes...))
}

// waitAfterRun reports the Wait op when a Run, Output or CombinedOutput of
// the same command can run before it.
func (c *checker) waitAfterRun(root lifecycle.Root, ops []lifecycle.Op, op lifecycle.Op, call *ssa.Call) {
	ri := rootInstr(root)
	for _, prev := range ops {
		if prev.OnProcess || (prev.Method != "Run" && prev.Method != "Output" && prev.Method != "CombinedOutput") {
			continue
		}
		if _, ok := prev.Instr.(*ssa.Call); !ok {
			continue
		}
		if c.Graph.Reaches(prev.Instr, op.Instr, func(in ssa.Instruction) bool { return in == ri }) {
			recv := c.Src.Recv(call.Pos(), "cmd")
			clause := report.Msgf("%s.Wait after %s.%s %s", recv, recv, prev.Method, c.Src.At(prev.Instr.Pos()))
			c.Report.Report(c.Src.CallRange(call.Pos()),
				report.Msgf("%s: %s already waited, so Wait only fails; drop the Wait, or use Start and Wait", clause, prev.Method),
				report.RelatedClause(clause),
				report.Path(
					report.Step{Pos: prev.Instr.Pos(), Message: recv + "." + prev.Method + " starts the child and waits for it"},
					report.Step{Pos: call.Pos(), Message: recv + ".Wait waits again, and fails"}),
				report.Fixes(c.dropWaitFixes(ri, ops, prev, call)...))
			return
		}
	}
}

// killText names a kill op: "cmd.Process.Kill", or "killGroup kills cmd"
// for a helper that kills.
func (c *checker) killText(op lifecycle.Op) string {
	pos := op.Use.Common.Pos()
	if op.Method == "" {
		return c.Src.Func(pos, "a helper") + " kills " + c.argText(c.Src.Call(pos), op.Use.Arg, "the command")
	}
	return c.Src.Func(pos, "cmd.Process."+op.Method)
}

// argText returns the source text of argument i of the call (in
// ssa.CallCommon.Args numbering: a method's receiver first).
func (c *checker) argText(call any, i int, def string) string {
	var pos token.Pos
	var common *ssa.CallCommon
	switch call := call.(type) {
	case *ssa.Call:
		pos, common = call.Pos(), &call.Call
	case *ast.CallExpr:
		if call == nil {
			return def
		}
		pos = call.Lparen
	default:
		return def
	}
	ce := c.Src.Call(pos)
	if ce == nil || i < 0 {
		return def
	}
	args := ce.Args
	if sel, ok := ast.Unparen(ce.Fun).(*ast.SelectorExpr); ok {
		if s, ok := c.Pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.MethodVal {
			if i == 0 {
				return types.ExprString(sel.X)
			}
			i--
		}
	}
	_ = common
	if i < len(args) {
		return types.ExprString(args[i])
	}
	return def
}

func (c *checker) cmdWaitName(op lifecycle.Op) string {
	if op.Method == "" {
		return c.argText(c.Src.Call(op.Use.Common.Pos()), op.Use.Arg, "cmd") + ".Wait"
	}
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
