package cmdwait

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/cfgpath"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

// This file is the rule for a child abandoned on a timeout:
//
//	done := make(chan error, 1)
//	go func() { done <- cmd.Run() }()
//	select {
//	case err := <-done:
//		return err
//	case <-time.After(d):
//		return errTimeout // the child runs on, and so does the goroutine
//	}
//
// The goroutine waits for the child, so no Start-without-Wait rule sees a
// leak; but the function gives up on the wait and nothing stops the child.
// os/exec kills a child only when the context of exec.CommandContext is
// done, so returning on that context's Done (or a parent's), or with its
// cancel deferred, is not abandoning it.

// A waitingGoroutine is a go statement whose goroutine waits for a command
// (Run, Output, CombinedOutput or Wait) and then signals on a channel.
type waitingGoroutine struct {
	goInstr *ssa.Go
	wait    *ssa.Call   // the Run/Output/CombinedOutput/Wait in the goroutine
	method  string      // its method
	cmds    []ssa.Value // the command, as the outer function has it
	chans   []ssa.Value // the channels the goroutine sends on or closes, outer
}

// checkTimeouts reports commands abandoned on a timeout in fn.
func (c *checker) checkTimeouts(fn *ssa.Function) {
	if isMainMain(fn) {
		return // the program ends: giving up on a child is what it means to do
	}
	var gos []*waitingGoroutine
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if g, ok := instr.(*ssa.Go); ok {
				if w := waitingIn(g); w != nil {
					gos = append(gos, w)
				}
			}
		}
	}
	if len(gos) == 0 {
		return
	}
	for _, w := range gos {
		c.checkAbandoned(fn, w)
	}
}

// goBody returns the function a go statement runs when it is known (a
// closure or a function of the program), or nil.
func goBody(g *ssa.Go) *ssa.Function {
	switch v := g.Call.Value.(type) {
	case *ssa.MakeClosure:
		fn, _ := v.Fn.(*ssa.Function)
		return fn
	case *ssa.Function:
		return v
	}
	return nil
}

// waitingIn recognises a go statement whose goroutine waits for a command
// and signals on a channel of the outer function.
func waitingIn(g *ssa.Go) *waitingGoroutine {
	body := goBody(g)
	if body == nil || len(body.Blocks) == 0 || g.Call.IsInvoke() {
		return nil
	}
	w := &waitingGoroutine{goInstr: g}
	for _, b := range body.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Call:
				switch m := apis.CmdMethod(&in.Call); m {
				case "Run", "Output", "CombinedOutput", "Wait":
					if w.wait == nil && len(in.Call.Args) > 0 {
						if cmds := outerValues(g, body, in.Call.Args[0]); len(cmds) > 0 {
							w.wait, w.method, w.cmds = in, m, cmds
						}
					}
				}
				if b, ok := in.Call.Value.(*ssa.Builtin); ok && b.Name() == "close" && len(in.Call.Args) == 1 {
					w.chans = append(w.chans, outerValues(g, body, in.Call.Args[0])...)
				}
			case *ssa.Send:
				w.chans = append(w.chans, outerValues(g, body, in.Chan)...)
			}
		}
	}
	if w.wait == nil || len(w.chans) == 0 {
		return nil
	}
	return w
}

// outerValues returns the values of the function running g that v, a value
// in g's goroutine body, is a copy of: through free variables to what is
// bound or stored where the closure is made, and through parameters to the
// go statement's arguments.
func outerValues(g *ssa.Go, body *ssa.Function, v ssa.Value) []ssa.Value {
	outer := g.Parent()
	var out []ssa.Value
	seen := map[ssa.Value]bool{}
	var visit func(v ssa.Value, depth int)
	visit = func(v ssa.Value, depth int) {
		if depth > 2 {
			return
		}
		ownership.Origins(v, seen, func(o ssa.Value) bool {
			if p, ok := o.(*ssa.Parameter); ok && p.Parent() == body {
				for i, q := range body.Params {
					if q == p && i < len(g.Call.Args) {
						visit(g.Call.Args[i], depth+1)
					}
				}
				return true
			}
			if in, ok := o.(ssa.Instruction); ok && in.Parent() == outer {
				out = append(out, o)
			} else if p, ok := o.(*ssa.Parameter); ok && p.Parent() == outer {
				out = append(out, o)
			}
			return true
		})
	}
	visit(v, 0)
	return out
}

// madeHere reports whether the command value is one the function owns:
// made by exec.Command/CommandContext, a literal, or a factory's call.
func madeHere(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Call:
		return apis.IsCmd(v.Type())
	case *ssa.Alloc:
		return lifecycle.Tracked(v.Type()) || apis.IsCmd(v.Type())
	}
	return false
}

