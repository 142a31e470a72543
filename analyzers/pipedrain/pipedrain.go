package pipedrain

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lazyssa"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name:      "pipedrain",
	Doc:       doc,
	URL:       "https://github.com/lifeguard-go/lifeguard/blob/main/docs/pipedrain.md",
	Run:       run,
	FactTypes: []analysis.Fact{new(facts.PipeFact)},
}

var drainFuncs, closeFuncs apis.FuncList

func init() {
	lazyssa.Consume(Analyzer, lazyssa.Interest{
		Package: func(info *types.Info, imports []*types.Package) bool {
			return apis.Watched(info, imports) || lifecycle.UsesFactories(info)
		},
		Func: func(info *types.Info, decl *ast.FuncDecl) bool {
			return apis.UsesWatched(info, decl) || apis.HasParam(info, decl, trackedPipeType) ||
				lifecycle.DeclaresOrCallsFactory(info, decl)
		},
	})
	Analyzer.Flags.Var(&drainFuncs, "drain-funcs",
		"comma-separated extra functions that read every reader argument to EOF: pkg/path.Func or (*pkg/path.T).Method")
	Analyzer.Flags.Var(&closeFuncs, "close-funcs",
		"comma-separated extra functions that close every pipe argument: pkg/path.Func or (*pkg/path.T).Method")
}

type checker struct {
	*lazyssa.Package // the pass, the reporter and source of its findings, the SSA
	table            *facts.Table
}

func run(pass *analysis.Pass) (any, error) { return lazyssa.Run(pass, check) }

func check(p *lazyssa.Package) error {
	pass, funcs := p.Pass, p.Funcs
	c := &checker{Package: p, table: facts.NewTable(pass, func() facts.Fact { return new(facts.PipeFact) })}
	c.table.Extra = []facts.ExtraFuncs{
		{List: &drainFuncs, Effect: facts.Drain | facts.Read},
		{List: &closeFuncs, Effect: facts.Close},
	}
	// The factories' facts (the commands they make and return, and the
	// pipes of theirs they return beside them), as cmdwait computes them:
	// their callers' pipes are checked as if taken at the call.
	c.table.Returns, c.table.ReturnsTracked = lifecycle.FactoryReturns, lifecycle.ReturnsCmd
	c.table.Compute(funcs, trackedPipeType, classifyParam)
	for _, fn := range funcs {
		c.checkFunc(fn)
	}
	return nil
}

// trackedPipeType reports whether a parameter of type t gets facts: readers,
// writers and closers, the interfaces pipes travel as.
func trackedPipeType(t types.Type) bool {
	if apis.IsNamed(t, "os", "File") || apis.IsNamed(t, "io", "PipeWriter") || apis.IsNamed(t, "io", "PipeReader") {
		return true
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok || iface.NumMethods() == 0 {
		return false
	}
	for i := 0; i < iface.NumMethods(); i++ {
		switch iface.Method(i).Name() {
		case "Read", "Write", "Close":
			return true
		}
	}
	return false
}

func classifyParam(t *facts.Table, u ownershipUse) facts.Effect {
	var e facts.Effect
	for _, op := range pipeOps(t, []ownershipUse{u}, 0) {
		e |= op.eventualEffect()
	}
	return e
}

func (c *checker) checkFunc(fn *ssa.Function) {
	roots := lifecycle.Roots(c.table, fn)
	for _, p := range fn.Params {
		if apis.IsCmd(p.Type()) {
			roots = append(roots, lifecycle.Root{Value: p})
		}
	}
	cmds := make([]ssa.Value, 0, len(roots))
	for _, root := range roots {
		cmds = append(cmds, root.Value)
		c.checkCmd(fn, root)
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			callee := apis.Callee(&call.Call)
			switch {
			case apis.IsFunc(callee, "io", "Pipe"):
				c.checkIOPipe(call)
			case apis.IsFunc(callee, "os", "Pipe"):
				c.checkOSPipe(fn, call, cmds)
			}
		}
	}
}

