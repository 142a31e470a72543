package cmdcancel

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifeguard-go/lifeguard/analyzers/internal/apis"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/facts"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lazyssa"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/lifecycle"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/ownership"
	"github.com/lifeguard-go/lifeguard/analyzers/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name:      "cmdcancel",
	Doc:       doc,
	URL:       "https://github.com/lifeguard-go/lifeguard/blob/main/docs/cmdcancel.md",
	Run:       run,
	FactTypes: []analysis.Fact{new(facts.CmdCancelFact)},
}

// spawners are the -spawners flag: programs that start children of their
// own.
var spawners nameList

func init() {
	lazyssa.Consume(Analyzer, lazyssa.Interest{
		Package: func(info *types.Info, imports []*types.Package) bool {
			return apis.ImportsAndUses(info, imports, lifecycleFunc, "os/exec") || lifecycle.UsesFactories(info)
		},
		Func: func(info *types.Info, decl *ast.FuncDecl) bool {
			return decl.Body != nil && apis.UsesFunc(info, decl.Body, lifecycleFunc) || apis.HasParam(info, decl, lifecycle.Tracked) ||
				lifecycle.DeclaresOrCallsFactory(info, decl) || lifecycle.MentionsCmdFields(info, decl)
		},
	})
	Analyzer.Flags.Var(&spawners, "spawners",
		"comma-separated program names that start children of their own (make, npm, a wrapper script), checked like a shell given a script")
}

// lifecycleFunc reports whether fn makes, runs, kills or sets up a
// command: os/exec's functions and methods, os.Process's, syscall's and
// unix's Kill.
func lifecycleFunc(fn *types.Func) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "os/exec":
		// exec.LookPath and the error types make and run nothing.
		return fn.Name() == "Command" || fn.Name() == "CommandContext" || apis.RecvTypeName(fn) == "Cmd"
	case "os":
		return apis.RecvTypeName(fn) == "Process"
	case "syscall", "golang.org/x/sys/unix":
		return fn.Name() == "Kill"
	}
	return false
}

type checker struct {
	*lazyssa.Package
	table    *facts.Table
	fields   map[*types.Var]*lifecycle.FieldCmd
	reported map[token.Pos]bool
}

func run(pass *analysis.Pass) (any, error) { return lazyssa.Run(pass, check) }

func check(p *lazyssa.Package) error {
	c := &checker{
		Package:  p,
		table:    facts.NewTable(p.Pass, func() facts.Fact { return new(facts.CmdCancelFact) }),
		fields:   map[*types.Var]*lifecycle.FieldCmd{},
		reported: map[token.Pos]bool{},
	}
	c.table.Returns = lifecycle.FactoryReturnsWith(lifecycle.SetupOps, c.annotate)
	c.table.ReturnsTracked = lifecycle.ReturnsCmd
	c.table.Compute(p.Funcs, lifecycle.Tracked, lifecycle.ClassifySetup)
	for _, f := range lifecycle.FieldCmds(c.table, p.Pass.Pkg, p.Funcs, lifecycle.SetupOps) {
		c.fields[f.Field] = f
	}
	for _, fn := range p.Funcs {
		for _, root := range lifecycle.Roots(c.table, fn) {
			c.checkCmd(fn, root)
		}
	}
	return nil
}

// annotate records in a factory's facts what cmdcancel needs of the
// command it returns: its program, whether CommandContext made it, and how
// the factory set it up.
func (c *checker) annotate(root lifecycle.Root, ops []lifecycle.Op, made *facts.MadeCmd) {
	cmd := c.describe(root, ops)
	made.Program, made.ByContext = cmd.program, cmd.byContext
	made.Setup = cmd.setup & (facts.SetupEffects | facts.Kill)
}