func (c *checker) checkAbandoned(fn *ssa.Function, w *waitingGoroutine) {
	var root ssa.Value
	for _, v := range w.cmds {
		if !madeHere(v) {
			return // a parameter, a field: its owner may kill it
		}
		root = v
	}
	ops := lifecycle.Ops(c.table, root)
	// Where the child starts: the Run in the goroutine, or the Start
	// before a goroutine that Waits.
	at := w.wait.Pos()
	var start ssa.Instruction
	for _, op := range ops {
		if op.Effect&facts.Handoff != 0 && op.Instr != w.goInstr && !isClosureOf(op.Instr, w.goInstr) {
			return // returned, stored, given away: someone else may kill it
		}
		if op.Method == "Start" && !op.OnProcess {
			if _, ok := op.Instr.(*ssa.Call); ok {
				start = op.Instr
			}
		}
	}
	if w.method == "Wait" {
		if start == nil {
			return
		}
		at = start.(*ssa.Call).Pos()
	}
	cmdCtx := lifecycle.CommandContext(root)
	isDone := func(v ssa.Value) bool {
		for _, ch := range w.chans {
			if sameOrigin(v, ch) {
				return true
			}
		}
		return false
	}
	stop := func(in ssa.Instruction) bool {
		if in == w.goInstr {
			return true // a new goroutine: a new wait
		}
		if r, ok := root.(ssa.Instruction); ok && in == r {
			return true
		}
		return c.endsChild(in, isDone, cmdCtx != nil)
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			sel, ok := instr.(*ssa.Select)
			if !ok || !sel.Blocking || !c.Graph.Reaches(w.goInstr, sel, nil) {
				continue
			}
			doneCase := -1
			for i, st := range sel.States {
				if st.Dir == types.RecvOnly && isDone(st.Chan) {
					doneCase = i
				}
			}
			if doneCase < 0 {
				continue
			}
			for i, st := range sel.States {
				if i == doneCase || st.Dir != types.RecvOnly {
					continue
				}
				what := timeoutKind(st.Chan)
				if what == "" {
					continue
				}
				if what == "ctx" && cmdCtx != nil && lifecycle.DerivesFrom(cmdCtx, doneContext(st.Chan)) {
					continue // os/exec kills the child when that context is done
				}
				body := caseBody(sel, i)
				if body == nil {
					continue
				}
				if len(body.Instrs) == 0 || stop(body.Instrs[0]) {
					continue
				}
				s := cfgpath.Search{Stop: stop}
				end := c.Graph.From(&s, body.Instrs[0]) // the path after the case's first instruction
				if end == nil {
					continue
				}
				if _, isRet := end.(*ssa.Return); !isRet {
					continue
				}
				if c.deferredKill(fn, sel, isDone, cmdCtx != nil) {
					return
				}
				if cmdCtx != nil && boundedContext(cmdCtx) {
					return // the child is killed at the context's deadline
				}
				c.reportAbandoned(fn, w, at, end, what, cmdCtx != nil)
				return
			}
		}
	}
}

func isClosureOf(in ssa.Instruction, g *ssa.Go) bool {
	mc, ok := in.(*ssa.MakeClosure)
	return ok && g.Call.Value == mc
}

// caseBody returns the first block of case k of the select.
func caseBody(sel *ssa.Select, k int) *ssa.BasicBlock {
	ex := selectIndex(sel)
	if ex == nil {
		return nil
	}
	for _, r := range *ex.Referrers() {
		bin, ok := r.(*ssa.BinOp)
		if !ok {
			continue
		}
		if s, kk, ok := cfgpath.SelectCase(bin); !ok || s != sel || kk != k {
			continue
		}
		for _, rr := range *bin.Referrers() {
			if ifi, ok := rr.(*ssa.If); ok && len(ifi.Block().Succs) == 2 {
				return ifi.Block().Succs[0]
			}
		}
	}
	return nil
}

func selectIndex(sel *ssa.Select) *ssa.Extract {
	for _, r := range *sel.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
			return ex
		}
	}
	return nil
}

// sameOrigin reports whether a and b can be the same channel.
func sameOrigin(a, b ssa.Value) bool {
	match := false
	ownership.Origins(a, map[ssa.Value]bool{}, func(o ssa.Value) bool {
		if o == b {
			match = true
			return false
		}
		return true
	})
	return match
}