// A cmdPipe is one pipe taken from a command in this function, or returned
// with the command by a factory it calls.
type cmdPipe struct {
	// call is the StdoutPipe/StderrPipe/StdinPipe call, or the call of
	// the factory that took the pipe and returned it.
	call   *ssa.Call
	stream string    // "stdout", "stderr", "stdin"
	value  ssa.Value // the pipe end, nil when discarded
	ops    []pipeOp
	// factory names the factory the pipe comes from ("startCmd"), and
	// result is the pipe's index among its results; "" when taken here.
	factory string
	result  int
}

// of names the pipe as the subject of a message: "stdout pipe of cmd", or
// "stdout pipe of cmd returned by startCmd (result 1)".
func (p *cmdPipe) of(recv string) string {
	if p.factory == "" {
		return p.stream + " pipe of " + recv
	}
	return fmt.Sprintf("%s pipe of %s returned by %s (result %d)", p.stream, recv, p.factory, p.result)
}

// takenHere is the related information at p.call.
func (p *cmdPipe) takenHere() string {
	if p.factory == "" {
		return p.stream + " pipe taken here"
	}
	return fmt.Sprintf("%s pipe returned here (result %d of %s)", p.stream, p.result, p.factory)
}

// takes is the path step at p.call: "cmd.StdoutPipe takes the stdout
// pipe", "startCmd takes the stdout pipe and returns it".
func (p *cmdPipe) takes(pipeName string) string {
	if p.factory == "" {
		return pipeName + " takes the " + p.stream + " pipe"
	}
	return p.factory + " takes the " + p.stream + " pipe and returns it"
}

func (p *cmdPipe) any(mask facts.Effect) bool { return anyOp(p.ops, mask) }

func anyToStdin(ops []pipeOp) bool {
	for _, op := range ops {
		if op.toStdin {
			return true
		}
	}
	return false
}

func anyOp(ops []pipeOp, mask facts.Effect) bool {
	for _, op := range ops {
		if op.effect&mask != 0 {
			return true
		}
	}
	return false
}