// A command is what a function's ops (and a factory's facts, and the
// methods of the type keeping it in a field) say about one command.
type command struct {
	root      lifecycle.Root
	program   string // why its program may start children, or ""
	byContext bool   // made by exec.CommandContext with a context that can be done
	setup     facts.Effect
	ops       []lifecycle.Op
	field     *types.Var // the field keeping it, if any
	escaped   bool       // handed to code that may set it up or kill it
	runs      []ssa.Instruction
	// The kills of the child alone: Process.Kill or Signal, a helper's,
	// syscall.Kill(pid, …), a Cancel func's; and of its group.
	leaderKills []ssa.Instruction
	groupKills  []ssa.Instruction
	cancelFunc  bool // Cancel set
}

func (c *checker) describe(root lifecycle.Root, ops []lifecycle.Op) *command {
	cmd := &command{root: root, ops: ops}
	if root.Call != nil {
		cmd.program, cmd.byContext, cmd.setup = root.Made.Program, root.Made.ByContext, root.Made.Setup
		if root.Made.Started != facts.NotStarted {
			cmd.runs = append(cmd.runs, root.Call)
		}
	} else if call, ok := root.Value.(*ssa.Call); ok {
		cmd.program = c.program(call)
		cmd.byContext = canBeDone(lifecycle.CommandContext(call))
	}
	cmd.add(ops)
	return cmd
}

// add folds ops into what is known of the command.
func (cmd *command) add(ops []lifecycle.Op) {
	for _, op := range ops {
		cmd.setup |= op.Effect | lifecycle.Setup(op)
		switch {
		case op.OnProcess:
		case op.Method == "Start" || op.Method == "Run" || op.Method == "Output" || op.Method == "CombinedOutput":
			cmd.runs = append(cmd.runs, op.Instr)
		case op.Method == "" && op.Use.Common != nil && op.Use.Kind == ownership.Call && op.Effect&(facts.Start|facts.Wait) != 0:
			cmd.runs = append(cmd.runs, op.Instr) // a helper that runs it
		}
		if op.KillsCmd() && op.Use.Kind != ownership.Go {
			cmd.leaderKills = append(cmd.leaderKills, op.Instr)
		}
		if fa, ok := op.Instr.(*ssa.FieldAddr); ok && op.Use.Kind == ownership.Field && apis.IsProcess(fa.X.Type()) {
			if f := apis.FieldOf(fa); f != nil && f.Name() == "Pid" {
				k := lifecycle.PidKills(fa)
				cmd.leaderKills = append(cmd.leaderKills, k.Leader...)
				cmd.groupKills = append(cmd.groupKills, k.Group...)
			}
		}
		if op.Field == "Cancel" {
			cmd.cancelFunc = true
			k := lifecycle.CancelKills(op.Stored)
			cmd.leaderKills = append(cmd.leaderKills, k.Leader...)
			cmd.groupKills = append(cmd.groupKills, k.Group...)
		}
	}
}

// canBeDone reports whether ctx, the context of a CommandContext, can be
// done: not a bare context.Background() or TODO().
func canBeDone(ctx ssa.Value) bool {
	if ctx == nil {
		return false
	}
	done := false
	ownership.Origins(ctx, map[ssa.Value]bool{}, func(o ssa.Value) bool {
		call, ok := o.(*ssa.Call)
		if !ok || !apis.IsNewRoot(apis.ContextFunc(apis.Callee(&call.Call))) {
			done = true
		}
		return !done
	})
	return done
}

func (c *checker) checkCmd(fn *ssa.Function, root lifecycle.Root) {
	ops := lifecycle.SetupOps(c.table, root.Value)
	cmd := c.describe(root, ops)
	c.followField(cmd)
	if cmd.escaped || len(cmd.runs) == 0 {
		return
	}
	killed := cmd.byContext || len(cmd.leaderKills) > 0 || len(cmd.groupKills) > 0
	if !killed {
		return
	}
	groupKilled := cmd.setup&facts.KillGroup != 0
	switch {
	case cmd.program != "" && !groupKilled:
		c.reportDirect(fn, cmd)
	case cmd.setup&facts.SetGroup != 0 && !groupKilled && len(cmd.leaderKills) > 0:
		c.reportLeaderOnly(cmd)
	case len(cmd.groupKills) > 0 && cmd.setup&facts.SetAttr == 0:
		c.reportNoGroup(cmd)
	}
}