// timeoutKind names what a select case's channel is, when it is a time
// or a cancellation: "timeout" for time.After, a Timer's or Ticker's C,
// "ctx" for a context's Done; "" for any other channel.
func timeoutKind(ch ssa.Value) string {
	kind := ""
	ownership.Origins(ch, map[ssa.Value]bool{}, func(o ssa.Value) bool {
		switch o := o.(type) {
		case *ssa.Call:
			if fn := apis.Callee(&o.Call); fn != nil {
				if apis.IsFunc(fn, "time", "After") || apis.IsFunc(fn, "time", "Tick") {
					kind = "timeout"
				} else if fn.Name() == "Done" && len(o.Call.Args) <= 1 && isContextRecv(&o.Call) {
					kind = "ctx"
				}
			}
		case *ssa.UnOp:
			// timer.C, ticker.C
			if fa, ok := o.X.(*ssa.FieldAddr); ok && o.Op == token.MUL {
				if f := apis.FieldOf(fa); f != nil && f.Name() == "C" &&
					(apis.IsNamed(fa.X.Type(), "time", "Timer") || apis.IsNamed(fa.X.Type(), "time", "Ticker")) {
					kind = "timeout"
				}
			}
		}
		return kind == ""
	})
	return kind
}

func isContextRecv(c *ssa.CallCommon) bool {
	if c.IsInvoke() {
		return apis.IsContext(c.Value.Type())
	}
	if r := apis.Receiver(c); r != nil {
		return types.Implements(r.Type(), contextIface())
	}
	return false
}

func contextIface() *types.Interface {
	// Done() <-chan struct{} is what matters here.
	done := types.NewFunc(token.NoPos, nil, "Done", types.NewSignatureType(nil, nil, nil, nil,
		types.NewTuple(types.NewVar(token.NoPos, nil, "", types.NewChan(types.RecvOnly, types.NewStruct(nil, nil)))), false))
	errf := types.NewFunc(token.NoPos, nil, "Err", types.NewSignatureType(nil, nil, nil, nil,
		types.NewTuple(types.NewVar(token.NoPos, nil, "", types.Universe.Lookup("error").Type())), false))
	return types.NewInterfaceType([]*types.Func{done, errf}, nil).Complete()
}

// doneContext returns the context whose Done the channel is, or nil.
func doneContext(ch ssa.Value) ssa.Value {
	var ctx ssa.Value
	ownership.Origins(ch, map[ssa.Value]bool{}, func(o ssa.Value) bool {
		if call, ok := o.(*ssa.Call); ok && call.Call.Method != nil && call.Call.Method.Name() == "Done" {
			ctx = call.Call.Value
		} else if ok {
			if r := apis.Receiver(&call.Call); r != nil {
				ctx = r
			}
		}
		return ctx == nil
	})
	return ctx
}

// boundedContext reports whether the command's context has a deadline set
// in this function (WithTimeout, WithDeadline): os/exec kills the child
// when it passes.
func boundedContext(cmdCtx ssa.Value) bool {
	bounded := false
	lifecycle.Parents(cmdCtx, func(v ssa.Value) {
		if ex, ok := v.(*ssa.Extract); ok {
			v = ex.Tuple
		}
		if call, ok := v.(*ssa.Call); ok {
			switch apis.ContextFunc(apis.Callee(&call.Call)) {
			case "WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause":
				bounded = true
			}
		}
	})
	return bounded
}

// endsChild reports whether the instruction stops the child or waits for
// the goroutine: a receive from (or a select on) the goroutine's channel,
// a kill or signal, a call given the command or its process (a helper that
// may kill it), and with CommandContext a context's cancel.
func (c *checker) endsChild(in ssa.Instruction, isDone func(ssa.Value) bool, cmdCtx bool) bool {
	switch in := in.(type) {
	case *ssa.UnOp:
		return in.Op == token.ARROW && isDone(in.X)
	case *ssa.Select:
		for _, st := range in.States {
			if st.Dir == types.RecvOnly && isDone(st.Chan) {
				return true
			}
		}
	case ssa.CallInstruction:
		return killsOrCancels(in.Common(), cmdCtx)
	case *ssa.Return:
		for _, r := range in.Results {
			if isDone(r) {
				return true // the caller gets the channel and may wait
			}
		}
	}
	return false
}