func (c *checker) checkCmd(fn *ssa.Function, r lifecycle.Root) {
	root := r.Value
	ops := lifecycle.Ops(c.table, root)
	var pipes []*cmdPipe
	var waits, goWaits, deferWaits, runs []lifecycle.Op
	for _, op := range ops {
		if op.OnProcess {
			continue
		}
		switch op.Method {
		case "StdoutPipe", "StderrPipe", "StdinPipe":
			call, ok := op.Instr.(*ssa.Call)
			if !ok {
				continue
			}
			if len(*call.Referrers()) == 0 {
				// cmd.StdoutPipe() as a statement: taken for its side
				// effect (tests of exec's own cleanup), not to be read.
				continue
			}
			p := &cmdPipe{call: call, stream: map[string]string{"StdoutPipe": "stdout", "StderrPipe": "stderr", "StdinPipe": "stdin"}[op.Method]}
			p.value = extract(call, 0)
			if p.value != nil {
				p.ops = valueOps(c.table, p.value)
			}
			pipes = append(pipes, p)
		case "Wait":
			switch op.Instr.(type) {
			case *ssa.Call:
				waits = append(waits, op)
			case *ssa.Go:
				goWaits = append(goWaits, op) // go cmd.Wait(), go func() { ... cmd.Wait() ... }()
			case *ssa.Defer:
				deferWaits = append(deferWaits, op)
			}
		case "Run", "Output", "CombinedOutput":
			if _, ok := op.Instr.(*ssa.Call); ok {
				runs = append(runs, op)
			}
		}
	}
	recv := "cmd"
	if len(pipes) > 0 {
		recv = c.Src.Recv(pipes[0].call.Pos(), "cmd")
	}
	if r.Call != nil {
		recv = c.factoryRecv(ops)
		pipes = append(c.factoryPipes(r), pipes...)
	}
	if len(pipes) == 0 {
		return
	}
	kills := killPoints(root, r.Call, ops)
	rootInstr, _ := root.(ssa.Instruction)
	if r.Call != nil {
		rootInstr = r.Call
	}
	notRedefined := func(in ssa.Instruction) bool { return in == rootInstr }
	// A command the factory started fails its Run ("exec: already
	// started"): cmdwait's concern, not a pipe closed unread.
	if r.Call != nil && r.Made.Started != facts.NotStarted {
		runs = nil
	}

	for _, p := range pipes {
		pipeName := p.factory
		if pipeName == "" {
			pipeName = c.Src.Func(p.call.Pos(), recv+"."+p.call.Call.StaticCallee().Name())
		}
		if p.stream == "stdin" {
			c.checkStdin(p, waits, runs, recv, kills)
			continue
		}
		// Rule: a stdout/stderr pipe never read, closed or handed off.
		if !p.any(facts.Read | facts.Drain | facts.Close | facts.Handoff) {
			c.Report.Report(c.Src.CallRange(p.call.Pos()),
				report.Msgf("%s is never read, closed or handed off: the child blocks once the 64 KiB pipe buffer fills and %s.Wait never returns; read it to EOF before %s.Wait",
					p.of(recv), recv, recv))
		} else if w := c.waitWithoutRead(p, waits, kills); w != nil {
			clause := report.Msgf("%s is not read on the path to %s.Wait %s", p.of(recv), recv, c.Src.At(w.Pos()))
			c.Report.Report(c.Src.CallRange(p.call.Pos()),
				report.Msgf("%s: the child blocks once the 64 KiB pipe buffer fills and Wait never returns; read it to EOF before %s.Wait", clause, recv),
				report.RelatedClause(clause),
				report.Path(
					report.Step{Pos: p.call.Pos(), Message: p.takes(pipeName)},
					report.Step{Pos: w.Pos(), Message: recv + ".Wait waits with the pipe unread"}))
		}
		// Rule: Run/Output/CombinedOutput after taking the pipe. A pipe
		// given to another command's Stdin (a | b) is read by b's child
		// from its own copy of the read end; Run closes only the parent's.
		for _, r := range runs {
			if anyToStdin(p.ops) {
				break
			}
			if c.Graph.Reaches(p.call, r.Instr, notRedefined) {
				clause := report.Msgf("%s.%s after %s %s", recv, r.Method, pipeName, c.Src.At(p.call.Pos()))
				if p.factory != "" {
					clause = report.Msgf("%s.%s after %s took its %s pipe %s", recv, r.Method, pipeName, p.stream, c.Src.At(p.call.Pos()))
				}
				c.Report.Report(c.Src.CallRange(r.Use.Common.Pos()),
					report.Msgf("%s: %s waits for the child and closes the pipe before it can be read; use %s.Start, read the pipe, then %s.Wait",
						clause, r.Method, recv, recv),
					report.RelatedClause(clause),
					report.Path(
						report.Step{Pos: p.call.Pos(), Message: p.takes(pipeName)},
						report.Step{Pos: r.Use.Common.Pos(), Message: recv + "." + r.Method + " waits for the child and closes the pipe unread"}))
			}
		}
		// Rule: Wait before the reads complete.
		for _, w := range waits {
			if read := c.firstReached(w.Instr, p.ops, sequentialRead, notRedefined); read != nil {
				clause := report.Msgf("%s.Wait before the reads of %s %s complete", recv, p.stream, c.Src.At(read.pos))
				c.Report.Report(c.Src.CallRange(w.Use.Common.Pos()),
					report.Msgf("%s: Wait closes the pipe and the output is cut short; finish reading, then call %s.Wait", clause, recv),
					report.RelatedClause(clause),
					report.Path(
						report.Step{Pos: p.call.Pos(), Message: p.takes(pipeName)},
						report.Step{Pos: w.Use.Common.Pos(), Message: recv + ".Wait closes the pipe"},
						report.Step{Pos: read.pos, Message: "the pipe is read after it was closed"}))
				continue
			}
			// Rule: a partial read neither drained nor closed before Wait.
			c.checkPartialRead(p, w, kills, recv, pipeName)
			for _, g := range p.ops {
				if g.concurrent && g.effect&facts.Drain != 0 && c.unsyncedWait(g.instr, w.Instr) {
					clause := report.Msgf("started %s", c.Src.At(g.instr.Pos()))
					c.Report.Report(c.Src.CallRange(w.Use.Common.Pos()),
						report.Msgf("%s.Wait does not wait for the goroutine reading %s (%s): Wait closes the pipe while it is read and the output is cut short; wait for the reader to finish, then call %s.Wait",
							recv, p.stream, clause, recv),
						report.RelatedClause(clause),
						report.Path(
							report.Step{Pos: g.instr.Pos(), Message: "a goroutine starts reading " + p.stream},
							report.Step{Pos: w.Use.Common.Pos(), Message: recv + ".Wait closes the pipe while it is read"}))
					break
				}
			}
		}
		for _, dw := range deferWaits {
			c.checkPartialRead(p, dw, kills, recv, pipeName)
		}
		// Only a reader that drains, or decodes the value or record a
		// short-lived child prints before it exits, races Wait's close; a
		// scanner reading the handshake line of a long-running child is
		// done before the child exits.
		for _, gw := range goWaits {
			if read := c.firstReached(gw.Instr, p.ops, racingRead, notRedefined); read != nil {
				what := "go " + recv + ".Wait()"
				if gw.InGoroutine {
					what = "the goroutine calling " + recv + ".Wait"
				}
				clause := report.Msgf("%s races the reader of %s %s", what, p.stream, c.Src.At(read.pos))
				c.Report.Report(c.Src.CallRange(gw.Instr.Pos()),
					report.Msgf("%s: Wait closes the pipe while it is read and the output is cut short; call %s.Wait after the reads finish", clause, recv),
					report.RelatedClause(clause),
					report.Path(
						report.Step{Pos: gw.Instr.Pos(), Message: "a goroutine starts " + recv + ".Wait, which closes the pipe when the child exits"},
						report.Step{Pos: read.pos, Message: "the pipe is read, maybe after it was closed"}))
			}
		}
	}
	c.checkSequentialDrains(pipes, recv, notRedefined)
	c.checkMultiReader(pipes, recv)
}