// followField adds what the package does with the field the command is
// stored in, and notes the hand-offs that can come before it runs: code
// this function cannot see may set it up or kill it.
func (c *checker) followField(cmd *command) {
	var handoffs []ssa.Instruction
	for _, op := range cmd.ops {
		if op.Effect&facts.Handoff == 0 {
			continue
		}
		if st, ok := op.Instr.(*ssa.Store); ok && op.Use.Kind == ownership.Store {
			if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
				if f := c.fields[apis.FieldOf(fa)]; f != nil && cmd.field == nil {
					cmd.field = f.Field
					if f.Escaped {
						cmd.escaped = true
						return
					}
					cmd.add(f.Ops)
					continue
				}
			}
		}
		handoffs = append(handoffs, op.Instr)
	}
	for _, h := range handoffs {
		for _, r := range cmd.runs {
			if h == r || h.Parent() != r.Parent() || c.Graph.Reaches(h, r, nil) {
				cmd.escaped = true
				return
			}
		}
	}
	cmd.leaderKills = dedupe(cmd.leaderKills)
	cmd.groupKills = dedupe(cmd.groupKills)
}

func dedupe(l []ssa.Instruction) []ssa.Instruction {
	seen := map[ssa.Instruction]bool{}
	return slices.DeleteFunc(l, func(i ssa.Instruction) bool {
		if seen[i] {
			return true
		}
		seen[i] = true
		return false
	})
}

// pos returns the position of the root's call: the exec.Command call or the
// factory call.
func (cmd *command) pos() token.Pos {
	if cmd.root.Call != nil {
		return cmd.root.Call.Pos()
	}
	return cmd.root.Value.Pos()
}

// defaultCancel reports whether the kill is exec.CommandContext's own
// (ctx done, no Cancel func of the code's) and no other kill is in sight.
func (cmd *command) defaultCancel() bool {
	return cmd.byContext && !cmd.cancelFunc && len(cmd.leaderKills) == 0
}

// reportDirect reports a command whose program may start children, killed
// without its process group: at the CommandContext call when the default
// Cancel kills it, else at the first kill. When its output is not an
// *os.File and WaitDelay is not set, Wait can hang on the children too,
// and the finding is at the command, naming both fixes.
func (c *checker) reportDirect(fn *ssa.Function, cmd *command) {
	hang := cmd.setup&facts.Captures != 0 && cmd.setup&facts.SetDelay == 0
	at := cmd.pos()
	kill := c.killText(cmd, true)
	if !cmd.defaultCancel() && !hang && len(cmd.leaderKills) > 0 {
		at = killPos(cmd.leaderKills[0])
		kill = c.killText(cmd, false)
	}
	if c.reported[at] {
		return
	}
	c.reported[at] = true
	name := c.cmdName(cmd)
	subject, why := splitProgram(cmd.program)
	group := "run it in a process group of its own (SysProcAttr.Setpgid) and kill the group"
	if cmd.setup&facts.SetGroup != 0 {
		group = "kill the process group it is in"
	}
	killGroup := group + " with syscall.Kill(-" + name + ".Process.Pid, syscall.SIGKILL)"
	if cmd.byContext {
		killGroup += " in " + name + ".Cancel"
	}
	var opts []report.Option
	if at != cmd.pos() {
		opts = append(opts, report.Related(cmd.pos(), "the command is made here"))
	}
	if hang {
		if fix, ok := c.waitDelayFix(fn, cmd, name); ok {
			opts = append(opts, report.Fixes(fix))
		}
		c.Report.Report(c.Src.CallRange(at),
			report.Msgf("%s kills only %s (%s), not the children it starts: they keep the output pipe open, so %s blocks until they exit, long after the kill; set %s.WaitDelay, and %s",
				kill, subject, why, c.waiter(cmd, name), name, killGroup), opts...)
		return
	}
	c.Report.Report(c.Src.CallRange(at),
		report.Msgf("%s kills only %s (%s), not the children it starts: they run on after the kill; %s",
			kill, subject, why, killGroup), opts...)
}

