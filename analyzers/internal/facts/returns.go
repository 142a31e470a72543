package facts

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Returns is what a function gives its callers that they must look after:
// the commands it makes and returns (a factory), with the pipes of each that
// it returns beside it. CmdFact and PipeFact both carry it, so that cmdwait
// and pipedrain see the same factories (the analysis framework lets no two
// analyzers share one fact type).
type Returns struct {
	Cmds []MadeCmd
}

// Started says whether a factory's command is running when it is returned.
type Started uint8

const (
	NotStarted   Started = iota // made and configured, not started: the caller starts it
	MaybeStarted                // started on some paths only
	IsStarted                   // started on every path that returns it
)

// MadeCmd is one *exec.Cmd result of a factory: a command the function made
// (exec.Command, exec.CommandContext, a literal, or another factory's) and
// returns without waiting for it.
type MadeCmd struct {
	Result  int // index of the *exec.Cmd in the function's results
	Started Started
	// Cleanup: the command has something only (*exec.Cmd).Wait releases
	// (made by CommandContext, a pipe taken, a Stdin, Stdout or Stderr
	// that is not an *os.File, Cancel or WaitDelay set), so that
	// cmd.Process.Wait() leaks it.
	Cleanup bool
	// Pipes are the results that are pipes of this command.
	Pipes []PipeResult

	// What cmdcancel knows of the command (empty in the other
	// analyzers' facts): Setup holds the setup effects the factory
	// applied to it (facts.SetupEffects, and Kill), Program says why its
	// program may start children of its own ("" when not), and
	// ByContext is set when it was made by exec.CommandContext.
	Setup     Effect
	Program   string
	ByContext bool
}

// PipeResult is a result that is a pipe of a returned command.
type PipeResult struct {
	Result int
	// Method is the *exec.Cmd method that made it: "StdoutPipe",
	// "StderrPipe" or "StdinPipe".
	Method string
}

func (r *Returns) empty() bool { return len(r.Cmds) == 0 }

func (r *Returns) String() string {
	if r.empty() {
		return ""
	}
	var parts []string
	for _, c := range r.Cmds {
		s := fmt.Sprintf("cmd%d", c.Result)
		switch c.Started {
		case IsStarted:
			s += " started"
		case MaybeStarted:
			s += " maybe-started"
		}
		if c.Cleanup {
			s += " cleanup"
		}
		for _, p := range c.Pipes {
			s += fmt.Sprintf(" %s%d", p.Method, p.Result)
		}
		if c.Setup != 0 {
			s += fmt.Sprintf(" setup=%#x", uint16(c.Setup))
		}
		if c.Program != "" {
			s += fmt.Sprintf(" program=%q", c.Program)
		}
		if c.ByContext {
			s += " context"
		}
		parts = append(parts, s)
	}
	return "returns(" + strings.Join(parts, ", ") + ")"
}

func (r Returns) equal(o Returns) bool {
	if len(r.Cmds) != len(o.Cmds) {
		return false
	}
	for i, c := range r.Cmds {
		d := o.Cmds[i]
		if c.Result != d.Result || c.Started != d.Started || c.Cleanup != d.Cleanup || len(c.Pipes) != len(d.Pipes) ||
			c.Setup != d.Setup || c.Program != d.Program || c.ByContext != d.ByContext {
			return false
		}
		for j := range c.Pipes {
			if c.Pipes[j] != d.Pipes[j] {
				return false
			}
		}
	}
	return true
}

// A ReturnsFunc computes what fn returns that its callers must look after,
// from its SSA and the table (for the factories it calls). It is
// lifecycle.FactoryReturns for commands.
type ReturnsFunc func(t *Table, fn *ssa.Function) Returns

// ReturnsOf returns what the static callee of c returns that its caller
// must look after (nil when nothing, or when the callee is unknown): from
// this package's computed facts, or from the callee package's facts.
func (t *Table) ReturnsOf(c *ssa.CallCommon) *Returns {
	fn := c.StaticCallee()
	if c.IsInvoke() || fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if r, ok := t.returns[fn]; ok {
		if r.empty() {
			return nil
		}
		return r
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil || obj.Pkg() == nil || obj.Pkg() == t.pass.Pkg {
		return nil
	}
	f := t.newFact()
	if t.pass.ImportObjectFact(obj, f) && !f.returns().empty() {
		return f.returns()
	}
	return nil
}

// Made returns the command result i of a call, from its callee's facts.
func (t *Table) Made(c *ssa.CallCommon, i int) (MadeCmd, bool) {
	r := t.ReturnsOf(c)
	if r == nil {
		return MadeCmd{}, false
	}
	for _, m := range r.Cmds {
		if m.Result == i {
			return m, true
		}
	}
	return MadeCmd{}, false
}