// waitWithoutRead returns a Wait reachable from the pipe's creation on a
// path that neither reads, closes nor hands off the pipe.
func (c *checker) waitWithoutRead(p *cmdPipe, waits []lifecycle.Op, kills map[ssa.Instruction]bool) ssa.Instruction {
	if len(waits) == 0 {
		return nil
	}
	// A child killed before Wait exits with its output unwritten.
	stop := map[ssa.Instruction]bool{}
	for k := range kills {
		stop[k] = true
	}
	for _, op := range p.ops {
		if op.effect&(facts.Read|facts.Drain|facts.Close|facts.Handoff) != 0 && !op.deferred {
			stop[op.instr] = true
		}
	}
	// A Wait with reads after it is reported as Wait-before-reads instead.
	isWait := map[ssa.Instruction]bool{}
	for _, w := range waits {
		if c.firstReached(w.Instr, p.ops, sequentialRead, nil) == nil {
			isWait[w.Instr] = true
		}
	}
	s := cfgpath.Search{
		Stop:          func(in ssa.Instruction) bool { return stop[in] },
		End:           func(in ssa.Instruction) bool { return isWait[in] },
		IgnoreReturns: true,
		Pruned:        cfgpath.ErrorEdges(p.call),
	}
	return c.Graph.From(&s, p.call)
}