// reportLeaderOnly reports a kill of the child alone when SysProcAttr put
// it at the head of a process group of its own: the rest of the group runs
// on.
func (c *checker) reportLeaderOnly(cmd *command) {
	c.reportKill(cmd, cmd.leaderKills[0], "the kill", "%s signals only the child, which SysProcAttr.Setpgid made the leader of a process group of its own: the rest of the group runs on; signal the group with syscall.Kill(-%s.Process.Pid, sig)")
}

// reportNoGroup reports syscall.Kill(-pid, …) of a command started without
// Setpgid or Setsid: it is in this process's group, there is no group
// -pid, and the kill fails with ESRCH.
func (c *checker) reportNoGroup(cmd *command) {
	c.reportKill(cmd, cmd.groupKills[0], "syscall.Kill", "%s(-pid, …) signals a process group the command was never put in (no SysProcAttr.Setpgid or Setsid): the kill fails with ESRCH and the child runs on; set %s.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} before Start")
}

// reportKill reports a mismatched kill at the kill, once: format is given
// the function the kill calls and the command's name.
func (c *checker) reportKill(cmd *command, kill ssa.Instruction, def, format string) {
	at := killPos(kill)
	if c.reported[at] {
		return
	}
	c.reported[at] = true
	c.Report.Report(c.Src.CallRange(at), report.Msgf(format, c.Src.Func(at, def), c.cmdName(cmd)),
		report.Related(cmd.pos(), "the command is made here"))
}

// killText names what kills the command for a message: the cancel of
// CommandContext's context, or the first kill (with its position when
// the finding is elsewhere).
func (c *checker) killText(cmd *command, withPos bool) report.Msg {
	if cmd.defaultCancel() || len(cmd.leaderKills) == 0 {
		if cmd.root.Call != nil {
			return report.Msgf("the cancel of the context %s made it with", c.Src.Func(cmd.root.Call.Pos(), "the factory"))
		}
		return report.Msgf("the cancel of its context (exec.CommandContext)")
	}
	pos := killPos(cmd.leaderKills[0])
	if !withPos {
		return report.Msgf("%s", c.Src.Func(pos, "the kill"))
	}
	return report.Msgf("%s %s", c.Src.Func(pos, "the kill"), c.Src.At(pos))
}

// killPos is the position of a kill: its call's.
func killPos(k ssa.Instruction) token.Pos {
	if call, ok := k.(ssa.CallInstruction); ok {
		return call.Common().Pos()
	}
	return k.Pos()
}

// waiter names the call that waits for the output: Run, Output,
// CombinedOutput or Wait.
func (c *checker) waiter(cmd *command, name string) string {
	for _, r := range cmd.runs {
		if call, ok := r.(*ssa.Call); ok {
			switch m := apis.CmdMethod(&call.Call); m {
			case "Run", "Output", "CombinedOutput":
				return name + "." + m
			}
		}
	}
	return name + ".Wait"
}

// splitProgram splits a program's description into what the kill reaches
// and why it may start children.
func splitProgram(program string) (subject, why string) {
	switch {
	case strings.HasPrefix(program, "a command line"):
		return "the program", program
	case strings.Contains(program, " -c "):
		sh, _, _ := strings.Cut(program, " ")
		if sh == "$SHELL" || sh == "the" {
			return "the shell", program
		}
		return sh, program
	}
	sub, _, _ := strings.Cut(program, ",")
	return sub, program
}