// killsOrCancels reports whether the call may end the child. Unlike
// pipedrain's kill points, which are the kills of one command found from
// its uses, this is a test of one call on the paths after the timeout,
// where the command is not tracked through helpers and closures: any
// signal (even signal 0, a probe a timeout path hardly sends but for a
// reason) and, with CommandContext, any cancel ends the search. Silence
// is the safer side there.
func killsOrCancels(call *ssa.CallCommon, cmdCtx bool) bool {
	if _, ok := lifecycle.SignalOf(call); ok {
		return true
	}
	fn := apis.Callee(call)
	if cmdCtx && apis.IsCancelFunc(call.Value.Type()) {
		return true
	}
	// A helper given the command, its process or a pid may kill it.
	if fn == nil || !apis.IsStdPath(pkgPath(fn)) {
		for _, a := range call.Args {
			if lifecycle.Tracked(a.Type()) || lifecycle.IsPid(a) {
				return true
			}
		}
	}
	// A deferred or called closure that kills.
	if mc, ok := call.Value.(*ssa.MakeClosure); ok {
		if body, ok := mc.Fn.(*ssa.Function); ok && closureKills(body, cmdCtx) {
			return true
		}
	}
	return false
}

func pkgPath(fn *types.Func) string {
	if fn.Pkg() == nil {
		return ""
	}
	return fn.Pkg().Path()
}

func closureKills(body *ssa.Function, cmdCtx bool) bool {
	for _, b := range body.Blocks {
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok {
				if _, isMC := ci.Common().Value.(*ssa.MakeClosure); !isMC && killsOrCancels(ci.Common(), cmdCtx) {
					return true
				}
			}
		}
	}
	return false
}

// deferredKill reports whether a kill, a cancel or a wait for the goroutine
// is deferred before the select: it runs when the function returns.
func (c *checker) deferredKill(fn *ssa.Function, sel *ssa.Select, isDone func(ssa.Value) bool, cmdCtx bool) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok || !cfgpath.Precedes(d, sel) {
				continue
			}
			if killsOrCancels(&d.Call, cmdCtx) {
				return true
			}
		}
	}
	return false
}

func (c *checker) reportAbandoned(fn *ssa.Function, w *waitingGoroutine, at token.Pos, end ssa.Instruction, what string, isCtx bool) {
	recv := c.Src.Recv(at, "cmd")
	e := c.pathEnd(fn, end)
	after := "after the timeout"
	if what == "ctx" {
		after = "after the context is done"
	}
	fix := "kill it (" + recv + ".Process.Kill) before returning, or use exec.CommandContext"
	if isCtx {
		fix = "kill it (" + recv + ".Process.Kill) or cancel its context before returning"
	}
	if !report.Named(recv) {
		fix = "kill it (cmd.Process.Kill) before returning"
	}
	method, where := w.method, "in a goroutine,"
	if method == "Wait" {
		method, where = "Start", "waited for in a goroutine,"
	}
	clause := report.Msgf("%s.%s %s abandoned %s %s", recv, method, where, e.phrase, after)
	steps := []report.Step{
		{Pos: at, Message: recv + "." + method + " starts the child"},
		{Pos: w.goInstr.Pos(), Message: "the goroutine waits for it"},
	}
	if e.at.Pos.IsValid() {
		steps = append(steps, report.Step{Pos: e.at.Pos, Message: e.step + " " + after + " without killing the child"})
	}
	c.Report.Report(c.Src.CallRange(at),
		report.Msgf("%s: the child runs on, and so does the goroutine; %s", clause, fix),
		report.RelatedClause(clause), report.Path(steps...))
}

// waitsInGoroutine reports whether the declaration may run a command in a
// goroutine and select on it: it uses os/exec and has a go and a select
// statement. Such functions need SSA even
// in packages that only Run commands.
func waitsInGoroutine(info *types.Info, decl *ast.FuncDecl) bool {
	if decl.Body == nil {
		return false
	}
	hasSelect, hasGo, hasRun := false, false, false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectStmt:
			hasSelect = true
		case *ast.GoStmt:
			hasGo = true
		case *ast.Ident:
			// The command may be run by a function the goroutine calls.
			if obj := info.Uses[n]; obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "os/exec" {
				hasRun = true
			}
		}
		return true
	})
	return hasSelect && hasGo && hasRun
}

func isCmdRunMethod(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() != "os/exec" || apis.RecvTypeName(fn) != "Cmd" {
		return false
	}
	switch fn.Name() {
	case "Run", "Output", "CombinedOutput", "Wait":
		return true
	}
	return false
}

// runsCommands reports whether a package calls Run, Output,
// CombinedOutput or Wait of an *exec.Cmd: the timeout rule's packages that the
// shared Watched does not include.
func runsCommands(info *types.Info, imports []*types.Package) bool {
	return apis.ImportsAndUses(info, imports, isCmdRunMethod, "os/exec")
}