// checkStdin reports a stdin pipe that is still open when the parent waits.
// A deferred Close runs after Wait returns, too late to unblock the child.
func (c *checker) checkStdin(p *cmdPipe, waits, runs []lifecycle.Op, recv string, kills map[ssa.Instruction]bool) {
	if p.value == nil {
		return
	}
	// A killed child does not wait for stdin's EOF.
	stop := map[ssa.Instruction]bool{}
	for k := range kills {
		stop[k] = true
	}
	for _, op := range p.ops {
		if op.effect&(facts.Close|facts.Handoff) != 0 && !op.deferred {
			stop[op.instr] = true
		}
	}
	end := map[ssa.Instruction]bool{}
	for _, w := range append(append([]lifecycle.Op(nil), waits...), runs...) {
		end[w.Instr] = true
	}
	s := cfgpath.Search{
		Stop:          func(in ssa.Instruction) bool { return stop[in] },
		End:           func(in ssa.Instruction) bool { return end[in] },
		IgnoreReturns: true,
		Pruned:        cfgpath.ErrorEdges(p.call),
	}
	if w := c.Graph.From(&s, p.call); w != nil {
		what := recv + ".Wait"
		if call, ok := w.(*ssa.Call); ok {
			what = c.Src.Func(call.Pos(), what)
		}
		clause := report.Msgf("%s is not closed on the path to %s %s", p.of(recv), what, c.Src.At(w.Pos()))
		c.Report.Report(c.Src.CallRange(p.call.Pos()),
			report.Msgf("%s: a child reading stdin to EOF never exits and %s blocks; close it when done writing", clause, what),
			report.RelatedClause(clause),
			report.Path(
				report.Step{Pos: p.call.Pos(), Message: "the stdin pipe is taken"},
				report.Step{Pos: w.Pos(), Message: what + " waits with stdin still open"}))
	}
}

// checkSequentialDrains reports stdout and stderr of one command both read to
// EOF, one after the other, in one goroutine.
func (c *checker) checkSequentialDrains(pipes []*cmdPipe, recv string, notRedefined func(ssa.Instruction) bool) {
	for _, a := range pipes {
		for _, b := range pipes {
			if a == b || a.stream == "stdin" || b.stream == "stdin" || a.stream == b.stream {
				continue
			}
			for _, first := range a.ops {
				if !sequentialDrain(first) {
					continue
				}
				// Both read through one io.MultiReader: checkMultiReader's.
				sameMulti := func(op pipeOp) bool {
					return sequentialDrain(op) && (first.multi == nil || op.multi != first.multi)
				}
				if second := c.firstReached(first.instr, b.ops, sameMulti, notRedefined); second != nil {
					other := b.stream
					clause := report.Msgf("%s %s", b.stream, c.Src.At(second.pos))
					c.Report.Report(c.Src.CallRange(first.pos),
						report.Msgf("%s and %s of %s are read to EOF one after the other (%s): once the child fills the 64 KiB %s pipe, both sides block forever; read one in a goroutine or set %s.%s to a bytes.Buffer",
							a.stream, b.stream, recv, clause, other, recv, capitalize(other)),
						report.RelatedClause(clause),
						report.Path(
							report.Step{Pos: first.pos, Message: a.stream + " is read to EOF, while the child may block writing " + b.stream},
							report.Step{Pos: second.pos, Message: b.stream + " is read only then"}))
					return
				}
			}
		}
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func sequentialRead(op pipeOp) bool {
	return !op.concurrent && !op.deferred && op.effect&(facts.Read|facts.Drain) != 0
}

// racingRead is a read that a concurrent Wait's close can cut short: one
// to EOF, or of a value or record a short-lived child prints before it
// exits.
func racingRead(op pipeOp) bool {
	return sequentialDrain(op) || sequentialRead(op) && op.decoder
}

func sequentialDrain(op pipeOp) bool {
	return !op.concurrent && !op.deferred && op.effect&facts.Drain != 0
}

// firstReached returns the first op matching want that control can reach
// from just after from.
func (c *checker) firstReached(from ssa.Instruction, ops []pipeOp, want func(pipeOp) bool, avoid func(ssa.Instruction) bool) *pipeOp {
	for i := range ops {
		if want(ops[i]) && ops[i].instr.Block() != nil && c.Graph.Reaches(from, ops[i].instr, avoid) {
			return &ops[i]
		}
	}
	return nil
}

// unsyncedWait reports whether Wait can be reached from the go statement on
// a path with no synchronisation that could wait for the goroutine: a
// channel receive, a select, or a Wait method of another type
// (sync.WaitGroup, errgroup.Group, sync.Cond).
func (c *checker) unsyncedWait(goStmt, wait ssa.Instruction) bool {
	return c.Graph.Reaches(goStmt, wait, isSync)
}

func isSync(in ssa.Instruction) bool {
	switch in := in.(type) {
	case *ssa.UnOp:
		return in.Op == token.ARROW
	case *ssa.Select:
		return in.Blocking
	case *ssa.Call:
		fn := apis.Callee(&in.Call)
		if fn == nil {
			return false
		}
		if fn.Name() == "Wait" || fn.Name() == "Lock" {
			return apis.CmdMethod(&in.Call) == "" && apis.ProcessMethod(&in.Call) == ""
		}
	}
	return false
}

// checkIOPipe reports an io.Pipe writer that is never closed.
func (c *checker) checkIOPipe(call *ssa.Call) {
	pw := extract(call, 1)
	if pw == nil {
		return
	}
	ops := valueOps(c.table, pw)
	for _, op := range ops {
		if op.eventualEffect()&(facts.Close|facts.Handoff) != 0 {
			return
		}
	}
	// Only a reader that waits for EOF hangs: one that reads a
	// self-delimiting stream, or closes its end, does not.
	pr := extract(call, 0)
	if pr == nil || !readsToEOF(valueOps(c.table, pr)) {
		return
	}
	name := c.Src.Func(call.Pos(), "io.Pipe")
	c.Report.Report(c.Src.CallRange(call.Pos()),
		report.Msgf("%s writer is never closed: the reader blocks forever waiting for EOF; call Close or CloseWithError on the writer when done writing", name))
}

// checkOSPipe reports an os.Pipe write end given to a child process and still
// open in the parent after Start, when the parent then reads the other end or
// returns.
func (c *checker) checkOSPipe(fn *ssa.Function, call *ssa.Call, cmds []ssa.Value) {
	r, w := extract(call, 0), extract(call, 1)
	if w == nil {
		return
	}
	wOps := valueOps(c.table, w)
	for _, root := range cmds {
		cmdOps := lifecycle.Ops(c.table, root)
		if !givenTo(cmdOps, wOps) {
			continue
		}
		// kubestellar#7960: the child writes into a pipe whose read end
		// nobody reads.
		if r == nil || !anyOp(valueOps(c.table, r), facts.Read|facts.Drain|facts.Close|facts.Handoff) {
			c.Report.Report(c.Src.CallRange(call.Pos()),
				report.Msgf("the read end of os.Pipe is never read, closed or handed off while its write end is given to the child: the child blocks once the 64 KiB pipe buffer fills; read the read end to EOF, or give the child a file or bytes.Buffer"))
			return
		}
		for _, start := range cmdOps {
			if start.Method != "Start" || start.OnProcess {
				continue
			}
			if _, ok := start.Instr.(*ssa.Call); !ok {
				continue
			}
			stop := map[ssa.Instruction]bool{}
			for _, op := range wOps {
				if op.effect&(facts.Close|facts.Handoff) != 0 && !op.deferred {
					stop[op.instr] = true
				}
				// Once the command is handed off, its new owner may
				// close the write end through its Stdout.
				for _, h := range op.cmdHandoffs {
					stop[h] = true
				}
			}
			var readEnd map[ssa.Instruction]bool
			if r != nil {
				readEnd = map[ssa.Instruction]bool{}
				for _, op := range valueOps(c.table, r) {
					if sequentialRead(op) {
						readEnd[op.instr] = true
					}
				}
			}
			s := cfgpath.Search{
				Stop:          func(in ssa.Instruction) bool { return stop[in] },
				End:           func(in ssa.Instruction) bool { return readEnd[in] },
				IgnoreReturns: true,
				Pruned:        cfgpath.ErrorEdges(start.Instr.(*ssa.Call)),
			}
			wName := "the write end"
			if rd := c.Graph.From(&s, start.Instr); rd != nil {
				startName := c.Src.Func(start.Use.Common.Pos(), "cmd.Start")
				clause := report.Msgf("%s of os.Pipe is given to the child and still open in the parent when the read end is read %s", wName, c.Src.At(rd.Pos()))
				c.Report.Report(c.Src.CallRange(call.Pos()),
					report.Msgf("%s: the reader never sees EOF; close it right after %s", clause, startName),
					report.RelatedClause(clause),
					report.Path(
						report.Step{Pos: call.Pos(), Message: "os.Pipe makes the pipe"},
						report.Step{Pos: start.Use.Common.Pos(), Message: startName + " gives the write end to the child; the parent keeps it open"},
						report.Step{Pos: rd.Pos(), Message: "the read end is read, and never sees EOF"}))
				return
			}
		}
	}
}

// givenTo reports whether one of the pipe end's uses is a store into the
// command's Stdin, Stdout, Stderr or ExtraFiles.
func givenTo(cmdOps []lifecycle.Op, pipeOps []pipeOp) bool {
	for _, op := range pipeOps {
		if op.givenToChild == nil {
			continue
		}
		for _, cop := range cmdOps {
			if cop.Instr == op.givenToChild {
				return true
			}
		}
	}
	return false
}

func extract(call *ssa.Call, index int) ssa.Value {
	for _, r := range *call.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == index {
			return ex
		}
	}
	return nil
}

// readsToEOF reports whether the reader end is read to EOF here (io.ReadAll,
// io.Copy, a Scanner loop, in this goroutine or another) or given to a child
// as stdin, which exec copies to EOF, and never closed by the reading side.
func readsToEOF(ops []pipeOp) bool {
	eof := false
	for _, op := range ops {
		switch {
		case op.effect&facts.Close != 0:
			return false
		case op.effect&facts.Drain != 0 || op.givenToChild != nil:
			eof = true
		}
	}
	return eof
}

// factoryPipes returns the pipes the factory returned with the root's
// command, as pipes taken at the factory call.
func (c *checker) factoryPipes(r lifecycle.Root) []*cmdPipe {
	var pipes []*cmdPipe
	name := c.Src.Func(r.Call.Pos(), "the factory")
	for _, res := range r.Made.Pipes {
		stream, ok := map[string]string{"StdoutPipe": "stdout", "StderrPipe": "stderr", "StdinPipe": "stdin"}[res.Method]
		if !ok {
			continue
		}
		v := lifecycle.Result(r.Call, res.Result)
		if v == nil || v.Referrers() != nil && len(*v.Referrers()) == 0 {
			// Discarded ("cmd, stdout, _, err := startCmd()"): the
			// factory serves callers that want the stream and this
			// one that knows its child writes little or nothing to
			// it; saying otherwise would need the child's output.
			continue
		}
		pipes = append(pipes, &cmdPipe{call: r.Call, stream: stream, value: v, ops: valueOps(c.table, v), factory: name, result: res.Result})
	}
	return pipes
}

// factoryRecv names the command a factory returned by how this function
// refers to it: the receiver of its first method call ("cmd" in
// cmd.Wait()), else "cmd".
func (c *checker) factoryRecv(ops []lifecycle.Op) string {
	for _, op := range ops {
		if op.Use.Common == nil || op.Method == "" {
			continue
		}
		def := "cmd"
		if op.OnProcess {
			def = "cmd.Process"
		}
		recv := c.Src.Recv(op.Use.Common.Pos(), def)
		if op.OnProcess {
			if before, ok := strings.CutSuffix(recv, ".Process"); ok {
				recv = before
			}
		}
		if report.Named(recv) {
			return recv
		}
	}
	return "cmd"
}
